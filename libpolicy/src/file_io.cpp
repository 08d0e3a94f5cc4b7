#include "file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace comredir::policy::detail {

FileBytes read_file_bytes(const std::string& path, std::uint64_t max_bytes) {
    FileBytes out;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        out.error = path + ": cannot open: " + std::strerror(errno);
        return out;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        out.error = path + ": not a regular file";
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
