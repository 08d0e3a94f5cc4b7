// Intune export edits (intune_edit.hpp): exact bytes on the real export, every other byte
// kept, values read back, errors named.
#include <doctest/doctest.h>

#include <comredir/policy/intune.hpp>
#include <comredir/policy/intune_edit.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace cp = comredir::policy;
using Action = cp::IntuneEdit::Action;

namespace {

const std::string com = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com";
const std::string cam =
    "device_vendor_msft_policy_config_admx_terminalserver_ts_camera_redirection";

std::vector<std::uint8_t> real() {
    return comredir::test::slurp(
        comredir::test::shared_data("intune/w365-resource-redirection.native.json"));
}

std::string text_of(const std::vector<std::uint8_t>& b) {
    return {b.begin(), b.end()};
}

std::vector<std::uint8_t> bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
}

std::string value_of(const std::vector<std::uint8_t>& file, const std::string& id) {
    const auto r = cp::parse_intune(file);
    REQUIRE_MESSAGE(r.ok(), r.message);
    for (const auto& s : r.file.policies.at(0).settings)
        if (s.definition_id == id) return s.value;
    return "<absent>";
}

}  // namespace

TEST_CASE("set an existing choice setting: one token changes, set back restores the bytes") {
    const auto orig = real();
    const auto e = cp::intune_set(orig, "com_ports", "disabled");
    REQUIRE_MESSAGE(e.ok(), e.message);
    CHECK(e.action == Action::replaced);
    CHECK(e.changed);
    CHECK(e.definition_id == com);
    CHECK(e.previous == com + "_1");
    CHECK(e.value == com + "_0");
    CHECK(e.pointer == "/settings/3/settingInstance");
    CHECK(e.policy == "Win365 - OIB - Device Security - D - Resource Redirection - v1.0");
    CHECK(e.bytes.size() == orig.size());
    const std::string a = text_of(orig), b = text_of(e.bytes);
    const auto diff = a.find(com + "_1");
    CHECK(b.substr(0, diff) == a.substr(0, diff));  // BOM and everything before kept
    CHECK(value_of(e.bytes, com) == com + "_0");

    const auto back = cp::intune_set(e.bytes, com, "1");
    REQUIRE(back.ok());
    CHECK(back.bytes == orig);
    const auto same = cp::intune_set(orig, com, com + "_1");
    CHECK(same.action == Action::unchanged);
    CHECK_FALSE(same.changed);
    CHECK(same.bytes == orig);
}

TEST_CASE("add a missing setting in the file's style, then unset it: the bytes come back") {
    const auto orig = real();
    const auto add = cp::intune_set(orig, cam, "enabled");
    REQUIRE_MESSAGE(add.ok(), add.message);
    CHECK(add.action == Action::added);
    CHECK(value_of(add.bytes, cam) == cam + "_1");
    const std::string t = text_of(add.bytes);
    CHECK(t.find("\"settingCount\": 9,") != std::string::npos);
    CHECK(t.find(
              "      {\n        \"id\": \"8\",\n        \"settingInstance\": {\n          "
              "\"@odata.type\": "
              "\"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance\",\n          "
              "\"settingDefinitionId\": \"" +
              cam + "\",") != std::string::npos);
    const auto del = cp::intune_unset(add.bytes, cam);
    REQUIRE_MESSAGE(del.ok(), del.message);
    CHECK(del.action == Action::removed);
    CHECK(del.bytes == orig);
}

TEST_CASE("unset a middle setting and a missing one") {
    const auto orig = real();
    const auto del = cp::intune_unset(orig, com);
    REQUIRE_MESSAGE(del.ok(), del.message);
    CHECK(del.action == Action::removed);
    CHECK(value_of(del.bytes, com) == "<absent>");
    CHECK(text_of(del.bytes).find("\"settingCount\": 7,") != std::string::npos);
    const auto none = cp::intune_unset(del.bytes, com);
    REQUIRE(none.ok());
    CHECK(none.action == Action::unchanged);
    CHECK(none.bytes == del.bytes);
}

TEST_CASE("compact and CRLF files keep their style; lists need --policy") {
    const std::string crlf =
        "{\r\n  \"name\": \"p\",\r\n  \"settings\": [\r\n    {\r\n      \"settingInstance\": "
        "{\"@odata.type\": "
        "\"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance\", "
        "\"settingDefinitionId\": \"" +
        com + "\", \"choiceSettingValue\": {\"value\": \"" + com +
        "_1\", \"children\": []}}\r\n    }\r\n  ]\r\n}\r\n";
    const auto add = cp::intune_set(bytes_of(crlf), cam, "0");
    REQUIRE_MESSAGE(add.ok(), add.message);
    const std::string t = text_of(add.bytes);
    CHECK(t.find("\n") == t.find("\r\n") + 1);
    CHECK(t.find(std::string("    },\r\n    {\r\n      \"settingInstance\": {\r\n")) !=
          std::string::npos);
    CHECK(value_of(add.bytes, cam) == cam + "_0");

    const std::string empty = R"({"name":"p","settings":[]})";
    const auto first = cp::intune_set(bytes_of(empty), com, "enabled");
    REQUIRE_MESSAGE(first.ok(), first.message);
    CHECK(value_of(first.bytes, com) == com + "_1");
    const auto gone = cp::intune_unset(first.bytes, com);
    REQUIRE(gone.ok());
    CHECK(text_of(gone.bytes).find("\"settings\":[]") != std::string::npos);

    const std::string list =
        R"({"value":[{"name":"a","settings":[]},{"name":"b","id":"x","settings":[]}]})";
    const auto which = cp::intune_set(bytes_of(list), com, "1");
    CHECK(which.status == cp::IntuneEditStatus::no_policy);
    CHECK(which.message == "the file holds 2 policies: choose one with --policy (`a`, `b`)");
    const auto by_id = cp::intune_set(bytes_of(list), com, "1", std::string("x"));
    REQUIRE_MESSAGE(by_id.ok(), by_id.message);
    CHECK(by_id.policy == "b");
    CHECK(cp::intune_set(bytes_of(list), com, "1", std::string("zz")).message ==
          "no policy named `zz` (policies: `a`, `b`)");
}

TEST_CASE("bad settings and values are named") {
    const auto orig = real();
    CHECK(cp::intune_set(orig, "nope", "1").message ==
          "setting `nope` is neither a settings-catalog definition id (device_vendor_msft_...) nor "
          "a feature with "
          "one");
    const auto v = cp::intune_set(orig, com, "maybe");
    CHECK(v.status == cp::IntuneEditStatus::bad_value);
    CHECK(v.message == "value `maybe` is not an option of `" + com +
                           "` (expected enabled, disabled, N or `" + com + "_N`)");
    CHECK(cp::intune_set(bytes_of("{"), com, "1").status == cp::IntuneEditStatus::bad_file);
}

TEST_CASE("export: a new policy our reader reads back, in the real export's shape") {
    std::string error;
    const auto text = cp::intune_export("comredir lockdown", "COM off",
                                        {{"com_ports", "disabled"}, {cam, "enabled"}}, error);
    REQUIRE_MESSAGE(text, error);
    const auto r = cp::parse_intune(bytes_of(*text));
    REQUIRE(r.ok());
    REQUIRE(r.file.policies.size() == 1);
    CHECK(r.file.policies[0].name == "comredir lockdown");
    REQUIRE(r.file.policies[0].settings.size() == 2);
    CHECK(r.file.policies[0].settings[0].value == com + "_0");
    CHECK(r.file.policies[0].settings[1].value == cam + "_1");
    const auto doc = nlohmann::json::parse(*text);
    const auto ref = nlohmann::json::parse(text_of(real()).substr(3));
    for (const char* k : {"platforms", "technologies", "roleScopeTagIds"}) CHECK(doc[k] == ref[k]);
    CHECK(doc["settings"][0]["settingInstance"]["@odata.type"] ==
          ref["settings"][3]["settingInstance"]["@odata.type"]);
    CHECK(doc["settings"][0]["settingInstance"]["choiceSettingValue"]["children"] ==
          ref["settings"][3]["settingInstance"]["choiceSettingValue"]["children"]);
    CHECK_FALSE(cp::intune_export("x", "", {{"com_ports", "1"}, {com, "0"}}, error));
    CHECK(error == "setting `" + com + "` is given twice");
}
