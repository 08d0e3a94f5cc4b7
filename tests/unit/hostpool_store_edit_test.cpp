// Writing the host-pool store (hostpool_store_edit.hpp): exact bytes; untouched pools and
// members keep theirs; set then reset gives the file back.
#include <doctest/doctest.h>

#include <comredir/policy/hostpool/hostpool_store_edit.hpp>
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_edit.hpp>
#include <comredir/policy/rdp/rdp_props_edit.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::slurp;
using comredir::test::source_dir;
using ojson = nlohmann::ordered_json;

namespace {

std::string text_of(const std::string& path) {
    auto b = slurp(path);
    return {b.begin(), b.end()};
}

std::string canonical(const std::string& text) {
    return ojson::parse(text).dump(2) + "\n";
}

}  // namespace

TEST_CASE("store: the example store is in canonical form") {
    const std::string text = text_of(source_dir("examples/hostpools.json"));
    CHECK(canonical(text) == text);
    CHECK(empty_hostpool_store_text() == "{\n  \"version\": 1,\n  \"hostPools\": []\n}\n");
}

TEST_CASE("store: set replaces one value token; every other byte stays") {
    const std::string text = text_of(source_dir("examples/hostpools.json"));
    const std::string old_value =
        R"("redirectcomports:i:1;drivestoredirect:s:C:\\;E:\\;usbdevicestoredirect:s:*;redirectclipboard:i:0")";
    const std::size_t at = text.find(old_value);
    REQUIRE(at != std::string::npos);
    auto r =
        set_hostpool_member(text, "LAB", "customRdpProperty", "redirectcomports:i:0;x:s:\"q\"");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.changed);
    const std::string token = R"("redirectcomports:i:0;x:s:\"q\"")";
    CHECK(r.text == text.substr(0, at) + token + text.substr(at + old_value.size()));
    CHECK(canonical(r.text) == r.text);
    auto back = parse_hostpool_store(r.text);
    REQUIRE(back.ok());
    CHECK(back.store.pools[1].custom_rdp_property == "redirectcomports:i:0;x:s:\"q\"");

    auto same = set_hostpool_member(text, "lab", "customRdpProperty",
                                    back.store.pools[1].custom_rdp_property);
    REQUIRE(same.ok());
    auto again = set_hostpool_member(r.text, "lab", "customRdpProperty",
                                     "redirectcomports:i:1;drivestoredirect:s:C:\\;E:\\;"
                                     "usbdevicestoredirect:s:*;redirectclipboard:i:0");
    REQUIRE(again.ok());
    CHECK(again.text == text);
}

TEST_CASE("store: set and unset of a property in every pool gives identical bytes back") {
    const std::string text = text_of(source_dir("examples/hostpools.json"));
    auto store = parse_hostpool_store(text);
    REQUIRE(store.ok());
    for (const auto& pool : store.store.pools) {
        for (const char* prop : {"redirectcomports", "redirectwebauthn", "drivestoredirect"}) {
            CAPTURE(pool.name);
            CAPTURE(prop);
            // Setting an existing property to another value and back, or adding then removing.
            auto parsed = parse_rdp_properties(pool.custom_rdp_property);
            const RdpProperty* had = parsed.file.find_first(prop);
            auto set = set_rdp_property(pool.custom_rdp_property, prop, {},
                                        *rdp_known_type(prop) == 'i' ? "0" : "");
            REQUIRE(set.ok());
            auto w1 = set_hostpool_member(text, pool.name, "customRdpProperty", set.text);
            REQUIRE(w1.ok());
            auto reset = had != nullptr ? set_rdp_property(set.text, prop, {}, had->value)
                                        : unset_rdp_property(set.text, prop);
            REQUIRE(reset.ok());
            auto w2 = set_hostpool_member(w1.text, pool.name, "customRdpProperty", reset.text);
            REQUIRE(w2.ok());
            CHECK(w2.text == text);
        }
    }
}

TEST_CASE("store: a member the pool lacks is appended in the object's own style") {
    const std::string text =
        "\xEF\xBB\xBF{ \"version\": 1, \"x-note\": 1.50,\n"
        "    \"hostPools\": [\n"
        "        {   \"x-owner\" : {\"team\": \"lab\"},\n"
        "            \"name\" : \"a\",\n"
        "            \"product\" : \"linux\" },\n"
        "        { \"name\":\"b\", \"product\":\"avd\" }\n"
        "    ]\n"
        "}";
    auto r = set_hostpool_member(text, "A", "customRdpProperty", "redirectcomports:i:1");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.text ==
          "\xEF\xBB\xBF{ \"version\": 1, \"x-note\": 1.50,\n"
          "    \"hostPools\": [\n"
          "        {   \"x-owner\" : {\"team\": \"lab\"},\n"
          "            \"name\" : \"a\",\n"
          "            \"product\" : \"linux\",\n"
          "            \"customRdpProperty\" : \"redirectcomports:i:1\" },\n"
          "        { \"name\":\"b\", \"product\":\"avd\" }\n"
          "    ]\n"
          "}");
    auto b = set_hostpool_member(text, "b", "friendlyName", "B");
    REQUIRE(b.ok());
    CHECK(b.text.substr(b.text.find("{ \"name\":\"b\"")) ==
          "{ \"name\":\"b\", \"product\":\"avd\", \"friendlyName\":\"B\" }\n    ]\n}");
}

TEST_CASE("store: add copies the last pool's shape; remove takes one separator") {
    const std::string text =
        "{\"version\": 1,\n"
        "\t\"hostPools\": [ {\"name\": \"a\",\t\"product\": \"avd\"},\n"
        "\t\t{\"name\": \"b\",\t\"product\": \"rds\"} ],\n"
        "\t\"x-tail\": [1, 2]}";
    HostPool p;
    p.name = "c";
    p.product = "linux";
    p.custom_rdp_property = "redirectcomports:i:1";
    auto added = add_hostpool(text, p);
    REQUIRE_MESSAGE(added.ok(), added.message);
    CHECK(added.text ==
          "{\"version\": 1,\n"
          "\t\"hostPools\": [ {\"name\": \"a\",\t\"product\": \"avd\"},\n"
          "\t\t{\"name\": \"b\",\t\"product\": \"rds\"},\n"
          "\t\t{\"name\": \"c\",\t\"product\": \"linux\",\t\"customRdpProperty\": "
          "\"redirectcomports:i:1\"} ],\n"
          "\t\"x-tail\": [1, 2]}");
    auto first = remove_hostpool(added.text, "A");
    REQUIRE(first.ok());
    CHECK(first.text ==
          "{\"version\": 1,\n"
          "\t\"hostPools\": [ {\"name\": \"b\",\t\"product\": \"rds\"},\n"
          "\t\t{\"name\": \"c\",\t\"product\": \"linux\",\t\"customRdpProperty\": "
          "\"redirectcomports:i:1\"} ],\n"
          "\t\"x-tail\": [1, 2]}");
    auto last = remove_hostpool(added.text, "c");
    REQUIRE(last.ok());
    CHECK(last.text == text);
    auto middle = remove_hostpool(added.text, "b");
    REQUIRE(middle.ok());
    CHECK(middle.text ==
          "{\"version\": 1,\n"
          "\t\"hostPools\": [ {\"name\": \"a\",\t\"product\": \"avd\"},\n"
          "\t\t{\"name\": \"c\",\t\"product\": \"linux\",\t\"customRdpProperty\": "
          "\"redirectcomports:i:1\"} ],\n"
          "\t\"x-tail\": [1, 2]}");
    auto only = remove_hostpool(remove_hostpool(middle.text, "a").text, "c");
    REQUIRE(only.ok());
    CHECK(only.text == "{\"version\": 1,\n\t\"hostPools\": [],\n\t\"x-tail\": [1, 2]}");
}

TEST_CASE("store: canonical stores stay canonical; untouched pools keep their bytes") {
    const std::string text = text_of(source_dir("examples/hostpools.json"));
    auto store = parse_hostpool_store(text);
    REQUIRE(store.ok());
    HostPool p;
    p.name = "bench";
    p.product = "linux";
    p.friendly_name = "Bench \"2\"";
    p.custom_rdp_property = "redirectcomports:i:1";
    p.arm_path = "/subscriptions/x";
    auto added = add_hostpool(text, p);
    REQUIRE(added.ok());
    const std::size_t kept = text.size() - std::string("\n  ]\n}\n").size();
    CHECK(added.text.substr(0, kept) == text.substr(0, kept));
    CHECK(canonical(added.text) == added.text);
    CHECK(remove_hostpool(added.text, "bench").text == text);
    for (const auto& pool : store.store.pools) {
        CAPTURE(pool.name);
        auto removed = remove_hostpool(text, pool.name);
        REQUIRE(removed.ok());
        CHECK(canonical(removed.text) == removed.text);
        auto doc = ojson::parse(text);
        auto after = ojson::parse(removed.text);
        std::size_t k = 0;
        for (const auto& el : doc["hostPools"]) {
            if (el["name"] != pool.name) CHECK(after["hostPools"][k++] == el);
        }
    }
    // From empty: canonical too, and on one line for a one-line store.
    std::string grown = empty_hostpool_store_text();
    for (const auto& pool : store.store.pools) {
        auto r = add_hostpool(grown, pool);
        REQUIRE(r.ok());
        grown = r.text;
    }
    CHECK(grown == text);
    auto one = add_hostpool("{\"version\":1,\"hostPools\":[ ]}", p);
    REQUIRE(one.ok());
    CHECK(one.text ==
          "{\"version\":1,\"hostPools\":[{\"name\":\"bench\",\"product\":\"linux\","
          "\"friendlyName\":\"Bench \\\"2\\\"\",\"customRdpProperty\":\"redirectcomports:i:1\","
          "\"armPath\":\"/subscriptions/x\"}]}");
}

TEST_CASE("store edit errors: status and exact message") {
    const std::string text = text_of(source_dir("examples/hostpools.json"));
    HostPool dup;
    dup.name = "POOL1";
    dup.product = "avd";
    HostPool bad;
    bad.name = "z";
    bad.product = "citrix";
    HostPool unnamed;
    unnamed.product = "avd";
    struct Case {
        HostPoolEditResult r;
        HostPoolEditStatus status;
        const char* message;
    };
    const std::vector<Case> cases = {
        {set_hostpool_member(text, "pool9", "customRdpProperty", ""), HostPoolEditStatus::not_found,
         "host pool `pool9` not found"},
        {remove_hostpool(text, "pool9"), HostPoolEditStatus::not_found,
         "host pool `pool9` not found"},
        {add_hostpool(text, dup), HostPoolEditStatus::exists,
         "host pool `pool1` exists already (line 4)"},
        {add_hostpool(text, bad), HostPoolEditStatus::bad_pool,
         "the change would make the store invalid: line 26: /hostPools/3/product: `citrix` is "
         "not one of `avd`, `w365`, `devbox`, `rds`, `linux`"},
        {add_hostpool(text, unnamed), HostPoolEditStatus::bad_pool,
         "the change would make the store invalid: line 25: /hostPools/3/name: must not be "
         "empty"},
        {set_hostpool_member("{\"version\":1,\"hostPools\":[}", "a", "x", ""),
         HostPoolEditStatus::bad_store,
         "line 1: column 27: syntax error while parsing value - unexpected '}'; expected '[', "
         "'{', or a literal"},
        {remove_hostpool("{\"version\":2,\"hostPools\":[]}", "a"), HostPoolEditStatus::bad_store,
         "line 1: /version: version `2` is not supported (expected `1`)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.message);
        CHECK(c.r.status == c.status);
        CHECK(c.r.message == c.message);
        CHECK(c.r.text.empty());
    }
    CHECK(to_string(HostPoolEditStatus::bad_pool) == "bad_pool");
}
