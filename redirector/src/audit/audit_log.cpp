#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/redirector/audit.hpp>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace comredir::redirector {

std::string_view to_string(AuditEvent e) {
    switch (e) {
        case AuditEvent::session_start:
            return "session_start";
        case AuditEvent::port_accepted:
            return "port_accepted";
        case AuditEvent::port_denied:
            return "port_denied";
        case AuditEvent::port_closed:
            return "port_closed";
        case AuditEvent::session_end:
            return "session_end";
        case AuditEvent::latency_warning:
            return "latency_warning";
        case AuditEvent::login_failed:
            return "login_failed";
        case AuditEvent::port_revoked:
            return "port_revoked";
    }
    return "unknown";
}

std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ",
                  static_cast<int>(ms % 1000));  // NOLINT(cppcoreguidelines-pro-type-vararg)
    return std::string(buf, n) + frac;
}

std::string to_json_line(const AuditRecord& r) {
    nlohmann::ordered_json j;
    j["time"] = rfc3339_utc(r.time);
    j["event"] = to_string(r.event);
    if (!r.session.empty()) j["session"] = r.session;
    j["client"] = r.client;
    j["user"] = r.user;
    j["client_address"] = r.client_address;
    if (!r.port.empty()) j["port"] = r.port;
    if (!r.reason.empty()) j["reason"] = r.reason;
    if (!r.decision.is_null()) j["decision"] = r.decision;
    if (!r.detail.is_null()) j["detail"] = r.detail;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

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

bool AuditLog::append(const AuditRecord& r, std::string& error) {
    const std::string line = to_json_line(r) + "\n";
    const std::lock_guard lock(mutex_);
    if (fd_ < 0) {
        error = "audit log is not open";
        return false;
    }
    const ssize_t n = ::write(fd_, line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size())) {
        error = "audit log `" + path_ + "`: " +
                (n < 0 ? std::strerror(errno) : "short write");  // NOLINT(concurrency-mt-unsafe)
        return false;
    }
    return true;
}

}  // namespace comredir::redirector
