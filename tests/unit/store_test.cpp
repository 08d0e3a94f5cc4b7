#include <doctest/doctest.h>

#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::slurp;
using comredir::test::source_dir;
using comredir::test::test_data;

namespace {

std::string text_of(const std::string& path) {
    auto b = slurp(path);
    return {b.begin(), b.end()};
}

}  // namespace

TEST_CASE("golden: fixture store, unknown members kept, lookup case-insensitive") {
    auto r = read_hostpool_store(test_data("store/hostpools.json"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.store.version == 1);
    CHECK(r.store.extra == std::vector<JsonMember>{{"comment", R"("comredir test store")"}});
    REQUIRE(r.store.pools.size() == 2);

    const HostPool& a = r.store.pools[0];
    CHECK(a.name == "pool1");
    CHECK(a.product == "avd");
    CHECK(a.friendly_name == "Engineering pooled desktops");
    CHECK(a.custom_rdp_property == "redirectcomports:i:1;drivestoredirect:s:*");
    CHECK(a.arm_path ==
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-avd/providers/"
          "Microsoft.DesktopVirtualization/hostpools/pool1");
    CHECK(a.line == 5);
    CHECK(a.extra.empty());

    const HostPool& b = r.store.pools[1];
    CHECK(b.name == "lab-linux");
    CHECK(b.product == "linux");
    CHECK(b.friendly_name.empty());
    CHECK(b.arm_path.empty());
    CHECK(b.line == 12);
    CHECK(b.extra ==
          std::vector<JsonMember>{{"x-owner", R"({"tags":["serial","bench"],"team":"lab"})"}});

    CHECK(r.store.find("POOL1") == &r.store.pools[0]);
    CHECK(r.store.find("Lab-Linux") == &r.store.pools[1]);
    CHECK(r.store.find("pool") == nullptr);
}

TEST_CASE("accepted: BOM, empty list, minimal pools") {
    auto r = parse_hostpool_store("\xEF\xBB\xBF{\"version\":1,\"hostPools\":[]}");
    REQUIRE(r.ok());
    CHECK(r.store.pools.empty());
    auto m = parse_hostpool_store(
        "{\"hostPools\":[{\"name\":\"a\",\"product\":\"w365\"},\n{\"name\":\"b\",\"product\":"
        "\"rds\"}],"
        "\"version\":1}");
    REQUIRE_MESSAGE(m.ok(), m.message);
    REQUIRE(m.store.pools.size() == 2);
    CHECK(m.store.pools[0].line == 1);
    CHECK(m.store.pools[1].line == 2);
}

TEST_CASE("malformed stores: status, line and offset") {
    struct Case {
        std::string name;
        std::string text;
        HostPoolStoreStatus status;
        std::uint32_t line;
        std::uint64_t offset;
        std::string message;
    };
    const std::string v = "{\"version\":1,\n\"hostPools\":[\n";  // pools start on line 3 at 28
    const std::vector<Case> cases = {
        {"not json", "{\"version\":1,}", HostPoolStoreStatus::bad_json, 1, 13,
         "line 1: column 14: syntax error while parsing object key - unexpected '}'; expected "
         "string literal"},
        {"root not an object", "[]", HostPoolStoreStatus::bad_schema, 1, 0,
         "line 1: /: expected an object"},
        {"version missing", "{\"hostPools\":[]}", HostPoolStoreStatus::bad_schema, 1, 0,
         "line 1: /version: required member missing"},
        {"version a string", "{\"version\":\"1\",\"hostPools\":[]}",
         HostPoolStoreStatus::bad_schema, 1, 11, "line 1: /version: expected an integer"},
        {"version 2", "{\"version\":2,\"hostPools\":[]}", HostPoolStoreStatus::unsupported_version,
         1, 11, "line 1: /version: version `2` is not supported (expected `1`)"},
        {"version -1", "{\"version\":-1,\"hostPools\":[]}",
         HostPoolStoreStatus::unsupported_version, 1, 11,
         "line 1: /version: version `-1` is not supported (expected `1`)"},
        {"pools missing", "{\"version\":1}", HostPoolStoreStatus::bad_schema, 1, 0,
         "line 1: /hostPools: required member missing"},
        {"pools not an array", "{\"version\":1,\"hostPools\":{}}", HostPoolStoreStatus::bad_schema,
         1, 25, "line 1: /hostPools: expected an array"},
        {"pool not an object", v + "3]}", HostPoolStoreStatus::bad_schema, 3, 28,
         "line 3: /hostPools/0: expected an object"},
        {"name missing", v + "{\"product\":\"avd\"}]}", HostPoolStoreStatus::bad_schema, 3, 28,
         "line 3: /hostPools/0/name: required member missing"},
        {"name a number", v + "{\"name\":\"a\",\"product\":\"avd\"},\n{\"name\":7}]}",
         HostPoolStoreStatus::bad_schema, 4, 66, "line 4: /hostPools/1/name: expected a string"},
        {"name empty", v + "{\"name\":\"\",\"product\":\"avd\"}]}", HostPoolStoreStatus::bad_schema,
         3, 36, "line 3: /hostPools/0/name: must not be empty"},
        {"product unknown", v + "{\"name\":\"a\",\"product\":\"AVD\"}]}",
         HostPoolStoreStatus::bad_schema, 3, 50,
         "line 3: /hostPools/0/product: `AVD` is not one of `avd`, `w365`, `devbox`, `rds`, "
         "`linux`"},
        {"friendly name null", v + "{\"name\":\"a\",\"product\":\"avd\",\"friendlyName\":null}]}",
         HostPoolStoreStatus::bad_schema, 3, 71,
         "line 3: /hostPools/0/friendlyName: expected a string"},
        {"duplicate name",
         v + "{\"name\":\"Pool1\",\"product\":\"avd\"},\n{\"name\":\"pool1\",\"product\":\"rds\"}]"
             "}",
         HostPoolStoreStatus::duplicate_name, 4, 70,
         "line 4: /hostPools/1/name: `pool1` duplicates `/hostPools/0/name` (line 3)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto r = parse_hostpool_store(c.text);
        CHECK(to_string(r.status) == to_string(c.status));
        CHECK(r.line == c.line);
        CHECK(r.offset == c.offset);
        CHECK(r.message == c.message);
    }
}

TEST_CASE("read_hostpool_store: io error and path prefix") {
    auto io = read_hostpool_store(test_data("store/missing.json"));
    CHECK(io.status == HostPoolStoreStatus::io_error);
    CHECK(io.message.find("missing.json: cannot open") != std::string::npos);
    auto bad = read_hostpool_store(test_data("store/README.md"));
    CHECK(bad.status == HostPoolStoreStatus::bad_json);
    CHECK(bad.message.rfind(test_data("store/README.md") + ": line 1: column 1: ", 0) == 0);
}

TEST_CASE("the documented JSON Schema is JSON, draft 2020-12, and lists the products") {
    auto schema = nlohmann::json::parse(text_of(source_dir("docs/hostpool-store.schema.json")));
    CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(schema["required"] == nlohmann::json{"version", "hostPools"});
    CHECK(schema["$defs"]["hostPool"]["properties"]["product"]["enum"] ==
          nlohmann::json{"avd", "w365", "devbox", "rds", "linux"});
    CHECK(schema["$defs"]["hostPool"]["required"] == nlohmann::json{"name", "product"});
}

TEST_CASE("every truncation and byte flip of the fixture: no crash, consistent result") {
    const std::string text = text_of(test_data("store/hostpools.json"));
    for (std::size_t n = 0; n <= text.size(); ++n) {
        auto r = parse_hostpool_store(std::string_view(text).substr(0, n));
        CHECK((r.ok() || (!r.message.empty() && r.offset <= n)));
    }
    std::string copy = text;
    for (std::size_t i = 0; i < copy.size(); ++i) {
        for (char mask : {'\x01', '\x20', '\x80'}) {
            copy[i] = static_cast<char>(copy[i] ^ mask);
            auto r = parse_hostpool_store(copy);
            CHECK((r.ok() || !r.message.empty()));
            copy[i] = static_cast<char>(copy[i] ^ mask);
        }
    }
}
