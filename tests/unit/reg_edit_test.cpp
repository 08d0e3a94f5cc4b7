// Policy changes applied to .reg snapshots in place (reg_edit.hpp).
#include <doctest/doctest.h>

#include <comredir/policy/gp/pol_write.hpp>
#include <comredir/policy/gp/reg_edit.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace cp = comredir::policy;

namespace {

const std::string kTs = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

/// UTF-16LE (with BOM) <-> UTF-8 for the version 5.00 fixture; 8-bit files as they are.
std::string text_of(const std::vector<std::uint8_t>& b) {
    if (b.size() >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        std::string out;
        for (std::size_t i = 2; i + 1 < b.size(); i += 2) {
            REQUIRE(b[i + 1] == 0);  // the fixtures are ASCII
            out += static_cast<char>(b[i]);
        }
        return out;
    }
    return {b.begin(), b.end()};
}

cp::RegEdit edit(const std::vector<std::uint8_t>& bytes, const cp::PolSlots& slots,
                 const std::vector<cp::PolRecord>& records,
                 const std::string& hive = "HKEY_LOCAL_MACHINE") {
    cp::RegFile parsed;
    if (!bytes.empty()) {
        auto r = cp::parse_regfile(bytes);
        REQUIRE_MESSAGE(r.ok(), r.message);
        parsed = r.file;
    }
    auto out = cp::edit_regfile(bytes, parsed, hive, slots, records);
    auto again = cp::parse_regfile(out.bytes);
    REQUIRE_MESSAGE(again.ok(), again.message);
    return out;
}

cp::PolRecord dword(const std::string& key, const std::string& name, std::uint32_t v) {
    return {key, name, 4, cp::pol_dword(v)};
}

}  // namespace

TEST_CASE("version 5.00: one value changed in place, and back to the same bytes") {
    const auto original =
        comredir::test::slurp(comredir::test::test_data("reg/terminal-services-5.reg"));
    const cp::PolSlots slots{{{kTs, "fDisableCcm"}}, {}};
    auto off = edit(original, slots, {dword(kTs, "fDisableCcm", 0)});
    CHECK(off.replaced == 1);
    std::string before = text_of(original);
    std::string want = before;
    want.replace(want.find("\"fDisableCcm\"=dword:00000001"), 28, "\"fDisableCcm\"=dword:00000000");
    CHECK(text_of(off.bytes) == want);
    auto on = edit(off.bytes, slots, {dword(kTs, "fDisableCcm", 1)});
    CHECK(on.bytes == original);
    auto same = edit(original, slots, {dword(kTs, "fDisableCcm", 1)});
    CHECK(same.bytes == original);
    CHECK(same.replaced == 0);
}

TEST_CASE(
    "removed values drop their lines (continuations and `=-` too); new ones join their section") {
    const auto original =
        comredir::test::slurp(comredir::test::test_data("reg/terminal-services-5.reg"));
    const cp::PolSlots slots{{{kTs, "DeniedDevices"}, {kTs, "fDisableClip"}, {kTs, "fNew"}}, {}};
    auto r =
        edit(original, slots, {cp::pol_delete_value(kTs, "DeniedDevices"), dword(kTs, "fNew", 7)});
    CHECK(r.removed == 2);
    CHECK(r.added == 1);
    CHECK(text_of(r.bytes) ==
          "Windows Registry Editor Version 5.00\r\n"
          "\r\n"
          "; comredir test fixture: Terminal Services policy key as regedit exports it\r\n"
          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services]\r\n"
          "\"fDisableCcm\"=dword:00000001\r\n"
          "\"fDisableCdm\"=dword:00000000\r\n"
          "\"LicenseServers\"=\"lic01.example.test\"\r\n"
          "@=\"default \\\"quoted\\\" \\\\ value\"\r\n"
          "\"fNew\"=dword:00000007\r\n" +
              text_of(original).substr(text_of(original).find("\r\n[-HKEY")));
}

TEST_CASE("a key with no section gets one at the end; an empty file becomes a 5.00 export") {
    const std::string key = "SOFTWARE\\Policies\\comredir\\Redirection";
    const cp::PolSlots slots{{{key, "DisableComPortRedirection"}}, {}};
    auto fresh = edit({}, slots, {dword(key, "DisableComPortRedirection", 1)});
    CHECK(text_of(fresh.bytes) ==
          "Windows Registry Editor Version 5.00\r\n"
          "\r\n"
          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\comredir\\Redirection]\r\n"
          "\"DisableComPortRedirection\"=dword:00000001\r\n");
    CHECK(fresh.bytes[0] == 0xFF);
    CHECK(fresh.bytes[1] == 0xFE);

    const auto v4 = comredir::test::slurp(comredir::test::test_data("reg/terminal-services-4.reg"));
    auto r = edit(v4, slots, {dword(key, "DisableComPortRedirection", 1)});
    std::string t(r.bytes.begin(), r.bytes.end());
    std::string o(v4.begin(), v4.end());
    CHECK(t.substr(0, o.size()) == o);  // 8-bit file, Latin-1 line untouched
    CHECK(t.substr(o.size()) ==
          std::string(o.ends_with("\r\n") ? "" : "\r\n") +
              "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\comredir\\Redirection]\r\n"
              "\"DisableComPortRedirection\"=dword:00000001\r\n");
}

TEST_CASE("list keys: `**delvals.` empties the key, items follow; hex values wrap at 80 columns") {
    const std::string key = "SOFTWARE\\Policies\\comredir\\Redirection\\AllowedPorts";
    const cp::PolSlots slots{{}, {key}};
    auto first = edit({}, slots,
                      {cp::pol_delete_all_values(key),
                       {key, "1", 1, cp::pol_sz("COM1")},
                       {key, "2", 1, cp::pol_sz("COM2")}});
    auto second = edit(first.bytes, slots,
                       {cp::pol_delete_all_values(key), {key, "1", 1, cp::pol_sz("COM9")}});
    CHECK(text_of(second.bytes) ==
          "Windows Registry Editor Version 5.00\r\n\r\n"
          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\comredir\\Redirection\\AllowedPorts]\r\n"
          "\"1\"=\"COM9\"\r\n");
    CHECK(second.replaced == 1);
    CHECK(second.removed == 1);

    const cp::PolSlots multi{{{kTs, "M"}}, {}};
    auto m = edit({}, multi,
                  {{kTs, "M", 7, cp::pol_multi_sz({"COM1", "COM2", "LPT1", "a longer string"})}});
    std::string t = text_of(m.bytes);
    auto first_line =
        t.substr(t.find("\"M\"="), t.find("\r\n", t.find("\"M\"=")) - t.find("\"M\"="));
    CHECK(first_line.size() <= 81);
    CHECK(first_line.back() == '\\');
    auto parsed = cp::parse_regfile(m.bytes);
    REQUIRE(parsed.ok());
    CHECK(parsed.file.entries.back().data.data ==
          cp::pol_multi_sz({"COM1", "COM2", "LPT1", "a longer string"}));
}
