#include "serial_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace comredir::console::daemon {

namespace fs = std::filesystem;

SerialLog::~SerialLog() {
    if (fd_ >= 0) ::close(fd_);
}

bool SerialLog::open(std::string& error) {
    if (fd_ >= 0) return true;
    std::error_code ec;
    const fs::path dir = fs::path(s_.path).parent_path();
    if (!dir.empty() && !fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) {
            error = dir.string() + ": cannot create: " + ec.message();
            return false;
        }
        fs::permissions(dir, fs::perms::owner_all, ec);
    }
    fd_ = ::open(s_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) {
        error = s_.path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (fstat(fd_, &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
    return true;
}

bool SerialLog::rotate(std::string& error) {
    ::close(fd_);
    fd_ = -1;
    std::error_code ec;
    if (s_.keep == 0) {
        fs::remove(s_.path, ec);
    } else {
        fs::remove(s_.path + "." + std::to_string(s_.keep), ec);
        for (unsigned i = s_.keep; i > 1; --i) {
            const std::string from = s_.path + "." + std::to_string(i - 1);
            if (fs::exists(from, ec)) fs::rename(from, s_.path + "." + std::to_string(i), ec);
        }
        fs::rename(s_.path, s_.path + ".1", ec);
        if (ec) {
            error = s_.path + ": cannot rotate: " + ec.message();
            return false;
        }
    }
    size_ = 0;
    return open(error);
}

bool SerialLog::append(std::span<const std::uint8_t> bytes, std::string& error) {
    if (fd_ < 0) return false;
    if (size_ > 0 && size_ + bytes.size() > s_.max_bytes && !rotate(error)) return false;
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::write(fd_, bytes.data() + off, bytes.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = s_.path + ": write: " + std::strerror(errno);
            ::close(fd_);
            fd_ = -1;
            return false;
        }
        off += static_cast<std::size_t>(n);
    }
    size_ += bytes.size();
    return true;
}

}  // namespace comredir::console::daemon
