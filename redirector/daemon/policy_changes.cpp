#include "policy_changes.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace comredir::redirector::daemon {

PolicyChanges::Subscription::~Subscription() {
    owner_.forget(fd_);
    ::close(fd_);
}

bool PolicyChanges::Subscription::take() {
    std::uint64_t n = 0;
    return ::read(fd_, &n, sizeof n) == sizeof n && n > 0;
}

std::unique_ptr<PolicyChanges::Subscription> PolicyChanges::subscribe(std::string& error) {
    const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) {
        error = std::string("cannot make an eventfd: ") +
                std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        return nullptr;
    }
    {
        const std::lock_guard lock(mutex_);
        fds_.insert(fd);
    }
    return std::unique_ptr<Subscription>(new Subscription(*this, fd));
}

std::size_t PolicyChanges::notify() {
    const std::lock_guard lock(mutex_);
    const std::uint64_t one = 1;
    for (int fd : fds_) {
        // Only fails when the counter is about to overflow: the news is there already.
        [[maybe_unused]] const auto n = ::write(fd, &one, sizeof one);
    }
    return fds_.size();
}

std::size_t PolicyChanges::subscribers() const {
    const std::lock_guard lock(mutex_);
    return fds_.size();
}

void PolicyChanges::forget(int fd) {
    const std::lock_guard lock(mutex_);
    fds_.erase(fd);
}

}  // namespace comredir::redirector::daemon
