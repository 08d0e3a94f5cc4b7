// The policy gate of the redirector: the com_ports decision per client port, with reasons,
// failing closed; one session per client port; the audit log's lines.
#include <doctest/doctest.h>
#include <unistd.h>

#include <comredir/redirector/audit.hpp>
#include <comredir/redirector/gate.hpp>
#include <comredir/redirector/port_claims.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "pol_builder.hpp"
#include "test_util.hpp"

using namespace comredir::redirector;
namespace policy = comredir::policy;
namespace fs = std::filesystem;
namespace pol = comredir::test::pol;

namespace {

const std::string ts_key = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
const std::string redir_key = "SOFTWARE\\Policies\\comredir\\Redirection";

fs::path scratch(const std::string& name) {
    auto d =
        fs::temp_directory_path() / ("comredir-gate-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string write_pol(const fs::path& dir, const std::vector<pol::Rec>& recs) {
    const auto path = (dir / "Registry.pol").string();
    const auto bytes = pol::pol_bytes(recs);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return path;
}

GateConfig with_pol(const std::string& path) {
    GateConfig c;
    c.os.push_back({policy::OsSourceKind::pol, path});
    return c;
}

const ClientInfo windows_client{"LAPTOP-7", "alice", "192.0.2.10", policy::ClientOs::windows};
const ClientInfo linux_client{"thinclient", "bob", "192.0.2.11", policy::ClientOs::linux_client};

}  // namespace

TEST_CASE("osMajorType maps to the client platform; unknown counts as non-Windows") {
    CHECK(client_os_from_major_type(1) == policy::ClientOs::windows);
    CHECK(client_os_from_major_type(3) == policy::ClientOs::macos);
    CHECK(client_os_from_major_type(6) == policy::ClientOs::macos);
    CHECK(client_os_from_major_type(5) == policy::ClientOs::ios);
    CHECK(client_os_from_major_type(7) == policy::ClientOs::android);
    CHECK(client_os_from_major_type(4) == policy::ClientOs::linux_client);
    CHECK(client_os_from_major_type(0) == policy::ClientOs::linux_client);
    CHECK(client_os_from_major_type(0xFFFF) == policy::ClientOs::linux_client);
}

TEST_CASE("the gate allows by default and denies on fDisableCcm=1, citing the file") {
    const auto dir = scratch("ccm");
    {
        auto gate = SessionGate::open(
            with_pol(write_pol(dir, {pol::dword(ts_key, "fDisableCcm", 0)})), windows_client);
        CHECK(gate.failure().empty());
        const auto v = gate.check("COM1");
        CHECK(v.allowed);
        CHECK(v.decision["effective"] == "allow");
    }
    const auto path = write_pol(dir, {pol::dword(ts_key, "fDisableCcm", 1)});
    auto gate = SessionGate::open(with_pol(path), windows_client);
    const auto v = gate.check("COM1");
    CHECK_FALSE(v.allowed);
    CHECK(v.reason.find("fDisableCcm") != std::string::npos);
    CHECK(v.reason.find(path) != std::string::npos);
    CHECK(v.decision["effective"] == "deny");
    CHECK(v.decision["decidedBy"] == "os_policy");
    fs::remove_all(dir);
}

TEST_CASE("the client layer is the client's announcement of the port, named as such") {
    const auto dir = scratch("announce");
    const auto path = write_pol(dir, {pol::dword(ts_key, "fDisableCcm", 1)});
    auto gate = SessionGate::open(with_pol(path), windows_client);
    const auto v = gate.check("COM3");
    CHECK_FALSE(v.allowed);
    CHECK(v.reason ==
          "`Do not allow COM port redirection` (TS_CLIENT_COM) Enabled: fDisableCcm = 1 (" + path +
              " offset 0x8); overrides client: the client announced port `COM3` over rdpdr "
              "(`redirectcomports:i:1`)");
    CHECK(v.reason.find("--client-props") == std::string::npos);
    const auto& client = v.decision["layers"][2];
    REQUIRE(client["layer"] == "client");
    CHECK(client["provenance"]["source"] == "client-announce");
    CHECK(client["provenance"]["detail"] == "port `COM3` over rdpdr");
    CHECK(client["provenance"]["rdpProperty"] == "redirectcomports:i:1");
    CHECK(client["provenance"]["item"] == 1);
    // Each check names its own port.
    CHECK(gate.check("COM4").reason.find("announced port `COM4`") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("OneSessionPerPort: the refusal's decision is that rule, with the holder") {
    const auto dir = scratch("busy");
    auto gate = SessionGate::open(with_pol(write_pol(dir, {})), windows_client);
    const auto allowed = gate.check("COM1");
    REQUIRE(allowed.allowed);
    const auto v = gate.in_use("LAPTOP-7", "COM1", "s4", allowed);
    CHECK_FALSE(v.allowed);
    CHECK(v.reason ==
          "port `COM1` of client `LAPTOP-7` is in use by session `s4` (OneSessionPerPort, on by "
          "default)");
    CHECK(v.decision["effective"] == "deny");
    CHECK(v.decision["rule"] == "OneSessionPerPort");
    CHECK(v.decision["decidedBy"] == "comredir");
    CHECK(v.decision["heldBy"] == "s4");
    CHECK(v.decision["reason"] == v.reason);
    CHECK(v.decision["provenance"]["source"] == "default");
    CHECK(v.decision["provenance"]["admxPolicy"] == "OneSessionPerPort");
    CHECK(v.decision["policyDecision"]["effective"] == "allow");
    CHECK(v.decision["policyDecision"]["feature"] == "com_ports");

    // Set by policy: the reason names where.
    const auto path = write_pol(dir, {pol::dword(redir_key, "OneSessionPerPort", 1)});
    auto set = SessionGate::open(with_pol(path), windows_client);
    const auto w = set.in_use("LAPTOP-7", "COM1", "s4", set.check("COM1"));
    CHECK(w.reason.find("OneSessionPerPort = 1 (" + path) != std::string::npos);
    CHECK(w.decision["provenance"]["file"] == path);
    fs::remove_all(dir);
}

TEST_CASE("comredir's own policies: allowed port names, non-Windows clients, settings") {
    const auto dir = scratch("own");
    const auto path = write_pol(dir, {
                                         pol::dword(redir_key, "RestrictPortNames", 1),
                                         pol::sz(redir_key + "\\AllowedPorts", "1", "COM1"),
                                         pol::dword(redir_key, "AllowNonWindowsClients", 0),
                                         pol::dword(redir_key, "LatencyWarningMs", 5),
                                     });
    auto gate = SessionGate::open(with_pol(path), windows_client);
    REQUIRE(gate.failure().empty());
    CHECK(gate.check("COM1").allowed);
    CHECK(gate.check("com1").allowed);
    const auto other = gate.check("COM2");
    CHECK_FALSE(other.allowed);
    CHECK(other.reason.find("COM2") != std::string::npos);
    CHECK(gate.latency_warning_ms() == 5);
    CHECK(gate.one_session_per_port());
    CHECK(gate.audit_log_path() == "/var/log/comredir/audit.jsonl");

    auto linux_gate = SessionGate::open(with_pol(path), linux_client);
    const auto v = linux_gate.check("COM1");
    CHECK_FALSE(v.allowed);
    CHECK(v.decision["decidedBy"] == "platform");
    fs::remove_all(dir);
}

TEST_CASE("a policy source that cannot be read denies every port and says why") {
    auto missing = SessionGate::open(with_pol("/nonexistent/Registry.pol"), windows_client);
    const auto v = missing.check("COM1");
    CHECK_FALSE(v.allowed);
    CHECK(v.reason.find("/nonexistent/Registry.pol") != std::string::npos);

    GateConfig unknown;
    unknown.policy_config = comredir::test::source_dir("examples/comredir.json");
    unknown.host = "no-such-host";
    auto gate = SessionGate::open(unknown, windows_client);
    CHECK_FALSE(gate.failure().empty());
    CHECK(gate.failure().rfind("policy could not be read: ", 0) == 0);
    CHECK_FALSE(gate.check("COM1").allowed);
    CHECK(gate.check("COM1").reason == gate.failure());
}

TEST_CASE("one session per client port") {
    PortClaims claims;
    CHECK_FALSE(claims.claim("LAPTOP-7", "COM1", "s1"));
    CHECK_FALSE(claims.claim("laptop-7", "com1", "s1"));  // same session again: fine
    CHECK(claims.claim("Laptop-7", "COM1", "s2") == std::optional<std::string>("s1"));
    CHECK_FALSE(claims.claim("LAPTOP-8", "COM1", "s2"));  // another client's COM1
    CHECK_FALSE(claims.claim("LAPTOP-7", "COM2", "s2"));
    claims.release("LAPTOP-7", "COM1", "s2");  // not s2's: kept
    CHECK(claims.size() == 3);
    claims.release_all("s1");
    CHECK(claims.size() == 2);
    CHECK_FALSE(claims.claim("LAPTOP-7", "COM1", "s3"));
}

TEST_CASE("audit lines: exact fields, no interleaving between threads") {
    AuditRecord r;
    r.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795000000123));
    r.event = AuditEvent::port_denied;
    r.session = "s3";
    r.client = "LAPTOP-7";
    r.user = "alice";
    r.client_address = "192.0.2.10";
    r.port = "COM1";
    r.reason = "denied by `fDisableCcm`";
    r.decision = {{"effective", "deny"}};
    CHECK(
        to_json_line(r) ==
        R"({"time":"2026-11-18T11:06:40.123Z","event":"port_denied","session":"s3","client":"LAPTOP-7",)"
        R"("user":"alice","client_address":"192.0.2.10","port":"COM1","reason":"denied by `fDisableCcm`",)"
        R"("decision":{"effective":"deny"}})");
    r.client = std::string("bad\xff");
    CHECK(to_json_line(r).find("\"client\":\"bad\xEF\xBF\xBD\"") != std::string::npos);

    const auto dir = scratch("audit");
    AuditLog log;
    std::string error;
    REQUIRE_MESSAGE(log.open((dir / "sub" / "audit.jsonl").string(), error), error);
    r.client = "LAPTOP-7";
    r.reason = std::string(3000, 'x');  // lines longer than PIPE_BUF stay whole too
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            std::string e;
            for (int i = 0; i < 200; ++i) CHECK(log.append(to_json_line(r), e));
        });
    for (auto& t : threads) t.join();
    std::ifstream in(dir / "sub" / "audit.jsonl");
    const std::string expect = to_json_line(r);
    int lines = 0;
    for (std::string line; std::getline(in, line); ++lines) REQUIRE(line == expect);
    CHECK(lines == 800);
    CHECK((fs::status(dir / "sub" / "audit.jsonl").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    fs::remove_all(dir);
}
