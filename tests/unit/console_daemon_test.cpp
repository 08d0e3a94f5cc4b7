// comredir-console's daemon parts that need no socket: its config section, the request
// helpers, login sessions, the off switches, the serial log, termios speeds, the web page's
// files.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <termios.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "config.hpp"
#include "http_util.hpp"
#include "login_sessions.hpp"
#include "serial_log.hpp"
#include "switches.hpp"
#include "target.hpp"
#include "web_assets.hpp"

using namespace comredir::console;
using namespace comredir::console::daemon;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    TempDir() {
        char tmpl[] = "/tmp/console-daemon-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string path;
};

std::string read(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

const char* kGood = R"({
  // comments as in every comredir config
  "version": 1,
  "console": {
    "listen": "127.0.0.1:0",
    "auth": {"method": "pam"},
    "onTakeover": "disconnect",
    "webRoot": "web",
    "grants": [{"principal": "@ops", "role": "Virtual Machine Contributor", "target": "vm1"}],
    "targets": [
      {"name": "ttyS0", "type": "serial", "device": "/dev/ttyS0", "baud": 9600,
       "parity": "even", "dataBits": 7, "stopBits": 2, "flowControl": "rtscts",
       "logout": "exit\r", "log": {"path": "logs/ttyS0.log", "maxBytes": 65536}},
      {"name": "vm1", "type": "qemu", "socket": "vm1.sock", "qmp": "/run/vm1/qmp.sock",
       "windowsSac": true, "idleTimeoutSeconds": 120},
      {"name": "laptop", "type": "redirected", "session": "s1", "port": "COM1"}
    ]
  }
})";

}  // namespace

TEST_CASE("config: every setting read, relative paths from the file's folder") {
    const auto r = parse_console_config(kGood, "/etc/comredir/comredir.json");
    REQUIRE_MESSAGE(r.ok(), r.message);
    const ConsoleConfig& c = r.config;
    CHECK(c.listen_host == "127.0.0.1");
    CHECK(c.listen_port == 0);
    CHECK(c.auth.method == comredir::host::AuthMethod::pam);
    CHECK(c.on_takeover == OnTakeover::disconnect);
    REQUIRE(c.grants.size() == 1);
    CHECK(c.grants[0].principal == "@ops");
    CHECK(c.grants[0].role == Role::contributor);
    CHECK(c.grants[0].target == "vm1");
    REQUIRE(c.targets.size() == 3);
    const auto& s = c.targets[0];
    CHECK(s.line.baud == 9600);
    CHECK(s.line.parity == Parity::even);
    CHECK(s.line.data_bits == 7);
    CHECK(s.line.stop_bits == 2);
    CHECK(s.line.flow == FlowControl::rtscts);
    CHECK(s.logout == "exit\r");
    CHECK(s.log.path == "/etc/comredir/logs/ttyS0.log");
    CHECK(s.log.max_bytes == 65536);
    CHECK(c.targets[1].socket == "/etc/comredir/vm1.sock");
    CHECK(c.targets[1].windows_sac);
    CHECK(c.targets[1].idle_timeout_seconds == 120);
    CHECK(c.targets[2].run_dir == "/run/comredir");
    CHECK(c.switches_path() == "/var/lib/comredir/console-switches.json");
    CHECK(c.web_root == "/etc/comredir/web");
}

TEST_CASE("config: each mistake named by its JSON pointer") {
    const std::pair<std::string, std::string> cases[] = {
        {R"({"version":1})", "/console: missing: the gateway's settings live in this section"},
        {R"({"version":2,"console":{}})", "/version: unsupported version `2` (expected 1)"},
        {R"({"console":{"targets":[]}})",
         "/console/auth: missing: say how logins are checked (`file` or `pam`)"},
        {R"({"console":{"auth":{"method":"pam"}}})",
         "/console/targets: missing: the consoles this gateway serves"},
        {R"({"console":{"auth":{"method":"pam"},"colour":1,"targets":[]}})",
         "/console/colour: unknown setting `colour`"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a","type":"serial","device":"/d","baud":"fast"}]}})",
         "/console/targets/0/baud: expected an integer 50-4000000, got `\"fast\"`"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a","type":"serial","device":"/d","baud":12345}]}})",
         ""},  // a number in range; whether termios has it is checked when the device opens
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a b","type":"serial","device":"/d"}]}})",
         "/console/targets/0/name: `a b`: use letters, digits, `.`, `_` and `-` (at most 64)"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a","type":"telnet"}]}})",
         "/console/targets/0/type: unknown type `telnet` (serial, qemu, redirected)"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a","type":"qemu"}]}})",
         "/console/targets/0/socket: missing (the serial chardev's unix socket)"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a","type":"serial","device":"/d"},{"name":"a","type":"serial","device":"/e"}]}})",
         "/console/targets/1/name: `a` is already a target's name"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[],"grants":[{"principal":"x","role":"admin"}]}})",
         "/console/grants/0/role: unknown role `admin` (reader, contributor, owner)"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[],"grants":[{"principal":"x","role":"owner","target":"nope"}]}})",
         "/console/grants/0/target: no target is named `nope`"},
        {R"({"console":{"auth":{"method":"pam"},"targets":[{"name":"a","type":"serial","device":"/d","parity":"mark"}]}})",
         "/console/targets/0/parity: unknown parity `mark` (none, even, odd)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.first);
        const auto r = parse_console_config(c.first, "/c.json");
        if (c.second.empty()) {
            CHECK(r.ok());
        } else {
            CHECK(r.message == "/c.json: " + c.second);
        }
    }
    const auto bad = parse_console_config("{\n  \"console\": ,\n}", "/c.json");
    CHECK(bad.status == ConfigStatus::bad_json);
    CHECK(bad.message.starts_with("/c.json: line 2, column 14: "));
}

TEST_CASE("request targets, queries and API paths") {
    const auto t = split_target("/api/targets/tty%53%30/ws?mode=read&takeover=1&x=a+b%21");
    CHECK(t.path == "/api/targets/ttyS0/ws");
    CHECK(query_value(t.query, "mode") == "read");
    CHECK(query_value(t.query, "takeover") == "1");
    CHECK(query_value(t.query, "x") == "a b!");
    CHECK(query_value(t.query, "token").empty());
    const auto p = api_target_path(t.path);
    REQUIRE(p);
    CHECK(p->target == "ttyS0");
    CHECK(p->action == "ws");
    CHECK_FALSE(api_target_path("/api/targets/ttyS0"));
    CHECK_FALSE(api_target_path("/api/targets//ws"));
    CHECK_FALSE(api_target_path("/api/targets/a/b/c"));
    CHECK(split_target("/a%zz%4").path == "/a%zz%4");  // malformed escapes left alone
}

TEST_CASE("subprotocols, origins, cookies") {
    const auto s = parse_subprotocols("comredir.console.v1 , csrf.AbC-_9");
    CHECK(s.has_console);
    CHECK(s.csrf == "AbC-_9");
    CHECK_FALSE(parse_subprotocols("csrf.x").has_console);
    CHECK(same_origin("", "gw:7443"));
    CHECK(same_origin("https://gw:7443", "gw:7443"));
    CHECK(same_origin("https://GW:7443", "gw:7443"));
    CHECK(same_origin("https://gw", "gw:443"));
    CHECK_FALSE(same_origin("https://evil.example", "gw:7443"));
    CHECK_FALSE(same_origin("https://gw:7444", "gw:7443"));
    CHECK_FALSE(same_origin("null", "gw:7443"));
    CHECK(cookie_value("a=1; comredir_session=tok; b=2", "comredir_session") == "tok");
    CHECK(cookie_value("xcomredir_session=no", "comredir_session").empty());
    const auto expires = std::chrono::system_clock::now() + std::chrono::hours(8);
    const auto cookie = session_cookie("tok", expires);
    CHECK(cookie.starts_with("comredir_session=tok; Path=/; Max-Age=28"));
    CHECK(cookie.ends_with("; HttpOnly; Secure; SameSite=Strict"));
}

TEST_CASE("login bodies: JSON only, the user checked, the password never in a message") {
    auto b = parse_login_body(R"({"user":"alice","password":"s3cret"})",
                              "application/json; charset=utf-8");
    CHECK(b.ok);
    CHECK(b.user == "alice");
    CHECK(b.password == "s3cret");
    b = parse_login_body("user=alice&password=s3cret", "application/x-www-form-urlencoded");
    CHECK_FALSE(b.ok);
    CHECK(b.error == "send the login as `application/json`: {\"user\": ..., \"password\": ...}");
    b = parse_login_body(R"({"user":"al:ice","password":"s3cret"})", "application/json");
    CHECK(b.error == "the user name is not acceptable");
    b = parse_login_body(R"({"user":"alice","password":7})", "application/json");
    CHECK(b.error == "the login body has no `password` string");
    CHECK(b.error.find("7") == std::string::npos);
}

TEST_CASE("login sessions: random tokens, lookup, expiry, logout, CSRF compare") {
    LoginSessions s(std::chrono::minutes(10));
    const auto t0 = std::chrono::system_clock::now();
    const auto a = s.create("alice", {"ops"}, "192.0.2.1", t0);
    const auto b = s.create("bob", {}, "192.0.2.2", t0);
    CHECK(a.token.size() == 43);
    CHECK(a.token != b.token);
    CHECK(a.csrf != a.token);
    const auto found = s.find(a.token, t0 + std::chrono::minutes(9));
    REQUIRE(found);
    CHECK(found->user == "alice");
    CHECK(found->groups == std::vector<std::string>{"ops"});
    CHECK_FALSE(s.find(a.token, t0 + std::chrono::minutes(10)));  // expired, and dropped
    CHECK_FALSE(s.find(a.token, t0));
    s.end(b.token);
    CHECK_FALSE(s.find(b.token, t0));
    CHECK_FALSE(s.find("", t0));
    CHECK(same_secret("abc", "abc"));
    CHECK_FALSE(same_secret("abc", "abd"));
    CHECK_FALSE(same_secret("abc", "ab"));
    CHECK_FALSE(same_secret("", ""));
}

TEST_CASE("off switches: written 0600, read back, unreadable fails closed") {
    TempDir d;
    const std::string path = d.path + "/state/console-switches.json";
    CHECK(read_switches(path).ok);
    CHECK(read_switches(path).off.empty());
    const auto now = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 57);
    auto w = write_switch(path, "ttyS0", false, "olga", now);
    CHECK(w.ok);
    CHECK(w.changed);
    CHECK(w.message == "target `ttyS0` switched off by `olga`");
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto r = read_switches(path);
    REQUIRE(r.ok);
    CHECK(r.off.at("ttyS0").by == "olga");
    CHECK(r.off.at("ttyS0").at == "2026-12-18T00:00:00.000Z");  // 57 * 365 days after 1970
    w = write_switch(path, "ttyS0", false, "olga", now);
    CHECK(w.ok);
    CHECK_FALSE(w.changed);
    w = write_switch(path, "ttyS0", true, "olga", now);
    CHECK(w.changed);
    CHECK(read_switches(path).off.empty());
    std::ofstream(path) << "{not json";
    r = read_switches(path);
    CHECK_FALSE(r.ok);
    CHECK(r.error == path + ": not a JSON object");
    w = write_switch(path, "ttyS0", false, "olga", now);
    CHECK_FALSE(w.ok);
    CHECK(read(path) == "{not json");  // an unreadable file is left for a person to fix
}

TEST_CASE("serial log: 0600, rotated at its size, keeps N files") {
    TempDir d;
    OutputLog o{d.path + "/logs/t.log", 4096, 2};
    SerialLog log(o);
    std::string error;
    REQUIRE(log.open(error));
    const std::vector<std::uint8_t> kb(1024, 'x');
    for (int i = 0; i < 13; ++i) REQUIRE(log.append(kb, error));
    struct stat st {};
    REQUIRE(stat(o.path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(st.st_size == 1024);  // 13 KiB = 4 + 4 + 4 rotated away, 1 left
    CHECK(fs::file_size(o.path + ".1") == 4096);
    CHECK(fs::file_size(o.path + ".2") == 4096);
    CHECK_FALSE(fs::exists(o.path + ".3"));
}

TEST_CASE("termios speeds") {
    CHECK(termios_speed(115200) == B115200);
    CHECK(termios_speed(9600) == B9600);
    CHECK(termios_speed(12345) == 0);
}

TEST_CASE("web page: read once, by URL path, known types only, index.html required") {
    TempDir d;
    fs::create_directories(d.path + "/js");
    std::ofstream(d.path + "/index.html") << "<!doctype html><title>t</title>";
    std::ofstream(d.path + "/js/app.js") << "export {};";
    std::ofstream(d.path + "/notes.md") << "not served";
    std::ofstream(d.path + "/.hidden-secret") << "not served";
    const auto r = load_web_assets(d.path);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.assets.files.size() == 2);
    const WebAsset* index = r.assets.find("/");
    REQUIRE(index != nullptr);
    CHECK(index->type == "text/html; charset=utf-8");
    CHECK(index->body == "<!doctype html><title>t</title>");
    REQUIRE(r.assets.find("/js/app.js") != nullptr);
    CHECK(r.assets.find("/js/app.js")->type == "text/javascript; charset=utf-8");
    CHECK(r.assets.find("/notes.md") == nullptr);
    CHECK(r.assets.find("/js/../index.html") == nullptr);  // paths are keys, never resolved
    CHECK(r.assets.find("/../index.html") == nullptr);
    CHECK(web_content_type("a.css") == "text/css; charset=utf-8");
    CHECK(web_content_type("LICENSE") == "");

    fs::remove(d.path + "/index.html");
    const auto no_index = load_web_assets(d.path);
    CHECK_FALSE(no_index.ok);
    CHECK(no_index.error == "web page folder `" + d.path + "`: no `index.html`");
    const auto missing = load_web_assets(d.path + "/nowhere");
    CHECK_FALSE(missing.ok);
    CHECK(missing.error == "web page folder `" + d.path + "/nowhere`: not a folder");
}
