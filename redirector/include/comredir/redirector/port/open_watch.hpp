#pragma once
// One program at a time on a redirected port, as on Windows where a second CreateFile of a
// COM port fails. A tty cannot count its openers, so the daemon watches the slave device
// with inotify: the first IN_OPEN sets TIOCEXCL (later opens fail with EBUSY, except for
// root), and when every opened file is closed again TIOCNXCL lets the next program in.
// dup(2) and fork(2) share one open file, which closes once: opens and closes pair up.
// Two programs racing for the port within one event-loop turn may both get in; the
// first event sets exclusivity at once.

#include <comredir/redirector/port/pty.hpp>
#include <string>

namespace comredir::redirector::port {

class OpenWatch {
  public:
    OpenWatch() = default;
    OpenWatch(OpenWatch&& other) noexcept;
    OpenWatch& operator=(OpenWatch&& other) noexcept;
    OpenWatch(const OpenWatch&) = delete;
    OpenWatch& operator=(const OpenWatch&) = delete;
    ~OpenWatch();

    /// Starts watching `pty`'s slave; false with `error` set.
    bool start(const Pty& pty, std::string& error);
    int fd() const { return fd_; }  ///< readable when programs opened or closed the port
    /// Reads the pending events and sets or clears exclusivity on `pty`. Returns the
    /// number of programs' open files after the events.
    int update(const Pty& pty);
    int open_files() const { return open_; }

  private:
    int fd_ = -1;
    int open_ = 0;
};

}  // namespace comredir::redirector::port
