#include "login_audit.hpp"

#include <comredir/host/log.hpp>

namespace comredir::redirector::daemon {

void audit_login_failed(SessionShared& shared, const ConnectionInfo& info,
                        std::string_view reason) {
    // Where sessions would audit: policy is read for that (its AuditLogPath), as at a
    // session's start.
    const ClientInfo client{info.client_name, info.user, info.peer_address,
                            client_os_from_major_type(info.os_major_type)};
    const SessionGate gate = SessionGate::open(shared.gate, client);
    const std::string path =
        gate.audit_log_configured() ? gate.audit_log_path() : shared.audit_fallback;
    std::string error;
    AuditLog* log = shared.audits.get(path, error);
    if (log == nullptr) {
        host::log_error("connection " + std::to_string(info.id) +
                        ": refused login not audited: " + error);
        return;
    }
    AuditRecord r;
    r.time = std::chrono::system_clock::now();
    r.event = AuditEvent::login_failed;
    r.client = info.client_name;
    r.user = info.user;
    r.client_address = info.peer_address;
    r.reason = std::string(reason);
    r.detail = {{"connection", info.id}};
    if (!info.domain.empty()) r.detail["domain"] = info.domain;
    if (!log->append(to_json_line(r), error))
        host::log_error("connection " + std::to_string(info.id) + ": audit log: " + error);
}

}  // namespace comredir::redirector::daemon
