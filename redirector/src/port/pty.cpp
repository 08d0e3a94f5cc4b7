#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/redirector/port/pty.hpp>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "pty_internal.hpp"

namespace comredir::redirector::port {

namespace {

std::string errno_text(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

struct PtyOpen {
    static PtyOpenResult run(const PtyOptions& options) {
        PtyOpenResult r;
        Pty& p = r.pty;
        p.master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (p.master_ < 0) return fail(r, errno_text("posix_openpt"));
        if (::grantpt(p.master_) != 0) return fail(r, errno_text("grantpt"));
        if (::unlockpt(p.master_) != 0) return fail(r, errno_text("unlockpt"));
        char name[128] = {};
        if (::ptsname_r(p.master_, name, sizeof name) != 0) return fail(r, errno_text("ptsname"));
        p.slave_path_ = name;
        p.slave_ = ::open(
            name, O_RDWR | O_NOCTTY | O_CLOEXEC);  // NOLINT(cppcoreguidelines-pro-type-vararg)
        if (p.slave_ < 0) return fail(r, errno_text("open slave"));

        termios t{};
        if (::tcgetattr(p.slave_, &t) != 0) return fail(r, errno_text("tcgetattr"));
        ::cfmakeraw(&t);
        t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | CRTSCTS);
        t.c_cflag |= CLOCAL | CREAD;
        t.c_lflag |= EXTPROC;  // termios changes show as TIOCPKT_IOCTL on the master
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;
        ::cfsetispeed(&t, B9600);
        ::cfsetospeed(&t, B9600);
        if (::tcsetattr(p.slave_, TCSANOW, &t) != 0) return fail(r, errno_text("tcsetattr"));

        int on = 1;
        if (::ioctl(p.master_, TIOCPKT, &on) != 0)  // NOLINT(cppcoreguidelines-pro-type-vararg)
            return fail(r, errno_text("TIOCPKT"));
        const int flags = ::fcntl(p.master_, F_GETFL);  // NOLINT(cppcoreguidelines-pro-type-vararg)
        if (flags < 0 || ::fcntl(p.master_, F_SETFL, flags | O_NONBLOCK) !=
                             0)  // NOLINT(cppcoreguidelines-pro-type-vararg)
            return fail(r, errno_text("O_NONBLOCK"));

        if (options.owner || options.group) {
            const uid_t uid = options.owner ? *options.owner : static_cast<uid_t>(-1);
            const gid_t gid = options.group ? *options.group : static_cast<gid_t>(-1);
            if (::fchown(p.slave_, uid, gid) != 0) return fail(r, errno_text("chown slave"));
        }
        if (::fchmod(p.slave_, options.mode) != 0) return fail(r, errno_text("chmod slave"));
        return r;
    }

    static PtyOpenResult fail(PtyOpenResult& r, std::string error) {
        r.pty.hangup();
        r.error = std::move(error);
        return std::move(r);
    }
};

PtyOpenResult open_pty(const PtyOptions& options) {
    return PtyOpen::run(options);
}

Pty::Pty(Pty&& other) noexcept
    : master_(std::exchange(other.master_, -1)),
      slave_(std::exchange(other.slave_, -1)),
      slave_path_(std::move(other.slave_path_)) {}

Pty& Pty::operator=(Pty&& other) noexcept {
    if (this != &other) {
        hangup();
        master_ = std::exchange(other.master_, -1);
        slave_ = std::exchange(other.slave_, -1);
        slave_path_ = std::move(other.slave_path_);
    }
    return *this;
}

Pty::~Pty() {
    hangup();
}

std::optional<SerialSettings> Pty::settings(std::string& error) const {
    TermiosSnapshot t;
    if (!detail::read_termios2(master_, t)) {
        error = errno_text("TCGETS2");
        return std::nullopt;
    }
    return settings_from(t);
}

bool Pty::set_exclusive(bool on) const {
    return ::ioctl(slave_, on ? TIOCEXCL : TIOCNXCL) ==
           0;  // NOLINT(cppcoreguidelines-pro-type-vararg)
}

void Pty::hangup() {
    close_fd(slave_);
    close_fd(master_);
}

}  // namespace comredir::redirector::port
