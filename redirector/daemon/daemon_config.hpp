#pragma once
// The daemon's settings: the `redirector` section of comredir's config file (the same JSON
// file comredir-policy reads; it ignores this section, and the policy gate reads the
// file's `hosts` and stores). Relative paths are relative to the file's folder. Comments
// (`//`, `/* */`) are allowed, as below; a syntax error names the line and column.
//
// {
//   "version": 1,
//   "redirector": {
//     "listen": "0.0.0.0:3389",                 // ADDR:PORT, [v6]:PORT
//     "runDir": "/run/comredir",                // per-session pty links
//     "stateDir": "/var/lib/comredir",          // generated TLS certificate
//     "tls": { "certificate": "cert.pem", "key": "key.pem" },  // both or none
//     "auth": { "method": "file", "file": "users" }           // user:crypt(3) hash lines
//          or { "method": "pam", "service": "comredir" },
//     "maxConnections": 64,                     // at once, authenticated or not
//     "handshakeTimeoutSeconds": 30,            // connect to authenticated
//     "host": "pool1",                          // this host in `hosts` (policy gate)
//     "auditLog": "/var/log/comredir/audit.jsonl",  // unless policy's AuditLogPath is set
//     "revokeOnPolicyChange": true              // re-evaluate open sessions when policy
//                                               // files change (false: once per session)
//   }
// }
//
// `auth` has no default: a daemon that accepts logins must say how it checks them.

#include <comredir/host/config_section.hpp>
#include <comredir/host/tls_cert.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace comredir::redirector::daemon {

using host::AuthMethod;
using host::parse_listen;
using host::to_string;

struct DaemonConfig {
    std::string path;  ///< the file it was read from
    std::string listen_host = "0.0.0.0";
    std::uint16_t listen_port = 3389;
    std::string run_dir = "/run/comredir";
    std::string state_dir = "/var/lib/comredir";
    std::string certificate;  ///< empty: a self-signed one in `<stateDir>/tls/`
    std::string key;
    AuthMethod auth = AuthMethod::file;
    std::string credentials_file;  ///< for `file`
    std::string pam_service = "comredir";
    unsigned max_connections = 64;
    unsigned handshake_timeout_seconds = 30;
    std::string host;  ///< empty: no host entry, the OS sources of the config's defaults
    std::string audit_log = "/var/log/comredir/audit.jsonl";
    bool revoke_on_policy_change = true;  ///< watch policy sources, close ports it now denies
};

enum class DaemonConfigStatus { ok, io_error, bad_json, bad_schema, unsupported_version };
std::string_view to_string(DaemonConfigStatus s);

struct DaemonConfigResult {
    DaemonConfigStatus status = DaemonConfigStatus::ok;
    std::uint32_t line = 0;    ///< 1-based, for bad_json
    std::uint32_t column = 0;  ///< 1-based, in bytes, for bad_json
    std::string message;       ///< starts with the file's path
    DaemonConfig config;
    bool ok() const { return status == DaemonConfigStatus::ok; }
};

DaemonConfigResult read_daemon_config(const std::string& path);
/// The certificate settings for libhost: the configured pair, else `<stateDir>/tls`.
host::TlsSettings tls_settings(const DaemonConfig& c);
/// `path` names the text in messages and anchors relative paths.
DaemonConfigResult parse_daemon_config(std::string_view text, const std::string& path);

}  // namespace comredir::redirector::daemon
