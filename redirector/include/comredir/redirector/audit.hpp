#pragma once
// The redirector's audit records: one JSON object per line, written by libhost's AuditLog
// (comredir/host/audit_log.hpp). Records carry who, where and why, never a credential:
// there is no field that could hold one.
//
//   {"time":"2026-11-22T10:15:30.123Z","event":"port_denied","session":"s3",
//    "client":"LAPTOP-7","user":"alice","client_address":"192.0.2.10","port":"COM1",
//    "reason":"...","decision":{...}}

#include <chrono>
#include <comredir/host/audit_log.hpp>
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
/// The audit file writer the daemons share (libhost): `log.append(to_json_line(r), error)`.
using host::AuditLog;

}  // namespace comredir::redirector
