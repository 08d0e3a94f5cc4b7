#pragma once
// An audit log file: one record per line, appended (O_APPEND, one write per line, so
// concurrent sessions never interleave within a line). Each daemon defines its records
// (the redirector: comredir/redirector/audit.hpp) and hands this writer finished lines.

#include <mutex>
#include <string>
#include <string_view>

namespace comredir::host {

class AuditLog {
  public:
    AuditLog() = default;
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    ~AuditLog();
    /// Opens (creating the file 0640 and its folder 0750) for appending.
    bool open(const std::string& path, std::string& error);
    /// Appends `line` and a newline in one write; false with `error` set when the write
    /// failed or was short. `line` must not contain a newline (records are one line each).
    bool append(std::string_view line, std::string& error);
    const std::string& path() const { return path_; }

  private:
    std::mutex mutex_;
    int fd_ = -1;
    std::string path_;
};

}  // namespace comredir::host
