// comredir-console's room: the seat, input, idle timers and output glued together, checked
// through what the daemon is told to do (messages, target bytes, commands, disconnects,
// audit records).
#include <doctest/doctest.h>

#include <comredir/console/room.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace comredir::console;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

const Now t0{std::chrono::steady_clock::time_point{std::chrono::hours(1000)},
             Clock::time_point{} + std::chrono::hours(24 * 365 * 56) + 5s};

Now at(std::chrono::milliseconds d) {
    return {t0.mono + d, t0.wall + d};
}

std::vector<std::uint8_t> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}

std::string text(const std::vector<std::uint8_t>& b) {
    return {b.begin(), b.end()};
}

/// Each message as `type` or `notice:code`.
std::vector<std::string> kinds(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) {
        const auto j = json::parse(t);
        std::string k = j.at("type");
        if (k == "notice") k += ":" + j.at("code").get<std::string>();
        if (k == "seat") k += ":" + j.at("seat").get<std::string>();
        out.push_back(k);
    }
    return out;
}

std::vector<std::string> events(Room& r) {
    std::vector<std::string> out;
    for (const auto& a : r.take_audit()) out.push_back(a.event + " " + a.user);
    return out;
}

RoomSettings settings() {
    RoomSettings s;
    s.target = "ttyS0";
    s.type = "serial";
    s.logout_sequence = "exit\r";
    return s;
}

Attendee who(ClientId id, const std::string& user, Role role, bool takeover = false) {
    return {id, user, "192.0.2." + std::to_string(id), role, true, takeover};
}

}  // namespace

TEST_CASE("the first writer gets hello, then the seat; the audit says who and how") {
    Room r(settings());
    REQUIRE(r.attach(who(1, "alice", Role::contributor), t0));
    const auto texts = r.take_texts(1);
    CHECK(kinds(texts) == std::vector<std::string>{"hello", "seat:writer"});
    const auto hello = json::parse(texts.at(0));
    CHECK(hello.at("role") == "contributor");
    CHECK(hello.at("seat") == "writer");
    CHECK(hello.at("target") == json{{"name", "ttyS0"}, {"type", "serial"}, {"windowsSac", false}});
    CHECK(hello.at("limits").at("pasteChars") == 2048);
    CHECK(hello.at("limits").at("idleSeconds") == 1800);
    CHECK(hello.at("can") == json{{"write", true},
                                  {"takeover", true},
                                  {"nmi", false},
                                  {"restart", false},
                                  {"break", true}});
    CHECK(hello.at("writer").at("user") == "alice");
    const auto audit = r.take_audit();
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].event == "console_attach");
    CHECK(audit[0].address == "192.0.2.1");
    CHECK(audit[0].detail ==
          json{{"role", "contributor"}, {"seat", "writer"}, {"target", "ttyS0"}});
    CHECK_FALSE(r.attach(who(1, "alice", Role::contributor), t0));
}

TEST_CASE("a reader's keystrokes never reach the target; the writer's do") {
    Room r(settings());
    r.attach(who(1, "alice", Role::contributor), t0);
    r.attach(who(2, "rita", Role::reader), t0);
    r.take_texts(1);
    CHECK(kinds(r.take_texts(2)) ==
          std::vector<std::string>{"hello", "notice:seat_refused", "seat:spectator"});
    r.input(2, bytes("rm -rf /\r"), at(1ms));
    r.input(2, bytes("again"), at(2ms));  // one notice per 5 s
    CHECK(kinds(r.take_texts(2)) == std::vector<std::string>{"notice:read_only"});
    r.input(1, bytes("ls\r"), at(3ms));
    CHECK(text(r.take_target_input(at(3ms))) == "ls\r");
    CHECK(r.take_target_input(at(4ms)).empty());
}

TEST_CASE("takeover: both sides told, the logout sequence sent, the audit has from and to") {
    Room r(settings());
    r.attach(who(1, "alice", Role::contributor), t0);
    r.attach(who(2, "bob", Role::contributor), at(1000ms));
    CHECK(kinds(r.take_texts(2)) ==
          std::vector<std::string>{"hello", "notice:seat_refused", "seat:spectator"});
    r.take_texts(1);
    r.take_audit();
    r.control(2, {ControlType::takeover}, at(2000ms));
    const auto a = r.take_texts(1);
    CHECK(kinds(a) == std::vector<std::string>{"notice:taken_over", "seat:spectator"});
    CHECK(json::parse(a[0]).at("text") ==
          "`bob` took over the console at 00:00:07 UTC; you are now a spectator");
    CHECK(json::parse(a[0]).at("by") == "bob");
    CHECK(kinds(r.take_texts(2)) == std::vector<std::string>{"notice:took_over", "seat:writer"});
    CHECK(events(r) == std::vector<std::string>{"console_takeover bob", "console_logout_sent "});
    CHECK(text(r.take_target_input(at(2000ms))) == "exit\r");
    CHECK(r.writer_user() == "bob");
    // alice types: dropped
    r.input(1, bytes("x"), at(2100ms));
    CHECK(kinds(r.take_texts(1)) == std::vector<std::string>{"notice:read_only"});
    CHECK(r.take_target_input(at(2100ms)).empty());
}

TEST_CASE("onTakeover disconnect: the previous writer gets its notice, then is closed") {
    auto s = settings();
    s.seat.on_takeover = OnTakeover::disconnect;
    Room r(s);
    r.attach(who(1, "alice", Role::contributor), t0);
    r.take_texts(1);
    r.attach(who(2, "bob", Role::owner, true), at(1000ms));
    const auto d = r.take_disconnects();
    REQUIRE(d.size() == 1);
    CHECK(d[0].client == 1);
    CHECK(d[0].code == "taken_over");
    CHECK(kinds(d[0].finals) == std::vector<std::string>{"notice:taken_over"});
    CHECK(r.members() == std::vector<ClientId>{2});
    CHECK(kinds(r.take_texts(2)) ==
          std::vector<std::string>{"hello", "notice:took_over", "seat:writer"});
}

TEST_CASE("takeover off by policy: the newcomer watches and is told why") {
    auto s = settings();
    s.seat.allow_takeover = false;
    Room r(s);
    r.attach(who(1, "alice", Role::contributor), t0);
    r.attach(who(2, "bob", Role::owner, true), t0);
    const auto t = r.take_texts(2);
    CHECK(json::parse(t.at(1)).at("text") ==
          "you are a spectator: the seat is held by `alice` and takeover is off (policy "
          "`AllowTakeover`)");
    CHECK(json::parse(t.at(0)).at("can").at("takeover") == false);
}

TEST_CASE("paste: 2,048 characters delivered whole, 2,049 refused whole with a notice") {
    Room r(settings());
    r.attach(who(1, "alice", Role::contributor), t0);
    r.take_texts(1);
    r.take_audit();
    r.control(1, {ControlType::paste, 2048}, t0);
    r.input(1, bytes(std::string(2048, 'a')), t0);
    CHECK(r.take_target_input(t0).size() == 2048);
    r.control(1, {ControlType::paste, 2049}, t0);
    r.input(1, bytes(std::string(2049, 'b')), t0);
    CHECK(r.take_target_input(t0).empty());
    const auto t = r.take_texts(1);
    REQUIRE(kinds(t) == std::vector<std::string>{"notice:paste_refused"});
    CHECK(json::parse(t[0]).at("chars") == 2049);
    CHECK(json::parse(t[0]).at("limit") == 2048);
    CHECK(events(r) == std::vector<std::string>{"console_paste_refused alice"});
}

TEST_CASE("input is paced at the line rate and the writer is paused past half the queue") {
    auto s = settings();
    s.baud = 9600;  // 960 bytes a second
    s.paste_limit = 65536;
    Room r(s);
    r.attach(who(1, "alice", Role::contributor), t0);
    r.take_texts(1);
    r.input(1, bytes(std::string(40000, 'x')), t0);
    CHECK(kinds(r.take_texts(1)) == std::vector<std::string>{"pause"});
    CHECK(r.take_target_input(t0).size() == kUartFifo);
    // The daemon takes at every wake-up: one second carries baud / 10 bytes.
    std::size_t sent = 0;
    const auto end = t0.mono + 1s;
    for (auto due = r.next_wakeup(t0); due && *due <= end; due = r.next_wakeup({*due, t0.wall}))
        sent += r.take_target_input({*due, t0.wall}).size();
    CHECK(sent >= 959);
    CHECK(sent <= 961);
    // Drained below a quarter of the queue bound: resume.
    bool resumed = false;
    for (auto due = r.next_wakeup(t0); due && !resumed; due = r.next_wakeup({*due, t0.wall})) {
        r.take_target_input({*due, t0.wall});
        resumed = kinds(r.take_texts(1)) == std::vector<std::string>{"resume"};
    }
    CHECK(resumed);
}

TEST_CASE("idle: a warning a minute before, then a disconnect with the policy named") {
    auto s = settings();
    s.idle_timeout = 600s;
    Room r(s);
    r.attach(who(1, "alice", Role::contributor), t0);
    r.take_texts(1);
    r.take_audit();
    CHECK(r.next_wakeup(t0).value() == at(540s).mono);
    r.tick(at(540s));
    const auto w = r.take_texts(1);
    REQUIRE(kinds(w) == std::vector<std::string>{"notice:idle_warning"});
    CHECK(json::parse(w[0]).at("seconds") == 60);
    r.tick(at(600s));
    const auto d = r.take_disconnects();
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "idle");
    CHECK(d[0].text == "disconnected: no input for 600 s (policy `IdleTimeoutMinutes`)");
    const auto audit = r.take_audit();
    CHECK(audit.back().event == "console_detach");
    CHECK(audit.back().detail.at("cause") == "idle");
    CHECK(r.members().empty());
}

TEST_CASE("typing resets the idle count") {
    auto s = settings();
    s.idle_timeout = 600s;
    Room r(s);
    r.attach(who(1, "alice", Role::contributor), t0);
    r.input(1, bytes("a"), at(500s));
    r.tick(at(600s));
    CHECK(r.take_disconnects().empty());
}

TEST_CASE("output: the replay on attach, a paused client holds, a laggard is dropped alone") {
    auto s = settings();
    s.client_queue = 1024;
    Room r(s);
    r.output(bytes("login: "), t0);
    r.attach(who(1, "alice", Role::contributor), t0);
    r.attach(who(2, "sam", Role::reader), t0);
    CHECK(text(r.take_output(1, 100)) == "login: ");
    CHECK(text(r.take_output(2, 100)) == "login: ");
    r.control(2, {ControlType::pause}, t0);
    r.output(bytes("root\r\n"), t0);
    CHECK(text(r.take_output(1, 100)) == "root\r\n");
    CHECK(r.take_output(2, 100).empty());
    r.control(2, {ControlType::resume}, t0);
    CHECK(text(r.take_output(2, 100)) == "root\r\n");
    r.take_texts(1);
    r.control(2, {ControlType::pause}, t0);
    r.output(bytes(std::string(1000, 'z')), t0);
    r.take_output(1, 2000);
    r.output(bytes(std::string(100, 'y')), t0);
    const auto d = r.take_disconnects();
    REQUIRE(d.size() == 1);
    CHECK(d[0].client == 2);
    CHECK(d[0].code == "slow");
    CHECK(d[0].text == "dropped: more than 1 KiB of output were waiting for this connection");
    CHECK(r.members() == std::vector<ClientId>{1});
    CHECK(text(r.take_output(1, 200)) == std::string(100, 'y'));
}

TEST_CASE("nmi and restart: owners only, on targets that have them; done or failed is audited") {
    Room serial(settings());
    serial.attach(who(1, "olga", Role::owner), t0);
    serial.attach(who(2, "carl", Role::contributor), t0);
    serial.take_texts(1);
    serial.take_texts(2);
    serial.take_audit();
    serial.control(2, {ControlType::nmi}, t0);
    CHECK(json::parse(serial.take_texts(2).at(0)).at("text") ==
          "nmi refused: role `contributor` (only `owner`)");
    serial.control(1, {ControlType::restart}, t0);
    CHECK(json::parse(serial.take_texts(1).at(0)).at("text") ==
          "restart refused: target `ttyS0` (serial) has no reset (only `qemu` targets)");
    CHECK(serial.take_commands().empty());
    CHECK(events(serial) == std::vector<std::string>{"console_nmi carl", "console_restart olga"});

    auto s = settings();
    s.type = "qemu";
    s.nmi = s.restart = true;
    Room vm(s);
    vm.attach(who(1, "olga", Role::owner), t0);
    vm.take_texts(1);
    vm.take_audit();
    vm.control(1, {ControlType::nmi}, t0);
    const auto c = vm.take_commands();
    REQUIRE(c.size() == 1);
    CHECK(c[0].kind == CommandKind::nmi);
    vm.command_done(c[0], true, "nmi sent to `ttyS0`", t0);
    CHECK(kinds(vm.take_texts(1)) == std::vector<std::string>{"notice:done"});
    const auto a = vm.take_audit();
    REQUIRE(a.size() == 1);
    CHECK(a[0].event == "console_nmi");
    CHECK(a[0].detail.at("ok") == true);
}

TEST_CASE("release and leave: the logout sequence each time the seat is left") {
    Room r(settings());
    r.attach(who(1, "alice", Role::contributor), t0);
    r.attach(who(2, "bob", Role::contributor), t0);
    r.control(1, {ControlType::release}, t0);
    CHECK(text(r.take_target_input(t0)) == "exit\r");
    r.control(2, {ControlType::request}, t0);
    CHECK(r.writer_user() == "bob");
    r.take_texts(2);
    r.detach(2, "left", t0);
    CHECK(text(r.take_target_input(t0)) == "exit\r");
    CHECK(kinds(r.take_texts(1)).back() == "seat:spectator");
    r.evict_all("shutdown", "the gateway is shutting down", t0);
    const auto d = r.take_disconnects();
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "shutdown");
    CHECK(r.members().empty());
}
