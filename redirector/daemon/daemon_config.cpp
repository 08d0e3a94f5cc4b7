#include "daemon_config.hpp"

#include <charconv>
#include <comredir/policy/io/json_text.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

namespace comredir::redirector::daemon {

namespace fs = std::filesystem;

std::string_view to_string(AuthMethod m) {
    switch (m) {
        case AuthMethod::file:
            return "file";
        case AuthMethod::pam:
            return "pam";
    }
    return "?";
}

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

bool parse_listen(std::string_view text, std::string& host, std::uint16_t& port,
                  std::string& error) {
    std::string_view h;
    std::string_view p;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = "listen address `" + std::string(text) + "`: expected [ADDRESS]:PORT";
            return false;
        }
        h = text.substr(1, close - 1);
        p = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            error = "listen address `" + std::string(text) + "`: expected ADDRESS:PORT";
            return false;
        }
        h = text.substr(0, colon);
        p = text.substr(colon + 1);
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value == 0 ||
        value > 65535) {
        error = "listen address `" + std::string(text) + "`: port `" + std::string(p) +
                "` is not 1-65535";
        return false;
    }
    host = h.empty() ? std::string("0.0.0.0") : std::string(h);
    port = static_cast<std::uint16_t>(value);
    return true;
}

namespace {

struct Failure {
    DaemonConfigStatus status;
    std::string pointer;
    std::string what;
};

std::string resolve(const fs::path& base, const std::string& p) {
    fs::path path(p);
    return path.is_absolute() ? p : (base / path).lexically_normal().string();
}

// Reads one object's members, refusing unknown keys (a misspelt key must not fall back to
// a default silently).
class Section {
  public:
    Section(const nlohmann::json& obj, std::string pointer, std::optional<Failure>& err)
        : obj_(obj), ptr_(std::move(pointer)), err_(err) {}

    void allow(std::initializer_list<const char*> keys) {
        std::set<std::string> known(keys.begin(), keys.end());
        for (auto it = obj_.begin(); it != obj_.end() && !err_; ++it) {
            if (known.count(it.key()) == 0)
                fail(ptr_ + "/" + it.key(), "unknown setting `" + it.key() + "`");
        }
    }
    std::optional<std::string> string(const char* key) {
        auto it = obj_.find(key);
        if (it == obj_.end() || err_) return std::nullopt;
        if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
            fail(ptr_ + "/" + key, "expected a non-empty string");
            return std::nullopt;
        }
        return it->get<std::string>();
    }
    std::optional<unsigned> number(const char* key, unsigned min, unsigned max) {
        auto it = obj_.find(key);
        if (it == obj_.end() || err_) return std::nullopt;
        if (!it->is_number_unsigned() || it->get<std::uint64_t>() < min ||
            it->get<std::uint64_t>() > max) {
            fail(ptr_ + "/" + key, "expected an integer " + std::to_string(min) + "-" +
                                       std::to_string(max) + ", got `" + it->dump() + "`");
            return std::nullopt;
        }
        return static_cast<unsigned>(it->get<std::uint64_t>());
    }
    std::optional<bool> boolean(const char* key) {
        auto it = obj_.find(key);
        if (it == obj_.end() || err_) return std::nullopt;
        if (!it->is_boolean()) {
            fail(ptr_ + "/" + key, "expected true or false, got `" + it->dump() + "`");
            return std::nullopt;
        }
        return it->get<bool>();
    }
    const nlohmann::json* object(const char* key) {
        auto it = obj_.find(key);
        if (it == obj_.end() || err_) return nullptr;
        if (!it->is_object()) {
            fail(ptr_ + "/" + key, "expected an object");
            return nullptr;
        }
        return &*it;
    }
    void fail(const std::string& pointer, const std::string& what) {
        if (!err_) err_ = Failure{DaemonConfigStatus::bad_schema, pointer, what};
    }
    const std::string& pointer() const { return ptr_; }

  private:
    const nlohmann::json& obj_;
    std::string ptr_;
    std::optional<Failure>& err_;
};

void read_auth(const nlohmann::json& a, const fs::path& base, DaemonConfig& c,
               std::optional<Failure>& err) {
    Section s(a, "/redirector/auth", err);
    s.allow({"method", "file", "service"});
    auto method = s.string("method");
    if (err) return;
    if (!method) return s.fail("/redirector/auth/method", "missing (`file` or `pam`)");
    if (*method == "file") {
        c.auth = AuthMethod::file;
        auto file = s.string("file");
        if (!file && !err) s.fail("/redirector/auth/file", "missing (the credentials file)");
        if (file) c.credentials_file = resolve(base, *file);
        if (a.contains("service")) s.fail("/redirector/auth/service", "only for method `pam`");
    } else if (*method == "pam") {
        c.auth = AuthMethod::pam;
        if (auto service = s.string("service")) c.pam_service = *service;
        if (a.contains("file")) s.fail("/redirector/auth/file", "only for method `file`");
    } else {
        s.fail("/redirector/auth/method", "unknown method `" + *method + "` (file, pam)");
    }
}

void read_redirector(const nlohmann::json& r, const fs::path& base, DaemonConfig& c,
                     std::optional<Failure>& err) {
    Section s(r, "/redirector", err);
    s.allow({"listen", "runDir", "stateDir", "tls", "auth", "maxConnections",
             "handshakeTimeoutSeconds", "host", "auditLog", "revokeOnPolicyChange"});
    if (auto l = s.string("listen")) {
        std::string error;
        if (!parse_listen(*l, c.listen_host, c.listen_port, error))
            s.fail("/redirector/listen", error);
    }
    if (auto d = s.string("runDir")) c.run_dir = resolve(base, *d);
    if (auto d = s.string("stateDir")) c.state_dir = resolve(base, *d);
    if (auto h = s.string("host")) c.host = *h;
    if (auto a = s.string("auditLog")) c.audit_log = resolve(base, *a);
    if (auto n = s.number("maxConnections", 1, 100000)) c.max_connections = *n;
    if (auto n = s.number("handshakeTimeoutSeconds", 1, 3600)) c.handshake_timeout_seconds = *n;
    if (auto b = s.boolean("revokeOnPolicyChange")) c.revoke_on_policy_change = *b;
    if (const auto* tls = s.object("tls")) {
        Section t(*tls, "/redirector/tls", err);
        t.allow({"certificate", "key"});
        auto cert = t.string("certificate");
        auto key = t.string("key");
        if (!err && cert.has_value() != key.has_value())
            t.fail("/redirector/tls", "give both `certificate` and `key`, or neither");
        if (cert && key) {
            c.certificate = resolve(base, *cert);
            c.key = resolve(base, *key);
        }
    }
    if (const auto* auth = s.object("auth")) {
        read_auth(*auth, base, c, err);
    } else if (!err) {
        s.fail("/redirector/auth", "missing: say how logins are checked (`file` or `pam`)");
    }
}

}  // namespace

DaemonConfigResult parse_daemon_config(std::string_view text, const std::string& path) {
    DaemonConfigResult out;
    out.config.path = path;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // The same file comredir-policy reads, with the same syntax: comments allowed.
    auto parsed = policy::parse_json_text(text, /*comments=*/true);
    if (!parsed.ok) {
        out.status = DaemonConfigStatus::bad_json;
        out.line = parsed.error.line;
        out.column = parsed.error.column;
        out.message = path + ": " + parsed.error.message;
        return out;
    }
    const nlohmann::json& doc = parsed.doc;
    std::optional<Failure> err;
    if (!doc.is_object()) {
        err = Failure{DaemonConfigStatus::bad_schema, "/", "expected an object"};
    } else if (auto v = doc.find("version");
               v != doc.end() && !(v->is_number_integer() && v->get<int>() == 1)) {
        err = Failure{DaemonConfigStatus::unsupported_version, "/version",
                      "unsupported version `" + v->dump() + "` (expected 1)"};
    } else if (auto r = doc.find("redirector"); r == doc.end()) {
        err = Failure{DaemonConfigStatus::bad_schema, "/redirector",
                      "missing: the daemon's settings live in this section"};
    } else if (!r->is_object()) {
        err = Failure{DaemonConfigStatus::bad_schema, "/redirector", "expected an object"};
    } else {
        read_redirector(*r, fs::path(path).parent_path(), out.config, err);
    }
    if (err) {
        out.status = err->status;
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
