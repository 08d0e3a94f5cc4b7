#include "io/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/policy/io/file_read.hpp>
#include <cstring>
#include <utility>

namespace comredir::policy::detail {

namespace {

/// `path: not a regular file (a fifo)`.
std::string not_regular(const std::string& path, mode_t mode) {
    const char* kind = S_ISDIR(mode)    ? " (a folder)"
                       : S_ISFIFO(mode) ? " (a fifo)"
                       : S_ISCHR(mode)  ? " (a character device)"
                       : S_ISBLK(mode)  ? " (a block device)"
                       : S_ISSOCK(mode) ? " (a socket)"
                                        : "";
    return path + ": not a regular file" + kind;
}

}  // namespace

FileBytes read_file_bytes(const std::string& path, std::uint64_t max_bytes) {
    FileBytes out;
    // Look before opening: opening a fifo blocks until a writer comes, and opening a device
    // can have effects (a serial port raises DTR). The check after opening catches a swap.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        out.error = not_regular(path, st.st_mode);
        return out;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        out.error = path + ": cannot open: " + std::strerror(errno);
        return out;
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        out.error = not_regular(path, S_ISREG(st.st_mode) ? 0 : st.st_mode);
        ::close(fd);
        return out;
    }
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        out.error = path + ": file size `" + std::to_string(st.st_size) + "` exceeds limit `" +
                    std::to_string(max_bytes) + "`";
        ::close(fd);
        return out;
    }
    out.bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.bytes.size()) {
        ssize_t n = ::read(fd, out.bytes.data() + got, out.bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            out.error = path + ": read error: " + std::strerror(errno);
            ::close(fd);
            return out;
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    out.bytes.resize(got);
    ::close(fd);
    out.ok = true;
    return out;
}

}  // namespace comredir::policy::detail

namespace comredir::policy {

FileRead read_regular_file(const std::string& path, std::uint64_t max_bytes) {
    auto fb = detail::read_file_bytes(path, max_bytes);
    FileRead out;
    out.ok = fb.ok;
    out.bytes = std::move(fb.bytes);
    out.message = std::move(fb.error);
    return out;
}

}  // namespace comredir::policy
