// Policy changes reaching open sessions: the debounce, the folders watched for a host's
// policy sources, the per-session wake-up, and the inotify watcher on real files (an
// in-place write, a rename-replace, a burst announced once, unrelated files ignored, a
// config that names a new source followed).
#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "daemon_config.hpp"
#include "debounce.hpp"
#include "policy_changes.hpp"
#include "policy_sources.hpp"
#include "policy_watch.hpp"

using namespace comredir::redirector::daemon;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "comredir-watch-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = fs::path(t);
    }
    ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

// Like a safe writer: a temporary file renamed over the old one.
void replace(const fs::path& p, const std::string& text) {
    write(p.string() + ".tmp", text);
    fs::rename(p.string() + ".tmp", p);
}

const WatchTarget* target(const std::vector<WatchTarget>& ts, const fs::path& dir) {
    const auto it = std::find_if(ts.begin(), ts.end(),
                                 [&](const WatchTarget& t) { return t.dir == dir.string(); });
    return it == ts.end() ? nullptr : &*it;
}

// Waits up to `limit` for the subscription's fd; true when it became readable.
bool woken(const PolicyChanges::Subscription& s, std::chrono::milliseconds limit) {
    pollfd p{s.fd(), POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(limit.count())) == 1;
}

std::string config_for(const std::string& os_sources) {
    return R"({"version":1,"hostPoolStore":"pools/hostpools.json",
              "hosts":{"lab":{"product":"linux","os":[)" +
           os_sources + R"(]}},"redirector":{"auth":{"method":"pam"}}})";
}

}  // namespace

TEST_CASE("revokeOnPolicyChange: on unless the config turns it off; a boolean") {
    const auto parse = [](const std::string& extra) {
        return parse_daemon_config(
            R"({"version":1,"redirector":{"auth":{"method":"pam"})" + extra + "}}", "c.json");
    };
    auto r = parse("");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.config.revoke_on_policy_change);
    r = parse(R"(,"revokeOnPolicyChange":false)");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK_FALSE(r.config.revoke_on_policy_change);
    r = parse(R"(,"revokeOnPolicyChange":"no")");
    CHECK(r.status == DaemonConfigStatus::bad_schema);
    CHECK(r.message ==
          "c.json: /redirector/revokeOnPolicyChange: expected true or false, got "
          "`\"no\"`");
}

TEST_CASE("debounce: one firing per burst, quiet after the last event, max_wait at most") {
    const auto t = Debounce::Clock::time_point{} + 1h;
    Debounce d(150ms, 1000ms);
    CHECK_FALSE(d.due());
    CHECK_FALSE(d.fire(t));
    d.touch(t);
    CHECK(d.due() == t + 150ms);
    d.touch(t + 100ms);  // the burst goes on: the quiet period starts again
    CHECK(d.due() == t + 250ms);
    CHECK_FALSE(d.fire(t + 249ms));
    CHECK(d.fire(t + 250ms));
    CHECK_FALSE(d.fire(t + 251ms));  // once per burst
    CHECK_FALSE(d.pending());

    // A source that never stops changing is still acted on, max_wait after the first event.
    for (auto at = t + 2s; at < t + 3500ms; at += 100ms) {
        d.touch(at);
        if (at < t + 3s) CHECK_FALSE(d.fire(at));
    }
    CHECK(d.due() == t + 3s);
    CHECK(d.fire(t + 3s + 1ms));

    Debounce odd(200ms, 50ms);  // max_wait shorter than quiet counts as quiet
    odd.touch(t);
    CHECK(odd.due() == t + 200ms);
}

TEST_CASE("the folders watched: config, host pool store, the host's sources, GPO trees") {
    TempDir tmp;
    const fs::path& d = tmp.path;
    fs::create_directories(d / "gpo" / "Machine");
    fs::create_directories(d / "gpo" / "User");
    fs::create_directories(d / "pols");
    fs::create_directories(d / "pools");
    write(d / "comredir.json",
          config_for(R"({"pol":"pols/Registry.pol"},{"reg":"live.reg"},{"gpo":"gpo"},
                        {"intune":"missing/deeper/intune.json"})"));
    const auto ts = policy_watch_targets((d / "comredir.json").string(), "lab");

    const auto* root = target(ts, d);
    REQUIRE(root != nullptr);
    CHECK_FALSE(root->any);
    // The config, the .reg, the GPO folder itself and the first missing folder of a source.
    CHECK(root->names == std::set<std::string>{"comredir.json", "live.reg", "gpo", "missing"});
    CHECK(root->matches("comredir.json"));
    CHECK_FALSE(root->matches("comredir.json.tmp"));
    const auto* pols = target(ts, d / "pols");
    REQUIRE(pols != nullptr);
    CHECK(pols->names == std::set<std::string>{"Registry.pol"});
    const auto* pools = target(ts, d / "pools");
    REQUIRE(pools != nullptr);
    CHECK(pools->names == std::set<std::string>{"hostpools.json"});
    for (const auto* sub : {"gpo", "gpo/Machine", "gpo/User"}) {
        const auto* t = target(ts, d / sub);
        REQUIRE_MESSAGE(t != nullptr, sub);
        CHECK(t->any);
    }
    CHECK(ts.size() == 6);

    SUBCASE("another host, or none: its sources are not watched") {
        const auto none = policy_watch_targets((d / "comredir.json").string(), "");
        REQUIRE(none.size() == 2);
        CHECK(target(none, d)->names == std::set<std::string>{"comredir.json"});
        CHECK(target(none, d / "pools") != nullptr);
    }
    SUBCASE("an unreadable config: the config alone, so that fixing it is seen") {
        write(d / "comredir.json", "{ not json");
        const auto bad = policy_watch_targets((d / "comredir.json").string(), "lab");
        REQUIRE(bad.size() == 1);
        CHECK(bad[0].dir == d.string());
        CHECK(bad[0].names == std::set<std::string>{"comredir.json"});
    }
}

TEST_CASE("each subscriber is woken once per change, on its own fd") {
    PolicyChanges changes;
    CHECK_FALSE(changes.active());
    std::string error;
    auto a = changes.subscribe(error);
    auto b = changes.subscribe(error);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->fd() != b->fd());
    CHECK(changes.subscribers() == 2);
    CHECK_FALSE(woken(*a, 0ms));
    CHECK(changes.notify() == 2);
    CHECK(changes.notify() == 2);  // two changes before the session looked: one wake-up
    CHECK(woken(*a, 0ms));
    CHECK(a->take());
    CHECK_FALSE(a->take());
    CHECK_FALSE(woken(*a, 0ms));
    CHECK(b->take());
    b.reset();
    CHECK(changes.subscribers() == 1);
    CHECK(changes.notify() == 1);
    CHECK(a->take());
}

TEST_CASE("the watcher announces a changed source once per burst and ignores the rest") {
    TempDir tmp;
    const fs::path& d = tmp.path;
    fs::create_directories(d / "pols");
    fs::create_directories(d / "pools");
    write(d / "pols" / "Registry.pol", "PReg");
    write(d / "comredir.json", config_for(R"({"pol":"pols/Registry.pol"})"));
    PolicyChanges changes;
    std::string error;
    auto sub = changes.subscribe(error);
    REQUIRE(sub);
    PolicyWatch watch((d / "comredir.json").string(), "lab", changes, {100ms, 1000ms});
    REQUIRE_MESSAGE(watch.start(error), error);
    CHECK(watch.folders() ==
          std::vector<std::string>{d.string(), (d / "pols").string(), (d / "pools").string()});

    SUBCASE("a rename-replace of the Registry.pol") {
        replace(d / "pols" / "Registry.pol", "PReg\x01");
        CHECK(woken(*sub, 2000ms));
        CHECK(sub->take());
    }
    SUBCASE("an in-place write of the host pool store, created after the start") {
        write(d / "pools" / "hostpools.json", "{}");
        CHECK(woken(*sub, 2000ms));
        CHECK(sub->take());
    }
    SUBCASE("a burst of writes is announced once, not before the burst is quiet") {
        const auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < 5; ++i) {
            replace(d / "pols" / "Registry.pol", "PReg" + std::to_string(i));
            std::this_thread::sleep_for(30ms);
        }
        CHECK(woken(*sub, 2000ms));
        CHECK(std::chrono::steady_clock::now() - started >= 220ms);  // 4 gaps + 100 ms quiet
        CHECK(sub->take());
        CHECK_FALSE(woken(*sub, 400ms));
    }
    SUBCASE("other files in the same folders are not policy") {
        write(d / "pols" / "notes.txt", "x");
        write(d / "unrelated.json", "{}");
        CHECK_FALSE(woken(*sub, 400ms));
    }
    SUBCASE("a config that names a new source: that source is watched from then on") {
        fs::create_directories(d / "later");
        replace(d / "comredir.json", config_for(R"({"reg":"later/live.reg"})"));
        CHECK(woken(*sub, 2000ms));
        CHECK(sub->take());
        const auto folders = watch.folders();
        CHECK(std::find(folders.begin(), folders.end(), (d / "later").string()) != folders.end());
        CHECK(std::find(folders.begin(), folders.end(), (d / "pols").string()) == folders.end());
        write(d / "later" / "live.reg", "Windows Registry Editor Version 5.00\n");
        CHECK(woken(*sub, 2000ms));
    }
    watch.stop();
}
