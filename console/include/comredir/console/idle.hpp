#pragma once
// The idle timer of one attached user (policy `IdleTimeoutMinutes`, default 30, 0 = off).
// Idle means no input from the user: pings, output and control messages do not count (a
// WebSocket server's own idle timeout counts pings, so it would never fire). A warning is
// due once, one minute before the end (or at half time for timeouts of a minute or less);
// then the user is disconnected. I/O-free: the daemon reports input and polls.

#include <chrono>
#include <optional>

namespace comredir::console {

enum class IdleState { active, warn, expired };

class IdleTimer {
  public:
    using Clock = std::chrono::steady_clock;
    IdleTimer(std::chrono::seconds timeout, Clock::time_point start);

    /// The user typed (or pasted): the count starts again, and a new warning may come.
    void input(Clock::time_point now);
    /// `warn` once per idle stretch, then `active` until `expired`.
    IdleState poll(Clock::time_point now);
    /// When to poll next; nullopt when the timeout is off or already expired.
    std::optional<Clock::time_point> next_check() const;
    std::chrono::seconds warn_before() const { return warn_before_; }

  private:
    std::chrono::seconds timeout_;
    std::chrono::seconds warn_before_;
    Clock::time_point last_input_;
    bool warned_ = false;
    bool expired_ = false;
};

}  // namespace comredir::console
