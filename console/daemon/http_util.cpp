#include "http_util.hpp"

#include <nlohmann/json.hpp>

namespace comredir::console::daemon {

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// `%XX` decoded; a malformed escape stays as it is (and then names no route).
std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

}  // namespace

RequestTarget split_target(std::string_view target) {
    RequestTarget r;
    const auto q = target.find('?');
    r.path = percent_decode(target.substr(0, q), false);
    if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
    return r;
}

std::string query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = part.find('=');
        const std::string key = percent_decode(part.substr(0, eq), true);
        if (key == name)
            return eq == std::string_view::npos ? std::string()
                                                : percent_decode(part.substr(eq + 1), true);
    }
    return {};
}

std::optional<TargetPath> api_target_path(std::string_view path) {
    constexpr std::string_view kPrefix = "/api/targets/";
    if (!path.starts_with(kPrefix)) return std::nullopt;
    path.remove_prefix(kPrefix.size());
    const auto slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    TargetPath t{std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
    if (t.action.empty() || t.action.find('/') != std::string::npos) return std::nullopt;
    return t;
}

Subprotocols parse_subprotocols(std::string_view header) {
    Subprotocols s;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (item == "comredir.console.v1")
            s.has_console = true;
        else if (item.starts_with("csrf."))
            s.csrf = std::string(item.substr(5));
    }
    return s;
}

bool same_origin(std::string_view origin, std::string_view host) {
    if (origin.empty()) return true;  // not a browser: the CSRF token is the check
    const auto scheme = origin.find("://");
    if (scheme == std::string_view::npos) return false;
    std::string_view rest = origin.substr(scheme + 3);
    if (const auto slash = rest.find('/'); slash != std::string_view::npos)
        rest = rest.substr(0, slash);
    if (rest.empty() || host.empty()) return false;
    if (iequal(rest, host)) return true;
    // `https://h` against `Host: h:443` (a browser leaves the default port out of Origin).
    const bool https = iequal(origin.substr(0, scheme), "https");
    return https &&
           (iequal(std::string(rest) + ":443", host) || iequal(rest, std::string(host) + ":443"));
}

LoginBody parse_login_body(std::string_view body, std::string_view content_type) {
    LoginBody b;
    const std::string_view media = trim(content_type.substr(0, content_type.find(';')));
    if (!iequal(media, "application/json")) {
        b.error = "send the login as `application/json`: {\"user\": ..., \"password\": ...}";
        return b;
    }
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        b.error = "the login body is not a JSON object";
        return b;
    }
    const auto user = j.find("user");
    const auto password = j.find("password");
    if (user == j.end() || !user->is_string() || user->get_ref<const std::string&>().empty()) {
        b.error = "the login body has no `user` string";
        return b;
    }
    if (password == j.end() || !password->is_string()) {
        b.error = "the login body has no `password` string";
        return b;
    }
    const auto& u = user->get_ref<const std::string&>();
    if (u.size() > 256 || u.find_first_of(std::string_view("\0\r\n:", 4)) != std::string::npos) {
        b.error = "the user name is not acceptable";
        return b;
    }
    b.ok = true;
    b.user = u;
    b.password = password->get<std::string>();
    return b;
}

std::string session_cookie(std::string_view token, std::chrono::system_clock::time_point expires) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(expires - std::chrono::system_clock::now())
            .count();
    return std::string(kCookieName) + "=" + std::string(token) +
           "; Path=/; Max-Age=" + std::to_string(left > 0 ? left : 0) +
           "; HttpOnly; Secure; SameSite=Strict";
}

std::string expired_cookie() {
    return std::string(kCookieName) + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
}

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        const std::string_view part = trim(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
    return {};
}

}  // namespace comredir::console::daemon
