#include <algorithm>
#include <cmath>
#include <comredir/console/input.hpp>
#include <string_view>

namespace comredir::console {

std::size_t utf8_chars(std::span<const std::uint8_t> bytes) {
    return static_cast<std::size_t>(std::count_if(
        bytes.begin(), bytes.end(), [](std::uint8_t b) { return (b & 0xC0) != 0x80; }));
}

std::size_t paste_chars(std::span<const std::uint8_t> bytes) {
    static constexpr std::string_view kMarkers[] = {"\x1b[200~", "\x1b[201~"};
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    std::size_t n = utf8_chars(bytes);
    for (const auto marker : kMarkers) {
        for (auto at = text.find(marker); at != std::string_view::npos;
             at = text.find(marker, at + marker.size()))
            n -= marker.size();
    }
    return n;
}

InputPacer::InputPacer(std::uint32_t baud, std::uint32_t paste_limit_chars)
    : baud_(baud), limit_(paste_limit_chars) {}

InputOffer InputPacer::offer(std::span<const std::uint8_t> bytes, bool marked_paste,
                             Clock::time_point now) {
    InputOffer out;
    out.chars = paste_chars(bytes);
    const std::string n = std::to_string(out.chars);
    if (limit_ == 0 && (marked_paste || out.chars > kTypingChars)) {
        out.verdict = InputVerdict::paste_off;
        out.notice =
            "paste of " + n + " characters refused: pasting is off (policy `PasteLimitChars` 0)";
        return out;
    }
    if (limit_ > 0 && out.chars > limit_) {
        out.verdict = InputVerdict::too_long;
        out.notice = "paste of " + n + " characters refused: the limit is " +
                     std::to_string(limit_) + " (policy `PasteLimitChars`); nothing was sent";
        return out;
    }
    if (queue_.size() + bytes.size() > kMaxQueued) {
        out.verdict = InputVerdict::busy;
        out.notice = "input of " + n + " characters refused: " + std::to_string(queue_.size()) +
                     " bytes are still on their way to the line; try again";
        return out;
    }
    refill(now);
    queue_.insert(queue_.end(), bytes.begin(), bytes.end());
    return out;
}

void InputPacer::enqueue(std::span<const std::uint8_t> bytes, Clock::time_point now) {
    refill(now);
    queue_.insert(queue_.end(), bytes.begin(), bytes.end());
}

void InputPacer::refill(Clock::time_point now) {
    if (baud_ == 0) return;
    if (last_) {
        const double seconds = std::chrono::duration<double>(now - *last_).count();
        tokens_ = std::min<double>(kUartFifo, tokens_ + seconds * baud_ / 10.0);
    }
    last_ = now;
}

std::vector<std::uint8_t> InputPacer::take(Clock::time_point now) {
    std::size_t n = queue_.size();
    if (baud_ != 0) {
        refill(now);
        n = std::min(n, static_cast<std::size_t>(std::floor(tokens_)));
        tokens_ -= static_cast<double>(n);
    }
    std::vector<std::uint8_t> out(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

std::optional<InputPacer::Clock::time_point> InputPacer::next_due(Clock::time_point now) const {
    if (queue_.empty()) return std::nullopt;
    if (baud_ == 0 || tokens_ >= 1.0 || !last_) return now;
    // The tokens are counted as of the last refill: the next byte is due when one more
    // byte's time has passed since then.
    const double wait = (1.0 - tokens_) * 10.0 / baud_;
    // Rounded up, and at least one tick: a wait rounded down to nothing would be a due
    // time at which still no whole byte may go, again and again.
    const auto ticks = std::max<Clock::duration>(
        Clock::duration(1),
        std::chrono::ceil<Clock::duration>(std::chrono::duration<double>(wait)));
    return std::max(now, *last_ + ticks);
}

}  // namespace comredir::console
