// Editing RDP property strings (rdp_props_edit.hpp): exact strings. The store writer is
// tested in hostpool_store_edit_test.cpp.
#include <doctest/doctest.h>

#include <comredir/policy/rdp/rdp_props_edit.hpp>
#include <optional>
#include <string>
#include <vector>

using namespace comredir::policy;

TEST_CASE("set: in every position, separators and spelling kept") {
    struct Case {
        const char* in;
        const char* name;
        std::optional<char> type;
        const char* value;
        const char* out;
        std::size_t replaced, added, removed;
    };
    const std::vector<Case> cases = {
        {"a:i:1;b:i:2;c:i:3", "a", {}, "0", "a:i:0;b:i:2;c:i:3", 1, 0, 0},
        {"a:i:1;b:i:2;c:i:3", "b", {}, "0", "a:i:1;b:i:0;c:i:3", 1, 0, 0},
        {"a:i:1;b:i:2;c:i:3", "c", {}, "0", "a:i:1;b:i:2;c:i:0", 1, 0, 0},
        {"a:i:1;b:i:2;", "b", {}, "5", "a:i:1;b:i:5;", 1, 0, 0},
        {"a:i:1;;b:i:2", "a", {}, "0", "a:i:0;;b:i:2", 1, 0, 0},
        {"a:i:1; b:i:2", "b", {}, "3", "a:i:1; b:i:3", 1, 0, 0},
        {"RedirectCOMPorts:i:1", "redirectcomports", {}, "0", "RedirectCOMPorts:i:0", 1, 0, 0},
        {"screen mode id:i:2", "screen mode id", {}, "1", "screen mode id:i:1", 1, 0, 0},
        {"a:i:1", "a", 's', "x", "a:s:x", 1, 0, 0},
        {"drivestoredirect:s:*", "drivestoredirect", {}, "", "drivestoredirect:s:", 1, 0, 0},
        // A `;`-continued list value is one property: replaced as a whole.
        {"drivestoredirect:s:C:\\;E:\\;redirectcomports:i:1",
         "drivestoredirect",
         {},
         "*",
         "drivestoredirect:s:*;redirectcomports:i:1",
         1,
         0,
         0},
        {"redirectcomports:i:1",
         "drivestoredirect",
         {},
         "C:\\;E:\\",
         "redirectcomports:i:1;drivestoredirect:s:C:\\;E:\\",
         0,
         1,
         0},
        // New properties go after the last one, before the string's tail.
        {"a:i:1;b:i:2", "redirectcomports", {}, "0", "a:i:1;b:i:2;redirectcomports:i:0", 0, 1, 0},
        {"a:i:1;", "redirectcomports", {}, "0", "a:i:1;redirectcomports:i:0;", 0, 1, 0},
        {"a:i:1;;", "redirectcomports", {}, "0", "a:i:1;redirectcomports:i:0;;", 0, 1, 0},
        {"a:i:1; ", "x", 'b', "00ff", "a:i:1;x:b:00ff; ", 0, 1, 0},
        {"", "redirectcomports", {}, "0", "redirectcomports:i:0", 0, 1, 0},
        {";", "redirectcomports", {}, "0", "redirectcomports:i:0;", 0, 1, 0},
        {"  ", "redirectcomports", {}, "0", "redirectcomports:i:0;  ", 0, 1, 0},
        // Duplicates: the first position is set, later occurrences go.
        {"x:i:1;a:i:1;x:i:2;b:i:0;x:i:3", "x", {}, "5", "x:i:5;a:i:1;b:i:0", 1, 0, 2},
        {"a:i:1;x:i:1;x:i:2;", "X", {}, "0", "a:i:1;x:i:0;", 1, 0, 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        CAPTURE(c.name);
        auto r = set_rdp_property(c.in, c.name, c.type, c.value);
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.text == c.out);
        CHECK(r.replaced == c.replaced);
        CHECK(r.added == c.added);
        CHECK(r.removed == c.removed);
        CHECK(r.changed);
    }
    auto same = set_rdp_property("a:i:1;b:i:2", "B", {}, "2");
    REQUIRE(same.ok());
    CHECK(same.text == "a:i:1;b:i:2");
    CHECK_FALSE(same.changed);
    CHECK(same.type == 'i');
}

TEST_CASE("unset: in every position, all occurrences, separators kept") {
    struct Case {
        const char* in;
        const char* name;
        const char* out;
        std::size_t removed;
    };
    const std::vector<Case> cases = {
        {"a:i:1;b:i:2;c:i:3", "a", "b:i:2;c:i:3", 1},
        {"a:i:1;b:i:2;c:i:3", "b", "a:i:1;c:i:3", 1},
        {"a:i:1;b:i:2;c:i:3", "c", "a:i:1;b:i:2", 1},
        {"a:i:1;b:i:2;", "b", "a:i:1;", 1},
        {"a:i:1;b:i:2;", "a", "b:i:2;", 1},
        {"a:i:1", "a", "", 1},
        {"a:i:1;", "A", "", 1},
        {"a:i:1; b:i:2; c:i:3", "b", "a:i:1; c:i:3", 1},
        {"a:i:1;;b:i:2;c:i:3", "c", "a:i:1;;b:i:2", 1},
        {"x:i:1;a:i:1;x:i:2;x:i:3", "x", "a:i:1", 3},
        {"x:i:1;a:i:1;x:i:2;x:i:3;", "x", "a:i:1;", 3},
        {"drivestoredirect:s:C:\\;E:\\;redirectcomports:i:1", "drivestoredirect",
         "redirectcomports:i:1", 1},
        {"redirectcomports:i:1;drivestoredirect:s:C:\\;E:\\", "drivestoredirect",
         "redirectcomports:i:1", 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        auto r = unset_rdp_property(c.in, c.name);
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.text == c.out);
        CHECK(r.removed == c.removed);
        CHECK(r.changed);
    }
    auto absent = unset_rdp_property("a:i:1;", "b");
    REQUIRE(absent.ok());
    CHECK(absent.text == "a:i:1;");
    CHECK(absent.removed == 0);
    CHECK_FALSE(absent.changed);
}

TEST_CASE("set then unset of a new property gives the string back") {
    for (const char* s : {"", "a:i:1", "a:i:1;", "a:i:1;;", "drivestoredirect:s:C:\\;E:\\;",
                          "audiomode:i:0; redirectcomports:i:1"}) {
        CAPTURE(s);
        auto set = set_rdp_property(s, "redirectwebauthn", {}, "0");
        REQUIRE(set.ok());
        auto unset = unset_rdp_property(set.text, "redirectwebauthn");
        REQUIRE(unset.ok());
        CHECK(unset.text == s);
    }
}

TEST_CASE("edit errors: status and exact message") {
    struct Case {
        RdpPropsEdit r;
        RdpPropsEditStatus status;
        const char* message;
    };
    const std::vector<Case> cases = {
        {set_rdp_property("a:q:1", "b", 'i', "1"), RdpPropsEditStatus::bad_string,
         "item 1: property `a`: type `q` is not one of `i`, `s`, `b`"},
        {unset_rdp_property("a:i:1;b", "a"), RdpPropsEditStatus::bad_string,
         "item 2: `b`: not a `name:type:value` property"},
        {set_rdp_property("", "", 'i', "1"), RdpPropsEditStatus::bad_name, "empty property name"},
        {set_rdp_property("", "a;b", 'i', "1"), RdpPropsEditStatus::bad_name,
         "property name `a;b` must not contain `:` or `;`"},
        {unset_rdp_property("", "a:i"), RdpPropsEditStatus::bad_name,
         "property name `a:i` must not contain `:` or `;`"},
        {set_rdp_property("", " a", 'i', "1"), RdpPropsEditStatus::bad_name,
         "property name ` a` must not start with a blank"},
        {set_rdp_property("", "a\tb", 'i', "1"), RdpPropsEditStatus::bad_name,
         "property name `a?b` must not contain control characters"},
        {set_rdp_property("", "a", 'x', "1"), RdpPropsEditStatus::bad_type,
         "property `a`: type `x` is not one of `i`, `s`, `b`"},
        {set_rdp_property("a:i:1", "foo", {}, "1"), RdpPropsEditStatus::unknown_type,
         "property `foo` is new and its type is not known: give it as `foo:i`, `foo:s` or "
         "`foo:b`"},
        {set_rdp_property("a:i:1", "drivestoredirct", {}, "*"), RdpPropsEditStatus::unknown_type,
         "property `drivestoredirct` is new and its type is not known: did you mean "
         "`drivestoredirect`? else give it as `drivestoredirct:i`, `drivestoredirct:s` or "
         "`drivestoredirct:b`"},
        {set_rdp_property("", "redirectcomports", {}, "yes"), RdpPropsEditStatus::bad_value,
         "property `redirectcomports`: value `yes` is not an integer"},
        {set_rdp_property("a:i:1", "a", {}, "2147483648"), RdpPropsEditStatus::bad_value,
         "property `a`: value `2147483648` is not an integer in the int32 range"},
        {set_rdp_property("", "drivestoredirect", {}, "C:\\;E:\\;"), RdpPropsEditStatus::bad_value,
         "property `drivestoredirect`: value `C:\\;E:\\;` would read back as `C:\\;E:\\` (a `;` "
         "in a value must not be followed by another `;`, by blanks only or by `name:t:`)"},
        {set_rdp_property("b:i:1", "drivestoredirect", {}, "x;redirectcomports:i:0"),
         RdpPropsEditStatus::bad_value,
         "property `drivestoredirect`: value `x;redirectcomports:i:0` would read back as `x` (a "
         "`;` in a value must not be followed by another `;`, by blanks only or by `name:t:`)"},
        {set_rdp_property("", "a", 's', std::string("1\0", 2)), RdpPropsEditStatus::bad_value,
         "property `a`: value `1?` holds a control character"},
        {set_rdp_property("", "a", 's', "x\ny"), RdpPropsEditStatus::bad_value,
         "property `a`: value `x?y` holds a control character"},
        {check_rdp_properties("redirectcomports:i:1;:i:0"), RdpPropsEditStatus::bad_string,
         "item 2: `:i:0`: empty property name"},
        {check_rdp_properties("x"), RdpPropsEditStatus::bad_string,
         "item 1: `x`: not a `name:type:value` property"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.message);
        CHECK(c.r.status == c.status);
        CHECK(c.r.message == c.message);
        CHECK(c.r.text.empty());
    }
    auto raw = check_rdp_properties("redirectcomports:i:1;drivestoredirect:s:C:\\;E:\\;");
    REQUIRE(raw.ok());
    CHECK(raw.text == "redirectcomports:i:1;drivestoredirect:s:C:\\;E:\\;");
    CHECK(to_string(RdpPropsEditStatus::unknown_type) == "unknown_type");
}

TEST_CASE("set: types from the existing property, then Microsoft's list; integers canonical") {
    struct Case {
        const char* in;
        const char* name;
        const char* value;
        const char* out;
    };
    const std::vector<Case> cases = {
        {"", "screen mode id", "2", "screen mode id:i:2"},
        {"", "DriveStoRedirect", "*", "DriveStoRedirect:s:*"},
        {"x:s:1", "x", "007", "x:s:007"},
        {"x:i:1", "x", "007", "x:i:7"},
        {"x:i:1", "x", "-0", "x:i:0"},
        {"x:i:1;", "x", "-2147483648", "x:i:-2147483648;"},
        {"x:s:a", "x", "tab\there", "x:s:tab\there"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        auto r = set_rdp_property(c.in, c.name, {}, c.value);
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.text == c.out);
    }
    auto tab = set_rdp_property("", "x", 's', "a\tb");
    REQUIRE(tab.ok());
    CHECK(tab.text == "x:s:a\tb");
    auto canon = set_rdp_property("x:i:7", "x", {}, "007");
    REQUIRE(canon.ok());
    CHECK(canon.value == "7");
    CHECK_FALSE(canon.changed);
}
