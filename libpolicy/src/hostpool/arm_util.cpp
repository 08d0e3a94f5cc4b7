// ARM helpers: Retry-After, redaction, origins, URL segments (arm.hpp).
#include <comredir/policy/hostpool/arm.hpp>
#include <ctime>
#include <string>

#include "io/text.hpp"

namespace comredir::policy {

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
        if (value.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
        return std::chrono::seconds(std::stoll(std::string(value)));
    }
    std::tm tm{};  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    const std::string text(value);
    const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == nullptr || *end != '\0') return std::nullopt;
    const auto at = std::chrono::system_clock::from_time_t(::timegm(&tm));
    if (at <= now) return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

std::string redact(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
    return text;
}

namespace {

/// `https://host:port` of a URL, lowercased; empty if it has no scheme.
std::string origin(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return "";
    const auto path = url.find_first_of("/?#", scheme + 3);
    std::string o = detail::ascii_lower(url.substr(0, path));
    if (o.ends_with(":443") && o.starts_with("https://")) o.resize(o.size() - 4);
    return o;
}

}  // namespace

bool same_origin(std::string_view url, std::string_view endpoint) {
    const std::string a = origin(url);
    return !a.empty() && a == origin(endpoint) && url.find('@') == std::string_view::npos;
}

std::string url_segment(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    // `.` and `..` alone would be dot segments: the URL would name another resource.
    const bool dots = s == "." || s == "..";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || (c == '.' && !dots) || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace comredir::policy
