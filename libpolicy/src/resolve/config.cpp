#include <algorithm>
#include <comredir/policy/io/json_text.hpp>
#include <comredir/policy/resolve/config.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/file_io.hpp"

namespace comredir::policy {

namespace fs = std::filesystem;

std::string_view to_string(OsSourceKind k) {
    switch (k) {
        case OsSourceKind::gpo:
            return "gpo";
        case OsSourceKind::pol:
            return "pol";
        case OsSourceKind::reg:
            return "reg";
        case OsSourceKind::intune:
            return "intune";
    }
    return "?";
}

std::string_view to_string(ConfigStatus s) {
    switch (s) {
        case ConfigStatus::ok:
            return "ok";
        case ConfigStatus::io_error:
            return "io_error";
        case ConfigStatus::bad_json:
            return "bad_json";
        case ConfigStatus::bad_schema:
            return "bad_schema";
        case ConfigStatus::unsupported_version:
            return "unsupported_version";
    }
    return "?";
}

namespace {

struct SchemaError {
    std::string pointer;
    std::string what;
};

std::string resolve(const fs::path& base, const std::string& p) {
    if (p.empty()) return p;
    fs::path path(p);
    return path.is_absolute() ? p : (base / path).lexically_normal().string();
}

std::optional<std::string> get_string(const nlohmann::json& obj, const char* key,
                                      const std::string& ptr, std::optional<SchemaError>& err) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_string()) {
        err = SchemaError{ptr + "/" + key, "expected a string"};
        return std::nullopt;
    }
    return it->get<std::string>();
}

HostConfig parse_host(const std::string& name, const nlohmann::json& h, const fs::path& base,
                      std::optional<SchemaError>& err) {
    HostConfig hc;
    hc.name = name;
    std::string ptr = "/hosts/" + name;
    if (!h.is_object()) {
        err = SchemaError{ptr, "expected an object"};
        return hc;
    }
    if (auto p = get_string(h, "product", ptr, err)) {
        hc.product = parse_product(*p);
        if (!hc.product)
            err = SchemaError{ptr + "/product",
                              "unknown product `" + *p + "` (avd, w365, devbox, rds, linux)"};
    }
    auto pool = get_string(h, "hostPool", ptr, err);
    hc.host_pool_given = pool.has_value();
    hc.host_pool = pool.value_or(name);
    if (auto r = get_string(h, "rdp", ptr, err)) hc.rdp = resolve(base, *r);
    if (auto c = get_string(h, "clientOs", ptr, err)) {
        hc.client_os = parse_client_os(*c);
        if (!hc.client_os) err = SchemaError{ptr + "/clientOs", "unknown client os `" + *c + "`"};
    }
    if (auto it = h.find("mdmWinsOverGp"); it != h.end()) {
        if (!it->is_boolean()) {
            err = SchemaError{ptr + "/mdmWinsOverGp", "expected true or false"};
        } else {
            hc.mdm_wins = it->get<bool>();
        }
    }
    if (auto it = h.find("os"); it != h.end()) {
        if (!it->is_array()) {
            err = SchemaError{ptr + "/os", "expected an array"};
            return hc;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& s = (*it)[i];
            std::string sp = ptr + "/os/" + std::to_string(i);
            if (!s.is_object() || s.size() != 1 || !s.begin().value().is_string()) {
                err = SchemaError{sp,
                                  "expected one of {\"gpo\"|\"pol\"|\"reg\"|\"intune\": \"path\"}"};
                return hc;
            }
            const std::string& k = s.begin().key();
            OsSourceKind kind{};
            if (k == "gpo") {
                kind = OsSourceKind::gpo;
            } else if (k == "pol") {
                kind = OsSourceKind::pol;
            } else if (k == "reg") {
                kind = OsSourceKind::reg;
            } else if (k == "intune") {
                kind = OsSourceKind::intune;
            } else {
                err = SchemaError{sp, "unknown source kind `" + k + "` (gpo, pol, reg, intune)"};
                return hc;
            }
            hc.os.push_back({kind, resolve(base, s.begin().value().get<std::string>())});
        }
    }
    return hc;
}

}  // namespace

ConfigResult read_config(const std::string& path) {
    auto bytes = detail::read_file_bytes(path, 16u << 20);
    if (!bytes.ok) {
        ConfigResult out;
        out.config.path = path;
        out.status = ConfigStatus::io_error;
        out.message = bytes.error;
        return out;
    }
    return parse_config(
        std::string_view(reinterpret_cast<const char*>(bytes.bytes.data()), bytes.bytes.size()),
        path);
}

ConfigResult parse_config(std::string_view text, const std::string& path) {
    ConfigResult out;
    out.config.path = path;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // People write this file: `//` and `/* */` comments are allowed (the README's example
    // has them), and a syntax error says where and what was expected.
    auto parsed = parse_json_text(text, /*comments=*/true);
    if (!parsed.ok) {
        out.status = ConfigStatus::bad_json;
        out.line = parsed.error.line;
        out.column = parsed.error.column;
        out.message = path + ": " + parsed.error.message;
        return out;
    }
    const nlohmann::json& doc = parsed.doc;
    auto fail = [&](ConfigStatus st, const std::string& ptr, const std::string& what) {
        out.status = st;
        out.message = path + ": " + (ptr.empty() ? "/" : ptr) + ": " + what;
        return out;
    };
    if (!doc.is_object()) return fail(ConfigStatus::bad_schema, "", "expected an object");
    if (auto v = doc.find("version");
        v != doc.end() && !(v->is_number_integer() && v->get<int>() == 1)) {
        return fail(ConfigStatus::unsupported_version, "/version",
                    "unsupported version `" + v->dump() + "` (expected 1)");
    }
    fs::path base = fs::path(path).parent_path();
    std::optional<SchemaError> err;
    if (auto s = get_string(doc, "hostPoolStore", "", err))
        out.config.hostpool_store = resolve(base, *s);
    if (auto s = get_string(doc, "policyDefinitions", "", err))
        out.config.policy_definitions = resolve(base, *s);
    if (auto s = get_string(doc, "admxLanguage", "", err)) out.config.admx_language = *s;
    if (auto d = doc.find("defaults"); d != doc.end()) {
        if (!d->is_object())
            return fail(ConfigStatus::bad_schema, "/defaults", "expected an object");
        if (auto p = get_string(*d, "product", "/defaults", err)) {
            out.config.default_product = parse_product(*p);
            if (!out.config.default_product)
                return fail(ConfigStatus::bad_schema, "/defaults/product",
                            "unknown product `" + *p + "`");
        }
        if (auto c = get_string(*d, "clientOs", "/defaults", err)) {
            out.config.default_client_os = parse_client_os(*c);
            if (!out.config.default_client_os)
                return fail(ConfigStatus::bad_schema, "/defaults/clientOs",
                            "unknown client os `" + *c + "`");
        }
    }
    if (auto h = doc.find("hosts"); h != doc.end()) {
        if (!h->is_object()) return fail(ConfigStatus::bad_schema, "/hosts", "expected an object");
        for (auto it = h->begin(); it != h->end() && !err; ++it) {
            out.config.hosts[it.key()] = parse_host(it.key(), it.value(), base, err);
        }
    }
    if (err) return fail(ConfigStatus::bad_schema, err->pointer, err->what);
    return out;
}

std::vector<std::string> config_search_path() {
    std::vector<std::string> out;
    if (const char* env = std::getenv("COMREDIR_CONFIG"); env != nullptr && *env != '\0')
        out.emplace_back(env);
    out.emplace_back("./comredir.json");
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
        out.push_back(std::string(xdg) + "/comredir/config.json");
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        out.push_back(std::string(home) + "/.config/comredir/config.json");
    }
    out.emplace_back("/etc/comredir/config.json");
    return out;
}

std::optional<std::string> find_config(const std::optional<std::string>& explicit_path) {
    if (explicit_path) return explicit_path;
    for (const auto& p : config_search_path()) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) return p;
    }
    return std::nullopt;
}

}  // namespace comredir::policy
