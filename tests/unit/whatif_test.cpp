// `effective --set` arguments: the grammar of whatif.hpp, exactly.
#include <doctest/doctest.h>

#include <comredir/policy/gp/registry.hpp>
#include <comredir/policy/resolve/whatif.hpp>
#include <string>
#include <vector>

using namespace comredir::policy;

namespace {
const std::string ts = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
}

TEST_CASE("os what-ifs: key, value name and data") {
    struct Row {
        const char* arg;
        std::string key;
        std::string name;
        std::optional<std::uint32_t> dword;
        std::optional<std::string> text;
    };
    const std::vector<Row> rows = {
        {"os:fDisableCcm=1", ts, "fDisableCcm", 1, std::nullopt},
        {"OS:fDisableCcm=0x10", ts, "fDisableCcm", 16, std::nullopt},
        {"os:fDisableCcm=dword:4294967295", ts, "fDisableCcm", 4294967295U, std::nullopt},
        {"os:SOFTWARE\\Policies\\comredir\\Redirection\\RestrictPortNames=1",
         "HKLM\\SOFTWARE\\Policies\\comredir\\Redirection", "RestrictPortNames", 1, std::nullopt},
        {"os:HKCU\\Software\\Policies\\X\\V=sz:a=b", "HKCU\\Software\\Policies\\X", "V",
         std::nullopt, "a=b"},
        {"os:fDisableCcm=delete", ts, "fDisableCcm", std::nullopt, std::nullopt},
    };
    for (const auto& r : rows) {
        CAPTURE(r.arg);
        const auto p = parse_what_if(r.arg);
        REQUIRE_MESSAGE(p.ok, p.message);
        CHECK(p.what.layer == LayerId::os_policy);
        CHECK(p.what.arg == r.arg);
        CHECK(p.what.key == r.key);
        CHECK(p.what.name == r.name);
        if (r.dword) {
            REQUIRE(p.what.data);
            CHECK(reg_dword(*p.what.data) == r.dword);
        } else if (r.text) {
            REQUIRE(p.what.data);
            CHECK(reg_string(*p.what.data) == r.text);
        } else {
            CHECK_FALSE(p.what.data);
            CHECK_FALSE(p.what.value);
        }
    }
}

TEST_CASE("property what-ifs: name, type, value or removal") {
    struct Row {
        const char* arg;
        LayerId layer;
        std::string name;
        char type;
        std::optional<std::string> value;
    };
    const std::vector<Row> rows = {
        {"hostpool:redirectcomports=0", LayerId::host_pool, "redirectcomports", 'i', "0"},
        {"host_pool:drivestoredirect=*", LayerId::host_pool, "drivestoredirect", 's', "*"},
        {"client:redirectcomports:s=1", LayerId::client, "redirectcomports", 's', "1"},
        {"client:screen mode id=2", LayerId::client, "screen mode id", 'i', "2"},
        {"client:redirectcomports", LayerId::client, "redirectcomports", 'i', std::nullopt},
        {"client:camerastoredirect=", LayerId::client, "camerastoredirect", 's', ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.arg);
        const auto p = parse_what_if(r.arg);
        REQUIRE_MESSAGE(p.ok, p.message);
        CHECK(p.what.layer == r.layer);
        CHECK(p.what.name == r.name);
        CHECK(p.what.value == r.value);
        if (r.value) CHECK(p.what.type == r.type);
    }
}

TEST_CASE("bad what-ifs name the argument") {
    const std::vector<std::pair<const char*, const char*>> rows = {
        {"x", "`--set x`: expected `LAYER:NAME=VALUE` (LAYER: os, hostpool, client)"},
        {"platform:a=1",
         "`--set platform:a=1`: unknown layer `platform` (expected os, hostpool or client)"},
        {"os:=1", "`--set os:=1`: no registry value name"},
        {"os:Key\\=1", "`--set os:Key\\=1`: no registry value name"},
        {"os:v=4294967296",
         "`--set os:v=4294967296`: data `4294967296` is not a number, `dword:N`, `sz:TEXT` or "
         "`delete`"},
        {"os:v=-1", "`--set os:v=-1`: data `-1` is not a number, `dword:N`, `sz:TEXT` or `delete`"},
        {"client:p:x=1", "`--set client:p:x=1`: property type `x` is not i, s or b"},
        {"client:=1", "`--set client:=1`: `` is not an RDP property name"},
        {"client:p:i=1.5", "`--set client:p:i=1.5`: value `1.5` is not an integer (`:i:`)"},
        {"client:p=a;b", "`--set client:p=a;b`: a property value cannot hold `;` or a line break"},
    };
    for (const auto& row : rows) {
        const auto& arg = row.first;
        const auto& msg = row.second;
        CAPTURE(row.first);
        const auto p = parse_what_if(arg);
        CHECK_FALSE(p.ok);
        CHECK(p.message == msg);
    }
}
