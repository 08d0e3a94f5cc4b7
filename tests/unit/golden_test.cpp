// Golden decisions on the real public files in ../shared/data, through the whole
// path: readers -> layer readings -> resolver.
#include <doctest/doctest.h>

#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;

namespace {

const std::string kT0x01 = shared_data("gpo/t0x01/{40144D25-C0AB-42E5-B1FB-D89261259A27}");
const std::string kT0x01Pol = kT0x01 + "/DomainSysvol/GPO/Machine/registry.pol";
const std::string kIntune = shared_data("intune/w365-resource-redirection.native.json");

Decision one(const Estate& e, const char* feature) {
    return decide(e, {find_feature(feature)}).at(0);
}

Estate load(EstateRequest req) {
    auto r = load_estate(req);
    REQUIRE_MESSAGE(r.ok(), r.message);
    return std::move(r.estate);
}

std::string temp_file(const std::string& name, const std::vector<std::uint8_t>& bytes) {
    auto dir = std::filesystem::temp_directory_path() / "comredir-golden";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return p;
}

}  // namespace

TEST_CASE(
    "t0x01 GPO: COM denied by that GPO, named; smart cards allowed through the inverted value") {
    EstateRequest req;
    req.os.push_back({OsSourceKind::gpo, kT0x01});
    req.product = Product::avd;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    CHECK(e.input_errors.empty());

    Decision com = one(e, "com_ports");
    CHECK(com.effective == State::deny);
    CHECK(com.decided_by == LayerId::os_policy);
    const Provenance& w = com.layers[0].where;
    CHECK(w.source == "gpo");
    CHECK(w.gpo_name == "Remote Desktop Service");
    CHECK(w.gpo_guid == "{39D5A6AA-3C00-4A7A-B932-CBAA0099455F}");
    CHECK(w.file == kT0x01Pol);
    CHECK(w.registry_value == "fDisableCcm");
    CHECK(w.registry_key == "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services");
    CHECK(w.admx_policy == "TS_CLIENT_COM");
    CHECK(w.admx_display_name == "Do not allow COM port redirection");
    CHECK(w.raw == "1");
    CHECK(w.offset == 0x7b0u);
    CHECK(reason(com) ==
          "GPO `Remote Desktop Service` {39D5A6AA-3C00-4A7A-B932-CBAA0099455F}: `Do not allow COM "
          "port redirection` "
          "(TS_CLIENT_COM) Enabled: fDisableCcm = 1 (" +
              kT0x01Pol + " offset 0x7b0)");

    Decision sc = one(e, "smart_cards");
    CHECK(sc.effective == State::allow);
    CHECK(sc.decided_by == LayerId::os_policy);
    CHECK_FALSE(sc.decided_by_default);
    CHECK(sc.layers[0].where.registry_value == "fEnableSmartCard");
    CHECK(sc.layers[0].where.raw == "1");
    CHECK(describe(sc.layers[0].where).find("(TS_SMART_CARD) Disabled") != std::string::npos);

    // The rest of the redirection policies in the same GPO, as GPMC reports them.
    struct Want {
        const char* feature;
        State effective;
    };
    for (Want want : {Want{"drives", State::deny}, Want{"lpt_ports", State::deny},
                      Want{"pnp_devices", State::deny}, Want{"location", State::deny},
                      Want{"webauthn", State::deny}, Want{"ui_automation", State::deny},
                      Want{"clipboard", State::allow}, Want{"printers", State::allow}}) {
        INFO(want.feature);
        Decision d = one(e, want.feature);
        CHECK(d.effective == want.effective);
        CHECK(d.decided_by == LayerId::os_policy);
    }
}

TEST_CASE(
    "the real Intune export: ts_client_com_1 denies COM; levels and inverted audio map through") {
    EstateRequest req;
    req.os.push_back({OsSourceKind::intune, kIntune});
    req.product = Product::w365;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    Decision com = one(e, "com_ports");
    CHECK(com.effective == State::deny);
    CHECK(com.decided_by == LayerId::os_policy);
    CHECK(com.layers[0].where.source == "intune");
    CHECK(com.layers[0].where.intune_setting ==
          "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com");
    CHECK(com.layers[0].where.raw ==
          "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com_1");

    CHECK(one(e, "audio_playback").effective == State::allow);  // "Allow audio..." Enabled
    CHECK_FALSE(one(e, "audio_playback").decided_by_default);
    CHECK(one(e, "audio_capture").effective == State::allow);
    CHECK(one(e, "drives").effective ==
          State::deny);  // remotedesktopservices_donotallowdriveredirection_1
    CHECK(one(e, "lpt_ports").effective == State::deny);
    CHECK(one(e, "pnp_devices").effective == State::deny);
    CHECK(one(e, "time_zone").effective == State::allow);  // "Allow time zone redirection" Enabled
    Decision sc = one(e, "clipboard_server_to_client");    // limit... _1 with child level _0
    CHECK(sc.effective == State::deny);
    CHECK(sc.level == 0);
}

TEST_CASE("Group Policy beats Intune unless MDMWinsOverGP") {
    // t0x01 denies COM by GP; an Intune export that allows it (we made it) loses, then wins with
    // mdm_wins.
    std::string allow =
        R"({"name":"allow com","settings":[{"settingInstance":{"settingDefinitionId":
        "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com","choiceSettingValue":{"value":
        "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com_0","children":[]}}}]})";
    std::string path =
        temp_file("intune-allow-com.json", std::vector<std::uint8_t>(allow.begin(), allow.end()));
    EstateRequest req;
    req.os = {{OsSourceKind::gpo, kT0x01}, {OsSourceKind::intune, path}};
    req.product = Product::w365;
    req.client_os = ClientOs::windows;
    Decision gp = one(load(req), "com_ports");
    CHECK(gp.effective == State::deny);
    CHECK(gp.layers[0].where.source == "gpo");
    REQUIRE(gp.layers[0].overridden.size() == 1);
    CHECK(gp.layers[0].overridden[0].source == "intune");
    req.mdm_wins = true;
    Decision mdm = one(load(req), "com_ports");
    CHECK(mdm.effective == State::allow);
    CHECK(mdm.layers[0].where.source == "intune");
}

TEST_CASE("FreeRDP's AVD files and the UTF-16 mstsc file as client layers") {
    for (const char* f :
         {"rdp/freerdp-avd-test1.rdp", "rdp/freerdp-avd-test2.rdp", "rdp/freerdp-avd-test3.rdp"}) {
        INFO(f);
        EstateRequest req;
        req.rdp = shared_data(f);
        req.product = Product::avd;
        req.client_os = ClientOs::windows;
        Estate e = load(req);
        CHECK(e.input_errors.empty());
        Decision com = one(e, "com_ports");
        CHECK(com.effective == State::allow);
        CHECK(com.decided_by == LayerId::client);
        CHECK(com.layers[2].where.rdp_property == "redirectcomports:i:1");
        Decision cam = one(e, "camera");
        CHECK(cam.list->to_string() == "*");
        CHECK(one(e, "location").layers[2].configured == State::allow);  // redirectlocation:i:1
        CHECK(one(e, "location").effective == State::deny);              // AVD host-pool default 0
        CHECK(one(e, "location").decided_by == LayerId::host_pool);
    }
    EstateRequest req;
    req.rdp = shared_data("rdp/freerdp-mstsc-utf16.rdp");
    req.product = Product::rds;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    CHECK(e.client_file->encoding == RdpEncoding::utf16le_bom);
    Decision com = one(e, "com_ports");
    CHECK(com.effective == State::deny);
    CHECK(com.decided_by == LayerId::client);
    CHECK(com.layers[2].where.rdp_property == "redirectcomports:i:0");
    CHECK(com.layers[2].where.line.has_value());
    CHECK(one(e, "drives").list->to_string() == "*");
}

TEST_CASE("the avdaccelerator host-pool string") {
    auto bytes = comredir::test::slurp(shared_data("hostpool/avd-accelerator-default.txt"));
    std::string props(bytes.begin(), bytes.end());
    while (!props.empty() && (props.back() == '\n' || props.back() == '\r')) props.pop_back();
    std::string store =
        R"({"version":1,"hostPools":[{"name":"accel","product":"avd","customRdpProperty":)" +
        nlohmann::json(props).dump() + "}]}";
    std::string path =
        temp_file("store.json", std::vector<std::uint8_t>(store.begin(), store.end()));
    EstateRequest req;
    req.store_path = path;
    req.host = "accel";
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    CHECK(e.product == Product::avd);
    CHECK(one(e, "com_ports").effective == State::allow);
    CHECK(one(e, "com_ports").decided_by == LayerId::host_pool);
    Decision drives = one(e, "drives");  // drivestoredirect:s: (empty) = no drives
    CHECK(drives.effective == State::deny);
    CHECK(drives.decided_by == LayerId::host_pool);
    CHECK(drives.layers[1].where.rdp_property == "drivestoredirect:s:");
    CHECK(one(e, "audio_capture").effective ==
          State::allow);  // audiocapturemode:i:1 beats the default 0
}

TEST_CASE("fail closed: a corrupt source denies its layer's features, the rest still resolve") {
    auto pol = comredir::test::slurp(kT0x01Pol);
    pol.resize(pol.size() / 2);
    std::string cut = temp_file("truncated.pol", pol);
    EstateRequest req;
    req.os.push_back({OsSourceKind::pol, cut});
    req.rdp = shared_data("rdp/freerdp-avd-test1.rdp");
    req.product = Product::avd;
    req.client_os = ClientOs::windows;
    Estate e = load(req);
    REQUIRE(e.input_errors.size() == 1);
    CHECK(e.input_errors[0].message.rfind(cut + ": offset 0x", 0) == 0);
    CHECK(e.input_errors[0].features.empty());
    for (const auto& d : decide(e)) {
        INFO(d.feature);
        CHECK(d.effective == State::deny);
        CHECK(d.decided_by == LayerId::os_policy);
        REQUIRE(d.errors.size() == 1);
    }

    std::string bad = "redirectcomports:i:1\nredirectclipboard:i:x\n";
    std::string rdp = temp_file("bad.rdp", std::vector<std::uint8_t>(bad.begin(), bad.end()));
    EstateRequest r2;
    r2.rdp = rdp;
    r2.product = Product::avd;
    r2.client_os = ClientOs::windows;
    Estate e2 = load(r2);
    REQUIRE(e2.input_errors.size() == 1);
    CHECK(e2.input_errors[0].message.find(rdp + ": line 2") == 0);
    CHECK(e2.input_errors[0].layer == LayerId::client);
    Decision com = one(e2, "com_ports");
    CHECK(com.effective == State::deny);
    CHECK(com.decided_by == LayerId::client);
    Decision tz = one(e2, "ui_automation");  // no RDP property: unaffected by the client file
    CHECK(tz.effective == State::allow);
    CHECK(tz.errors.empty());

    EstateRequest r3;
    r3.os.push_back({OsSourceKind::gpo, "/nonexistent/gpo"});
    r3.product = Product::avd;
    Estate e3 = load(r3);
    REQUIRE(e3.input_errors.size() == 1);
    CHECK(one(e3, "com_ports").effective == State::deny);
}
