// Intune export edits (intune_edit.hpp): exact bytes out for each kind of edit, every
// other byte kept, values read back, errors named; the real export and `intune export`.
#include <doctest/doctest.h>

#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/intune/intune_edit.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace cp = comredir::policy;
using Action = cp::IntuneEdit::Action;
using Status = cp::IntuneEditStatus;

namespace {

const std::string com = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com";
const std::string cam =
    "device_vendor_msft_policy_config_admx_terminalserver_ts_camera_redirection";
const std::string kChoice = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance";

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

/// A compact choice instance `device_vendor_msft_<n>` = option `_<v>`, with `kids`.
std::string ch(const std::string& n, const std::string& v, const std::string& kids = "") {
    const std::string id = "device_vendor_msft_" + n;
    return R"({"settingDefinitionId":")" + id + R"(","choiceSettingValue":{"value":")" + id + "_" +
           v + R"(","children":[)" + kids + "]}}";
}

std::string item(const std::string& inst) {
    return R"({"settingInstance":)" + inst + "}";
}

cp::IntuneEdit edit(const std::string& in, const std::string& setting,
                    const std::optional<std::string>& value,
                    const std::optional<std::string>& policy = std::nullopt) {
    return value ? cp::intune_set(bytes_of(in), setting, *value, policy)
                 : cp::intune_unset(bytes_of(in), setting, policy);
}

// A pretty export as Graph writes it: ids, null template references, settingCount.
const std::string kPretty =
    "{\n  \"name\": \"p\",\n  \"settingCount\": 1,\n  \"settings\": [\n"
    "    {\n      \"id\": \"0\",\n      \"settingInstance\": {\n"
    "        \"@odata.type\": \"" +
    kChoice +
    "\",\n"
    "        \"settingDefinitionId\": \"device_vendor_msft_a\",\n"
    "        \"settingInstanceTemplateReference\": null,\n"
    "        \"choiceSettingValue\": {\n"
    "          \"settingValueTemplateReference\": null,\n"
    "          \"value\": \"device_vendor_msft_a_1\",\n"
    "          \"children\": []\n        }\n      }\n    }\n  ]\n}\n";
const std::string kPrettyAdded =
    kPretty.substr(0, kPretty.find("    }\n  ]")) +
    "    },\n    {\n      \"id\": \"1\",\n      \"settingInstance\": {\n"
    "        \"@odata.type\": \"" +
    kChoice +
    "\",\n"
    "        \"settingDefinitionId\": \"device_vendor_msft_b\",\n"
    "        \"settingInstanceTemplateReference\": null,\n"
    "        \"choiceSettingValue\": {\n"
    "          \"settingValueTemplateReference\": null,\n"
    "          \"value\": \"device_vendor_msft_b_0\",\n"
    "          \"children\": []\n        }\n      }\n    }\n  ]\n}\n";

std::string count2(std::string s) {
    return s.replace(s.find("\"settingCount\": 1"), 17, "\"settingCount\": 2");
}

std::string crlf(std::string s) {
    for (std::size_t at = s.find('\n'); at != std::string::npos; at = s.find('\n', at + 2))
        s.replace(at, 1, "\r\n");
    return s;
}

}  // namespace

TEST_CASE("edits: exact bytes out") {
    const std::string a1 = ch("a", "1"), a0 = ch("a", "0"), b1 = ch("b", "1");
    const std::string simple_int =
        R"({"settingDefinitionId":"device_vendor_msft_n","simpleSettingValue":{"@odata.type":"#microsoft.graph.deviceManagementConfigurationIntegerSettingValue","value":5}})";
    const std::string simple_str =
        R"({"settingDefinitionId":"device_vendor_msft_s","simpleSettingValue":{"value":"x"}})";
    const std::string group =
        R"({"settingDefinitionId":"device_vendor_msft_g","groupSettingCollectionValue":[{"children":[)" +
        a1 + "]}]}";
    const std::string bom = "\xEF\xBB\xBF";
    const std::string two =
        R"({"value":[{"name":"x","settings":[]},{"name":"y","id":"i","settings":[)" + item(a1) +
        "]}]}";
    struct Case {
        const char* name;
        std::string in;
        std::string setting;
        std::optional<std::string> value;  ///< nullopt: unset
        std::optional<std::string> policy;
        Action action;
        std::string out;
    };
    const std::vector<Case> cases = {
        {"set existing", R"({"settings":[)" + item(a1) + "]}", "device_vendor_msft_a", "0",
         std::nullopt, Action::replaced, R"({"settings":[)" + item(a0) + "]}"},
        {"set by option id, any case", R"({"settings":[)" + item(a1) + "]}", "DEVICE_vendor_msft_A",
         "device_vendor_msft_a_0", std::nullopt, Action::replaced,
         R"({"settings":[)" + item(a0) + "]}"},
        {"set same value", R"({"settings":[)" + item(a1) + "]}", "device_vendor_msft_a", "enabled",
         std::nullopt, Action::unchanged, R"({"settings":[)" + item(a1) + "]}"},
        {"set same value, spelt with an escape",
         R"({"settings":[)" + item(ch("a", "\\u0031")) + "]}", "device_vendor_msft_a", "1",
         std::nullopt, Action::unchanged, R"({"settings":[)" + item(ch("a", "\\u0031")) + "]}"},
        {"add to a one-line list", R"({"settings":[)" + item(a1) + "]}", "device_vendor_msft_b",
         "enabled", std::nullopt, Action::added,
         R"({"settings":[)" + item(a1) + R"(, {"settingInstance":{"@odata.type":")" + kChoice +
             R"(","settingDefinitionId":"device_vendor_msft_b","choiceSettingValue":{"value":"device_vendor_msft_b_1","children":[]}}}]})"},
        {"add to bare instances", R"({"settings":[)" + a1 + "]}", "device_vendor_msft_b", "1",
         std::nullopt, Action::added,
         R"({"settings":[)" + a1 + R"(, {"@odata.type":")" + kChoice +
             R"(","settingDefinitionId":"device_vendor_msft_b","choiceSettingValue":{"value":"device_vendor_msft_b_1","children":[]}}]})"},
        {"add to an empty one-line list", "{\"settings\": []}", "device_vendor_msft_b", "0",
         std::nullopt, Action::added,
         R"({"settings": [{"settingInstance":{"@odata.type":")" + kChoice +
             R"(","settingDefinitionId":"device_vendor_msft_b","choiceSettingValue":{"value":"device_vendor_msft_b_0","children":[]}}}]})"},
        {"add to an empty list, 4 spaces", "{\n    \"settings\": []\n}\n", "device_vendor_msft_b",
         "disabled", std::nullopt, Action::added,
         "{\n    \"settings\": [\n        {\n            \"settingInstance\": {\n"
         "                \"@odata.type\": \"" +
             kChoice +
             "\",\n                \"settingDefinitionId\": \"device_vendor_msft_b\",\n"
             "                \"choiceSettingValue\": {\n"
             "                    \"value\": \"device_vendor_msft_b_0\",\n"
             "                    \"children\": []\n                }\n            }\n        }\n"
             "    ]\n}\n"},
        {"add to an empty list, tabs", "{\n\t\"settings\": [\n\t]\n}", "device_vendor_msft_b",
         "disabled", std::nullopt, Action::added,
         "{\n\t\"settings\": [\n\t\t{\n\t\t\t\"settingInstance\": {\n\t\t\t\t\"@odata.type\": \"" +
             kChoice +
             "\",\n\t\t\t\t\"settingDefinitionId\": \"device_vendor_msft_b\",\n"
             "\t\t\t\t\"choiceSettingValue\": {\n\t\t\t\t\t\"value\": \"device_vendor_msft_b_0\",\n"
             "\t\t\t\t\t\"children\": []\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t]\n}"},
        {"add in Graph's style", kPretty, "device_vendor_msft_b", "0", std::nullopt, Action::added,
         count2(kPrettyAdded)},
        {"add, CRLF", crlf(kPretty), "device_vendor_msft_b", "0", std::nullopt, Action::added,
         crlf(count2(kPrettyAdded))},
        {"unset the last of two, CRLF", crlf(count2(kPrettyAdded)), "device_vendor_msft_b",
         std::nullopt, std::nullopt, Action::removed, crlf(kPretty)},
        {"unset the first of three",
         R"({"settings":[)" + item(a1) + "," + item(b1) + "," + item(ch("c", "1")) + "]}",
         "device_vendor_msft_a", std::nullopt, std::nullopt, Action::removed,
         R"({"settings":[)" + item(b1) + "," + item(ch("c", "1")) + "]}"},
        {"unset the only one", R"({"settings":[ )" + item(a1) + " ]}", "device_vendor_msft_a",
         std::nullopt, std::nullopt, Action::removed, R"({"settings":[]})"},
        {"unset one not set", R"({"settings":[)" + item(a1) + "]}", "device_vendor_msft_b",
         std::nullopt, std::nullopt, Action::unchanged, R"({"settings":[)" + item(a1) + "]}"},
        {"set a choice child", R"({"settings":[)" + item(ch("p", "1", b1)) + "]}",
         "device_vendor_msft_b", "0", std::nullopt, Action::replaced,
         R"({"settings":[)" + item(ch("p", "1", ch("b", "0"))) + "]}"},
        {"unset a choice child, settingCount kept",
         R"({"settingCount":1,"settings":[)" + item(ch("p", "1", b1 + "," + a1)) + "]}",
         "device_vendor_msft_b", std::nullopt, std::nullopt, Action::removed,
         R"({"settingCount":1,"settings":[)" + item(ch("p", "1", a1)) + "]}"},
        {"unset a parent with its child, settingCount follows",
         R"({"settingCount":2,"settings":[)" + item(ch("p", "1", b1)) + "," + item(a1) + "]}",
         "device_vendor_msft_p", std::nullopt, std::nullopt, Action::removed,
         R"({"settingCount":1,"settings":[)" + item(a1) + "]}"},
        {"set a child of a group collection", R"({"settings":[)" + item(group) + "]}",
         "device_vendor_msft_a", "disabled", std::nullopt, Action::replaced,
         R"({"settings":[)" + item(group.substr(0, group.find(a1)) + a0 + "]}]}") + "]}"},
        {"unset a collection", R"({"settings":[)" + item(a1) + ",\n" + group + "]}",
         "device_vendor_msft_g", std::nullopt, std::nullopt, Action::removed,
         R"({"settings":[)" + item(a1) + "]}"},
        {"BOM kept", bom + R"({"settings":[)" + item(a1) + "]}", "device_vendor_msft_a", "0",
         std::nullopt, Action::replaced, bom + R"({"settings":[)" + item(a0) + "]}"},
        {"simple integer", R"({"settings":[)" + simple_int + "]}", "device_vendor_msft_n", "-12",
         std::nullopt, Action::replaced,
         R"({"settings":[)" + simple_int.substr(0, simple_int.size() - 3) + "-12}}]}"},
        {"simple string", R"({"settings":[)" + simple_str + "]}", "device_vendor_msft_s", "a \"b\"",
         std::nullopt, Action::replaced,
         R"({"settings":[{"settingDefinitionId":"device_vendor_msft_s","simpleSettingValue":{"value":"a \"b\""}}]})"},
        {"value list, by id", two, "device_vendor_msft_a", "0", "i", Action::replaced,
         two.substr(0, two.find(a1)) + a0 + "}]}]}"},
        {"value list, by name", two, "device_vendor_msft_a", "1", "x", Action::added,
         R"({"value":[{"name":"x","settings":[)" +
             item(std::string("{\"@odata.type\":\"") + kChoice + "\"," + a1.substr(1)) + "]}" +
             two.substr(two.find(R"(,{"name":"y")"))},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const auto e = edit(c.in, c.setting, c.value, c.policy);
        REQUIRE_MESSAGE(e.ok(), e.message);
        CHECK(e.action == c.action);
        CHECK(text_of(e.bytes) == c.out);
        CHECK(e.changed == (c.in != c.out));
        if (c.value && e.action != Action::unchanged) {
            // Setting the new value again changes nothing.
            const auto again = cp::intune_set(e.bytes, c.setting, *c.value, c.policy);
            CHECK(again.action == Action::unchanged);
            CHECK(again.bytes == e.bytes);
        }
    }
}

TEST_CASE("edits: errors are named") {
    const std::string a1 = ch("a", "1");
    const std::string coll =
        R"({"settingDefinitionId":"device_vendor_msft_c","simpleSettingCollectionValue":[{"value":"x"}]})";
    const std::string secret =
        R"({"settingDefinitionId":"device_vendor_msft_k","simpleSettingValue":{"@odata.type":"#microsoft.graph.deviceManagementConfigurationSecretSettingValue","value":"s"}})";
    const std::string lst =
        R"({"value":[{"name":"x","settings":[]},{"name":"x","id":"i","settings":[]}]})";
    struct Case {
        std::string in, setting;
        std::optional<std::string> value;
        std::optional<std::string> policy;
        Status status;
        std::string message;
    };
    const std::vector<Case> cases = {
        {R"({"settings":[]})", "nope", "1", std::nullopt, Status::bad_setting,
         "setting `nope` is neither a settings-catalog definition id (device_vendor_msft_...) "
         "nor a feature with one"},
        {R"({"settings":[)" + item(a1) + "]}", "device_vendor_msft_a", "maybe", std::nullopt,
         Status::bad_value,
         "value `maybe` is not an option of `device_vendor_msft_a` (expected enabled, disabled, N "
         "or `device_vendor_msft_a_N`)"},
        {R"({"settings":[]})", "device_vendor_msft_a", "device_vendor_msft_b_1", std::nullopt,
         Status::bad_value,
         "value `device_vendor_msft_b_1` is not an option of `device_vendor_msft_a` (expected "
         "enabled, disabled, N or `device_vendor_msft_a_N`)"},
        {R"({"settings":[{"settingDefinitionId":"device_vendor_msft_n","simpleSettingValue":{"value":5}}]})",
         "device_vendor_msft_n", "5x", std::nullopt, Status::bad_value,
         "value `5x` of `device_vendor_msft_n` is not an integer"},
        {R"({"settings":[)" + coll + "]}", "device_vendor_msft_c", "y", std::nullopt,
         Status::not_supported,
         "/settings/0: setting `device_vendor_msft_c` is a `simpleSettingCollectionValue`: only "
         "choice and simple settings are set (value `y`)"},
        {R"({"settings":[{"settingDefinitionId":"device_vendor_msft_z"}]})", "device_vendor_msft_z",
         "1", std::nullopt, Status::not_supported,
         "/settings/0: setting `device_vendor_msft_z` has no value: only choice and simple "
         "settings are set (value `1`)"},
        {R"({"settings":[)" + secret + "]}", "device_vendor_msft_k", "y", std::nullopt,
         Status::not_supported,
         "/settings/0: setting `device_vendor_msft_k` is a simple setting of type "
         "`#microsoft.graph.deviceManagementConfigurationSecretSettingValue`: only choice and "
         "simple settings are set (value `y`)"},
        {R"({"settings":[)" + item(ch("p", "1", a1)) + "," + item(a1) + "]}",
         "device_vendor_msft_a", std::nullopt, std::nullopt, Status::not_supported,
         "setting `device_vendor_msft_a` occurs 2 times "
         "(/settings/0/settingInstance/choiceSettingValue/children/0, "
         "/settings/1/settingInstance): "
         "only a setting that occurs once is edited"},
        {lst, "device_vendor_msft_a", "1", std::nullopt, Status::no_policy,
         "the file holds 2 policies: choose one with --policy (`x`, `x`)"},
        {lst, "device_vendor_msft_a", "1", "x", Status::no_policy,
         "2 policies are named `x` (policies: `x`, `x`): choose one by id"},
        {lst, "device_vendor_msft_a", std::nullopt, "zz", Status::no_policy,
         "no policy named `zz` (policies: `x`, `x`)"},
        {R"({"value":[]})", "device_vendor_msft_a", "1", std::nullopt, Status::no_policy,
         "the file holds no policy"},
        {"{\n  \"settings\": [1]\n}", "device_vendor_msft_a", "1", std::nullopt, Status::bad_file,
         "line 2: /settings/0: expected an object"},
        {"{", "device_vendor_msft_a", "1", std::nullopt, Status::bad_file,
         "line 1: column 2: syntax error while parsing object key - unexpected end of input; "
         "expected string literal"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        const auto e = edit(c.in, c.setting, c.value, c.policy);
        CHECK(e.status == c.status);
        CHECK(e.message == c.message);
        CHECK(e.bytes.empty());
    }
}

TEST_CASE("the real export: set and set back, add and unset give the original bytes") {
    const auto orig = real();
    const auto e = cp::intune_set(orig, cp::intune_setting_for("com_ports"), "disabled");
    REQUIRE_MESSAGE(e.ok(), e.message);
    CHECK(e.action == Action::replaced);
    CHECK(e.definition_id == com);
    CHECK(e.previous == com + "_1");
    CHECK(e.value == com + "_0");
    CHECK(e.pointer == "/settings/3/settingInstance");
    CHECK(e.policy == "Win365 - OIB - Device Security - D - Resource Redirection - v1.0");
    std::string want = text_of(orig);
    want.replace(want.find(com + "_1"), com.size() + 2, com + "_0");
    CHECK(text_of(e.bytes) == want);  // the BOM and every other byte kept
    const auto back = cp::intune_set(e.bytes, com, "1");
    REQUIRE(back.ok());
    CHECK(back.bytes == orig);

    const auto add = cp::intune_set(orig, cam, "enabled");
    REQUIRE_MESSAGE(add.ok(), add.message);
    CHECK(add.action == Action::added);
    const std::string t = text_of(add.bytes);
    CHECK(t.find("\"settingCount\": 9,") != std::string::npos);
    CHECK(
        t.ends_with("      },\n      {\n        \"id\": \"8\",\n        \"settingInstance\": "
                    "{\n          \"@odata.type\": \"" +
                    kChoice + "\",\n          \"settingDefinitionId\": \"" + cam +
                    "\",\n          \"settingInstanceTemplateReference\": null,\n          "
                    "\"choiceSettingValue\": {\n            \"settingValueTemplateReference\": "
                    "null,\n            \"value\": \"" +
                    cam +
                    "_1\",\n            \"children\": []\n          }\n        }\n      }\n"
                    "    ]\n  }"));
    const auto del = cp::intune_unset(add.bytes, cam);
    REQUIRE_MESSAGE(del.ok(), del.message);
    CHECK(del.bytes == orig);

    // The clipboard restriction's child: set in place, unset removes it from children[].
    const std::string clip =
        "device_vendor_msft_policy_config_remotedesktopservices_"
        "limitservertoclientclipboardredirection";
    const std::string kid = clip + "_ts_sc_clipboard_restriction_text";
    const auto set_kid = cp::intune_set(orig, kid, "1");
    REQUIRE_MESSAGE(set_kid.ok(), set_kid.message);
    CHECK(set_kid.pointer == "/settings/7/settingInstance/choiceSettingValue/children/0");
    std::string kid_want = text_of(orig);
    kid_want.replace(kid_want.find(kid + "_0"), kid.size() + 2, kid + "_1");
    CHECK(text_of(set_kid.bytes) == kid_want);
    const auto del_kid = cp::intune_unset(orig, kid);
    REQUIRE_MESSAGE(del_kid.ok(), del_kid.message);
    std::string unset_want = text_of(orig);
    const auto from = unset_want.find('[', unset_want.find("\"value\": \"" + clip + "_1\""));
    unset_want.replace(
        from, unset_want.find("]\n          }\n        }\n      }\n    ]") + 1 - from, "[]");
    CHECK(text_of(del_kid.bytes) == unset_want);  // settingCount still 8
    CHECK(unset_want.find("\"settingCount\": 8,") != std::string::npos);
}

TEST_CASE("export: a new policy our reader reads back, field by field the real export's shape") {
    std::string error;
    const auto text = cp::intune_export(
        "comredir lockdown", "COM off",
        {{cp::intune_setting_for("com_ports"), "disabled"}, {cam, "enabled"}}, error);
    REQUIRE_MESSAGE(text, error);
    const auto r = cp::parse_intune(bytes_of(*text));
    REQUIRE(r.ok());
    REQUIRE(r.file.policies.size() == 1);
    CHECK(r.file.policies[0].name == "comredir lockdown");
    REQUIRE(r.file.policies[0].settings.size() == 2);
    CHECK(r.file.policies[0].settings[0].value == com + "_0");
    CHECK(r.file.policies[0].settings[1].value == cam + "_1");

    const auto doc = nlohmann::ordered_json::parse(*text);
    const auto ref = nlohmann::ordered_json::parse(text_of(real()).substr(3));
    // Top level: Graph's create fields, each one the real export has, of the same type.
    std::vector<std::string> keys;
    for (const auto& item : doc.items()) {
        const std::string k = item.key();
        keys.push_back(k);
        CHECK_MESSAGE(ref.contains(k), k);
        CHECK(ref[k].type() == item.value().type());
    }
    CHECK(keys == std::vector<std::string>{"name", "description", "platforms", "technologies",
                                           "roleScopeTagIds", "settings"});
    for (const char* k : {"platforms", "technologies", "roleScopeTagIds"}) CHECK(doc[k] == ref[k]);
    CHECK(doc["description"] == "COM off");
    // Items: key for key (and in order) the real export's item, at every level.
    const auto& mine = doc["settings"][0];
    const auto& theirs = ref["settings"][3];
    const std::function<void(const nlohmann::ordered_json&, const nlohmann::ordered_json&)> same =
        [&](const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
            REQUIRE(a.type() == b.type());
            if (!a.is_object()) return;
            std::vector<std::string> ka, kb;
            for (const auto& [k, v] : a.items()) ka.push_back(k);
            for (const auto& [k, v] : b.items()) kb.push_back(k);
            CHECK(ka == kb);
            for (const auto& k : ka)
                if (b.contains(k)) same(a[k], b[k]);
        };
    same(mine, theirs);
    nlohmann::ordered_json want = theirs;
    want["id"] = "0";
    want["settingInstance"]["choiceSettingValue"]["value"] = com + "_0";
    CHECK(mine == want);  // the real export's item with only the value changed

    CHECK_FALSE(cp::intune_export("x", "", {{cp::intune_setting_for("com_ports"), "1"}, {com, "0"}},
                                  error));
    CHECK(error == "setting `" + com + "` is given twice");
    CHECK_FALSE(cp::intune_export("x", "", {{cp::intune_setting_for("com_ports"), "on"}}, error));
    CHECK(error == "value `on` is not an option of `" + com +
                       "` (expected enabled, disabled, N or `" + com + "_N`)");
    CHECK_FALSE(cp::intune_export("x", "", {{"ports", "1"}}, error));
    CHECK(error ==
          "setting `ports` is neither a settings-catalog definition id "
          "(device_vendor_msft_...) nor a feature with one");
}
