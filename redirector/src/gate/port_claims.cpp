#include <algorithm>
#include <comredir/redirector/port_claims.hpp>

namespace comredir::redirector {

std::pair<std::string, std::string> PortClaims::key(std::string_view client,
                                                    std::string_view port) {
    const auto upper = [](std::string_view s) {
        std::string out(s);
        std::transform(out.begin(), out.end(), out.begin(), [](char c) {
            return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        });
        return out;
    };
    return {upper(client), upper(port)};
}

std::optional<std::string> PortClaims::claim(std::string_view client, std::string_view port,
                                             const std::string& session) {
    const std::lock_guard lock(mutex_);
    const auto [it, inserted] = held_.emplace(key(client, port), session);
    if (inserted || it->second == session) return std::nullopt;
    return it->second;
}

void PortClaims::release(std::string_view client, std::string_view port,
                         const std::string& session) {
    const std::lock_guard lock(mutex_);
    const auto it = held_.find(key(client, port));
    if (it != held_.end() && it->second == session) held_.erase(it);
}

void PortClaims::release_all(const std::string& session) {
    const std::lock_guard lock(mutex_);
    std::erase_if(held_, [&](const auto& kv) { return kv.second == session; });
}

std::size_t PortClaims::size() const {
    const std::lock_guard lock(mutex_);
    return held_.size();
}

}  // namespace comredir::redirector
