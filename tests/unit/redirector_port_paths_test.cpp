// Stable paths, per-user aliases and the records `comredir-redirector ports` lists.
#include <doctest/doctest.h>
#include <unistd.h>

#include <comredir/redirector/port/port_paths.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace comredir::redirector::port;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
    auto d =
        fs::temp_directory_path() / ("comredir-ports-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}

PortRecord record(std::string session, std::string port, std::string user = "alice") {
    PortRecord r;
    r.session = std::move(session);
    r.port = std::move(port);
    r.user = std::move(user);
    r.client = "LAPTOP-7";
    r.client_address = "192.0.2.10";
    r.device = "/dev/pts/77";
    r.since = 1795000000;
    return r;
}

}  // namespace

TEST_CASE("port names and path components are checked before they become file names") {
    for (const char* ok : {"COM1", "COM12", "TTY_USB0", "A", "COM-9", "ABCDEFGH"}) {
        CAPTURE(ok);
        CHECK(valid_port_name(ok));
    }
    for (const char* bad : {"", "ABCDEFGHI", "../x", "CO M1", "COM1/", "é", ".", "COM1\n"}) {
        CAPTURE(bad);
        CHECK_FALSE(valid_port_name(bad));
    }
    for (const char* ok : {"alice", "alice@corp.example", "s-1a2b", "a.b_c"})
        CHECK(valid_component(ok));
    const std::string too_long(65, 'a');
    for (const std::string bad : {"", ".", "..", ".hidden", "a/b", "a b"})
        CHECK_FALSE(valid_component(bad));
    CHECK_FALSE(valid_component(too_long));
    CHECK(valid_component(too_long.substr(1)));
}

TEST_CASE("publish makes the stable link, the alias and the record; unpublish removes them") {
    const auto run = fresh_dir("publish");
    const auto a = publish_port(run.string(), record("s1", "COM1"));
    REQUIRE_MESSAGE(a.ok, a.error);
    CHECK(a.record.path == (run / "s1" / "COM1").string());
    CHECK(a.record.alias == (run / "by-user" / "alice" / "COM1").string());
    CHECK(fs::read_symlink(a.record.path) == "/dev/pts/77");
    CHECK(fs::read_symlink(a.record.alias) == a.record.path);
    std::ifstream in(run / "s1" / "COM1.json");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK(text ==
          "{\"session\":\"s1\",\"client\":\"LAPTOP-7\",\"user\":\"alice\",\"client_address\":"
          "\"192.0.2.10\",\"port\":\"COM1\",\"path\":\"" +
              a.record.path + "\",\"alias\":\"" + a.record.alias +
              "\",\"device\":\"/dev/pts/77\",\"since\":1795000000}\n");

    // A second session of the same user with the same port name: no alias, still listed.
    const auto b = publish_port(run.string(), record("s2", "COM1"));
    REQUIRE(b.ok);
    CHECK(b.record.alias.empty());
    const auto c = publish_port(run.string(), record("s2", "COM2", "bob"));
    REQUIRE(c.ok);

    const auto listed = list_ports(run.string());
    CHECK(listed.warnings.empty());
    REQUIRE(listed.ports.size() == 3);
    CHECK(listed.ports[0] == a.record);
    CHECK(listed.ports[1] == b.record);
    CHECK(listed.ports[2] == c.record);

    unpublish_port(run.string(), a.record);
    CHECK_FALSE(fs::exists(run / "s1"));
    CHECK_FALSE(fs::is_symlink(fs::symlink_status(run / "by-user" / "alice" / "COM1")));
    const auto after = list_ports(run.string());
    REQUIRE(after.ports.size() == 2);
    CHECK(after.ports[0].session == "s2");
    fs::remove_all(run);
}

TEST_CASE("publish refuses names a client or session could abuse, and list skips bad records") {
    const auto run = fresh_dir("refuse");
    const auto bad_port = publish_port(run.string(), record("s1", "../../etc"));
    CHECK_FALSE(bad_port.ok);
    CHECK(bad_port.error == "port name `../../etc` is not 1-8 characters of [A-Za-z0-9_-]");
    const auto bad_session = publish_port(run.string(), record("..", "COM1"));
    CHECK(bad_session.error == "session id `..` is not a valid path component");
    CHECK_FALSE(fs::exists(run));

    const auto ok = publish_port(run.string(), record("s1", "COM1", "not a user"));
    REQUIRE(ok.ok);
    CHECK(ok.record.alias.empty());  // an invalid user name gets no alias folder
    std::ofstream(run / "s1" / "COM9.json") << "{not json";
    const auto listed = list_ports(run.string());
    CHECK(listed.ports.size() == 1);
    REQUIRE(listed.warnings.size() == 1);
    CHECK(listed.warnings[0] == "`" + (run / "s1" / "COM9.json").string() + "`: not a port record");
    fs::remove_all(run);
}
