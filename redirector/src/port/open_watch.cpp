#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <comredir/redirector/port/open_watch.hpp>
#include <cstring>
#include <utility>

namespace comredir::redirector::port {

OpenWatch::OpenWatch(OpenWatch&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), open_(std::exchange(other.open_, 0)) {}

OpenWatch& OpenWatch::operator=(OpenWatch&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        open_ = std::exchange(other.open_, 0);
    }
    return *this;
}

OpenWatch::~OpenWatch() {
    if (fd_ >= 0) ::close(fd_);
}

bool OpenWatch::start(const Pty& pty, std::string& error) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) {
        error =
            std::string("inotify_init1: ") + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        return false;
    }
    if (::inotify_add_watch(fd_, pty.slave_path().c_str(), IN_OPEN | IN_CLOSE) < 0) {
        error = "inotify_add_watch `" + pty.slave_path() +
                "`: " + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        ::close(fd_);
        fd_ = -1;
        return false;
    }
    return true;
}

int OpenWatch::update(const Pty& pty) {
    alignas(inotify_event) std::array<char, 4096> buf{};
    for (;;) {
        const ssize_t n = ::read(fd_, buf.data(), buf.size());
        if (n <= 0) break;
        std::size_t off = 0;
        while (off + sizeof(inotify_event) <= static_cast<std::size_t>(n)) {
            inotify_event ev{};
            std::memcpy(&ev, buf.data() + off, sizeof ev);
            if ((ev.mask & IN_OPEN) != 0) ++open_;
            if ((ev.mask & IN_CLOSE) != 0 && open_ > 0) --open_;
            off += sizeof(inotify_event) + ev.len;
        }
    }
    pty.set_exclusive(open_ > 0);
    return open_;
}

}  // namespace comredir::redirector::port
