#pragma once
// Refused logins in the audit log (event `login_failed`): the user name the client sent,
// its address, its computer name and why; never the password (the record has no field that
// could hold it). The audit log is the one sessions use: policy's AuditLogPath, else the
// config's `auditLog`.

#include <string_view>

#include "channel_handler.hpp"
#include "session_handler.hpp"

namespace comredir::redirector::daemon {

void audit_login_failed(SessionShared& shared, const ConnectionInfo& info, std::string_view reason);

}  // namespace comredir::redirector::daemon
