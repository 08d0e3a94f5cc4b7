// Loading an estate on the example files: GPO order and its conflicts, invalid values as
// input errors, a folder of several GPOs, an unreadable host pool store without a config.
#include <doctest/doctest.h>

#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::source_dir;

namespace {

const std::string kPolicies = source_dir("examples/sysvol/contoso.com/Policies");
const std::string kLockdown = kPolicies + "/{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}";
const std::string kLab = kPolicies + "/{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}";

Estate load(EstateRequest req) {
    auto r = load_estate(req);
    REQUIRE_MESSAGE(r.ok(), r.message);
    return std::move(r.estate);
}

Decision com_ports(const Estate& e) {
    return decide(e, {find_feature("com_ports")}).at(0);
}

std::string temp_file(const std::string& name, const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / "comredir-estate-test";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

EstateRequest gpos(std::vector<std::string> dirs) {
    EstateRequest req;
    for (auto& d : dirs) req.os.push_back({OsSourceKind::gpo, std::move(d)});
    req.product = Product::avd;
    req.client_os = ClientOs::windows;
    return req;
}

}  // namespace

TEST_CASE("GPOs apply in the order given; the decision names the conflict and its rule") {
    struct Case {
        std::vector<std::string> order;
        State effective;
        const char* winner;
        const char* loser;
        const char* loser_raw;
    };
    const Case cases[] = {
        {{kLab, kLockdown},
         State::deny,
         "Contoso - RDS device lockdown",
         "Contoso - Serial lab",
         "0"},
        {{kLockdown, kLab},
         State::allow,
         "Contoso - Serial lab",
         "Contoso - RDS device lockdown",
         "1"},
    };
    for (const auto& c : cases) {
        INFO(c.winner);
        Estate e = load(gpos(c.order));
        CHECK(e.input_errors.empty());
        Decision d = com_ports(e);
        CHECK(d.effective == c.effective);
        const LayerOutcome& os = d.layers[0];
        CHECK(os.where.gpo_name == c.winner);
        REQUIRE(os.conflicts.size() == 1);
        CHECK(os.conflicts[0].rule == ConflictRule::order);
        CHECK(winner_of(os, os.conflicts[0]).gpo_name == c.winner);
        CHECK(loser_of(os, os.conflicts[0]).gpo_name == c.loser);
        const std::string short_text = "conflict: GPO `" + std::string(c.winner) +
                                       "` wins by order over GPO `" + c.loser +
                                       "` (fDisableCcm = " + c.loser_raw + ")";
        CHECK(describe_short(os, os.conflicts[0]) == short_text);
        CHECK(reason(d).find("; " + short_text) != std::string::npos);
        CHECK(describe(os, os.conflicts[0]) == "conflict: GPO `" + std::string(c.winner) +
                                                   "` wins by order over " +
                                                   describe(loser_of(os, os.conflicts[0])));
        auto j = to_json(d)["layers"][0]["conflicts"];
        REQUIRE(j.size() == 1);
        CHECK(j[0]["rule"] == "order");
        CHECK(j[0]["winner"]["gpoName"] == c.winner);
        CHECK(j[0]["overridden"]["gpoName"] == c.loser);
        CHECK(j[0]["overridden"]["raw"] == c.loser_raw);
        CHECK(j[0]["text"] == describe(os, os.conflicts[0]));
    }
}

TEST_CASE("a folder of several GPOs is an unreadable OS source: no order, the layer fails closed") {
    Estate e = load(gpos({kPolicies}));
    REQUIRE(e.input_errors.size() == 1);
    CHECK(e.input_errors[0].message ==
          kPolicies +
              ": holds 2 GPOs (`Contoso - RDS device lockdown` "
              "{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}, `Contoso - Serial lab` "
              "{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}), and Group Policy applies GPOs in link "
              "order, which a folder does not record: give each GPO's folder as its own source, "
              "lowest precedence first");
    CHECK(e.input_errors[0].layer == LayerId::os_policy);
    CHECK(e.input_errors[0].features.empty());
    Decision d = com_ports(e);
    CHECK(d.effective == State::deny);
    CHECK(d.layers[0].configured == State::error);
}

TEST_CASE("an invalid value read from a readable source is an input error of its features") {
    const std::string reg = temp_file("bad.reg",
                                      "Windows Registry Editor Version 5.00\r\n\r\n"
                                      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\"
                                      "Windows NT\\Terminal Services]\r\n"
                                      "\"fDisableCcm\"=dword:00000002\r\n"
                                      "\"fDisableClip\"=dword:00000001\r\n");
    EstateRequest req;
    req.os.push_back({OsSourceKind::reg, reg});
    req.client_props = "redirectcomports:i:1;redirectprinters:i:5";
    req.product = Product::rds;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    REQUIRE(e.input_errors.size() == 2);
    CHECK(e.input_errors[0].message ==
          reg + ": line 4: `fDisableCcm` = `2` is neither `0` (allow) nor `1` (deny)");
    CHECK(e.input_errors[0].layer == LayerId::os_policy);
    CHECK(e.input_errors[0].features == std::vector<std::string>{"com_ports"});
    CHECK(e.input_errors[1].message ==
          "--client-props: item 2: `redirectprinters:i:5`: value `5` is not 0 or 1");
    CHECK(e.input_errors[1].layer == LayerId::client);
    CHECK(e.input_errors[1].features == std::vector<std::string>{"printers"});
    CHECK(com_ports(e).effective == State::deny);
    CHECK(decide(e, {find_feature("clipboard")}).at(0).effective == State::deny);  // valid 1
    auto j = to_json(e, {});
    CHECK(j["errors"] ==
          nlohmann::json::array({e.input_errors[0].message, e.input_errors[1].message}));

    // A value only some clients use: an input error only where the decision uses it.
    const std::string platform = temp_file("platform.reg",
                                           "Windows Registry Editor Version 5.00\r\n\r\n"
                                           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\comredir\\"
                                           "Redirection]\r\n"
                                           "\"AllowNonWindowsClients\"=dword:00000005\r\n");
    EstateRequest clients;
    clients.os.push_back({OsSourceKind::reg, platform});
    clients.product = Product::linux_host;
    clients.client_os = ClientOs::windows;
    CHECK(load(clients).input_errors.empty());
    clients.client_os = ClientOs::linux_client;
    Estate linux_client = load(clients);
    REQUIRE(linux_client.input_errors.size() == 1);
    CHECK(linux_client.input_errors[0].message ==
          platform +
              ": line 4: `AllowNonWindowsClients` = `5` is neither `1` (enabled) nor `0` "
              "(disabled)");
    CHECK(linux_client.input_errors[0].layer == LayerId::platform);
    CHECK(linux_client.input_errors[0].features == std::vector<std::string>{"com_ports"});
}

TEST_CASE("an unreadable host pool store: the host is taken as a pool, that layer fails closed") {
    EstateRequest req;
    req.store_path = temp_file("broken.json", "{ not json");
    req.host = "pool1";
    req.product = Product::avd;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    CHECK(e.host_pool == "pool1");
    REQUIRE(e.input_errors.size() == 1);
    CHECK(e.input_errors[0].layer == LayerId::host_pool);
    CHECK(e.input_errors[0].message.rfind(*req.store_path + ": line 1: column 4: ", 0) == 0);
    Decision d = com_ports(e);
    CHECK(d.decided_by == LayerId::host_pool);
    CHECK(d.layers[1].configured == State::error);
    CHECK(d.layers[0].configured == State::not_configured);

    // A readable store without the host: still an unknown host.
    req.store_path = temp_file("ok.json", R"({"version": 1, "hostPools": []})");
    auto r = load_estate(req);
    CHECK(r.status == EstateStatus::unknown_host);
    CHECK(r.message ==
          "host `pool1` is not in any config nor in host pool store `" + *req.store_path + "`");
}

TEST_CASE("a linux host without a host pool store: the host-pool layer is not present") {
    auto config = [](const std::string& name, const std::string& extra, const std::string& host) {
        return temp_file(name, R"({"version": 1, )" + extra +
                                   R"("hosts": {"lab": {"product": "linux")" + host + "}}}");
    };
    EstateRequest req;
    req.config_path = config("linux-nostore.json", "", "");
    req.host = "lab";
    req.product = Product::linux_host;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    CHECK(e.input_errors.empty());
    CHECK_FALSE(e.host_pool_src.present);
    Decision d = com_ports(e);
    CHECK(d.effective == State::allow);
    CHECK(d.errors.empty());
    REQUIRE(d.layers[1].layer == LayerId::host_pool);
    CHECK(d.layers[1].configured == State::not_applicable);
    CHECK(d.layers[1].applied == State::not_applicable);
    CHECK(d.layers[1].where.detail ==
          "not present: product `linux` with no host pool store configured");
    const auto j = to_json(d);
    CHECK(j["layers"][1]["applied"] == "not_applicable");
    CHECK(j["layers"][1]["provenance"]["detail"] ==
          "not present: product `linux` with no host pool store configured");

    // A pool named for the host without a store: an error, the layer fails closed.
    req.config_path = config("linux-named.json", "", R"(, "hostPool": "pool9")");
    Estate named = load(req);
    REQUIRE(named.input_errors.size() == 1);
    CHECK(named.input_errors[0].message == "host pool `pool9`: no host pool store configured");
    CHECK(com_ports(named).effective == State::deny);

    // A configured store that cannot be read: fails closed, as before.
    req.config_path = config("linux-broken.json", R"("hostPoolStore": "missing-store.json", )", "");
    Estate broken = load(req);
    REQUIRE(broken.input_errors.size() == 1);
    CHECK(broken.input_errors[0].layer == LayerId::host_pool);
    CHECK(com_ports(broken).effective == State::deny);
}
