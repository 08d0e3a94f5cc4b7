#pragma once
// The host side of one redirected port: a pseudo-terminal pair. Programs open the slave
// (`slave_path()`, reached through the stable links of port_paths.hpp) like a serial
// device; the daemon keeps the master in packet mode (TIOCPKT) with EXTPROC set on the
// slave, so writes, flushes and termios changes all arrive on the master.
//
// The pty keeps one slave descriptor of its own: reads from the master then never fail
// with EIO while no program has the port open, and TIOCEXCL can be set on the slave
// (see open_watch.hpp: one program at a time).

#include <sys/types.h>

#include <comredir/redirector/port/serial_settings.hpp>
#include <optional>
#include <string>

namespace comredir::redirector::port {

struct PtyOptions {
    std::optional<uid_t> owner;  ///< chown the slave to this account (the session's user)
    std::optional<gid_t> group;
    mode_t mode = 0600;
};

class Pty {
  public:
    Pty() = default;
    Pty(Pty&& other) noexcept;
    Pty& operator=(Pty&& other) noexcept;
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;
    ~Pty();

    bool valid() const { return master_ >= 0; }
    int master() const { return master_; }  ///< non-blocking, close-on-exec, packet mode
    int slave() const { return slave_; }    ///< the pty's own slave descriptor
    const std::string& slave_path() const { return slave_path_; }

    /// What the program set last (TCGETS2 on the master); nullopt with `error` set.
    std::optional<SerialSettings> settings(std::string& error) const;
    /// Refuse (true) or allow (false) further opens of the slave by other programs.
    bool set_exclusive(bool on) const;
    /// Hang up: programs with the port open read EOF and get SIGHUP if it is their
    /// controlling terminal. Closes both descriptors.
    void hangup();

  private:
    friend struct PtyOpen;
    int master_ = -1;
    int slave_ = -1;
    std::string slave_path_;
};

struct PtyOpenResult {
    Pty pty;
    std::string error;  ///< one line when !pty.valid()
};

/// A new pty: raw mode (no echo, no line editing: a serial port has no line discipline),
/// 9600 baud 8N1 like a freshly opened Windows COM port, EXTPROC on, packet mode on,
/// the slave chowned and chmodded as `options` says.
PtyOpenResult open_pty(const PtyOptions& options);

}  // namespace comredir::redirector::port
