#include <comredir/console/idle.hpp>

namespace comredir::console {

namespace {

std::chrono::seconds warning_for(std::chrono::seconds timeout) {
    using std::chrono::minutes;
    return timeout > minutes(1) ? std::chrono::seconds(minutes(1)) : timeout / 2;
}

}  // namespace

IdleTimer::IdleTimer(std::chrono::seconds timeout, Clock::time_point start)
    : timeout_(timeout), warn_before_(warning_for(timeout)), last_input_(start) {}

void IdleTimer::input(Clock::time_point now) {
    if (expired_) return;
    last_input_ = now;
    warned_ = false;
}

IdleState IdleTimer::poll(Clock::time_point now) {
    if (timeout_.count() == 0) return IdleState::active;
    if (expired_) return IdleState::expired;
    const auto idle = now - last_input_;
    if (idle >= timeout_) {
        expired_ = true;
        return IdleState::expired;
    }
    if (!warned_ && idle >= timeout_ - warn_before_) {
        warned_ = true;
        return IdleState::warn;
    }
    return IdleState::active;
}

std::optional<IdleTimer::Clock::time_point> IdleTimer::next_check() const {
    if (timeout_.count() == 0 || expired_) return std::nullopt;
    return warned_ ? last_input_ + timeout_ : last_input_ + timeout_ - warn_before_;
}

}  // namespace comredir::console
