#pragma once
// The production ChannelHandler: one rdpdr session (session/session.hpp) per connection,
// gated by policy (gate.hpp), its accepted ports served as ptys (port/), every decision in
// the audit log.

#include <comredir/redirector/audit.hpp>
#include <comredir/redirector/gate.hpp>
#include <comredir/redirector/port_claims.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "channel_handler.hpp"
#include "policy_changes.hpp"

namespace comredir::redirector::daemon {

/// Audit logs by path, opened on first use and shared by every session (AuditLog appends
/// whole lines under its own lock).
class AuditLogs {
  public:
    /// nullptr with `error` set when the file cannot be opened.
    AuditLog* get(const std::string& path, std::string& error);

  private:
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<AuditLog>> logs_;
};

/// What every session of the daemon shares.
struct SessionShared {
    GateConfig gate;             ///< the config file and this host
    std::string audit_fallback;  ///< the config's auditLog (policy's AuditLogPath wins)
    PortClaims claims;
    AuditLogs audits;
    std::string capture_dir;       ///< non-empty: client messages recorded (diagnostics, tests)
    PolicyChanges policy_changes;  ///< policy sources changed: sessions re-evaluate their ports
};

std::unique_ptr<ChannelHandler> make_session_handler(SessionShared& shared,
                                                     const ConnectionInfo& info);

}  // namespace comredir::redirector::daemon
