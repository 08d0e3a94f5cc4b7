// The feature catalog against its sources: every OS binding is checked against
// Microsoft's TerminalServer.admx / .adml (policy, key, value name, the values
// Enabled and Disabled write, class, display name) — or, for comredir's own feature (the
// serial console), against admx/comredir.admx — and the table's own invariants.
#include <doctest/doctest.h>

#include <comredir/policy/resolve/catalog.hpp>
#include <pugixml.hpp>
#include <set>
#include <string>

#include "test_util.hpp"

using namespace comredir::policy;

namespace {

struct Admx {
    pugi::xml_document admx, adml;
    Admx(const std::string& admx_path, const std::string& adml_path) {
        REQUIRE(admx.load_file(admx_path.c_str()));
        REQUIRE(adml.load_file(adml_path.c_str()));
    }
    pugi::xml_node policy(std::string_view name) const {
        for (auto p : admx.child("policyDefinitions").child("policies").children("policy")) {
            if (name == p.attribute("name").value()) return p;
        }
        return {};
    }
    std::string string(std::string ref) const {  // `$(string.X)` -> text
        REQUIRE(ref.rfind("$(string.", 0) == 0);
        std::string id = ref.substr(9, ref.size() - 10);
        for (auto s : adml.child("policyDefinitionResources")
                          .child("resources")
                          .child("stringTable")
                          .children("string")) {
            if (id == s.attribute("id").value()) return s.text().as_string();
        }
        FAIL("string `" << id << "` missing from the ADML");
        return {};
    }
};

std::string decimal(const pugi::xml_node& policy, const char* which) {
    return policy.child(which).child("decimal").attribute("value").value();
}

}  // namespace

TEST_CASE("every OS binding matches Microsoft's ADMX and ADML") {
    const Admx microsoft(comredir::test::shared_data("admx/TerminalServer.admx"),
                         comredir::test::shared_data("admx/en-US/TerminalServer.adml"));
    const Admx ours(std::string(COMREDIR_SOURCE_DIR) + "/admx/comredir.admx",
                    std::string(COMREDIR_SOURCE_DIR) + "/admx/en-US/comredir.adml");
    for (const auto& f : features()) {
        INFO(f.id);
        const bool own = f.os.key.starts_with("SOFTWARE\\Policies\\comredir");
        const Admx& src = own ? ours : microsoft;
        CHECK(own == !f.only_on.empty());
        pugi::xml_node p = src.policy(f.os.admx_policy);
        REQUIRE(p);
        CHECK(std::string(p.attribute("key").value()) == f.os.key);
        CHECK(src.string(p.attribute("displayName").value()) == f.os.display_name);
        std::string cls = p.attribute("class").value();
        CHECK(cls == (f.os.user_class_too ? "Both" : "Machine"));
        if (f.kind == ValueKind::level) {
            pugi::xml_node e = p.child("elements").child("enum");
            CHECK(std::string(e.attribute("valueName").value()) == f.os.value_name);
            std::set<std::string> values;
            for (auto item : e.children("item"))
                values.insert(item.child("value").child("decimal").attribute("value").value());
            CHECK(values == std::set<std::string>{"0", "1", "2", "3", "4"});
            continue;
        }
        CHECK(std::string(p.attribute("valueName").value()) == f.os.value_name);
        std::string enabled = decimal(p, "enabledValue");
        std::string disabled = decimal(p, "disabledValue");
        std::string deny = std::to_string(f.os.deny_value);
        std::string allow = std::to_string(f.os.allow_value);
        CHECK(enabled == (f.os.enabled_denies ? deny : allow));
        CHECK(disabled == (f.os.enabled_denies ? allow : deny));
    }
}

TEST_CASE("the inverted policies are the ones DOMAIN.md names") {
    // Enabled permits redirection (or writes 0 to deny): smart card, audio, capture, time zone,
    // UIA.
    std::set<std::string> inverted;
    for (const auto& f : features()) {
        bool inv = !f.os.enabled_denies || f.os.deny_value == 0;
        // (comredir's own serial console is not a Terminal Services policy)
        if (inv && f.kind != ValueKind::level && f.only_on.empty())
            inverted.insert(std::string(f.id));
    }
    CHECK(inverted == std::set<std::string>{"smart_cards", "audio_playback", "audio_capture",
                                            "time_zone", "ui_automation"});
}

TEST_CASE("table invariants") {
    std::set<std::string_view> ids;
    for (const auto& f : features()) {
        INFO(f.id);
        CHECK(ids.insert(f.id).second);
        CHECK(f.defaults.size() == 5);
        for (Product p : kAllProducts) CHECK(defaults_for(f, p).product == p);
        CHECK_FALSE(f.os.source.empty());
        CHECK_FALSE(f.rdp.source.empty());
        CHECK((f.rdp.semantics == RdpSemantics::none) == f.rdp.property.empty());
        CHECK((f.rdp.semantics == RdpSemantics::list) == (f.kind == ValueKind::list));
        CHECK(f.os.intune_ids.empty() == !f.only_on.empty());  // comredir's own: no Intune id
        for (auto id : f.os.intune_ids)
            CHECK(id.rfind("device_vendor_msft_policy_config_", 0) == 0);
    }
    CHECK(features().front().id == "com_ports");
    CHECK(features().size() == 18);
    CHECK(features().back().id == "serial_console");
    CHECK(applies_to(features().back(), Product::linux_host));
    CHECK_FALSE(applies_to(features().back(), Product::avd));
    CHECK(applies_to(features().front(), Product::avd));
    CHECK(find_feature("com_ports")->comredir_linux_host);
    CHECK(find_feature("nope") == nullptr);
    // Microsoft's clients redirect serial ports only from Windows.
    const Feature& com = *find_feature("com_ports");
    for (ClientOs os : kAllClientOs)
        CHECK(platform_supported(com, Product::avd, os) == (os == ClientOs::windows));
    for (ClientOs os : kAllClientOs) CHECK(platform_supported(com, Product::linux_host, os));
}
