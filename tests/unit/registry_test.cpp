#include <doctest/doctest.h>

#include <comredir/policy/gp/registry.hpp>

using namespace comredir::policy;

namespace {
Provenance origin(const std::string& name) {
    Provenance p;
    p.source = "gpo";
    p.gpo_name = name;
    return p;
}
RegValue dword(std::uint32_t v) {
    return RegValue{4,
                    {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                     static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)}};
}
}  // namespace

TEST_CASE("normalize_key folds case, hive names and separators") {
    CHECK(normalize_key("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\") == "hklm\\software\\policies");
    CHECK(normalize_key("HKLM\\\\Software\\Policies") == "hklm\\software\\policies");
    CHECK(normalize_key("HKEY_CURRENT_USER\\x") == "hkcu\\x");
    CHECK(normalize_key("HKEY_LOCAL_MACHINEX\\x") == "hkey_local_machinex\\x");
}

TEST_CASE("registry state: later wins, keeps history, matches case-insensitively") {
    RegistryState s;
    s.set("HKLM\\SOFTWARE\\Policies\\A", "fDisableCcm", dword(0), origin("first"));
    s.set("hklm\\software\\policies\\a", "FDISABLECCM", dword(1), origin("second"));
    const auto* slot = s.find("HKLM\\Software\\Policies\\A", "fdisableccm");
    REQUIRE(slot != nullptr);
    REQUIRE(slot->current.has_value());
    CHECK(reg_dword(slot->current->value) == 1u);
    CHECK(slot->current->origin.gpo_name == "second");
    REQUIRE(slot->history.size() == 1);
    CHECK(slot->history[0].gpo_name == "first");
}

TEST_CASE("registry state: delete value, delete values, delete key, soft set") {
    RegistryState s;
    s.set("HKLM\\K", "a", dword(1), origin("g1"));
    s.set("HKLM\\K", "b", dword(1), origin("g1"));
    s.set("HKLM\\K\\Sub", "c", dword(1), origin("g1"));
    s.set("HKLM\\Kx", "d", dword(1), origin("g1"));

    s.delete_value("HKLM\\K", "A", origin("g2"));
    CHECK_FALSE(s.find("HKLM\\K", "a")->current.has_value());
    CHECK(s.find("HKLM\\K", "a")->deleted_by->gpo_name == "g2");

    s.delete_values("HKLM\\K", origin("g3"));
    CHECK_FALSE(s.find("HKLM\\K", "b")->current.has_value());
    CHECK(s.find("HKLM\\K\\Sub", "c")->current.has_value());  // subkeys untouched

    s.delete_key("HKLM\\K", origin("g4"));
    CHECK_FALSE(s.find("HKLM\\K\\Sub", "c")->current.has_value());
    CHECK(s.find("HKLM\\Kx", "d")->current.has_value());  // sibling with same prefix untouched

    s.set_soft("HKLM\\Kx", "d", dword(7), origin("g5"));
    CHECK(reg_dword(s.find("HKLM\\Kx", "d")->current->value) == 1u);
    s.set_soft("HKLM\\Kx", "e", dword(7), origin("g5"));
    CHECK(reg_dword(s.find("HKLM\\Kx", "e")->current->value) == 7u);
    CHECK(s.find("HKLM\\Kx", "zz") == nullptr);
}

TEST_CASE("value decoding is strict about sizes") {
    CHECK(reg_dword(RegValue{4, {1, 0, 0, 0}}) == 1u);
    CHECK(reg_dword(RegValue{5, {0, 0, 0, 1}}) == 1u);
    CHECK_FALSE(reg_dword(RegValue{4, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0}}).has_value());
    CHECK_FALSE(reg_dword(RegValue{1, {1, 0, 0, 0}}).has_value());
    CHECK(reg_qword(RegValue{11, {1, 0, 0, 0, 0, 0, 0, 1}}) == 0x0100000000000001ull);
    CHECK(reg_string(RegValue{1, {'h', 0, 'i', 0, 0, 0}}) == "hi");
    auto multi = reg_multi_sz(RegValue{7, {'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0}});
    REQUIRE(multi.has_value());
    CHECK(*multi == std::vector<std::string>{"a", "b"});
    CHECK(reg_type_name(4) == "REG_DWORD");
    CHECK(reg_type_name(99) == "REG_0x00000063");
}
