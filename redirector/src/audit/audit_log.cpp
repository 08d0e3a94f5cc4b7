#include <comredir/host/rfc3339.hpp>
#include <comredir/redirector/audit.hpp>
#include <nlohmann/json.hpp>

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

std::string to_json_line(const AuditRecord& r) {
    nlohmann::ordered_json j;
    j["time"] = host::rfc3339_utc(r.time);
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

}  // namespace comredir::redirector
