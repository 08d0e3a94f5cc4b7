// From raw source values to one layer's reading: registry polarity and bad values,
// User vs Computer levels, Intune choices, RDP property semantics.
#include <doctest/doctest.h>

#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/resolve/layers.hpp>

using namespace comredir::policy;

namespace {

const std::string kKey = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

RegValue dword(std::uint32_t v) {
    return RegValue{4, {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8), 0, 0}};
}

Provenance from(const std::string& file) {
    Provenance p;
    p.source = "registry.pol";
    p.file = file;
    return p;
}

IntuneValue intune(const std::string& id, const std::string& value,
                   const std::string& parent = "") {
    IntuneValue v;
    v.definition_id = id;
    v.value = value;
    v.parent_definition_id = parent;
    v.where.source = "intune";
    v.where.file = "policy.json";
    return v;
}

}  // namespace

TEST_CASE("registry values map through each policy's polarity") {
    struct Case {
        const char* feature;
        const char* value;
        std::uint32_t data;
        State want;
    };
    const Case cases[] = {
        {"com_ports", "fDisableCcm", 1, State::deny},
        {"com_ports", "fDisableCcm", 0, State::allow},
        {"smart_cards", "fEnableSmartCard", 0, State::deny},
        {"smart_cards", "fEnableSmartCard", 1, State::allow},
        {"audio_playback", "fDisableCam", 1, State::deny},
        {"time_zone", "fEnableTimeZoneRedirection", 1, State::allow},
        {"ui_automation", "EnableUiaRedirection", 0, State::deny},
        {"com_ports", "fDisableCcm", 2, State::error},
    };
    for (const auto& c : cases) {
        INFO(c.feature, " ", c.data);
        OsSources os;
        os.registry.set(kKey, c.value, dword(c.data), from("a.pol"));
        LayerReading r = read_os_layer(*find_feature(c.feature), os);
        CHECK(r.state == c.want);
        CHECK(r.where.admx_policy == find_feature(c.feature)->os.admx_policy);
    }
    OsSources os;
    os.registry.set(kKey, "fDisableCcm", dword(2), from("a.pol"));
    CHECK(read_os_layer(*find_feature("com_ports"), os).error ==
          "a.pol: `fDisableCcm` = `2` is neither `0` (allow) nor `1` (deny)");
}

TEST_CASE("a wrongly typed or sized registry value fails closed") {
    OsSources os;
    RegValue ten{4, std::vector<std::uint8_t>(10, 1)};
    os.registry.set(kKey, "fDisableCcm", ten, from("odd.pol"));
    LayerReading r = read_os_layer(*find_feature("com_ports"), os);
    CHECK(r.state == State::error);
    CHECK(r.error ==
          "odd.pol: `fDisableCcm` is REG_DWORD of 10 bytes, expected a 4-byte REG_DWORD");
}

TEST_CASE("a deleted value is not configured, and the note says who deleted it") {
    OsSources os;
    os.registry.set(kKey, "fDisableCcm", dword(1), from("a.pol"));
    Provenance del = from("b.pol");
    del.source = "gpo";
    del.gpo_name = "Cleanup";
    os.registry.delete_value(kKey, "fDisableCcm", del);
    LayerReading r = read_os_layer(*find_feature("com_ports"), os);
    CHECK(r.state == State::not_configured);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] == "TS_CLIENT_COM: `fDisableCcm` deleted by GPO `Cleanup` (not configured)");
}

TEST_CASE("a deletion's note names every kind of source") {
    struct Case {
        Provenance by;
        std::string note;
    };
    Provenance gpo = from("m.pol");
    gpo.source = "gpo";
    gpo.gpo_name = "Cleanup";
    Provenance what_if;  // `effective --set os:fDisableCcm=delete`: no file, no GPO
    what_if.source = "what-if";
    what_if.detail = "--set os:fDisableCcm=delete";
    Provenance bare;
    bare.source = "reg";
    const std::string head = "TS_CLIENT_COM: `fDisableCcm` deleted by ";
    const std::vector<Case> cases = {
        {gpo, head + "GPO `Cleanup` (not configured)"},
        {from("b.pol"), head + "b.pol (not configured)"},
        {what_if, head + "what-if `--set os:fDisableCcm=delete` (not configured)"},
        {bare, head + "reg (not configured)"},
        {Provenance{}, head + "an unnamed source (not configured)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.note);
        OsSources os;
        os.registry.set(kKey, "fDisableCcm", dword(1), from("a.pol"));
        os.registry.delete_value(kKey, "fDisableCcm", c.by);
        LayerReading r = read_os_layer(*find_feature("com_ports"), os);
        REQUIRE(r.notes.size() == 1);
        CHECK(r.notes[0] == c.note);
    }
}

TEST_CASE("clipboard levels: the stricter of Computer and User wins") {
    OsSources os;
    os.registry.set(kKey, "SCClipLevel", dword(3), from("m.pol"));
    os.registry.set("HKCU\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
                    "SCClipLevel", dword(1), from("u.pol"));
    LayerReading r = read_os_layer(*find_feature("clipboard_server_to_client"), os);
    CHECK(r.level == 1);
    CHECK(r.where.file == "u.pol");
    REQUIRE(r.overridden.size() == 1);
    CHECK(r.overridden[0].file == "m.pol");
    os.registry.set(kKey, "SCClipLevel", dword(9), from("m.pol"));
    CHECK(read_os_layer(*find_feature("clipboard_server_to_client"), os).state == State::error);
}

TEST_CASE("intune choices: _1 enabled, _0 disabled, unknown fails closed, conflicts fail closed") {
    const std::string com = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com";
    OsSources os;
    os.intune.push_back(intune(com, com + "_1"));
    CHECK(read_os_layer(*find_feature("com_ports"), os).state == State::deny);
    os.intune[0].value = com + "_0";
    CHECK(read_os_layer(*find_feature("com_ports"), os).state == State::allow);
    os.intune[0].value = com + "_7";
    CHECK(read_os_layer(*find_feature("com_ports"), os).state == State::error);
    os.intune[0].value = com + "_1";
    os.intune.push_back(intune(com, com + "_0"));
    LayerReading r = read_os_layer(*find_feature("com_ports"), os);
    CHECK(r.state == State::error);
    CHECK(r.error.rfind("intune: conflicting values for `" + com + "`", 0) == 0);

    const std::string sc =
        "device_vendor_msft_policy_config_remotedesktopservices_"
        "limitservertoclientclipboardredirection";
    OsSources lv;
    lv.intune.push_back(intune(sc, sc + "_1"));
    lv.intune.push_back(intune(sc + "_ts_sc_clipboard_restriction_text",
                               sc + "_ts_sc_clipboard_restriction_text_2", sc));
    LayerReading l = read_os_layer(*find_feature("clipboard_server_to_client"), lv);
    CHECK(l.level == 2);
    CHECK(l.state == State::allow);
}

TEST_CASE("an OS source error fails the layer closed with every message") {
    OsSources os;
    os.errors = {"a.pol: offset 0x8: expected `[`", "b.json: line 3: column 1: invalid JSON"};
    LayerReading r = read_os_layer(*find_feature("com_ports"), os);
    CHECK(r.state == State::error);
    CHECK(r.error == "a.pol: offset 0x8: expected `[`; b.json: line 3: column 1: invalid JSON");
}

TEST_CASE("RDP property semantics") {
    struct Case {
        const char* feature;
        const char* props;
        State want;
    };
    const Case cases[] = {
        {"com_ports", "redirectcomports:i:1", State::allow},
        {"com_ports", "redirectcomports:i:0", State::deny},
        {"com_ports", "redirectcomports:i:2", State::error},
        {"com_ports", "redirectcomports:s:1", State::error},
        {"com_ports", "screen mode id:i:2", State::not_configured},
        {"com_ports", "REDIRECTCOMPORTS:i:0", State::deny},
        {"com_ports", "redirectcomports:i:1;redirectcomports:i:0", State::allow},
        {"audio_playback", "audiomode:i:0", State::allow},
        {"audio_playback", "audiomode:i:2", State::deny},
        {"audio_playback", "audiomode:i:3", State::error},
        {"drives", "drivestoredirect:s:", State::deny},
        {"drives", "drivestoredirect:s:C:\\;E:\\;", State::allow},
        {"time_zone", "redirectcomports:i:1", State::not_applicable},
    };
    for (const auto& c : cases) {
        INFO(c.feature, " ", c.props);
        auto parsed = parse_rdp_properties(c.props);
        REQUIRE(parsed.ok());
        PropertySources src;
        src.props = &parsed.file;
        src.base.source = "hostpool";
        src.base.host_pool = "p";
        LayerReading r = read_property_layer(*find_feature(c.feature), src);
        CHECK(r.state == c.want);
    }
    auto parsed = parse_rdp_properties("redirectcomports:i:1;redirectcomports:i:0");
    PropertySources src;
    src.props = &parsed.file;
    src.base.source = "hostpool";
    src.base.host_pool = "p";
    LayerReading r = read_property_layer(*find_feature("com_ports"), src);
    CHECK(r.where.line == 1u);
    CHECK(r.notes == std::vector<std::string>{"host pool `p`: `redirectcomports` appears 2 times; "
                                              "the first one counts (as FreeRDP reads it)"});
    PropertySources none;
    CHECK(read_property_layer(*find_feature("com_ports"), none).state == State::not_configured);
}

TEST_CASE("comredir's policies in the OS layer: com_ports only, errors joined, deletions noted") {
    const std::string redir = "HKLM\\SOFTWARE\\Policies\\comredir\\Redirection";
    const Feature& com = *find_feature("com_ports");
    OsSources os;
    os.registry.set(redir, "DisableComPortRedirection", dword(1), from("c.pol"));
    os.registry.set(redir, "AllowNonWindowsClients", dword(0), from("c.pol"));
    CHECK(read_os_layer(com, os).state == State::deny);
    CHECK(read_os_layer(com, os).where.admx_policy == "DenyComRedirection");
    CHECK(read_platform_policy(com, os).state == State::deny);
    CHECK(read_platform_policy(com, os).where.admx_policy == "AllowNonWindowsClients");
    // Other features do not read them.
    const Feature& clip = *find_feature("clipboard");
    CHECK(read_os_layer(clip, os).state == State::not_configured);
    CHECK(read_platform_policy(clip, os).state == State::not_configured);
    FeatureInputs in = read_layers(clip, os, PropertySources{}, PropertySources{});
    CHECK_FALSE(in.platform);
    in = read_layers(com, os, PropertySources{}, PropertySources{});
    CHECK(in.os.state == State::deny);
    REQUIRE(in.platform);
    CHECK(in.platform->state == State::deny);

    // Two bad values in the same layer: both are reported.
    os.registry.set(kKey, "fDisableCcm", dword(2), from("a.pol"));
    os.registry.set(redir, "DisableComPortRedirection", dword(5), from("c.pol"));
    LayerReading r = read_os_layer(com, os);
    CHECK(r.state == State::error);
    CHECK(r.error ==
          "a.pol: `fDisableCcm` = `2` is neither `0` (allow) nor `1` (deny); c.pol: "
          "`DisableComPortRedirection` = `5` is neither `1` (enabled) nor `0` (disabled)");

    // A deleted comredir value is not configured, and the note says who deleted it.
    OsSources del;
    del.registry.set(redir, "DisableComPortRedirection", dword(1), from("c.pol"));
    Provenance cleanup = from("d.pol");
    cleanup.gpo_name = "Cleanup";
    del.registry.delete_value(redir, "DisableComPortRedirection", cleanup);
    r = read_os_layer(com, del);
    CHECK(r.state == State::not_configured);
    CHECK(r.notes == std::vector<std::string>{"DenyComRedirection: `DisableComPortRedirection` "
                                              "deleted by GPO `Cleanup` (not configured)"});

    // An unreadable OS source: the OS layer fails closed; the platform policy stays silent.
    os.errors = {"x.pol: offset 0x8: expected `[`"};
    CHECK(read_os_layer(com, os).error == "x.pol: offset 0x8: expected `[`");
    CHECK(read_platform_policy(com, os).state == State::not_configured);
}

TEST_CASE("conflicts: sources of the OS layer that set a policy differently, with the rule") {
    const Feature& com = *find_feature("com_ports");
    auto gpo = [](const std::string& name, std::uint64_t offset) {
        Provenance p = from(name + ".pol");
        p.source = "gpo";
        p.gpo_name = name;
        p.offset = offset;
        return p;
    };
    auto set = [&](OsSources& os, const std::string& name, std::uint32_t v) {
        Provenance p = gpo(name, 8);
        p.raw = std::to_string(v);
        os.registry.set(kKey, "fDisableCcm", dword(v), p);
    };

    // Processing order: the later GPO wins; the earlier one with another value is a conflict.
    for (bool lockdown_last : {true, false}) {
        INFO("lockdown last: ", lockdown_last);
        OsSources os;
        set(os, lockdown_last ? "Lab" : "Lockdown", lockdown_last ? 0 : 1);
        set(os, lockdown_last ? "Lockdown" : "Lab", lockdown_last ? 1 : 0);
        LayerReading r = read_os_layer(com, os);
        CHECK(r.state == (lockdown_last ? State::deny : State::allow));
        REQUIRE(r.overridden.size() == 1);
        REQUIRE(r.conflicts.size() == 1);
        CHECK(r.conflicts[0].rule == ConflictRule::order);
        CHECK(r.conflicts[0].overridden == 0u);
        CHECK_FALSE(r.conflicts[0].winner.has_value());  // the layer's own setting
        CHECK(winner_of(r, r.conflicts[0]).gpo_name == (lockdown_last ? "Lockdown" : "Lab"));
        CHECK(loser_of(r, r.conflicts[0]).gpo_name == (lockdown_last ? "Lab" : "Lockdown"));
    }

    // The same value twice: overridden, no conflict. Three writes: only those that differ.
    OsSources same;
    set(same, "Local", 0);
    set(same, "Lab", 0);
    CHECK(read_os_layer(com, same).overridden.size() == 1);
    CHECK(read_os_layer(com, same).conflicts.empty());
    set(same, "Lockdown", 1);
    LayerReading three = read_os_layer(com, same);
    CHECK(three.overridden.size() == 2);
    REQUIRE(three.conflicts.size() == 2);
    CHECK(loser_of(three, three.conflicts[0]).gpo_name == "Local");
    CHECK(loser_of(three, three.conflicts[1]).gpo_name == "Lab");

    // Intune against Group Policy: labelled by MDMWinsOverGP, not by order.
    const std::string id = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com";
    OsSources mixed;
    set(mixed, "Lab", 0);
    mixed.intune.push_back(intune(id, id + "_1"));
    LayerReading gp_wins = read_os_layer(com, mixed);
    CHECK(gp_wins.state == State::allow);
    REQUIRE(gp_wins.conflicts.size() == 1);
    CHECK(gp_wins.conflicts[0].rule == ConflictRule::gp_wins);
    CHECK(loser_of(gp_wins, gp_wins.conflicts[0]).source == "intune");
    mixed.mdm_wins = true;
    LayerReading mdm_wins = read_os_layer(com, mixed);
    CHECK(mdm_wins.state == State::deny);
    REQUIRE(mdm_wins.conflicts.size() == 1);
    CHECK(mdm_wins.conflicts[0].rule == ConflictRule::mdm_wins);
    CHECK(loser_of(mdm_wins, mdm_wins.conflicts[0]).gpo_name == "Lab");
    // Group Policy's own order conflict stays, its winner now among Intune's overridden.
    set(mixed, "Lockdown", 1);
    LayerReading nested = read_os_layer(com, mixed);
    CHECK(nested.state == State::deny);  // Intune `_1` and the lockdown agree: no Intune conflict
    REQUIRE(nested.overridden.size() == 2);
    REQUIRE(nested.conflicts.size() == 1);
    CHECK(nested.conflicts[0].rule == ConflictRule::order);
    CHECK(winner_of(nested, nested.conflicts[0]).gpo_name == "Lockdown");
    CHECK(loser_of(nested, nested.conflicts[0]).gpo_name == "Lab");
    mixed.intune[0].value = id + "_0";  // allow: conflicts with the lockdown, not with Lab
    LayerReading both = read_os_layer(com, mixed);
    CHECK(both.state == State::allow);  // MDMWinsOverGP still set: Intune wins
    REQUIRE(both.conflicts.size() == 2);
    CHECK(both.conflicts[0].rule == ConflictRule::mdm_wins);
    CHECK(loser_of(both, both.conflicts[0]).gpo_name == "Lockdown");
    CHECK(both.conflicts[1].rule == ConflictRule::order);
    OsSources agree;
    set(agree, "Lab", 0);
    agree.intune.push_back(intune(id, id + "_0"));  // both allow: overridden, no conflict
    CHECK(read_os_layer(com, agree).conflicts.empty());
    CHECK(read_os_layer(com, agree).overridden.size() == 1);

    // A policy of class Both: the stricter of Computer and User, whichever hive holds it.
    const Feature& sc = *find_feature("clipboard_server_to_client");
    const std::string user_key =
        "HKCU\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
    for (bool user_stricter : {true, false}) {
        INFO("user stricter: ", user_stricter);
        OsSources os;
        os.registry.set(kKey, "SCClipLevel", dword(user_stricter ? 3 : 1), from("m.pol"));
        os.registry.set(user_key, "SCClipLevel", dword(user_stricter ? 1 : 3), from("u.pol"));
        LayerReading r = read_os_layer(sc, os);
        CHECK(r.level == 1);
        CHECK(r.where.file == (user_stricter ? "u.pol" : "m.pol"));
        REQUIRE(r.overridden.size() == 1);
        REQUIRE(r.conflicts.size() == 1);
        CHECK(r.conflicts[0].rule == ConflictRule::stricter);
        CHECK(loser_of(r, r.conflicts[0]).file == (user_stricter ? "m.pol" : "u.pol"));
    }
}

TEST_CASE("a bad registry value's error names the file and the offset or line") {
    const Feature& com = *find_feature("com_ports");
    Provenance pol = from("a.pol");
    pol.offset = 0xac;
    Provenance reg = from("b.reg");
    reg.source = "reg";
    reg.line = 4;
    const std::vector<std::uint8_t> sz{'1', 0, 0, 0};
    struct Case {
        Provenance where;
        RegValue value;
        const char* error;
    };
    const Case cases[] = {
        {pol, RegValue{1, sz},
         "a.pol: offset 0xac: `fDisableCcm` is REG_SZ of 4 bytes, expected a 4-byte REG_DWORD"},
        {pol, dword(2),
         "a.pol: offset 0xac: `fDisableCcm` = `2` is neither `0` (allow) nor `1` (deny)"},
        {pol, RegValue{4, {1, 0}},
         "a.pol: offset 0xac: `fDisableCcm` is REG_DWORD of 2 bytes, expected a 4-byte REG_DWORD"},
        {pol, RegValue{11, {1, 0, 0, 0, 0, 0, 0, 0}},
         "a.pol: offset 0xac: `fDisableCcm` is REG_QWORD of 8 bytes, expected a 4-byte REG_DWORD"},
        {reg, RegValue{1, sz},
         "b.reg: line 4: `fDisableCcm` is REG_SZ of 4 bytes, expected a 4-byte REG_DWORD"},
    };
    for (const auto& c : cases) {
        INFO(c.error);
        OsSources os;
        os.registry.set(kKey, "fDisableCcm", c.value, c.where);
        LayerReading r = read_os_layer(com, os);
        CHECK(r.state == State::error);
        CHECK(r.error == c.error);
    }
}
