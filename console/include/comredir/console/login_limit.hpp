#pragma once
// Failed-login rate limits of the console gateway, per user name and per client address:
// after `max_per_user` failures for one user (or `max_per_address` from one address) within
// `window`, further attempts for that user (or from that address) are refused without
// checking the password until the oldest failure leaves the window. A successful login
// clears its user's failures. I/O-free: the daemon passes the time.
//
// Counting per user stops guessing one account from many addresses; counting per address
// stops one address from trying many accounts. The table is bounded (`max_keys`): when full,
// the key whose last failure is oldest is forgotten.

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>

namespace comredir::console {

struct LoginLimits {
    std::size_t max_per_user = 5;
    std::size_t max_per_address = 20;
    std::chrono::seconds window{15 * 60};
    std::size_t max_keys = 10000;
};

struct LoginGate {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  ///< when refused: until an attempt may be made
    std::string reason;                   ///< when refused: one line (no password, ever)
};

class LoginLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    explicit LoginLimiter(LoginLimits limits = {}) : limits_(limits) {}

    /// Before checking a password: may `user` try from `address` now?
    LoginGate check(std::string_view user, std::string_view address, Clock::time_point now);
    void failed(std::string_view user, std::string_view address, Clock::time_point now);
    void succeeded(std::string_view user);
    std::size_t keys() const { return failures_.size(); }

  private:
    void prune(std::deque<Clock::time_point>& d, Clock::time_point now) const;
    void record(const std::string& key, Clock::time_point now);
    LoginLimits limits_;
    std::map<std::string, std::deque<Clock::time_point>> failures_;  ///< `u:NAME`, `a:ADDR`
};

}  // namespace comredir::console
