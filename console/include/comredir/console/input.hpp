#pragma once
// The writer's input on its way to the target: the paste limit and the pace of the line.
// I/O-free: the daemon offers each input message, then takes what may be written now and
// waits until `next_due()` for the rest.
//
// - Paste limit (policy `PasteLimitChars`, default 2,048 as Azure Serial Console): an input
//   message longer than the limit, in characters (UTF-8 code points), is refused whole,
//   never cut. With a limit of 0 pasting is off: a message the client marks as a paste is
//   refused, and so is any message longer than `kTypingChars` (what one key sends).
// - Pace: bytes leave no faster than the line carries them, baud / 10 per second (a start
//   bit, 8 data bits, a stop bit), after a burst of `kUartFifo` bytes (a 16550's FIFO), so
//   a real UART never overruns; a paste under the limit is delivered completely.
// - At most `kMaxQueued` bytes wait; a message that would exceed it is refused ("busy").

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace comredir::console {

inline constexpr std::size_t kTypingChars = 16;
inline constexpr std::size_t kUartFifo = 16;
inline constexpr std::size_t kMaxQueued = std::size_t{64} * 1024;

enum class InputVerdict { accepted, too_long, paste_off, busy };

struct InputOffer {
    InputVerdict verdict = InputVerdict::accepted;
    std::size_t chars = 0;  ///< the message's length in characters
    std::string notice;     ///< one line for the client when not accepted
};

/// Characters (UTF-8 code points) in `bytes`: bytes that are not continuation bytes.
std::size_t utf8_chars(std::span<const std::uint8_t> bytes);
/// The characters of a paste: `utf8_chars` without the bracketed-paste markers (`Esc [200~`,
/// `Esc [201~`) a terminal wraps it in, which reach the target but are not pasted text.
std::size_t paste_chars(std::span<const std::uint8_t> bytes);

class InputPacer {
  public:
    using Clock = std::chrono::steady_clock;
    /// `baud` 0: no pacing (a pty or a socket has no line rate).
    InputPacer(std::uint32_t baud, std::uint32_t paste_limit_chars);

    InputOffer offer(std::span<const std::uint8_t> bytes, bool marked_paste, Clock::time_point now);
    /// Queues the gateway's own bytes (a logout sequence): no limit applies, the pace does.
    void enqueue(std::span<const std::uint8_t> bytes, Clock::time_point now);
    /// The bytes that may be written now, in order (removed from the queue).
    std::vector<std::uint8_t> take(Clock::time_point now);
    /// When more may be taken; nullopt when nothing waits.
    std::optional<Clock::time_point> next_due(Clock::time_point now) const;
    std::size_t queued() const { return queue_.size(); }
    void set_paste_limit(std::uint32_t chars) { limit_ = chars; }

  private:
    void refill(Clock::time_point now);
    std::uint32_t baud_;
    std::uint32_t limit_;
    std::deque<std::uint8_t> queue_;
    double tokens_ = kUartFifo;  ///< bytes that may go now
    std::optional<Clock::time_point> last_;
};

}  // namespace comredir::console
