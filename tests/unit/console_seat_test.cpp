// comredir-console's writer seat: one writer, read-only spectators, takeover, release,
// the logout sequence whenever the seat changes hands or is left.
#include <doctest/doctest.h>

#include <comredir/console/seat.hpp>
#include <string>
#include <vector>

using namespace comredir::console;
using K = SeatEventKind;

namespace {

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(24 * 365 * 56);
const Clock::time_point t1 = t0 + std::chrono::seconds(5);

/// `kind client[>other] seat|reason` per event: what a test compares.
std::vector<std::string> show(const std::vector<SeatEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        std::string s = std::string(to_string(e.kind)) + " " + e.user;
        if (e.other) s += ">" + e.other_user;
        if (e.kind == K::attached) s += " " + std::string(to_string(e.seat));
        if (!e.reason.empty()) s += " | " + e.reason;
        out.push_back(s);
    }
    return out;
}

std::vector<std::string> attach(SeatArbiter& a, ClientId id, const std::string& user, Role role,
                                bool want_write = true, bool takeover = false,
                                Clock::time_point now = t0) {
    auto r = a.attach({id, user, role, want_write, takeover}, now);
    REQUIRE(r);
    return show(*r);
}

}  // namespace

TEST_CASE("the first contributor writes; readers and later arrivals watch") {
    SeatArbiter a;
    CHECK(attach(a, 1, "alice", Role::contributor) ==
          std::vector<std::string>{"attached alice writer"});
    CHECK(attach(a, 2, "rita", Role::reader) ==
          std::vector<std::string>{"attached rita spectator",
                                   "refused_write rita | role `reader` is read-only"});
    CHECK(attach(a, 3, "bob", Role::owner) ==
          std::vector<std::string>{"attached bob spectator",
                                   "refused_write bob>alice | the seat is held by `alice`: ask "
                                   "with takeover"});
    CHECK(attach(a, 4, "carol", Role::contributor, /*want_write=*/false) ==
          std::vector<std::string>{"attached carol spectator"});
    CHECK(a.can_write(1));
    CHECK_FALSE(a.can_write(2));
    CHECK_FALSE(a.can_write(3));
    CHECK(a.attached() == 4);
    CHECK(a.seat_of(3) == Seat::spectator);
    CHECK_FALSE(a.seat_of(9));
    // The same client id twice is refused, nothing changes.
    CHECK_FALSE(a.attach({1, "mallory", Role::owner, true, true}, t0));
    CHECK(a.writer() == 1);
}

TEST_CASE("takeover: both sides told, the old writer watches, the logout sequence is due") {
    SeatArbiter a;
    attach(a, 1, "alice", Role::contributor);
    auto r = a.attach({2, "bob", Role::contributor, true, true}, t1);
    REQUIRE(r);
    CHECK(show(*r) == std::vector<std::string>{
                          "attached bob writer", "took_over bob>alice", "lost_seat alice>bob",
                          "logout_due bob | the seat passed from `alice` to `bob`"});
    CHECK((*r)[1].time == t1);
    CHECK((*r)[1].other == 1u);
    CHECK(a.writer() == 2);
    CHECK(a.seat_of(1) == Seat::spectator);
    // Alice takes it back from her spectator seat.
    CHECK(show(a.request_write(1, true, t1)) ==
          std::vector<std::string>{"took_over alice>bob", "lost_seat bob>alice",
                                   "logout_due alice | the seat passed from `bob` to `alice`"});
    // Asking for a seat one holds changes nothing.
    CHECK(a.request_write(1, true, t1).empty());
}

TEST_CASE("takeover with `onTakeover: disconnect` removes the old writer") {
    SeatArbiter a({true, OnTakeover::disconnect});
    attach(a, 1, "alice", Role::owner);
    CHECK(attach(a, 2, "bob", Role::contributor, true, true) ==
          std::vector<std::string>{"attached bob writer", "took_over bob>alice",
                                   "disconnect alice>bob | the seat was taken over by `bob`",
                                   "logout_due bob | the seat passed from `alice` to `bob`"});
    CHECK(a.attached() == 1);
    CHECK_FALSE(a.seat_of(1));
    CHECK(a.detach(1, "left", t1).empty());  // already gone
}

TEST_CASE("takeover off by policy: the newcomer watches, nobody is told anything else") {
    SeatArbiter a({false, OnTakeover::spectate});
    attach(a, 1, "alice", Role::contributor);
    CHECK(attach(a, 2, "bob", Role::owner, true, true) ==
          std::vector<std::string>{"attached bob spectator",
                                   "refused_write bob>alice | the seat is held by `alice` and "
                                   "takeover is off (policy `AllowTakeover`)"});
    CHECK(a.writer() == 1);
    CHECK(show(a.request_write(2, true, t1)).size() == 1);
    CHECK(a.writer() == 1);
}

TEST_CASE("release and leaving free the seat and make the logout sequence due") {
    SeatArbiter a;
    attach(a, 1, "alice", Role::contributor);
    attach(a, 2, "bob", Role::contributor);
    CHECK(a.release(2, t1).empty());  // not the writer: nothing
    CHECK(
        show(a.release(1, t1)) ==
        std::vector<std::string>{"released alice", "logout_due alice | `alice` released the seat"});
    CHECK_FALSE(a.writer());
    CHECK(a.seat_of(1) == Seat::spectator);
    // The free seat goes to whoever asks, without takeover.
    CHECK(a.request_write(2, false, t1).empty());
    CHECK(a.writer() == 2);
    CHECK(show(a.detach(2, "idle", t1)) ==
          std::vector<std::string>{"detached bob | idle",
                                   "logout_due bob | `bob` left the seat (idle)"});
    CHECK_FALSE(a.writer());
    CHECK(show(a.detach(1, "left", t1)) == std::vector<std::string>{"detached alice | left"});
    CHECK(a.attached() == 0);
    CHECK(a.request_write(1, true, t1).empty());  // not attached
}

TEST_CASE("a reader never gets the seat, takeover or not") {
    SeatArbiter a;
    attach(a, 1, "rita", Role::reader, true, true);
    CHECK_FALSE(a.writer());
    CHECK(show(a.request_write(1, true, t1)) ==
          std::vector<std::string>{"refused_write rita | role `reader` is read-only"});
    CHECK_FALSE(a.writer());
}
