// libFuzzer: the gateway's request handling without sockets (console/daemon/http_util):
// request targets, query strings, API paths, subprotocols, origins, login bodies, cookies.
// The input is split at newlines into the strings each function gets.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "http_util.hpp"

using namespace comredir::console::daemon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view all(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> f;
    while (f.size() < 4) {
        const auto nl = all.find('\n');
        f.push_back(all.substr(0, nl));
        if (nl == std::string_view::npos) {
            all = {};
        } else {
            all = all.substr(nl + 1);
        }
    }
    const auto target = split_target(f[0]);
    (void)query_value(target.query, "mode");
    if (auto p = api_target_path(target.path)) {
        if (p->target.empty() || p->action.empty() || p->action.find('/') != std::string::npos)
            std::abort();
    }
    const auto sub = parse_subprotocols(f[1]);
    (void)sub;
    (void)same_origin(f[1], f[2]);
    const auto login = parse_login_body(f[3], "application/json");
    if (login.ok && login.user.empty()) std::abort();
    (void)cookie_value(f[2], "comredir_session");
    return 0;
}
