#include <doctest/doctest.h>

#include <comredir/policy/resolve/config.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace comredir::policy;

namespace {

std::string write(const std::string& name, const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / "comredir-config-test";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

}  // namespace

TEST_CASE("the example config reads with paths relative to its folder") {
    auto r = read_config(comredir::test::source_dir("examples/comredir.json"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    const Config& c = r.config;
    CHECK(c.hostpool_store == comredir::test::source_dir("examples/hostpools.json"));
    CHECK(c.default_product == Product::avd);
    REQUIRE(c.hosts.count("pool1") == 1);
    const HostConfig& h = c.hosts.at("pool1");
    CHECK(h.product == Product::avd);
    CHECK(h.host_pool == "pool1");
    REQUIRE(h.os.size() == 2);
    CHECK(h.os[0].kind == OsSourceKind::gpo);
    CHECK(h.os[0].path == comredir::test::source_dir("examples/local-gpo"));
    CHECK(h.rdp == comredir::test::source_dir("examples/clients/alice-pool1.rdp"));
    CHECK(c.hosts.at("cpc-finance").product == Product::w365);
    CHECK(c.hosts.at("serial-linux").client_os == ClientOs::linux_client);
}

TEST_CASE("config errors name the file, the line or the JSON pointer") {
    struct Case {
        const char* text;
        ConfigStatus status;
        const char* message;  // after `<path>: `
    };
    const Case cases[] = {
        {"{\n  \"hosts\": {,\n}", ConfigStatus::bad_json,
         "line 2, column 13: unexpected `,`: expected a string (an object key)"},
        {"[]", ConfigStatus::bad_schema, "/: expected an object"},
        {"{\"version\": 2}", ConfigStatus::unsupported_version,
         "/version: unsupported version `2` (expected 1)"},
        {"{\"hosts\": {\"a\": {\"product\": \"citrix\"}}}", ConfigStatus::bad_schema,
         "/hosts/a/product: unknown product `citrix` (avd, w365, devbox, rds, linux)"},
        {"{\"hosts\": {\"a\": {\"os\": [{\"gpo\": 1}]}}}", ConfigStatus::bad_schema,
         "/hosts/a/os/0: expected one of {\"gpo\"|\"pol\"|\"reg\"|\"intune\": \"path\"}"},
        {"{\"hosts\": {\"a\": {\"os\": [{\"ini\": \"x\"}]}}}", ConfigStatus::bad_schema,
         "/hosts/a/os/0: unknown source kind `ini` (gpo, pol, reg, intune)"},
        {"{\"hostPoolStore\": 3}", ConfigStatus::bad_schema, "/hostPoolStore: expected a string"},
        {"{\"policyDefinitions\": []}", ConfigStatus::bad_schema,
         "/policyDefinitions: expected a string"},
        {"{\"admxLanguage\": 1}", ConfigStatus::bad_schema, "/admxLanguage: expected a string"},
        // found by fuzz_config: nlohmann/json throws out_of_range, not parse_error, here
        {"{\"vero\":1e6666}", ConfigStatus::bad_json,
         "line 1, column 9: number overflow parsing `1e6666`"},
    };
    int i = 0;
    for (const auto& c : cases) {
        INFO(c.text);
        std::string p = write("c" + std::to_string(i++) + ".json", c.text);
        auto r = read_config(p);
        CHECK(r.status == c.status);
        CHECK(r.message.rfind(p + ": " + c.message, 0) == 0);
    }
    auto missing = read_config("/nonexistent/comredir.json");
    CHECK(missing.status == ConfigStatus::io_error);
    CHECK(missing.message == "/nonexistent/comredir.json: cannot open: No such file or directory");
}

TEST_CASE("policyDefinitions is relative to the config's folder; admxLanguage as written") {
    std::string p = write("admx.json",
                          R"({"version": 1, "policyDefinitions": "PolicyDefinitions",
                              "admxLanguage": "de-DE"})");
    auto r = read_config(p);
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.config.policy_definitions ==
          (std::filesystem::path(p).parent_path() / "PolicyDefinitions").string());
    CHECK(r.config.admx_language == "de-DE");
    auto none = parse_config("{}", p);
    CHECK(none.config.policy_definitions.empty());
    CHECK(none.config.admx_language.empty());
}

TEST_CASE("config search order") {
    CHECK(find_config(std::string("given.json")) == "given.json");
    ::setenv("COMREDIR_CONFIG", "/tmp/from-env.json", 1);
    ::setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
    auto path = config_search_path();
    REQUIRE(path.size() == 4);
    CHECK(path[0] == "/tmp/from-env.json");
    CHECK(path[1] == "./comredir.json");
    CHECK(path[2] == "/tmp/xdg/comredir/config.json");
    CHECK(path[3] == "/etc/comredir/config.json");
    std::string env = write("from-env.json", "{}");
    ::setenv("COMREDIR_CONFIG", env.c_str(), 1);
    CHECK(find_config(std::nullopt) == env);
    ::unsetenv("COMREDIR_CONFIG");
    ::unsetenv("XDG_CONFIG_HOME");
}

TEST_CASE("comments are allowed; hostPool given or defaulted to the host's name") {
    std::string p = write("comments.json", R"({
  // a linux host: no host pool store needed
  "version": 1,
  "hosts": { "lab": { "product": "linux" },  /* and one that names its pool */
             "pool": { "product": "avd", "hostPool": "p1" } }
})");
    auto r = read_config(p);
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.config.hosts.at("lab").host_pool == "lab");
    CHECK_FALSE(r.config.hosts.at("lab").host_pool_given);
    CHECK(r.config.hosts.at("pool").host_pool == "p1");
    CHECK(r.config.hosts.at("pool").host_pool_given);
    auto bad = parse_config("{\n  \"version\": 1\n  \"hosts\": {}\n}", "c.json");
    CHECK(bad.status == ConfigStatus::bad_json);
    CHECK(bad.line == 3);
    CHECK(bad.column == 3);
    CHECK(bad.message ==
          "c.json: line 3, column 3: unexpected a string `\"hosts\"`: expected `,` "
          "or `}`");
}
