// comredir-console's failed-login limits: per user, per address, the window, the bound.
#include <doctest/doctest.h>

#include <comredir/console/login_limit.hpp>

using namespace comredir::console;
using namespace std::chrono_literals;

namespace {
const LoginLimiter::Clock::time_point t0{std::chrono::hours(1000)};
}

TEST_CASE("five failures for one user lock that user, from any address") {
    LoginLimiter l;
    for (int i = 0; i < 5; ++i) {
        CHECK(l.check("alice", "10.0.0." + std::to_string(i), t0 + i * 1s).allowed);
        l.failed("alice", "10.0.0." + std::to_string(i), t0 + i * 1s);
    }
    const auto g = l.check("alice", "10.0.0.99", t0 + 10s);
    CHECK_FALSE(g.allowed);
    CHECK(g.retry_after == 890s);  // the first failure (t0) leaves the window at t0 + 900 s
    CHECK(g.reason == "5 failed logins for `alice` in the last 900 s: try again in 890 s");
    CHECK(l.check("bob", "10.0.0.99", t0 + 10s).allowed);
    // The oldest failure leaves the window: one more try.
    CHECK(l.check("alice", "10.0.0.99", t0 + 900s).allowed);
}

TEST_CASE("twenty failures from one address lock that address for every user") {
    LoginLimiter l;
    for (int i = 0; i < 20; ++i) l.failed("user" + std::to_string(i), "192.0.2.7", t0);
    const auto g = l.check("carol", "192.0.2.7", t0 + 1s);
    CHECK_FALSE(g.allowed);
    CHECK(g.reason == "20 failed logins from `192.0.2.7` in the last 900 s: try again in 899 s");
    CHECK(l.check("carol", "192.0.2.8", t0 + 1s).allowed);
}

TEST_CASE("a success clears its user's failures") {
    LoginLimiter l;
    for (int i = 0; i < 4; ++i) l.failed("alice", "10.0.0.1", t0);
    l.succeeded("alice");
    l.failed("alice", "10.0.0.1", t0);
    CHECK(l.check("alice", "10.0.0.1", t0).allowed);
}

TEST_CASE("the table is bounded") {
    LoginLimiter l({5, 20, 900s, 10});
    for (int i = 0; i < 100; ++i)
        l.failed("u" + std::to_string(i), "a" + std::to_string(i), t0 + i * 1s);
    CHECK(l.keys() == 10);
}
