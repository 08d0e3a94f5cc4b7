#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/policy/io/safe_write.hpp>
#include <cstring>
#include <filesystem>

namespace comredir::policy {

namespace {

WriteResult failure(const std::string& path, const std::string& step) {
    return WriteResult{false, path + ": " + step + ": " + std::strerror(errno)};
}

bool write_all(int fd, std::span<const std::uint8_t> bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

WriteResult write_file_atomic(const std::string& path, std::span<const std::uint8_t> bytes,
                              mode_t mode) {
    namespace fs = std::filesystem;
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) return failure(path, "cannot create a temporary file in `" + dir.string() + "`");

    struct stat old {};
    bool existed = ::stat(path.c_str(), &old) == 0;
    mode_t want = existed ? (old.st_mode & 07777) : mode;
    auto abandon = [&](const std::string& step) {
        WriteResult r = failure(path, step);
        ::close(fd);
        ::unlink(tmpl.c_str());
        return r;
    };
    if (::fchmod(fd, want) != 0) return abandon("cannot set mode");
    if (existed && (old.st_uid != ::geteuid() || old.st_gid != ::getegid())) {
        (void)::fchown(fd, old.st_uid, old.st_gid);  // best effort: only root may give files away
    }
    if (!write_all(fd, bytes)) return abandon("write failed");
    if (::fsync(fd) != 0) return abandon("fsync failed");
    if (::close(fd) != 0) {
        WriteResult r = failure(path, "close failed");
        ::unlink(tmpl.c_str());
        return r;
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        WriteResult r = failure(path, "cannot rename the temporary file over it");
        ::unlink(tmpl.c_str());
        return r;
    }
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        int rc = ::fsync(dfd);
        ::close(dfd);
        if (rc != 0) return failure(dir.string(), "fsync of the folder failed");
    }
    return WriteResult{true, ""};
}

}  // namespace comredir::policy
