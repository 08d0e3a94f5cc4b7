#include <charconv>
#include <comredir/host/config_section.hpp>
#include <set>

namespace comredir::host {

namespace fs = std::filesystem;

void ConfigSection::allow(std::initializer_list<const char*> keys) {
    const std::set<std::string> known(keys.begin(), keys.end());
    for (auto it = obj_.begin(); it != obj_.end() && !err_; ++it) {
        if (known.count(it.key()) == 0) fail(at(it.key()), "unknown setting `" + it.key() + "`");
    }
}

std::optional<std::string> ConfigSection::string(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || err_) return std::nullopt;
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
        fail(at(key), "expected a non-empty string");
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<std::string> ConfigSection::path(const char* key, const fs::path& base) {
    auto s = string(key);
    if (!s) return std::nullopt;
    return resolve_path(base, *s);
}

std::optional<std::uint64_t> ConfigSection::number(const char* key, std::uint64_t min,
                                                   std::uint64_t max) {
    auto it = obj_.find(key);
    if (it == obj_.end() || err_) return std::nullopt;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() < min ||
        it->get<std::uint64_t>() > max) {
        fail(at(key), "expected an integer " + std::to_string(min) + "-" + std::to_string(max) +
                          ", got `" + it->dump() + "`");
        return std::nullopt;
    }
    return it->get<std::uint64_t>();
}

std::optional<bool> ConfigSection::boolean(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || err_) return std::nullopt;
    if (!it->is_boolean()) {
        fail(at(key), "expected true or false, got `" + it->dump() + "`");
        return std::nullopt;
    }
    return it->get<bool>();
}

const nlohmann::json* ConfigSection::object(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || err_) return nullptr;
    if (!it->is_object()) {
        fail(at(key), "expected an object");
        return nullptr;
    }
    return &*it;
}

const nlohmann::json* ConfigSection::array(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || err_) return nullptr;
    if (!it->is_array()) {
        fail(at(key), "expected an array");
        return nullptr;
    }
    return &*it;
}

void ConfigSection::fail(const std::string& pointer, const std::string& what) {
    if (!err_) err_ = ConfigFailure{pointer, what};
}

std::string resolve_path(const fs::path& base, const std::string& p) {
    const fs::path path(p);
    return path.is_absolute() ? p : (base / path).lexically_normal().string();
}

bool parse_listen(std::string_view text, std::string& host, std::uint16_t& port, std::string& error,
                  bool port_zero) {
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
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() ||
        (value == 0 && !port_zero) || value > 65535) {
        error = "listen address `" + std::string(text) + "`: port `" + std::string(p) +
                "` is not " + (port_zero ? "0-65535" : "1-65535");
        return false;
    }
    host = h.empty() ? std::string("0.0.0.0") : std::string(h);
    port = static_cast<std::uint16_t>(value);
    return true;
}

std::string_view to_string(AuthMethod m) {
    switch (m) {
        case AuthMethod::file:
            return "file";
        case AuthMethod::pam:
            return "pam";
    }
    return "?";
}

void read_auth_section(const nlohmann::json& obj, const std::string& pointer, const fs::path& base,
                       AuthSettings& out, std::optional<ConfigFailure>& error) {
    ConfigSection s(obj, pointer, error);
    s.allow({"method", "file", "service"});
    auto method = s.string("method");
    if (error) return;
    if (!method) return s.fail(s.at("method"), "missing (`file` or `pam`)");
    if (*method == "file") {
        out.method = AuthMethod::file;
        auto file = s.path("file", base);
        if (!file && !error) s.fail(s.at("file"), "missing (the credentials file)");
        if (file) out.credentials_file = *file;
        if (s.has("service")) s.fail(s.at("service"), "only for method `pam`");
    } else if (*method == "pam") {
        out.method = AuthMethod::pam;
        if (auto service = s.string("service")) out.pam_service = *service;
        if (s.has("file")) s.fail(s.at("file"), "only for method `file`");
    } else {
        s.fail(s.at("method"), "unknown method `" + *method + "` (file, pam)");
    }
}

void read_tls_section(const nlohmann::json& obj, const std::string& pointer, const fs::path& base,
                      std::string& certificate, std::string& key,
                      std::optional<ConfigFailure>& error) {
    ConfigSection t(obj, pointer, error);
    t.allow({"certificate", "key"});
    auto cert = t.path("certificate", base);
    auto k = t.path("key", base);
    if (!error && cert.has_value() != k.has_value())
        t.fail(pointer, "give both `certificate` and `key`, or neither");
    if (cert && k) {
        certificate = *cert;
        key = *k;
    }
}

}  // namespace comredir::host
