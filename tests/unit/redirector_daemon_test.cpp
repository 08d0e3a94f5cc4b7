// The daemon's parts without FreeRDP: its config section, the credentials file, the run
// directory and the TLS files.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "auth.hpp"
#include "daemon_config.hpp"
#include "run_dir.hpp"
#include "tls_cert.hpp"

using namespace comredir::redirector::daemon;
namespace fs = std::filesystem;

namespace {

// `openssl passwd -6 -salt comredirtestsalt 'correct horse'`
constexpr const char* kSha512 =
    "$6$comredirtestsalt$"
    "3hQjDQ9ve8vuNpRRriOLrjvy20iRfWZUexL25RUtXGsbPtF6Viuxi6WV8l8xrWtW8F8S1sCfFN4/"
    "MfqhFwhwd1";
// `openssl passwd -1 -salt abcdefgh 'correct horse'`: MD5, which libcrypt calls legacy.
constexpr const char* kMd5 = "$1$abcdefgh$y6iHhJNbuC0xpbk0w9pm80";

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "comredir-daemon-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~TempDir() { fs::remove_all(path); }
};

DaemonConfigResult parse(const std::string& redirector) {
    return parse_daemon_config(R"({"version":1,"redirector":)" + redirector + "}",
                               "/etc/comredir/comredir.json");
}

}  // namespace

TEST_CASE("the redirector section: defaults, relative paths, every setting") {
    auto r = parse(R"({"auth":{"method":"file","file":"users"}})");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.config.listen_host == "0.0.0.0");
    CHECK(r.config.listen_port == 3389);
    CHECK(r.config.credentials_file == "/etc/comredir/users");
    CHECK(r.config.run_dir == "/run/comredir");
    CHECK(r.config.audit_log == "/var/log/comredir/audit.jsonl");
    CHECK(r.config.host.empty());

    r = parse(R"({"listen":"[::1]:3390","runDir":"run","stateDir":"/var/lib/x","host":"lab",
                  "auditLog":"audit.jsonl","maxConnections":4,"handshakeTimeoutSeconds":5,
                  "tls":{"certificate":"c.pem","key":"k.pem"},
                  "auth":{"method":"pam","service":"comredir-test"}})");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.config.listen_host == "::1");
    CHECK(r.config.listen_port == 3390);
    CHECK(r.config.run_dir == "/etc/comredir/run");
    CHECK(r.config.audit_log == "/etc/comredir/audit.jsonl");
    CHECK(r.config.host == "lab");
    CHECK(r.config.auth == AuthMethod::pam);
    CHECK(r.config.pam_service == "comredir-test");
    CHECK(r.config.certificate == "/etc/comredir/c.pem");
    CHECK(r.config.max_connections == 4);
}

TEST_CASE("config errors name the file and the setting") {
    auto r = parse(R"({"listen":"0.0.0.0:3389"})");
    CHECK(r.status == DaemonConfigStatus::bad_schema);
    CHECK(r.message ==
          "/etc/comredir/comredir.json: /redirector/auth: missing: say how logins are checked "
          "(`file` or `pam`)");
    r = parse(R"({"auth":{"method":"file","file":"u"},"listen":"nowhere"})");
    CHECK(r.status == DaemonConfigStatus::bad_schema);
    CHECK(r.message.starts_with("/etc/comredir/comredir.json: /redirector/listen: "));
    r = parse(R"({"auth":{"method":"file","file":"u"},"colour":"blue"})");
    CHECK(r.message == "/etc/comredir/comredir.json: /redirector/colour: unknown setting `colour`");
    r = parse(R"({"auth":{"method":"ldap"}})");
    CHECK(r.message ==
          "/etc/comredir/comredir.json: /redirector/auth/method: unknown method "
          "`ldap` (file, pam)");
    r = parse(R"({"auth":{"method":"file","file":"u"},"tls":{"certificate":"c.pem"}})");
    CHECK(r.message ==
          "/etc/comredir/comredir.json: /redirector/tls: give both `certificate` "
          "and `key`, or neither");
    r = parse_daemon_config("{\n\"version\": 1,\n\"redirector\": {,}\n}", "x.json");
    CHECK(r.status == DaemonConfigStatus::bad_json);
    CHECK(r.line == 3);
    CHECK(r.column == 16);
    CHECK(r.message ==
          "x.json: line 3, column 16: unexpected `,`: expected a string (an object key)");
    // Comments, as in redirector/README.md's example, are allowed.
    r = parse_daemon_config(
        "{\n  // the daemon\n  \"redirector\": { /* logins */ \"auth\": "
        "{\"method\": \"pam\"} }\n}",
        "x.json");
    CHECK_MESSAGE(r.ok(), r.message);
    r = parse_daemon_config(R"({"version":2,"redirector":{}})", "x.json");
    CHECK(r.status == DaemonConfigStatus::unsupported_version);
}

TEST_CASE("listen addresses") {
    std::string host, error;
    std::uint16_t port = 0;
    CHECK(parse_listen(":4000", host, port, error));
    CHECK(port == 4000);
    CHECK(parse_listen("127.0.0.1:1", host, port, error));
    CHECK(host == "127.0.0.1");
    CHECK_FALSE(parse_listen("127.0.0.1:70000", host, port, error));
    CHECK_FALSE(parse_listen("127.0.0.1", host, port, error));
    CHECK_FALSE(error.empty());
}

TEST_CASE("the credentials file: salted crypt(3) hashes, no password in any reason") {
    const std::string text =
        std::string("# comment\n\nalice:") + kSha512 + "\nbob:" + kMd5 + "\ncarol:!locked\n";
    auto r = check_credentials_text(text, "users", "alice", "correct horse");
    CHECK(r.ok());
    r = check_credentials_text(text, "users", "alice", "wrong horse");
    CHECK(r.outcome == AuthOutcome::rejected);
    CHECK(r.reason.find("horse") == std::string::npos);
    r = check_credentials_text(text, "users", "mallory", "correct horse");
    CHECK(r.outcome == AuthOutcome::rejected);
    CHECK(r.reason == "unknown user `mallory`");
    r = check_credentials_text(text, "users", "alice", "");
    CHECK(r.reason == "empty password");
    r = check_credentials_text(text, "users", "bob", "correct horse");
    CHECK(r.outcome == AuthOutcome::unavailable);
    CHECK(r.reason == "users: line 4: hash method is legacy (use yescrypt `$y$` or sha512 `$6$`)");
    r = check_credentials_text(text, "users", "carol", "x");
    CHECK(r.outcome == AuthOutcome::unavailable);
    CHECK(r.reason == "users: line 5: not a crypt(3) hash libcrypt accepts");
    r = check_credentials_text(text + "alice:" + kSha512 + "\n", "users", "alice", "correct horse");
    CHECK(r.outcome == AuthOutcome::unavailable);
    CHECK(r.reason == "users: line 6: user `alice` listed twice");
    // Windows line ends are fine.
    r = check_credentials_text(std::string("alice:") + kSha512 + "\r\n", "users", "alice",
                               "correct horse");
    CHECK(r.ok());
}

TEST_CASE("the run directory is ours alone and cleaned at start") {
    TempDir t;
    const fs::path run = t.path / "run";
    std::string error;
    REQUIRE(prepare_run_dir(run.string(), error));
    CHECK(fs::exists(run / kRunDirMarker));
    fs::create_directories(run / "s4");
    fs::create_symlink("/dev/pts/99", run / "s4" / "COM1");
    fs::create_directories(run / "by-user" / "alice");
    REQUIRE(prepare_run_dir(run.string(), error));
    CHECK_FALSE(fs::exists(run / "s4"));
    CHECK_FALSE(fs::exists(run / "by-user"));
    CHECK(fs::exists(run / kRunDirMarker));

    const fs::path foreign = t.path / "home";
    fs::create_directories(foreign);
    std::ofstream(foreign / "notes.txt") << "keep me\n";
    CHECK_FALSE(prepare_run_dir(foreign.string(), error));
    CHECK(error == "run directory `" + foreign.string() +
                       "` holds files that are not comredir's (no `.comredir-run`): give an "
                       "empty or new folder");
    CHECK(fs::exists(foreign / "notes.txt"));
}

TEST_CASE("a self-signed certificate is made once, its key private, and reused") {
    TempDir t;
    DaemonConfig c;
    c.state_dir = (t.path / "state").string();
    auto first = prepare_tls(c);
    REQUIRE_MESSAGE(first.ok, first.message);
    CHECK(first.generated);
    struct stat st {};
    REQUIRE(::stat(first.key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(first.fingerprint.size() == 32 * 3 - 1);
    auto second = prepare_tls(c);
    REQUIRE(second.ok);
    CHECK_FALSE(second.generated);
    CHECK(second.fingerprint == first.fingerprint);
    fs::remove(first.key);
    auto broken = prepare_tls(c);
    CHECK_FALSE(broken.ok);
    CHECK(broken.message.find("is missing but") != std::string::npos);
}
