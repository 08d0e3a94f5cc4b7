// Folder locks with flock(2).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <comredir/policy/io/file_lock.hpp>
#include <cstring>
#include <filesystem>
#include <thread>

namespace comredir::policy {

FolderLock::FolderLock(FolderLock&& other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

FolderLockResult lock_folder_of(const std::string& file_path, std::chrono::milliseconds timeout) {
    FolderLockResult out;
    std::filesystem::path dir = std::filesystem::path(file_path).parent_path();
    if (dir.empty()) dir = ".";
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        out.message = dir.string() + ": cannot open the folder to lock it: " + std::strerror(errno);
        return out;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            out.message = dir.string() + ": cannot lock: " + std::strerror(errno);
            ::close(fd);
            return out;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            out.message = dir.string() + ": another writer holds the lock (waited " +
                          std::to_string(timeout.count()) + " ms)";
            ::close(fd);
            return out;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
    out.lock.fd_ = fd;
    return out;
}

}  // namespace comredir::policy
