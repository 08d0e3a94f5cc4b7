// The table of IRPs in flight: unique CompletionIds, bounded, each completion taken once.
#include <doctest/doctest.h>

#include <comredir/redirector/session/irp_table.hpp>
#include <set>

using namespace comredir::redirector::session;

TEST_CASE("completion ids are unique, bounded, and completed once") {
    IrpTable t(3);
    const auto now = Clock::now();
    const auto a = t.add({0, 7, 3, 0, 4096, now});
    const auto b = t.add({0, 7, 4, 0, 10, now + std::chrono::milliseconds(5)});
    const auto c = t.add({0, 8, 14, 0x1B0004, 0, now - std::chrono::milliseconds(5)});
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(std::set<std::uint32_t>{*a, *b, *c}.size() == 3);
    CHECK_FALSE(t.add({0, 7, 3, 0, 1, now}));  // full
    CHECK(t.count(7, 3) == 1);
    CHECK(t.count(7, 4) == 1);
    CHECK(t.count(8, 3) == 0);

    const auto old = t.older_than(now + std::chrono::milliseconds(1));
    REQUIRE(old.size() == 2);
    CHECK(old[0].completion_id == *c);  // oldest first
    CHECK(old[1].completion_id == *a);

    const auto done = t.complete(*a);
    REQUIRE(done);
    CHECK(done->device_id == 7);
    CHECK(done->requested == 4096);
    CHECK_FALSE(t.complete(*a));      // a second completion of the same id
    CHECK_FALSE(t.complete(0xDEAD));  // never sent
    CHECK(t.size() == 2);

    const auto removed = t.take_device(7);
    REQUIRE(removed.size() == 1);
    CHECK(removed[0].completion_id == *b);
    CHECK(t.size() == 1);
}

TEST_CASE("an id in flight is never handed out again while others come and go") {
    IrpTable t(4);
    const auto first = t.add({});
    REQUIRE(first);
    for (int i = 0; i < 1000; ++i) {
        const auto id = t.add({});
        REQUIRE(id);
        CHECK(*id != *first);
        CHECK(*id != 0);
        REQUIRE(t.complete(*id));
    }
    CHECK(t.size() == 1);
}
