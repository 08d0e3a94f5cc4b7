#pragma once
// Coalesces a burst of events into one action: it fires `quiet` after the last event of a
// burst, but never later than `max_wait` after its first (a source that never stops changing
// is still acted on). Pure: the caller brings the clock.

#include <algorithm>
#include <chrono>
#include <optional>

namespace comredir::redirector::daemon {

class Debounce {
  public:
    using Clock = std::chrono::steady_clock;

    Debounce(std::chrono::milliseconds quiet, std::chrono::milliseconds max_wait)
        : quiet_(quiet), max_wait_(std::max(quiet, max_wait)) {}

    /// An event happened at `now`.
    void touch(Clock::time_point now) {
        if (!pending_) first_ = now;
        pending_ = true;
        last_ = now;
    }
    /// When fire() will next return true; nullopt when nothing is pending.
    std::optional<Clock::time_point> due() const {
        if (!pending_) return std::nullopt;
        return std::min(last_ + quiet_, first_ + max_wait_);
    }
    /// True once per burst, when `now` reached due(); the burst is then over.
    bool fire(Clock::time_point now) {
        const auto d = due();
        if (!d || now < *d) return false;
        pending_ = false;
        return true;
    }
    bool pending() const { return pending_; }

  private:
    std::chrono::milliseconds quiet_;
    std::chrono::milliseconds max_wait_;
    bool pending_ = false;
    Clock::time_point first_{};
    Clock::time_point last_{};
};

}  // namespace comredir::redirector::daemon
