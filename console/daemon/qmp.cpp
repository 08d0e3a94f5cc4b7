#include "qmp.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace comredir::console::daemon {

namespace {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

/// Reads one JSON line (QMP ends each with CRLF); false with `error` on timeout or EOF.
bool read_message(int fd, std::string& pending, nlohmann::json& out, std::string& error) {
    constexpr std::size_t kMax = 1 << 20;
    for (;;) {
        const auto nl = pending.find('\n');
        if (nl != std::string::npos) {
            const std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            out = nlohmann::json::parse(line, nullptr, false);
            if (out.is_discarded() || !out.is_object()) {
                error = "qmp: not a JSON object";
                return false;
            }
            return true;
        }
        if (pending.size() > kMax) {
            error = "qmp: a message longer than 1 MiB";
            return false;
        }
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0) {
            error = "qmp: the socket closed";
            return false;
        }
        if (n < 0) {
            if (errno == EINTR) continue;
            error = errno == EAGAIN || errno == EWOULDBLOCK
                        ? std::string("qmp: no answer in time")
                        : "qmp: " + std::string(std::strerror(errno));
            return false;
        }
        pending.append(buf, static_cast<std::size_t>(n));
    }
}

bool send_all(int fd, const std::string& text, std::string& error) {
    std::size_t off = 0;
    while (off < text.size()) {
        const ssize_t n = ::send(fd, text.data() + off, text.size() - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = "qmp: send: " + std::string(std::strerror(errno));
            return false;
        }
        off += static_cast<std::size_t>(n);
    }
    return true;
}

/// Sends `execute` and waits for its `return` or `error` (skipping events).
bool execute(int fd, std::string& pending, const std::string& command, std::string& error) {
    if (!send_all(fd, nlohmann::json{{"execute", command}}.dump() + "\r\n", error)) return false;
    for (;;) {
        nlohmann::json m;
        if (!read_message(fd, pending, m, error)) return false;
        if (m.contains("return")) return true;
        if (auto e = m.find("error"); e != m.end()) {
            error = "qemu: " + (e->is_object() ? e->value("desc", std::string("error"))
                                               : std::string("error"));
            return false;
        }
        // {"event": ...}: not ours
    }
}

}  // namespace

QmpResult qmp_execute(const std::string& socket_path, const std::string& command,
                      std::chrono::seconds timeout) {
    QmpResult r;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof addr.sun_path) {
        r.error = socket_path + ": path too long for a unix socket";
        return r;
    }
    std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
    const Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) {
        r.error = "socket: " + std::string(std::strerror(errno));
        return r;
    }
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count());
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        r.error = socket_path + ": cannot connect: " + std::strerror(errno);
        return r;
    }
    std::string pending;
    nlohmann::json greeting;
    if (!read_message(fd.get(), pending, greeting, r.error)) return r;
    if (!greeting.contains("QMP")) {
        r.error = socket_path + ": not a QMP socket (no greeting)";
        return r;
    }
    if (!execute(fd.get(), pending, "qmp_capabilities", r.error)) return r;
    if (!execute(fd.get(), pending, command, r.error)) return r;
    r.ok = true;
    return r;
}

}  // namespace comredir::console::daemon
