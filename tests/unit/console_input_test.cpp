// comredir-console's input path: the paste limit (refused whole, never cut), pasting off,
// the line's pace (baud / 10 bytes a second after a FIFO's burst), the idle timer.
#include <doctest/doctest.h>

#include <comredir/console/idle.hpp>
#include <comredir/console/input.hpp>
#include <string>
#include <vector>

using namespace comredir::console;
using std::chrono::milliseconds;
using std::chrono::seconds;
using SC = std::chrono::steady_clock;

namespace {

const SC::time_point t0 = SC::time_point{} + std::chrono::hours(1);

std::vector<std::uint8_t> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("characters are UTF-8 code points") {
    CHECK(utf8_chars(bytes("")) == 0);
    CHECK(utf8_chars(bytes("abc")) == 3);
    CHECK(utf8_chars(bytes("\xc3\xa9t\xc3\xa9")) == 3);  // été
    CHECK(utf8_chars(bytes("\xf0\x9f\x94\x8c")) == 1);   // one emoji, 4 bytes
}

TEST_CASE("the paste limit: 2,048 characters pass whole, 2,049 are refused whole") {
    InputPacer p(0, 2048);
    const auto ok = p.offer(bytes(std::string(2048, 'x')), true, t0);
    CHECK(ok.verdict == InputVerdict::accepted);
    CHECK(ok.chars == 2048);
    CHECK(p.take(t0).size() == 2048);  // no line rate: all at once
    const auto no = p.offer(bytes(std::string(2049, 'x')), true, t0);
    CHECK(no.verdict == InputVerdict::too_long);
    CHECK(no.notice ==
          "paste of 2049 characters refused: the limit is 2048 (policy "
          "`PasteLimitChars`); nothing was sent");
    CHECK(p.queued() == 0);
    // Counted in characters: 2,048 two-byte characters are 4,096 bytes and pass.
    std::string e;
    for (int i = 0; i < 2048; ++i) e += "\xc3\xa9";
    CHECK(p.offer(bytes(e), false, t0).verdict == InputVerdict::accepted);
    CHECK(p.queued() == 4096);
}

TEST_CASE("pasting off (limit 0): keys pass, pastes and long messages do not") {
    InputPacer p(0, 0);
    CHECK(p.offer(bytes("l"), false, t0).verdict == InputVerdict::accepted);
    CHECK(p.offer(bytes("\x1b[A"), false, t0).verdict == InputVerdict::accepted);
    const auto marked = p.offer(bytes("ls"), true, t0);
    CHECK(marked.verdict == InputVerdict::paste_off);
    CHECK(marked.notice ==
          "paste of 2 characters refused: pasting is off (policy `PasteLimitChars` 0)");
    CHECK(p.offer(bytes(std::string(17, 'a')), false, t0).verdict == InputVerdict::paste_off);
    CHECK(p.take(t0) == bytes("l\x1b[A"));
}

TEST_CASE("paced at the line's rate: 9600 baud is 960 bytes a second after a 16-byte burst") {
    InputPacer p(9600, 2048);
    REQUIRE(p.offer(bytes(std::string(1000, 'z')), true, t0).verdict == InputVerdict::accepted);
    CHECK(p.take(t0).size() == 16);  // the FIFO's burst
    CHECK(p.take(t0).empty());
    // The next byte is due one byte-time (10 bits at 9600 baud) later.
    const auto due = p.next_due(t0);
    REQUIRE(due);
    CHECK(*due > t0 + std::chrono::microseconds(1041));
    CHECK(*due < t0 + std::chrono::microseconds(1043));
    CHECK(p.take(t0 + milliseconds(100)).size() == 16);  // 96 bytes' time, but the FIFO holds 16
    // Taken every 10 ms, the whole paste arrives, in order, in about a second.
    std::size_t got = 32;
    auto t = t0 + milliseconds(100);
    int steps = 0;
    while (p.queued() > 0) {
        t += milliseconds(10);
        got += p.take(t).size();
        ++steps;
    }
    CHECK(got == 1000);
    CHECK(steps >= 98);  // 968 bytes at 960 bytes a second, 9.6 a step (16 at most)
    CHECK(steps <= 102);
    CHECK_FALSE(p.next_due(t));
}

TEST_CASE("a full queue refuses the next message whole") {
    InputPacer p(300, 65536);
    REQUIRE(p.offer(bytes(std::string(kMaxQueued - 10, 'q')), true, t0).verdict ==
            InputVerdict::accepted);
    const auto busy = p.offer(bytes(std::string(11, 'r')), false, t0);
    CHECK(busy.verdict == InputVerdict::busy);
    CHECK(busy.notice ==
          "input of 11 characters refused: 65526 bytes are still on their way to "
          "the line; try again");
    CHECK(p.offer(bytes(std::string(10, 'r')), false, t0).verdict == InputVerdict::accepted);
}

TEST_CASE("idle: input restarts the count, one warning a minute before, then expired") {
    IdleTimer idle(std::chrono::minutes(30), t0);
    CHECK(idle.warn_before() == seconds(60));
    CHECK(idle.next_check() == t0 + std::chrono::minutes(29));
    CHECK(idle.poll(t0 + std::chrono::minutes(28)) == IdleState::active);
    CHECK(idle.poll(t0 + std::chrono::minutes(29)) == IdleState::warn);
    CHECK(idle.poll(t0 + std::chrono::minutes(29) + seconds(1)) == IdleState::active);  // once
    CHECK(idle.next_check() == t0 + std::chrono::minutes(30));
    idle.input(t0 + std::chrono::minutes(29) + seconds(30));  // the user typed: again
    CHECK(idle.poll(t0 + std::chrono::minutes(31)) == IdleState::active);
    const auto back = t0 + std::chrono::minutes(29) + seconds(30);
    CHECK(idle.poll(back + std::chrono::minutes(29)) == IdleState::warn);
    CHECK(idle.poll(back + std::chrono::minutes(30)) == IdleState::expired);
    CHECK(idle.poll(back + std::chrono::minutes(31)) == IdleState::expired);
    idle.input(back + std::chrono::minutes(31));  // too late: stays expired
    CHECK(idle.poll(back + std::chrono::minutes(31)) == IdleState::expired);
    CHECK_FALSE(idle.next_check());
}

TEST_CASE("idle: 0 is off; a short timeout warns at half time") {
    IdleTimer off(seconds(0), t0);
    CHECK(off.poll(t0 + std::chrono::hours(100)) == IdleState::active);
    CHECK_FALSE(off.next_check());
    IdleTimer brief(seconds(10), t0);
    CHECK(brief.warn_before() == seconds(5));
    CHECK(brief.poll(t0 + seconds(4)) == IdleState::active);
    CHECK(brief.poll(t0 + seconds(5)) == IdleState::warn);
    CHECK(brief.poll(t0 + seconds(10)) == IdleState::expired);
}

TEST_CASE("bracketed-paste markers are not counted against the limit, and are delivered") {
    InputPacer p(0, 4);
    const std::string wrapped = "\x1b[200~abcd\x1b[201~";
    CHECK(paste_chars(std::vector<std::uint8_t>(wrapped.begin(), wrapped.end())) == 4);
    const auto t = InputPacer::Clock::time_point{};
    CHECK(p.offer(std::vector<std::uint8_t>(wrapped.begin(), wrapped.end()), true, t).verdict ==
          InputVerdict::accepted);
    const auto out = p.take(t);
    CHECK(std::string(out.begin(), out.end()) == wrapped);
    const std::string five = "\x1b[200~abcde\x1b[201~";
    CHECK(p.offer(std::vector<std::uint8_t>(five.begin(), five.end()), true, t).verdict ==
          InputVerdict::too_long);
}
