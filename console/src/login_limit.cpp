#include <algorithm>
#include <comredir/console/login_limit.hpp>

namespace comredir::console {

namespace {

std::string user_key(std::string_view user) {
    return "u:" + std::string(user);
}
std::string address_key(std::string_view address) {
    return "a:" + std::string(address);
}

}  // namespace

void LoginLimiter::prune(std::deque<Clock::time_point>& d, Clock::time_point now) const {
    while (!d.empty() && now - d.front() >= limits_.window) d.pop_front();
}

LoginGate LoginLimiter::check(std::string_view user, std::string_view address,
                              Clock::time_point now) {
    LoginGate g;
    const auto over = [&](const std::string& key, std::size_t max, const std::string& what) {
        auto it = failures_.find(key);
        if (it == failures_.end()) return false;
        prune(it->second, now);
        if (it->second.size() < max) return false;
        const auto wait = std::chrono::ceil<std::chrono::seconds>(
            it->second[it->second.size() - max] + limits_.window - now);
        g.allowed = false;
        g.retry_after = std::max(g.retry_after, wait);
        g.reason = std::to_string(it->second.size()) + " failed logins " + what + " in the last " +
                   std::to_string(limits_.window.count()) + " s: try again in " +
                   std::to_string(g.retry_after.count()) + " s";
        return true;
    };
    if (!over(user_key(user), limits_.max_per_user, "for `" + std::string(user) + "`"))
        over(address_key(address), limits_.max_per_address, "from `" + std::string(address) + "`");
    return g;
}

void LoginLimiter::record(const std::string& key, Clock::time_point now) {
    auto it = failures_.find(key);
    if (it == failures_.end()) {
        if (failures_.size() >= limits_.max_keys && limits_.max_keys > 0) {
            auto oldest = std::min_element(
                failures_.begin(), failures_.end(), [](const auto& a, const auto& b) {
                    return a.second.empty() ||
                           (!b.second.empty() && a.second.back() < b.second.back());
                });
            failures_.erase(oldest);
        }
        it = failures_.emplace(key, std::deque<Clock::time_point>{}).first;
    }
    prune(it->second, now);
    it->second.push_back(now);
    // Only the last `max` failures matter for the window.
    const std::size_t keep = std::max(limits_.max_per_user, limits_.max_per_address);
    while (it->second.size() > keep) it->second.pop_front();
}

void LoginLimiter::failed(std::string_view user, std::string_view address, Clock::time_point now) {
    record(user_key(user), now);
    record(address_key(address), now);
}

void LoginLimiter::succeeded(std::string_view user) {
    failures_.erase(user_key(user));
}

}  // namespace comredir::console
