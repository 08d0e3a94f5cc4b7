#pragma once
// The HTTP side of the gateway without the sockets: request targets, the login body,
// cookies, subprotocols, origins. Pure functions on strings (fuzzed: tests/fuzz).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comredir::console::daemon {

inline constexpr std::string_view kCookieName = "comredir_session";
inline constexpr const char* kRootText =
    "comredir-console: a serial console gateway.\n"
    "Log in with POST /login {\"user\": ..., \"password\": ...}, list targets with GET "
    "/api/targets, attach with a WebSocket to /api/targets/NAME/ws (subprotocols "
    "comredir.console.v1 and csrf.TOKEN).\n"
    "The terminal client: comredir-console connect https://HOST:PORT TARGET\n";

/// On every response. Scripts and everything else only from the gateway itself, no inline
/// script. Inline *styles* are allowed: xterm.js 6's DOM renderer creates `<style>` elements
/// for its theme and cell geometry and sets style attributes on cells for 24-bit colours and
/// the selection; without them the terminal draws wrongly (docs/console-web.md).
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct RequestTarget {
    std::string path;   ///< percent-decoded; `/api/targets/ttyS0/ws`
    std::string query;  ///< after `?`, as sent
};
RequestTarget split_target(std::string_view target);
/// The value of `name` in a query string (`mode=read&takeover=1`), percent-decoded.
std::string query_value(std::string_view query, std::string_view name);

struct TargetPath {
    std::string target;  ///< NAME
    std::string action;  ///< `ws`, `enable`, `disable`
};
/// `/api/targets/NAME/ACTION`, or nullopt.
std::optional<TargetPath> api_target_path(std::string_view path);

struct Subprotocols {
    bool has_console = false;  ///< `comredir.console.v1` was offered
    std::string csrf;          ///< the token of a `csrf.TOKEN` entry (empty: none)
};
/// `Sec-WebSocket-Protocol: comredir.console.v1, csrf.TOKEN`.
Subprotocols parse_subprotocols(std::string_view header);

/// No Origin (not a browser), or an Origin whose host[:port] is the request's Host.
bool same_origin(std::string_view origin, std::string_view host);

struct LoginBody {
    bool ok = false;
    std::string error;  ///< one line (never the password)
    std::string user;
    std::string password;
};
/// `{"user": "...", "password": "..."}` (application/json).
LoginBody parse_login_body(std::string_view body, std::string_view content_type);

std::string session_cookie(std::string_view token, std::chrono::system_clock::time_point expires);
std::string expired_cookie();
std::int64_t epoch_ms(std::chrono::system_clock::time_point t);
/// The value of cookie `name` in a `Cookie:` header (`a=1; b=2`), or empty.
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace comredir::console::daemon
