#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;
using comredir::test::test_data;

namespace {

const std::string kTsKey = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
const std::string kTestKey = "SOFTWARE\\Policies\\Comredir\\Test";

/// Loaded once per binary: Microsoft's TerminalServer.admx with its en-US ADML.
const AdmxLoadResult& terminal_server() {
    static const AdmxLoadResult r = load_admx_folder(shared_data("admx"));
    return r;
}

const AdmxLoadResult& good_folder() {
    static const AdmxLoadResult r = load_admx_folder(test_data("admx/good"));
    return r;
}

/// The error messages, one per line (doctest prints strings, not vectors).
std::string messages(const AdmxLoadResult& r) {
    std::string out;
    for (const auto& e : r.errors) out += e.message + "\n";
    return out;
}

/// `policy` or `policy/element` for each ref, with its role.
std::vector<std::string> describe(const std::vector<AdmxValueRef>& refs) {
    std::vector<std::string> out;
    for (const auto& r : refs) {
        std::string s = r.policy->name;
        if (r.element != nullptr) s += "/" + r.element->id;
        out.push_back(s + ":" + std::string(to_string(r.role)));
    }
    return out;
}

}  // namespace

TEST_CASE("TerminalServer.admx loads; its one dangling category ref is reported") {
    const auto& r = terminal_server();
    // Microsoft's file really refers to a category it does not define.
    CHECK(messages(r) ==
          "TerminalServer.admx: line 219: policy `AutoSubscription`: category `AutoSubscription` "
          "not found\n");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].kind == AdmxErrorKind::unknown_reference);
    CHECK(r.set.find_policy("AutoSubscription") != nullptr);
    CHECK(r.set.find_policy("AutoSubscription")->category_path.empty());
    REQUIRE(r.set.files.size() == 1);
    const auto& f = r.set.files[0];
    CHECK(f.admx == "TerminalServer.admx");
    CHECK(f.adml == "en-US/TerminalServer.adml");
    CHECK(f.prefix == "terminalserver");
    CHECK(f.ns == "Microsoft.Policies.TerminalServer");
    CHECK(f.usings == std::vector<std::pair<std::string, std::string>>{
                          {"windows", "Microsoft.Policies.Windows"},
                          {"products", "Microsoft.Policies.Products"}});
    // `grep -c '<policy ' TerminalServer.admx` = 105, `<category ` = 18, `<definition ` = 18.
    CHECK(r.set.policies.size() == 105);
    CHECK(r.set.categories.size() == 18);
    CHECK(r.set.supported_on.size() == 18);
}

TEST_CASE("TS_CLIENT_COM") {
    const auto* p = terminal_server().set.find_policy("TS_CLIENT_COM");
    REQUIRE(p != nullptr);
    CHECK(p->display_name == "Do not allow COM port redirection");
    CHECK(p->ns == "Microsoft.Policies.TerminalServer");
    CHECK(p->cls == AdmxClass::machine);
    CHECK(p->key == kTsKey);
    CHECK(p->value_name == "fDisableCcm");
    CHECK(p->enabled_value.kind == AdmxValue::Kind::decimal);
    CHECK(p->enabled_value.number == 1);
    CHECK(p->disabled_value.kind == AdmxValue::Kind::decimal);
    CHECK(p->disabled_value.number == 0);
    CHECK(p->category == "TS_REDIRECTION");
    CHECK(p->category_display_name == "Device and Resource Redirection");
    CHECK(p->category_path ==
          "Windows Components/Remote Desktop Services/Remote Desktop Session Host/"
          "Device and Resource Redirection");
    CHECK(p->supported_on == "windows:SUPPORTED_WindowsXP");
    CHECK(p->supported_on_text.empty());  // defined in Windows.admx, not loaded
    CHECK(p->presentation_id.empty());
    CHECK(p->elements.empty());
    CHECK(p->explain_text.rfind("This policy setting specifies whether to prevent the redirection",
                                0) == 0);
    CHECK(p->source.file == "TerminalServer.admx");
    CHECK(p->source.line == 994);
    // Case-sensitive names; display names on request.
    CHECK(terminal_server().set.find_policy("ts_client_com") == nullptr);
    CHECK(terminal_server().set.find_policy("Do not allow COM port redirection") == nullptr);
    CHECK(terminal_server().set.find_policy("Do not allow COM port redirection", true) == p);
}

TEST_CASE("TerminalServer categories keep the unresolved Windows.admx root") {
    const auto* c =
        terminal_server().set.find_category("Microsoft.Policies.TerminalServer", "TS_REDIRECTION");
    REQUIRE(c != nullptr);
    CHECK(c->display_name == "Device and Resource Redirection");
    CHECK(c->parent == "TS_TERMINAL_SERVER");
    CHECK(c->unresolved_root == "windows:WindowsComponents");
    CHECK(c->source.line == 171);
    const auto* usb = terminal_server().set.find_category("Microsoft.Policies.TerminalServer",
                                                          "TS_USB_REDIRECTION");
    REQUIRE(usb != nullptr);  // parent written with its own prefix: `terminalserver:TS_CLIENT`
    CHECK(usb->path ==
          "Windows Components/Remote Desktop Services/Remote Desktop Connection "
          "Client/RemoteFX USB Device Redirection");
}

TEST_CASE("TS_CLIENT_CLIPBOARDRESTRICTION_SC: Both, enum of five items") {
    const auto* p = terminal_server().set.find_policy("TS_CLIENT_CLIPBOARDRESTRICTION_SC");
    REQUIRE(p != nullptr);
    CHECK(p->cls == AdmxClass::both);
    CHECK(p->value_name.empty());
    CHECK(p->presentation_id == "TS_SC_CLIPBOARD_RESTRICTION");
    REQUIRE(p->elements.size() == 1);
    const auto& e = p->elements[0];
    CHECK(e.kind == AdmxElementKind::enumeration);
    CHECK(e.id == "TS_SC_CLIPBOARD_RESTRICTION_Text");
    CHECK(e.value_name == "SCClipLevel");
    CHECK(e.key == kTsKey);
    CHECK(e.required);
    REQUIRE(e.items.size() == 5);
    for (std::size_t i = 0; i < e.items.size(); ++i) {
        CAPTURE(i);
        CHECK(e.items[i].value.kind == AdmxValue::Kind::decimal);
        CHECK(e.items[i].value.number == i);
        CHECK(!e.items[i].display_name.empty());
    }
    CHECK(e.items[0].source.line == 933);
}

TEST_CASE("policies_for_value on TerminalServer") {
    const auto& set = terminal_server().set;
    CHECK(describe(set.policies_for_value("HKLM", kTsKey, "fEnableSmartCard")) ==
          std::vector<std::string>{"TS_SMART_CARD:main"});
    CHECK(describe(set.policies_for_value("HKEY_LOCAL_MACHINE", kTsKey, "FDISABLECCM")) ==
          std::vector<std::string>{"TS_CLIENT_COM:main"});
    CHECK(describe(set.policies_for_value("HKCU", kTsKey, "fDisableCcm")).empty());  // Machine only
    CHECK(describe(set.policies_for_value("HKCU", kTsKey, "SCClipLevel")) ==
          std::vector<std::string>{
              "TS_CLIENT_CLIPBOARDRESTRICTION_SC/TS_SC_CLIPBOARD_RESTRICTION_Text:element"});
    CHECK(set.policies_for_value("HKLM", kTsKey, "noSuchValue").empty());
}

TEST_CASE("fixtures: every value form") {
    const auto& r = good_folder();
    CHECK(messages(r) == "");
    struct Row {
        const char* policy;
        AdmxClass cls;
        AdmxValue::Kind enabled;
        std::uint64_t enabled_number;
        const char* enabled_text;
        AdmxValue::Kind disabled;
    };
    using K = AdmxValue::Kind;
    const Row rows[] = {
        {"P_DECIMAL", AdmxClass::machine, K::decimal, 1, "", K::decimal},
        {"P_STRING", AdmxClass::user, K::string, 0, "on", K::del},
        {"P_LONG", AdmxClass::both, K::long_decimal, 5000000000ULL, "", K::absent},
        {"P_LISTS", AdmxClass::machine, K::absent, 0, "", K::absent},
        {"P_EXTRA", AdmxClass::machine, K::decimal, 2, "", K::absent},
    };
    for (const auto& row : rows) {
        CAPTURE(row.policy);
        const auto* p = r.set.find_policy(row.policy);
        REQUIRE(p != nullptr);
        CHECK(p->cls == row.cls);
        CHECK(to_string(p->enabled_value.kind) == to_string(row.enabled));
        CHECK(p->enabled_value.number == row.enabled_number);
        CHECK(p->enabled_value.text == row.enabled_text);
        CHECK(to_string(p->disabled_value.kind) == to_string(row.disabled));
    }
    const auto* d = r.set.find_policy("P_DECIMAL");
    CHECK(d->disabled_value.number == 0);
    CHECK(d->display_name == "Decimal policy");
    CHECK(d->explain_text == "Writes a decimal.");
    CHECK(d->supported_on_text == "At least the test system");
    CHECK(d->category_path == "Windows Components/Test Root/Test Sub");
    CHECK(d->source.file == "Base.admx");
    CHECK(d->source.line == 23);

    const auto* l = r.set.find_policy("P_LISTS");
    REQUIRE(l->enabled_list.items.size() == 2);
    CHECK(l->enabled_list.items[0].key == kTestKey + "\\Sub");  // defaultKey
    CHECK(l->enabled_list.items[0].value_name == "A");
    CHECK(l->enabled_list.items[0].value.kind == K::decimal);
    CHECK(l->enabled_list.items[0].value.number == 1);
    CHECK(l->enabled_list.items[0].source.line == 41);
    CHECK(l->enabled_list.items[1].key == "SOFTWARE\\Policies\\Comredir\\Other");
    CHECK(l->enabled_list.items[1].value_name == "B");
    CHECK(l->enabled_list.items[1].value.text == "x");
    REQUIRE(l->disabled_list.items.size() == 1);
    CHECK(l->disabled_list.items[0].key == kTestKey);  // no defaultKey: the policy's key
    CHECK(l->disabled_list.items[0].value.kind == K::del);
}

TEST_CASE("fixtures: every element kind") {
    const auto* p = good_folder().set.find_policy("P_ELEMENTS");
    REQUIRE(p != nullptr);
    CHECK(p->presentation_id == "P_ELEMENTS");
    REQUIRE(p->elements.size() == 8);
    const auto& e = p->elements;
    const char* ids[] = {"Bool1", "Bool2", "Dec", "LongDec", "Txt", "Multi", "Choice", "Names"};
    const char* kinds[] = {"boolean", "boolean",   "decimal", "longDecimal",
                           "text",    "multiText", "enum",    "list"};
    const char* labels[] = {"Flag one", "", "Number", "", "Some text", "", "Pick one", "Names"};
    const std::uint32_t lines[] = {51, 55, 63, 64, 65, 66, 67, 76};
    for (std::size_t i = 0; i < 8; ++i) {
        CAPTURE(i);
        CHECK(e[i].id == ids[i]);
        CHECK(to_string(e[i].kind) == kinds[i]);
        CHECK(e[i].label == labels[i]);
        CHECK(e[i].source.line == lines[i]);
    }
    CHECK(e[0].key == "SOFTWARE\\Policies\\Comredir\\Bool");
    CHECK(e[0].value_name == "Flag");
    CHECK(e[0].true_value.kind == AdmxValue::Kind::decimal);
    CHECK(e[0].true_value.number == 7);
    CHECK(e[0].false_value.kind == AdmxValue::Kind::del);
    CHECK(e[1].key == "SOFTWARE\\Policies\\Comredir\\Elements");
    CHECK(!e[1].true_value.present());
    REQUIRE(e[1].true_list.items.size() == 1);
    CHECK(e[1].true_list.items[0].key == "SOFTWARE\\Policies\\Comredir\\BoolList");
    CHECK(e[1].true_list.items[0].value_name == "T");
    REQUIRE(e[1].false_list.items.size() == 1);
    CHECK(e[1].false_list.items[0].key == "SOFTWARE\\Policies\\Comredir\\BoolList");
    CHECK(e[1].false_list.items[0].value.text == "off");
    CHECK(e[2].min_value == 1);
    CHECK(e[2].max_value == 10);
    CHECK(e[2].store_as_text);
    CHECK(e[2].required);
    CHECK(e[3].min_value == 0);
    CHECK(e[3].max_value == 99999999999ULL);
    CHECK(!e[3].store_as_text);
    CHECK(e[4].max_length == 64);
    CHECK(e[4].expandable);
    CHECK(e[4].required);
    CHECK(e[5].max_length == 200);
    CHECK(e[5].max_strings == 5);
    CHECK(!e[5].required);
    REQUIRE(e[6].items.size() == 2);
    CHECK(e[6].items[0].display_name == "Low");
    CHECK(e[6].items[0].value.number == 0);
    CHECK(e[6].items[1].display_name == "High");
    CHECK(e[6].items[1].value.text == "high");
    REQUIRE(e[6].items[1].value_list.items.size() == 1);
    CHECK(e[6].items[1].value_list.items[0].key == "SOFTWARE\\Policies\\Comredir\\Elements");
    CHECK(e[6].items[1].value_list.items[0].value_name == "Boost");
    CHECK(e[7].key == "SOFTWARE\\Policies\\Comredir\\Names");
    CHECK(e[7].value_name.empty());
    CHECK(e[7].value_prefix == "Name");
    CHECK(e[7].additive);
    CHECK(e[7].explicit_value);
    CHECK(e[7].expandable);
}

TEST_CASE("fixtures: `using` across two files") {
    const auto& set = good_folder().set;
    REQUIRE(set.files.size() == 2);
    CHECK(set.files[0].admx == "Base.admx");
    CHECK(set.files[1].admx == "Extra.admx");
    CHECK(set.files[1].usings ==
          std::vector<std::pair<std::string, std::string>>{{"b", "Comredir.Test.Base"}});
    const auto* p = set.find_policy("P_EXTRA");
    REQUIRE(p != nullptr);
    CHECK(p->ns == "Comredir.Test.Extra");
    CHECK(p->category_display_name == "Extra");
    CHECK(p->category_path == "Windows Components/Test Root/Test Sub/Extra");
    CHECK(p->supported_on == "b:SUPPORTED_Test");
    CHECK(p->supported_on_text == "At least the test system");
    const auto* l = set.find_policy("P_LONG");  // `base:BaseRoot`: its own target prefix
    CHECK(l->category_path == "Windows Components/Test Root");
}

TEST_CASE("fixtures: policies_for_value") {
    const auto& set = good_folder().set;
    struct Row {
        const char* hive;
        std::string key;
        const char* value;
        std::vector<std::string> expected;
    };
    const std::string el = "SOFTWARE\\Policies\\Comredir\\";
    const Row rows[] = {
        {"HKLM", kTestKey, "DecimalValue", {"P_DECIMAL:main", "P_EXTRA:main"}},
        {"HKCU", kTestKey, "decimalvalue", {}},
        {"HKCU", kTestKey, "StringValue", {"P_STRING:main"}},
        {"HKLM", kTestKey, "StringValue", {}},
        {"HKLM", kTestKey, "LongValue", {"P_LONG:main"}},
        {"HKCU", kTestKey, "LongValue", {"P_LONG:main"}},
        {"HKLM", kTestKey + "\\Sub", "A", {"P_LISTS:enabled_list"}},
        {"HKLM", kTestKey, "A", {"P_LISTS:disabled_list"}},
        {"HKLM", el + "Other", "B", {"P_LISTS:enabled_list"}},
        {"HKLM", el + "Bool", "Flag", {"P_ELEMENTS/Bool1:element"}},
        {"HKLM", el + "BoolList", "T", {"P_ELEMENTS/Bool2:element_list"}},
        {"HKLM", el + "BoolList", "F", {"P_ELEMENTS/Bool2:element_list"}},
        {"HKLM", el + "Elements", "Dec", {"P_ELEMENTS/Dec:element"}},
        {"HKLM", el + "Elements", "Boost", {"P_ELEMENTS/Choice:element_list"}},
        {"HKLM", el + "names", "Name1", {"P_ELEMENTS/Names:list_element"}},
        {"HKLM", el + "Names", "anything", {"P_ELEMENTS/Names:list_element"}},
        {"HKXX", kTestKey, "DecimalValue", {}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.key);
        CAPTURE(row.value);
        CHECK(describe(set.policies_for_value(row.hive, row.key, row.value)) == row.expected);
    }
}

TEST_CASE("fixtures: broken file, missing ADML, missing string; the rest loads") {
    auto r = load_admx_folder(test_data("admx/errors"));
    CHECK(messages(r) ==
          "Broken.admx: line 8: column 5: xml: start-end tags mismatch\n"
          "Good.admx: line 11: policy `G_MISSING`: string `G_MISSING_Help` not in "
          "`en-US/Good.adml`\n"
          "NoLang.admx: no adml `en-US/NoLang.adml`\n");
    REQUIRE(r.errors.size() == 3);
    struct Row {
        AdmxErrorKind kind;
        const char* file;
        std::uint32_t line;
        std::uint32_t column;
    };
    const Row rows[] = {
        {AdmxErrorKind::xml, "Broken.admx", 8, 5},
        {AdmxErrorKind::missing_string, "Good.admx", 11, 0},
        {AdmxErrorKind::missing_adml, "NoLang.admx", 0, 0},
    };
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(to_string(r.errors[i].kind) == to_string(rows[i].kind));
        CHECK(r.errors[i].file == rows[i].file);
        CHECK(r.errors[i].line == rows[i].line);
        CHECK(r.errors[i].column == rows[i].column);
    }
    REQUIRE(r.set.files.size() == 2);
    CHECK(r.set.files[0].admx == "Good.admx");
    CHECK(r.set.files[1].adml.empty());
    const auto* missing = r.set.find_policy("G_MISSING");
    REQUIRE(missing != nullptr);
    CHECK(missing->display_name == "Has no help text");
    CHECK(missing->explain_text.empty());
    const auto* ok = r.set.find_policy("G_OK");
    REQUIRE(ok != nullptr);
    CHECK(ok->display_name == "Fine");
    CHECK(ok->category_path == "Good");
    const auto* nolang = r.set.find_policy("N_TWO");  // loads without display names
    REQUIRE(nolang != nullptr);
    CHECK(nolang->display_name.empty());
    CHECK(nolang->category_path == "NoLangCat");
    CHECK(r.set.find_policy("B") == nullptr);
}

TEST_CASE("parse_admx from memory and load_admx_files") {
    auto admx = comredir::test::slurp(test_data("admx/good/Extra.admx"));
    auto adml = comredir::test::slurp(test_data("admx/good/en-US/Extra.adml"));
    auto r = parse_admx(admx, adml, "Extra.admx");
    CHECK(messages(r) == "");
    REQUIRE(r.set.policies.size() == 1);
    CHECK(r.set.files[0].adml == "Extra.adml");
    // Base.admx is not loaded: its category stays unresolved, without an error.
    const auto* c = r.set.find_category("Comredir.Test.Extra", "ExtraCat");
    REQUIRE(c != nullptr);
    CHECK(c->path == "Extra");
    CHECK(c->unresolved_root == "b:BaseSub");
    CHECK(r.set.policies[0].supported_on_text.empty());

    auto none = parse_admx(admx, {}, "Extra.admx");
    CHECK(messages(none) == "Extra.admx: no adml `Extra.adml`\n");
    CHECK(none.set.policies.size() == 1);

    const std::string path = test_data("admx/errors/Good.admx");
    auto files = load_admx_files(path, test_data("admx/errors/en-US/Good.adml"));
    REQUIRE(files.errors.size() == 1);
    CHECK(files.errors[0].message == path +
                                         ": line 11: policy `G_MISSING`: string "
                                         "`G_MISSING_Help` not in `" +
                                         test_data("admx/errors/en-US/Good.adml") + "`");
    CHECK(files.set.policies.size() == 2);
}

TEST_CASE("bad input is reported, never thrown") {
    struct Row {
        const char* name;
        std::string admx;
        std::string expected;
    };
    const std::string head =
        "<policyDefinitions><policyNamespaces><target prefix=\"t\" namespace=\"T\"/>"
        "</policyNamespaces><policies>\n";
    const Row rows[] = {
        {"empty", "", "x.admx: line 1: column 1: xml: no document element found\n"},
        {"root", "<foo/>", "x.admx: root element `foo` is not `policyDefinitions`\n"},
        {"class",
         head + "<policy name=\"P\" class=\"Any\" key=\"K\"/></policies></policyDefinitions>",
         "x.admx: line 2: policy `P`: class `Any` is not `Machine`, `User` or `Both`\n"},
        {"number",
         head + "<policy name=\"P\" class=\"User\" key=\"K\" valueName=\"V\"><enabledValue>"
                "<decimal "
                "value=\"4294967296\"/></enabledValue></policy></policies></policyDefinitions>",
         "x.admx: line 2: policy `P`: decimal: `4294967296` is not a number in range\n"},
        {"prefix",
         head +
             "<policy name=\"P\" class=\"User\" key=\"K\"><parentCategory ref=\"zz:C\"/></policy>"
             "</policies></policyDefinitions>",
         "x.admx: line 2: policy `P`: prefix of `zz:C` is not declared\n"},
        {"unknown category",
         head + "<policy name=\"P\" class=\"User\" key=\"K\"><parentCategory ref=\"C\"/></policy>"
                "</policies></policyDefinitions>",
         "x.admx: line 2: policy `P`: category `C` not found\n"},
    };
    const std::string adml =
        "<policyDefinitionResources><resources><stringTable/></resources>"
        "</policyDefinitionResources>";
    for (const auto& row : rows) {
        CAPTURE(row.name);
        std::span<const std::uint8_t> a(reinterpret_cast<const std::uint8_t*>(row.admx.data()),
                                        row.admx.size());
        std::span<const std::uint8_t> l(reinterpret_cast<const std::uint8_t*>(adml.data()),
                                        adml.size());
        auto r = parse_admx(a, l, "x.admx");
        CHECK(messages(r) == row.expected);
    }
}
