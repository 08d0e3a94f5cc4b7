#include <doctest/doctest.h>

#include <comredir/policy/intune/intune.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;
using comredir::test::slurp;
using comredir::test::test_data;

namespace {

IntuneResult parse_text(const std::string& s) {
    return parse_intune({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

const std::string kTs = "device_vendor_msft_policy_config_admx_terminalserver_";
const std::string kRds = "device_vendor_msft_policy_config_remotedesktopservices_";

}  // namespace

TEST_CASE("golden: OpenIntuneBaseline W365 resource redirection export (UTF-8 with BOM)") {
    const std::string path = shared_data("intune/w365-resource-redirection.native.json");
    auto r = read_intune(path);
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.file.warnings.empty());
    REQUIRE(r.file.policies.size() == 1);
    const IntunePolicy& p = r.file.policies[0];
    CHECK(p.id == "9fec1155-a997-4278-8957-fe9fce3883e5");
    CHECK(p.name == "Win365 - OIB - Device Security - D - Resource Redirection - v1.0");

    const std::string clip = kRds + "limitservertoclientclipboardredirection";
    const std::vector<IntuneSetting> expected = {
        {kTs + "ts_client_audio", kTs + "ts_client_audio_1", "/settings/0/settingInstance", ""},
        {kTs + "ts_client_audio_capture", kTs + "ts_client_audio_capture_1",
         "/settings/1/settingInstance", ""},
        {kTs + "ts_time_zone", kTs + "ts_time_zone_1", "/settings/2/settingInstance", ""},
        {kTs + "ts_client_com", kTs + "ts_client_com_1", "/settings/3/settingInstance", ""},
        {kRds + "donotallowdriveredirection", kRds + "donotallowdriveredirection_1",
         "/settings/4/settingInstance", ""},
        {kTs + "ts_client_lpt", kTs + "ts_client_lpt_1", "/settings/5/settingInstance", ""},
        {kTs + "ts_client_pnp", kTs + "ts_client_pnp_1", "/settings/6/settingInstance", ""},
        {clip, clip + "_1", "/settings/7/settingInstance", ""},
        {clip + "_ts_sc_clipboard_restriction_text", clip + "_ts_sc_clipboard_restriction_text_0",
         "/settings/7/settingInstance/choiceSettingValue/children/0", clip},
    };
    REQUIRE(p.settings.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(p.settings[i].definition_id == expected[i].definition_id);
        CHECK(p.settings[i].value == expected[i].value);
        CHECK(p.settings[i].json_pointer == expected[i].json_pointer);
        CHECK(p.settings[i].parent_definition_id == expected[i].parent_definition_id);
    }
}

TEST_CASE("golden: list-shaped export with @odata fields, no BOM") {
    auto r = read_intune(test_data("intune/configuration-policies-list.json"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    REQUIRE(r.file.policies.size() == 2);
    const auto& a = r.file.policies[0];
    CHECK(a.id == "00000000-0000-4000-8000-000000000001");
    CHECK(a.name == "comredir test - COM redirection disabled");
    REQUIRE(a.settings.size() == 2);
    CHECK(a.settings[0].definition_id == kTs + "ts_client_com");
    CHECK(a.settings[0].value == kTs + "ts_client_com_0");
    CHECK(a.settings[1].definition_id == "comredir_test_simple_integer");
    CHECK(a.settings[1].value == "42");
    CHECK(a.settings[1].json_pointer == "/settings/1/settingInstance");

    const auto& b = r.file.policies[1];
    REQUIRE(b.settings.size() == 3);
    CHECK(b.settings[0].definition_id == "comredir_test_group");
    CHECK(b.settings[0].value.empty());
    CHECK(b.settings[1].definition_id == "comredir_test_group_name");
    CHECK(b.settings[1].value == "first");
    CHECK(b.settings[1].parent_definition_id == "comredir_test_group");
    CHECK(b.settings[1].json_pointer ==
          "/settings/0/settingInstance/groupSettingCollectionValue/0/children/0");
    CHECK(b.settings[2].value == "comredir_test_group_choice_1");
    CHECK(b.settings[2].json_pointer ==
          "/settings/0/settingInstance/groupSettingCollectionValue/0/children/1");
}

TEST_CASE("accepted shapes: single object, array, value list, bare instances, collections") {
    const std::string inst = R"({"settingDefinitionId":"x","simpleSettingValue":{"value":"v"}})";
    const std::string policy = R"({"id":"p","settings":[{"settingInstance":)" + inst + "}]}";
    for (const std::string& text :
         {policy, "[" + policy + "]", R"({"@odata.context":"c","value":[)" + policy + "]}",
          "\xEF\xBB\xBF" + policy, R"({"id":"p","settings":[)" + inst + "]}"}) {
        CAPTURE(text);
        auto r = parse_text(text);
        REQUIRE_MESSAGE(r.ok(), r.message);
        REQUIRE(r.file.policies.size() == 1);
        REQUIRE(r.file.policies[0].settings.size() == 1);
        CHECK(r.file.policies[0].settings[0].value == "v");
    }
    CHECK(parse_text(R"({"id":"p","settings":[)" + inst + "]}")
              .file.policies[0]
              .settings[0]
              .json_pointer == "/settings/0");
    auto empty = parse_text(R"({"value":[]})");
    CHECK(empty.ok());
    CHECK(empty.file.policies.empty());

    auto coll = parse_text(
        R"({"settings":[{"settingDefinitionId":"c","simpleSettingCollectionValue":[{"value":"a"},{"value":2}]},)"
        R"({"settingDefinitionId":"d","choiceSettingCollectionValue":[{"value":"d_1","children":[)"
        R"({"settingDefinitionId":"e","simpleSettingValue":{"value":-3}}]}]}]})");
    REQUIRE_MESSAGE(coll.ok(), coll.message);
    const auto& s = coll.file.policies[0].settings;
    REQUIRE(s.size() == 3);
    CHECK(s[0].value == "a;2");
    CHECK(s[1].value == "d_1");
    CHECK(s[2].value == "-3");
    CHECK(s[2].parent_definition_id == "d");
    CHECK(s[2].json_pointer == "/settings/1/choiceSettingCollectionValue/0/children/0");
}

TEST_CASE("malformed inputs: status, line, column and offset") {
    struct Case {
        std::string name;
        std::string text;
        IntuneStatus status;
        std::uint32_t line;
        std::uint32_t column;
        std::uint64_t offset;
    };
    const std::vector<Case> cases = {
        {"empty", "", IntuneStatus::bad_json, 1, 1, 0},
        {"bom only", "\xEF\xBB\xBF", IntuneStatus::bad_json, 1, 1, 3},
        {"syntax error", "{\n  \"settings\": [,]\n}", IntuneStatus::bad_json, 2, 16, 17},
        {"truncated", "{\n  \"settings\": [", IntuneStatus::bad_json, 2, 16, 17},
        {"bom and syntax error", "\xEF\xBB\xBF{\"a\" 1}", IntuneStatus::bad_json, 1, 6, 8},
        {"no settings", "{\"a\":1}", IntuneStatus::not_a_policy, 1, 1, 0},
        {"settings not an array", "{\"settings\":{}}", IntuneStatus::not_a_policy, 1, 1, 0},
        {"scalar", "  42", IntuneStatus::not_a_policy, 1, 3, 2},
        {"second policy in list", "{\"value\":[{\"settings\":[]},\n {\"x\":1}]}",
         IntuneStatus::not_a_policy, 2, 2, 28},
        {"no definition id", "{\"settings\":[\n{\"settingInstance\":{\"x\":1}}]}",
         IntuneStatus::bad_setting, 2, 20, 33},
        {"definition id not a string", "{\"settings\":[{\"settingDefinitionId\":7}]}",
         IntuneStatus::bad_setting, 1, 37, 36},
        {"choice value an object",
         "{\"settings\":[{\"settingDefinitionId\":\"a\",\"choiceSettingValue\":{\"value\":{}}}]}",
         IntuneStatus::bad_setting, 1, 71, 70},
        {"children not an array",
         "{\"settings\":[{\"settingDefinitionId\":\"a\",\"choiceSettingValue\":{\"children\":1}}]}",
         IntuneStatus::bad_setting, 1, 74, 73},
        {"setting not an object", "{\"settings\":[3]}", IntuneStatus::bad_setting, 1, 14, 13},
        {"name not a string", "{\"name\":[],\"settings\":[]}", IntuneStatus::bad_setting, 1, 9, 8},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto r = parse_text(c.text);
        CHECK(to_string(r.status) == to_string(c.status));
        CHECK(r.line == c.line);
        CHECK(r.column == c.column);
        CHECK(r.offset == c.offset);
        CHECK(r.message.find('\n') == std::string::npos);
        CHECK(r.message.rfind("line " + std::to_string(c.line) + ": ", 0) == 0);
    }
}

TEST_CASE("messages name the JSON pointer") {
    CHECK(parse_text("{\"settings\":[{\"settingDefinitionId\":7}]}").message ==
          "line 1: /settings/0/settingDefinitionId: expected a string");
    CHECK(parse_text("{\"value\":[{\"settings\":[{\"settingInstance\":{}}]}]}").message ==
          "line 1: /value/0/settings/0/settingInstance: no `settingDefinitionId`");
    CHECK(parse_text("{\"a\":1}").message == "line 1: document: not a policy: no `settings` array");
    CHECK(parse_text("{").message.rfind("line 1: column 2: syntax error", 0) == 0);
    auto io = read_intune(test_data("intune/missing.json"));
    CHECK(io.status == IntuneStatus::io_error);
    auto bad = read_intune(test_data("intune/README.md"));
    CHECK(bad.status == IntuneStatus::bad_json);
    CHECK(bad.message.rfind(test_data("intune/README.md") + ": line 1: column 1: ", 0) == 0);
}

TEST_CASE("deep nesting is refused, not recursed into") {
    std::string inner = R"({"settingDefinitionId":"leaf"})";
    for (int i = 0; i < 40; ++i) {
        inner = R"({"settingDefinitionId":"n","choiceSettingValue":{"value":"v","children":[)" +
                inner + "]}}";
    }
    auto r = parse_text(R"({"settings":[)" + inner + "]}");
    CHECK(r.status == IntuneStatus::bad_setting);
    CHECK(r.message.find("nested deeper than 32 levels") != std::string::npos);
    auto deep = parse_text(std::string(100000, '[') + std::string(100000, ']'));
    CHECK(deep.status == IntuneStatus::not_a_policy);
}

TEST_CASE("every truncation and byte flip of the exports: no crash, consistent result") {
    for (const auto& path : {shared_data("intune/w365-resource-redirection.native.json"),
                             test_data("intune/configuration-policies-list.json")}) {
        CAPTURE(path);
        const auto bytes = slurp(path);
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            auto r = parse_intune(std::span(bytes.data(), n));
            CHECK((r.ok() || (!r.message.empty() && r.offset <= n)));
        }
        auto copy = bytes;
        for (std::size_t i = 0; i < copy.size(); ++i) {
            copy[i] ^= 0x20;
            auto r = parse_intune(copy);
            CHECK((r.ok() || !r.message.empty()));
            copy[i] ^= 0x20;
        }
    }
}
