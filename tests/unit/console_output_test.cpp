// comredir-console's output path: the replay of the last bytes for whoever attaches, and the
// fan-out where a client that falls too far behind is dropped instead of holding others.
#include <doctest/doctest.h>

#include <comredir/console/output.hpp>
#include <string>
#include <vector>

using namespace comredir::console;

namespace {

std::vector<std::uint8_t> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}

std::string text(const std::vector<std::uint8_t>& b) {
    return {b.begin(), b.end()};
}

}  // namespace

TEST_CASE("replay keeps the last bytes and starts at a character boundary") {
    ReplayBuffer r(8);
    CHECK(r.snapshot().empty());
    r.append(bytes("abc"));
    CHECK(text(r.snapshot()) == "abc");
    r.append(bytes("defghij"));
    CHECK(r.size() == 8);
    CHECK(text(r.snapshot()) == "cdefghij");
    r.append(bytes("0123456789"));  // larger than the buffer on its own
    CHECK(text(r.snapshot()) == "23456789");
    // `é` is C3 A9. Nine bytes into eight: the first, `x`, goes.
    r.append(
        bytes("xyz\xc3\xa9"
              "abcd"));
    CHECK(text(r.snapshot()) ==
          "yz\xc3\xa9"
          "abcd");
    // Three more push `y`, `z` and C3 out: the replay skips the orphaned A9.
    r.append(bytes("123"));
    CHECK(r.size() == 8);
    CHECK(text(r.snapshot()) == "abcd123");
    ReplayBuffer cut(5);
    cut.append(
        bytes("ab\xc3\xa9"
              "cdef"));  // the last five bytes start with A9
    CHECK(cut.size() == 5);
    CHECK(text(cut.snapshot()) == "cdef");
}

TEST_CASE("fan-out: every client gets every byte in order; a laggard is dropped alone") {
    Fanout f(10);
    f.add(1, bytes("re"));  // its replay first
    f.add(2);
    CHECK(f.push(bytes("abc")).empty());
    CHECK(text(f.take(1, 100)) == "reabc");
    CHECK(text(f.take(2, 2)) == "ab");
    CHECK(f.queued(2) == 1);
    CHECK(f.push(bytes("defgh")).empty());  // 2 now holds 6
    CHECK(text(f.take(1, 100)) == "defgh");
    // Client 2 does not read: 6 + 5 > 10, it is dropped; client 1 goes on.
    CHECK(f.push(bytes("ijklm")) == std::vector<ClientId>{2});
    CHECK(f.clients() == 1);
    CHECK(f.queued(2) == 0);
    CHECK(f.take(2, 100).empty());
    CHECK(text(f.take(1, 100)) == "ijklm");
    f.remove(1);
    CHECK(f.clients() == 0);
    CHECK(f.push(bytes("x")).empty());
}
