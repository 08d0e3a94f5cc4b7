#include "daemon_config.hpp"

#include <comredir/policy/io/json_text.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace comredir::redirector::daemon {

namespace fs = std::filesystem;

std::string_view to_string(DaemonConfigStatus s) {
    switch (s) {
        case DaemonConfigStatus::ok:
            return "ok";
        case DaemonConfigStatus::io_error:
            return "io_error";
        case DaemonConfigStatus::bad_json:
            return "bad_json";
        case DaemonConfigStatus::bad_schema:
            return "bad_schema";
        case DaemonConfigStatus::unsupported_version:
            return "unsupported_version";
    }
    return "?";
}

namespace {

void read_redirector(const nlohmann::json& r, const fs::path& base, DaemonConfig& c,
                     std::optional<host::ConfigFailure>& err) {
    host::ConfigSection s(r, "/redirector", err);
    s.allow({"listen", "runDir", "stateDir", "tls", "auth", "maxConnections",
             "handshakeTimeoutSeconds", "host", "auditLog", "revokeOnPolicyChange"});
    if (auto l = s.string("listen")) {
        std::string error;
        if (!parse_listen(*l, c.listen_host, c.listen_port, error)) s.fail(s.at("listen"), error);
    }
    if (auto d = s.path("runDir", base)) c.run_dir = *d;
    if (auto d = s.path("stateDir", base)) c.state_dir = *d;
    if (auto h = s.string("host")) c.host = *h;
    if (auto a = s.path("auditLog", base)) c.audit_log = *a;
    if (auto n = s.number("maxConnections", 1, 100000))
        c.max_connections = static_cast<unsigned>(*n);
    if (auto n = s.number("handshakeTimeoutSeconds", 1, 3600))
        c.handshake_timeout_seconds = static_cast<unsigned>(*n);
    if (auto b = s.boolean("revokeOnPolicyChange")) c.revoke_on_policy_change = *b;
    if (const auto* tls = s.object("tls"))
        host::read_tls_section(*tls, s.at("tls"), base, c.certificate, c.key, err);
    if (const auto* auth = s.object("auth")) {
        host::AuthSettings a;
        host::read_auth_section(*auth, s.at("auth"), base, a, err);
        c.auth = a.method;
        c.credentials_file = a.credentials_file;
        c.pam_service = a.pam_service;
    } else if (!err) {
        s.fail(s.at("auth"), "missing: say how logins are checked (`file` or `pam`)");
    }
}

}  // namespace

DaemonConfigResult parse_daemon_config(std::string_view text, const std::string& path) {
    DaemonConfigResult out;
    out.config.path = path;
    // The same file comredir-policy reads, with the same syntax: comments allowed.
    auto parsed = policy::parse_json_section(text, path, "redirector", "the daemon's settings");
    if (!parsed.ok()) {
        out.status = parsed.status == policy::JsonSectionStatus::bad_json
                         ? DaemonConfigStatus::bad_json
                     : parsed.status == policy::JsonSectionStatus::unsupported_version
                         ? DaemonConfigStatus::unsupported_version
                         : DaemonConfigStatus::bad_schema;
        out.line = parsed.line;
        out.column = parsed.column;
        out.message = parsed.message;
        return out;
    }
    std::optional<host::ConfigFailure> err;
    read_redirector(parsed.doc["redirector"], fs::path(path).parent_path(), out.config, err);
    if (err) {
        out.status = DaemonConfigStatus::bad_schema;
        out.message = path + ": " + err->pointer + ": " + err->what;
    }
    return out;
}

DaemonConfigResult read_daemon_config(const std::string& path) {
    constexpr std::uintmax_t kMaxSize = 1u << 20;
    DaemonConfigResult out;
    out.config.path = path;
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    std::ifstream in(path, std::ios::binary);
    if (ec || !in) {
        out.status = DaemonConfigStatus::io_error;
        out.message = path + ": cannot read" + (ec ? ": " + ec.message() : std::string());
        return out;
    }
    if (size > kMaxSize) {
        out.status = DaemonConfigStatus::io_error;
        out.message = path + ": larger than 1 MiB";
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_daemon_config(text.str(), path);
}

host::TlsSettings tls_settings(const DaemonConfig& c) {
    return {c.certificate, c.key, (std::filesystem::path(c.state_dir) / "tls").string()};
}

}  // namespace comredir::redirector::daemon
