#include "config.hpp"

#include <comredir/policy/io/file_read.hpp>
#include <comredir/policy/io/json_text.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

namespace comredir::console::daemon {

namespace fs = std::filesystem;
using host::ConfigFailure;
using host::ConfigSection;

std::string_view to_string(TargetType t) {
    switch (t) {
        case TargetType::serial:
            return "serial";
        case TargetType::qemu:
            return "qemu";
        case TargetType::redirected:
            return "redirected";
    }
    return "?";
}

const TargetConfig* ConsoleConfig::find_target(std::string_view name) const {
    for (const auto& t : targets) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

std::string ConsoleConfig::switches_path() const {
    return (fs::path(state_dir) / "console-switches.json").string();
}

host::TlsSettings tls_settings(const ConsoleConfig& c) {
    return {c.certificate, c.key, (fs::path(c.state_dir) / "tls").string()};
}

namespace {

/// Target names appear in URLs and file names: letters, digits, `.`, `_`, `-`.
bool good_name(const std::string& n) {
    if (n.empty() || n.size() > 64 || n.front() == '.') return false;
    for (char ch : n) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

void read_line(ConfigSection& s, SerialLine& line) {
    if (auto b = s.number("baud", 50, 4000000)) line.baud = static_cast<std::uint32_t>(*b);
    if (auto p = s.string("parity")) {
        if (*p == "none")
            line.parity = Parity::none;
        else if (*p == "even")
            line.parity = Parity::even;
        else if (*p == "odd")
            line.parity = Parity::odd;
        else
            s.fail(s.at("parity"), "unknown parity `" + *p + "` (none, even, odd)");
    }
    if (auto d = s.number("dataBits", 5, 8)) line.data_bits = static_cast<unsigned>(*d);
    if (auto d = s.number("stopBits", 1, 2)) line.stop_bits = static_cast<unsigned>(*d);
    if (auto f = s.string("flowControl")) {
        if (*f == "none")
            line.flow = FlowControl::none;
        else if (*f == "rtscts")
            line.flow = FlowControl::rtscts;
        else if (*f == "xonxoff")
            line.flow = FlowControl::xonxoff;
        else
            s.fail(s.at("flowControl"),
                   "unknown flow control `" + *f + "` (none, rtscts, xonxoff)");
    }
}

void read_target(const nlohmann::json& j, const std::string& ptr, const fs::path& base,
                 TargetConfig& t, std::optional<ConfigFailure>& err) {
    if (!j.is_object()) {
        err = ConfigFailure{ptr, "expected an object"};
        return;
    }
    ConfigSection s(j, ptr, err);
    auto type = s.string("type");
    if (!type) {
        if (!err) s.fail(s.at("type"), "missing (`serial`, `qemu` or `redirected`)");
        return;
    }
    if (*type == "serial") {
        t.type = TargetType::serial;
        s.allow({"name", "type", "device", "baud", "parity", "dataBits", "stopBits", "flowControl",
                 "enabled", "windowsSac", "logout", "replayBytes", "idleTimeoutSeconds", "log"});
        if (auto d = s.path("device", base))
            t.device = *d;
        else if (!err)
            s.fail(s.at("device"), "missing (the tty: `/dev/ttyS0`)");
        read_line(s, t.line);
    } else if (*type == "qemu") {
        t.type = TargetType::qemu;
        s.allow({"name", "type", "socket", "qmp", "enabled", "windowsSac", "logout", "replayBytes",
                 "idleTimeoutSeconds", "log"});
        if (auto p = s.path("socket", base))
            t.socket = *p;
        else if (!err)
            s.fail(s.at("socket"), "missing (the serial chardev's unix socket)");
        if (auto p = s.path("qmp", base)) t.qmp = *p;
        t.line.baud = 0;  // a socket has no line rate
    } else if (*type == "redirected") {
        t.type = TargetType::redirected;
        s.allow({"name", "type", "session", "port", "runDir", "enabled", "windowsSac", "logout",
                 "replayBytes", "idleTimeoutSeconds", "log"});
        if (auto v = s.string("session"))
            t.session = *v;
        else if (!err)
            s.fail(s.at("session"), "missing (the redirector's session name)");
        if (auto v = s.string("port"))
            t.port = *v;
        else if (!err)
            s.fail(s.at("port"), "missing (the client's port name: `COM1`)");
        if (auto p = s.path("runDir", base)) t.run_dir = *p;
        t.line.baud = 0;  // a pty: the pace is the redirector's
    } else {
        s.fail(s.at("type"), "unknown type `" + *type + "` (serial, qemu, redirected)");
        return;
    }
    if (auto n = s.string("name")) {
        if (!good_name(*n))
            s.fail(s.at("name"),
                   "`" + *n + "`: use letters, digits, `.`, `_` and `-` (at most 64)");
        t.name = *n;
    } else if (!err) {
        s.fail(s.at("name"), "missing");
    }
    if (auto b = s.boolean("enabled")) t.enabled = *b;
    if (auto b = s.boolean("windowsSac")) t.windows_sac = *b;
    if (s.has("logout")) {
        auto it = j.find("logout");
        if (!it->is_string())
            s.fail(s.at("logout"), "expected a string (`\"\"` for none)");
        else
            t.logout = it->get<std::string>();
    }
    if (auto n = s.number("replayBytes", 0, std::uint64_t{16} * 1024 * 1024)) t.replay_bytes = *n;
    if (auto n = s.number("idleTimeoutSeconds", 1, std::uint64_t{24} * 3600))
        t.idle_timeout_seconds = static_cast<std::uint32_t>(*n);
    if (const auto* log = s.object("log")) {
        ConfigSection l(*log, s.at("log"), err);
        l.allow({"path", "maxBytes", "keep"});
        if (auto p = l.path("path", base))
            t.log.path = *p;
        else if (!err)
            l.fail(l.at("path"), "missing (the serial log file)");
        if (auto n = l.number("maxBytes", 4096, std::uint64_t{1} << 40)) t.log.max_bytes = *n;
        if (auto n = l.number("keep", 0, 100)) t.log.keep = static_cast<unsigned>(*n);
    }
}

void read_grant(const nlohmann::json& j, const std::string& ptr, Grant& g,
                std::optional<ConfigFailure>& err) {
    if (!j.is_object()) {
        err = ConfigFailure{ptr, "expected an object"};
        return;
    }
    ConfigSection s(j, ptr, err);
    s.allow({"principal", "role", "target"});
    if (auto p = s.string("principal"))
        g.principal = *p;
    else if (!err)
        s.fail(s.at("principal"), "missing (a user, or `@group`)");
    if (auto r = s.string("role")) {
        if (auto role = parse_role(*r))
            g.role = *role;
        else
            s.fail(s.at("role"), "unknown role `" + *r + "` (reader, contributor, owner)");
    } else if (!err) {
        s.fail(s.at("role"), "missing (reader, contributor or owner)");
    }
    if (auto t = s.string("target")) g.target = *t;
}

void read_console(const nlohmann::json& c, const fs::path& base, ConsoleConfig& out,
                  std::optional<ConfigFailure>& err) {
    ConfigSection s(c, "/console", err);
    s.allow({"listen", "stateDir", "tls", "auth", "host", "auditLog", "sessionMinutes",
             "maxClients", "onTakeover", "grants", "targets", "webRoot"});
    if (auto l = s.string("listen")) {
        std::string error;
        if (!host::parse_listen(*l, out.listen_host, out.listen_port, error, true))
            s.fail(s.at("listen"), error);
    }
    if (auto d = s.path("stateDir", base)) out.state_dir = *d;
    if (auto h = s.string("host")) out.host = *h;
    if (auto a = s.path("auditLog", base)) out.audit_log = *a;
    if (auto w = s.path("webRoot", base)) out.web_root = *w;
    if (auto n = s.number("sessionMinutes", 1, std::uint64_t{7} * 24 * 60))
        out.session_minutes = static_cast<unsigned>(*n);
    if (auto n = s.number("maxClients", 1, 100000)) out.max_clients = static_cast<unsigned>(*n);
    if (auto o = s.string("onTakeover")) {
        if (*o == "spectate")
            out.on_takeover = OnTakeover::spectate;
        else if (*o == "disconnect")
            out.on_takeover = OnTakeover::disconnect;
        else
            s.fail(s.at("onTakeover"), "unknown value `" + *o + "` (spectate, disconnect)");
    }
    if (const auto* tls = s.object("tls"))
        host::read_tls_section(*tls, s.at("tls"), base, out.certificate, out.key, err);
    if (const auto* auth = s.object("auth"))
        host::read_auth_section(*auth, s.at("auth"), base, out.auth, err);
    else if (!err)
        s.fail(s.at("auth"), "missing: say how logins are checked (`file` or `pam`)");
    if (const auto* targets = s.array("targets")) {
        std::set<std::string> names;
        for (std::size_t i = 0; i < targets->size() && !err; ++i) {
            const std::string ptr = s.at("targets") + "/" + std::to_string(i);
            TargetConfig t;
            read_target((*targets)[i], ptr, base, t, err);
            if (!err && !names.insert(t.name).second)
                err = ConfigFailure{ptr + "/name", "`" + t.name + "` is already a target's name"};
            out.targets.push_back(std::move(t));
        }
    } else if (!err) {
        s.fail(s.at("targets"), "missing: the consoles this gateway serves");
    }
    if (const auto* grants = s.array("grants")) {
        for (std::size_t i = 0; i < grants->size() && !err; ++i) {
            const std::string ptr = s.at("grants") + "/" + std::to_string(i);
            Grant g;
            read_grant((*grants)[i], ptr, g, err);
            if (!err && g.target && out.find_target(*g.target) == nullptr)
                err = ConfigFailure{ptr + "/target", "no target is named `" + *g.target + "`"};
            out.grants.push_back(std::move(g));
        }
    }
}

}  // namespace

ConfigResult parse_console_config(std::string_view text, const std::string& path) {
    ConfigResult out;
    out.config.path = path;
    auto parsed = policy::parse_json_section(text, path, "console", "the gateway's settings");
    if (!parsed.ok()) {
        out.status = parsed.status == policy::JsonSectionStatus::bad_json ? ConfigStatus::bad_json
                     : parsed.status == policy::JsonSectionStatus::unsupported_version
                         ? ConfigStatus::unsupported_version
                         : ConfigStatus::bad_schema;
        out.message = parsed.message;
        return out;
    }
    std::optional<ConfigFailure> err;
    read_console(parsed.doc["console"], fs::path(path).parent_path(), out.config, err);
    if (err) {
        out.status = ConfigStatus::bad_schema;
        out.message = path + ": " + err->pointer + ": " + err->what;
    }
    return out;
}

ConfigResult read_console_config(const std::string& path) {
    const auto file = policy::read_regular_file(path, 1u << 20);
    if (!file.ok) {
        ConfigResult out;
        out.config.path = path;
        out.status = ConfigStatus::io_error;
        out.message = file.message;
        return out;
    }
    return parse_console_config(
        std::string_view(reinterpret_cast<const char*>(file.bytes.data()), file.bytes.size()),
        path);
}

}  // namespace comredir::console::daemon
