#pragma once
// The audit log: one JSON object per line, appended (O_APPEND, one write per line, so
// concurrent sessions never interleave within a line). Records carry who, where and why,
// never a credential: there is no field that could hold one.
//
//   {"time":"2026-11-22T10:15:30.123Z","event":"port_denied","session":"s3",
//    "client":"LAPTOP-7","user":"alice","client_address":"192.0.2.10","port":"COM1",
//    "reason":"...","decision":{...}}

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace comredir::redirector {

enum class AuditEvent {
    session_start,
    port_accepted,
    port_denied,
    port_closed,
    session_end,
    latency_warning,  ///< an IRP round trip above the policy's threshold
    login_failed,     ///< a login was refused (user and address; never the password)
    port_revoked,     ///< policy changed during the session and now denies an open port
};
std::string_view to_string(AuditEvent e);

struct AuditRecord {
    std::chrono::system_clock::time_point time;
    AuditEvent event = AuditEvent::session_start;
    std::string session;  ///< empty before a session exists (login_failed)
    std::string client;
    std::string user;
    std::string client_address;
    std::string port;                   ///< empty for session events
    std::string reason;                 ///< one line (denials, warnings, session end)
    nlohmann::json decision = nullptr;  ///< libpolicy's decision, when one was made
    nlohmann::json detail = nullptr;    ///< event data: path, round trip, counts...
};

/// The record as one line (no newline); invalid UTF-8 from peers is replaced, not dropped.
std::string to_json_line(const AuditRecord& r);
/// `2026-11-22T10:15:30.123Z`
std::string rfc3339_utc(std::chrono::system_clock::time_point t);

class AuditLog {
  public:
    AuditLog() = default;
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    ~AuditLog();
    /// Opens (creating the file 0640 and its folder 0750) for appending.
    bool open(const std::string& path, std::string& error);
    /// Appends one line; false with `error` set when the write failed or was short.
    bool append(const AuditRecord& r, std::string& error);
    const std::string& path() const { return path_; }

  private:
    std::mutex mutex_;
    int fd_ = -1;
    std::string path_;
};

}  // namespace comredir::redirector
