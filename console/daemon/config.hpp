#pragma once
// comredir-console's settings: the `console` section of comredir's config file (the same
// JSON file comredir-policy and comredir-redirector read; each ignores the others'
// sections). Relative paths are relative to the file's folder; comments are allowed.
//
// {
//   "version": 1,
//   "console": {
//     "listen": "0.0.0.0:7443",                  // HTTPS + WebSocket
//     "stateDir": "/var/lib/comredir",           // generated TLS pair, the on/off switches
//     "tls": { "certificate": "cert.pem", "key": "key.pem" },  // both or none
//     "auth": { "method": "pam", "service": "comredir" },    // or file + `file`
//     "host": "pool1",                           // this host in `hosts`: its OS policy
//     "auditLog": "/var/log/comredir/console-audit.jsonl",   // unless AuditLogPath is set
//     "sessionMinutes": 480,                     // a login lasts this long at most
//     "maxClients": 256,                         // WebSocket connections at once
//     "onTakeover": "spectate",                  // or `disconnect`
//     "grants": [
//       { "principal": "alice", "role": "owner" },            // every target
//       { "principal": "@ops", "role": "contributor", "target": "ttyS0" }
//     ],
//     "targets": [
//       { "name": "ttyS0", "type": "serial", "device": "/dev/ttyS0", "baud": 115200,
//         "parity": "none", "dataBits": 8, "stopBits": 1, "flowControl": "none",
//         "logout": "exit\r", "log": { "path": "ttyS0.log", "maxBytes": 10485760, "keep": 3 } },
//       { "name": "vm1", "type": "qemu", "socket": "/run/vm1/serial.sock",
//         "qmp": "/run/vm1/qmp.sock", "windowsSac": false },
//       { "name": "laptop-com1", "type": "redirected", "session": "s1", "port": "COM1",
//         "runDir": "/run/comredir" }
//     ]
//   }
// }
//
// Every target also takes `enabled` (default true), `replayBytes` (default 65536) and
// `windowsSac`, and `idleTimeoutSeconds` (a shorter idle timeout than the policy's
// `IdleTimeoutMinutes` for this target; the shorter of the two applies). `auth` has no default: a
// daemon that accepts logins must say how.

#include <comredir/console/roles.hpp>
#include <comredir/console/seat.hpp>
#include <comredir/host/config_section.hpp>
#include <comredir/host/tls_cert.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::console::daemon {

enum class TargetType { serial, qemu, redirected };
std::string_view to_string(TargetType t);

enum class Parity { none, even, odd };
enum class FlowControl { none, rtscts, xonxoff };

struct SerialLine {
    std::uint32_t baud = 115200;
    Parity parity = Parity::none;
    unsigned data_bits = 8;
    unsigned stop_bits = 1;
    FlowControl flow = FlowControl::none;
};

struct OutputLog {
    std::string path;  ///< empty: no serial log
    std::uint64_t max_bytes = std::uint64_t{10} * 1024 * 1024;
    unsigned keep = 3;  ///< rotated files kept: `path.1` ... `path.N`
};

struct TargetConfig {
    std::string name;
    TargetType type = TargetType::serial;
    std::string device;   ///< serial: the tty
    SerialLine line;      ///< serial
    std::string socket;   ///< qemu: the serial chardev's unix socket
    std::string qmp;      ///< qemu: the QMP unix socket (empty: no NMI, no restart)
    std::string session;  ///< redirected: the redirector's session
    std::string port;     ///< redirected: the client's port name (`COM1`)
    std::string run_dir = "/run/comredir";  ///< redirected: the redirector's run dir
    bool enabled = true;
    bool windows_sac = false;
    std::string logout;  ///< bytes sent when the seat changes hands or is left
    std::size_t replay_bytes = std::size_t{64} * 1024;
    std::uint32_t idle_timeout_seconds = 0;  ///< 0: the policy's alone; else the shorter wins
    OutputLog log;
};

struct ConsoleConfig {
    std::string path;  ///< the file it was read from
    std::string listen_host = "0.0.0.0";
    std::uint16_t listen_port = 7443;
    std::string state_dir = "/var/lib/comredir";
    std::string certificate;  ///< empty: a self-signed pair in `<stateDir>/tls/`
    std::string key;
    host::AuthSettings auth;
    std::string host;  ///< empty: the OS sources of the config's defaults
    std::string audit_log = "/var/log/comredir/console-audit.jsonl";
    std::string web_root;  ///< the browser page's folder; empty: default_web_roots()
    unsigned session_minutes = 480;
    unsigned max_clients = 256;
    OnTakeover on_takeover = OnTakeover::spectate;
    std::vector<Grant> grants;
    std::vector<TargetConfig> targets;

    const TargetConfig* find_target(std::string_view name) const;
    /// `<stateDir>/console-switches.json`: targets an owner switched off.
    std::string switches_path() const;
};

enum class ConfigStatus { ok, io_error, bad_json, bad_schema, unsupported_version };

struct ConfigResult {
    ConfigStatus status = ConfigStatus::ok;
    std::string message;  ///< starts with the file's path
    ConsoleConfig config;
    bool ok() const { return status == ConfigStatus::ok; }
};

ConfigResult read_console_config(const std::string& path);
/// `path` names the text in messages and anchors relative paths.
ConfigResult parse_console_config(std::string_view text, const std::string& path);
host::TlsSettings tls_settings(const ConsoleConfig& c);

}  // namespace comredir::console::daemon
