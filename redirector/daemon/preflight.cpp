#include "preflight.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/host/credentials_file.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/redirector/audit.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace comredir::redirector::daemon {

namespace {

namespace fs = std::filesystem;
using policy::LayerId;
using policy::State;

void info(PreflightResult& r, std::string text) {
    r.lines.push_back({false, "preflight: " + std::move(text)});
}
void warn(PreflightResult& r, std::string text) {
    r.lines.push_back({true, "preflight: " + std::move(text)});
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "`" : ", `") + n + "`";
    return out;
}

// `host` must be one of the config's `hosts`: the gate reads that entry at every session.
bool check_host(const DaemonConfig& c, const policy::Config& cfg, PreflightResult& r) {
    if (c.host.empty() || cfg.hosts.contains(c.host)) return true;
    std::vector<std::string> known;
    for (const auto& [name, h] : cfg.hosts) known.push_back(name);
    r.fatal = c.path + ": /redirector/host: host `" + c.host + "` is not in `hosts` (" +
              (known.empty() ? std::string("which is empty") : "it has " + quoted_list(known)) +
              ")";
    return false;
}

// One layer of the decision, for the preflight line: where its value comes from.
std::string layer_text(const policy::LayerOutcome& l) {
    const std::string name(policy::to_string(l.layer));
    if (l.layer == LayerId::client) return name + ": per connection";
    if (l.applied == State::not_applicable) return name + ": not present";
    if (l.configured == State::error) return name + ": cannot be read (fails closed)";
    return name + ": " + policy::describe(l.where);
}

// Resolves com_ports once; returns the estate's registry (for AuditLogPath) through `out`.
bool check_policy(const DaemonConfig& c, PreflightResult& r, policy::ComredirSettings& comredir) {
    policy::EstateRequest req;
    req.config_path = c.path;
    if (!c.host.empty()) req.host = c.host;
    req.product = policy::Product::linux_host;
    req.client_os = policy::ClientOs::windows;  // the platform is the client's: per connection
    auto loaded = policy::load_estate(req);
    if (!loaded.ok()) {
        r.fatal = loaded.message;
        return false;
    }
    const policy::Estate& e = loaded.estate;
    comredir = policy::read_comredir_settings(e.os.registry);
    const policy::Feature* com = policy::find_feature("com_ports");
    if (com == nullptr) {
        r.fatal = "internal: the policy catalog has no `com_ports` feature";
        return false;
    }
    const policy::Decision d = policy::decide(e, {com}).at(0);
    std::string layers;
    for (const auto& l : d.layers) {
        if (l.layer == LayerId::platform && l.applied != State::deny) continue;
        layers += (layers.empty() ? "" : "; ") + layer_text(l);
    }
    const std::string line = "com_ports " + policy::effective_text(d) + " (" + layers + ")";
    for (const auto& err : e.input_errors)
        warn(r, err.message + ": the " + std::string(policy::to_string(err.layer)) +
                    " layer fails closed");
    if (d.effective == State::deny) {
        warn(r, line + ": every client port will be denied");
    } else {
        info(r, line);
    }
    return true;
}

// Opens the audit log for appending (creating it), as the sessions will.
bool check_audit_log(const DaemonConfig& c, const policy::ComredirSettings& comredir,
                     PreflightResult& r) {
    const bool from_policy = comredir.audit_log_path.configured();
    const std::string path = from_policy ? comredir.audit_log_path.get() : c.audit_log;
    const std::string setting =
        from_policy ? std::string("policy `AuditLogPath`") : std::string("/redirector/auditLog");
    AuditLog log;
    std::string error;
    if (!log.open(path, error)) {
        r.fatal = c.path + ": " + setting + ": " + error;
        return false;
    }
    info(r, "audit log `" + path + "` (" + setting + ")");
    return true;
}

bool check_users_file(const DaemonConfig& c, PreflightResult& r) {
    constexpr std::uintmax_t kMaxSize = 1u << 20;
    const std::string where = c.path + ": /redirector/auth/file: ";
    const std::string& file = c.credentials_file;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        r.fatal = where + "`" + file + "` is not a readable file";
        return false;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in || static_cast<std::uintmax_t>(st.st_size) > kMaxSize) {
        r.fatal = where + "`" + file + "` cannot be read (or is larger than 1 MiB)";
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const host::UsersFileSurvey s = host::survey_users_text(text.str(), file);
    if (s.usable == 0) {
        r.fatal =
            where + (s.problems.empty()
                         ? "`" + file + "` holds no logins (add `user:hash` lines, " +
                               "e.g. with `openssl passwd -6`)"
                         : "no usable login: " + s.problems.front() +
                               (s.problems.size() > 1
                                    ? " (and " + std::to_string(s.problems.size() - 1) + " more)"
                                    : std::string()));
        return false;
    }
    for (const auto& p : s.problems) warn(r, p + ": this login is refused");
    if ((st.st_mode & (S_IWGRP | S_IWOTH | S_IROTH)) != 0)
        warn(r, "credentials file `" + file +
                    "` is readable or writable by others: make it 0600 or 0640");
    info(r, "logins: credentials file `" + file + "`, " + std::to_string(s.usable) +
                (s.usable == 1 ? " user" : " users"));
    return true;
}

// Without configured TLS files a pair is generated under `<stateDir>/tls/` on first start:
// the nearest existing folder on that path must be a folder we can create files in.
bool check_state_dir(const DaemonConfig& c, PreflightResult& r) {
    if (!c.certificate.empty()) return true;
    const fs::path tls = fs::path(c.state_dir) / "tls";
    std::error_code ec;
    if (fs::exists(tls / "cert.pem", ec) && fs::exists(tls / "key.pem", ec)) return true;
    fs::path p = tls;
    while (!p.empty() && p != p.root_path() && !fs::exists(p, ec)) p = p.parent_path();
    const std::string where = c.path + ": /redirector/stateDir: ";
    if (!fs::is_directory(p, ec)) {
        r.fatal = where + "`" + p.string() + "` is not a directory";
        return false;
    }
    if (::access(p.c_str(), W_OK | X_OK) != 0) {
        r.fatal = where + "cannot create files in `" + p.string() +
                  "`: " + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        return false;
    }
    return true;
}

}  // namespace

PreflightResult run_preflight(const DaemonConfig& c) {
    PreflightResult r;
    auto cfg = policy::read_config(c.path);
    if (!cfg.ok()) {
        r.fatal = cfg.message;
        return r;
    }
    policy::ComredirSettings comredir;
    if (!check_host(c, cfg.config, r) || !check_policy(c, r, comredir) ||
        !check_audit_log(c, comredir, r))
        return r;
    if (c.auth == AuthMethod::file) {
        if (!check_users_file(c, r)) return r;
    } else {
        info(r, "logins: pam service `" + c.pam_service + "`");
    }
    check_state_dir(c, r);
    return r;
}

}  // namespace comredir::redirector::daemon
