// The daemon's parts without FreeRDP: its config section (logins, TLS files and the run
// directory themselves are libhost's: host_test.cpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "daemon_config.hpp"

using namespace comredir::redirector::daemon;
namespace fs = std::filesystem;

namespace {

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

TEST_CASE("the TLS settings: the configured pair, else a pair in `<stateDir>/tls`") {
    DaemonConfig c;
    c.state_dir = "/var/lib/comredir";
    auto s = tls_settings(c);
    CHECK(s.certificate.empty());
    CHECK(s.generated_dir == "/var/lib/comredir/tls");
    c.certificate = "/etc/comredir/cert.pem";
    c.key = "/etc/comredir/key.pem";
    s = tls_settings(c);
    CHECK(s.certificate == "/etc/comredir/cert.pem");
    CHECK(s.key == "/etc/comredir/key.pem");
}
