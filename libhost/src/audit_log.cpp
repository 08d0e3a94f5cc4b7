#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/host/audit_log.hpp>
#include <cstring>
#include <filesystem>

namespace comredir::host {

AuditLog::~AuditLog() {
    if (fd_ >= 0) ::close(fd_);
}

bool AuditLog::open(const std::string& path, std::string& error) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && ::mkdir(parent.c_str(), 0750) != 0 && errno != EEXIST) {
        error = "audit log folder `" + parent.string() +
                "`: " + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        return false;
    }
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                 0640);  // NOLINT(cppcoreguidelines-pro-type-vararg)
    if (fd_ < 0) {
        error =
            "audit log `" + path + "`: " + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        return false;
    }
    path_ = path;
    return true;
}

bool AuditLog::append(std::string_view line, std::string& error) {
    if (line.find('\n') != std::string_view::npos) {
        error = "audit log `" + path_ + "`: a record must be one line";
        return false;
    }
    std::string out;
    out.reserve(line.size() + 1);
    out.append(line);
    out += '\n';
    const std::lock_guard lock(mutex_);
    if (fd_ < 0) {
        error = "audit log is not open";
        return false;
    }
    const ssize_t n = ::write(fd_, out.data(), out.size());
    if (n != static_cast<ssize_t>(out.size())) {
        error = "audit log `" + path_ + "`: " +
                (n < 0 ? std::strerror(errno) : "short write");  // NOLINT(concurrency-mt-unsafe)
        return false;
    }
    return true;
}

}  // namespace comredir::host
