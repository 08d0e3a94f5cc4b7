#include <doctest/doctest.h>

#include <comredir/policy/gp/regfile.hpp>
#include <string>
#include <vector>

#include "io/text.hpp"
#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::slurp;
using comredir::test::test_data;
using Kind = RegFileEntry::Kind;

namespace {

const std::string kTs =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

RegFileResult parse_text(const std::string& s) {
    return parse_regfile(bytes_of(s));
}

std::vector<std::uint8_t> utf16(const std::string& utf8) {
    // BOM + text built as one string (GCC 12 -O2 misreports vector::insert after an
    // initializer list as out of bounds).
    std::string w = "\xFF\xFE" + comredir::policy::detail::utf8_to_utf16le(utf8);
    return {w.begin(), w.end()};
}

void check_entry(const RegFileEntry& e, Kind kind, const std::string& key, const std::string& value,
                 std::uint32_t line) {
    CHECK(e.kind == kind);
    CHECK(e.key == key);
    CHECK(e.value == value);
    CHECK(e.line == line);
}

}  // namespace

TEST_CASE("golden: UTF-16LE 5.00 export of the Terminal Services policy key") {
    auto r = read_regfile(test_data("reg/terminal-services-5.reg"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.file.unicode);
    CHECK(r.file.warnings.empty());
    const auto& e = r.file.entries;
    REQUIRE(e.size() == 8);
    check_entry(e[0], Kind::key, kTs, "", 4);
    check_entry(e[1], Kind::set_value, kTs, "fDisableCcm", 5);
    CHECK(e[1].data.type == 4);
    CHECK(e[1].data.data == std::vector<std::uint8_t>{1, 0, 0, 0});
    check_entry(e[2], Kind::set_value, kTs, "fDisableCdm", 6);
    CHECK(reg_dword(e[2].data) == 0u);
    check_entry(e[3], Kind::set_value, kTs, "LicenseServers", 7);
    CHECK(e[3].data.type == 1);
    CHECK(reg_string(e[3].data) == "lic01.example.test");
    CHECK(e[3].data.data.size() == 2 * 19);  // 18 characters and the NUL, UTF-16LE
    check_entry(e[4], Kind::set_value, kTs, "DeniedDevices", 8);
    CHECK(e[4].data.type == 7);
    CHECK(e[4].data.data.size() == 32);
    CHECK(reg_multi_sz(e[4].data) == std::vector<std::string>{"COM1", "COM2", "LPT1"});
    check_entry(e[5], Kind::delete_value, kTs, "fDisableClip", 10);
    check_entry(e[6], Kind::set_value, kTs, "", 11);
    CHECK(reg_string(e[6].data) == "default \"quoted\" \\ value");
    check_entry(e[7], Kind::delete_key, kTs + "\\Client", "", 13);
}

TEST_CASE("golden: REGEDIT4 export in ANSI") {
    auto r = read_regfile(test_data("reg/terminal-services-4.reg"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK_FALSE(r.file.unicode);
    CHECK(r.file.warnings == std::vector<std::string>{"line 5: not valid utf-8: read as latin-1"});
    const auto& e = r.file.entries;
    REQUIRE(e.size() == 7);
    check_entry(e[0], Kind::key, kTs, "", 3);
    check_entry(e[1], Kind::set_value, kTs, "fDisableCcm", 4);
    CHECK(reg_dword(e[1].data) == 0u);
    check_entry(e[2], Kind::set_value, kTs, "Caf\xC3\xA9", 5);
    CHECK(reg_string(e[2].data) == "na\xC3\xAFve");
    check_entry(e[3], Kind::set_value, kTs, "Path", 6);
    CHECK(e[3].data.type == 2);
    CHECK(e[3].data.data.size() == 26);  // ANSI bytes widened to UTF-16LE
    CHECK(reg_string(e[3].data) == "%SystemRoot%");
    check_entry(e[4], Kind::set_value, kTs, "Blob", 7);
    CHECK(e[4].data.type == 3);
    CHECK(e[4].data.data == std::vector<std::uint8_t>{0xde, 0xad, 0xbe, 0xef});
    const std::string hkcu =
        "HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services";
    check_entry(e[5], Kind::key, hkcu, "", 10);
    check_entry(e[6], Kind::delete_value, hkcu, "fDisableCcm", 11);
}

TEST_CASE("5.00 read as UTF-8 equals the UTF-16LE reading") {
    const std::string text =
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_USERS\\S-1\\K]\r\n\"a\"=\"\xC3\xA9\"\r\n"
        "\"b\"=hex(b):01,00,00,00,00,00,00,00\r\n\"c\"=hex(0):\r\n";
    auto a = parse_text(text);
    auto b = parse_regfile(utf16(text));
    auto c = parse_text("\xEF\xBB\xBF" + text);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(c.ok());
    REQUIRE(a.file.entries.size() == 4);
    for (const auto* other : {&b, &c}) {
        REQUIRE(other->file.entries.size() == a.file.entries.size());
        for (std::size_t i = 0; i < a.file.entries.size(); ++i) {
            CHECK(other->file.entries[i].data.data == a.file.entries[i].data.data);
            CHECK(other->file.entries[i].line == a.file.entries[i].line);
        }
    }
    CHECK(reg_string(a.file.entries[1].data) == "\xC3\xA9");
    CHECK(reg_qword(a.file.entries[2].data) == 1u);
    CHECK(a.file.entries[3].data.type == 0);
    CHECK(a.file.entries[3].data.data.empty());
}

TEST_CASE("malformed inputs: status, line and offset") {
    const std::string h = "Windows Registry Editor Version 5.00\n";  // 37 bytes
    const std::string s = "[HKEY_LOCAL_MACHINE\\K]\n";               // 23 bytes: line 3 at 60
    struct Case {
        std::string name;
        std::string text;
        RegFileStatus status;
        std::uint32_t line;
        std::uint64_t offset;
    };
    const std::vector<Case> cases = {
        {"empty", "", RegFileStatus::bad_header, 1, 0},
        {"wrong header", "REGEDIT5\n", RegFileStatus::bad_header, 1, 0},
        {"bom then wrong header", "\xEF\xBB\xBFREGEDIT\n", RegFileStatus::bad_header, 1, 3},
        {"section without ]", h + "[HKEY_LOCAL_MACHINE\\K\n", RegFileStatus::bad_section, 2, 37},
        {"text after ]", h + "[HKEY_USERS\\K] x\n", RegFileStatus::bad_section, 2, 51},
        {"empty section", h + "[]\n", RegFileStatus::bad_section, 2, 37},
        {"abbreviated hive", h + "[HKLM\\K]\n", RegFileStatus::unknown_hive, 2, 38},
        {"unknown hive in deletion", h + "[-HKEY_FOO\\K]\n", RegFileStatus::unknown_hive, 2, 39},
        {"value before section", h + "\"a\"=dword:00000001\n", RegFileStatus::value_outside_section,
         2, 37},
        {"unterminated name", h + s + "\"abc=dword:00000001\n", RegFileStatus::bad_value_name, 3,
         60},
        {"bad escape in name", h + s + "\"a\\b\"=-\n", RegFileStatus::bad_value_name, 3, 62},
        {"no equals", h + s + "\"a\" dword:00000001\n", RegFileStatus::expected_equals, 3, 64},
        {"default without equals", h + s + "@\n", RegFileStatus::expected_equals, 3, 61},
        {"short dword", h + s + "\"fDisableCcm\"=dword:1\n", RegFileStatus::bad_dword, 3, 74},
        {"long dword", h + s + "\"a\"=dword:000000001\n", RegFileStatus::bad_dword, 3, 64},
        {"non-hex dword", h + s + "\"a\"=dword:0000000g\n", RegFileStatus::bad_dword, 3, 64},
        {"unterminated string", h + s + "\"a\"=\"abc\n", RegFileStatus::bad_string, 3, 64},
        {"bad escape in string", h + s + "\"a\"=\"a\\nb\"\n", RegFileStatus::bad_string, 3, 66},
        {"text after string", h + s + "\"a\"=\"ab\"x\n", RegFileStatus::bad_string, 3, 68},
        {"bad hex byte", h + s + "\"a\"=hex:01,0g\n", RegFileStatus::bad_hex, 3, 71},
        {"three-digit hex byte", h + s + "\"a\"=hex:012\n", RegFileStatus::bad_hex, 3, 68},
        {"missing comma", h + s + "\"a\"=hex:01 02\n", RegFileStatus::bad_hex, 3, 71},
        {"missing comma across lines", h + s + "\"a\"=hex:01,02\\\n  03\n", RegFileStatus::bad_hex,
         4, 77},
        {"bad hex type", h + s + "\"a\"=hex(x):01\n", RegFileStatus::bad_hex_type, 3, 64},
        {"hex type too long", h + s + "\"a\"=hex(123456789):01\n", RegFileStatus::bad_hex_type, 3,
         64},
        {"hex type without colon", h + s + "\"a\"=hex(7)01\n", RegFileStatus::bad_hex_type, 3, 70},
        {"eof in continuation", h + s + "\"a\"=hex:01,\\\n",
         RegFileStatus::unexpected_eof_in_continuation, 3, 73},
        {"unknown value kind", h + s + "\"a\"=foo\n", RegFileStatus::bad_value, 3, 64},
        {"stray line", h + s + "  junk\n", RegFileStatus::bad_line, 3, 62},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto r = parse_text(c.text);
        CHECK(to_string(r.status) == to_string(c.status));
        CHECK(r.line == c.line);
        CHECK(r.offset == c.offset);
        CHECK(r.message.find('\n') == std::string::npos);
        CHECK(r.message.rfind("line " + std::to_string(c.line) + ": ", 0) == 0);
    }
}

TEST_CASE("malformed UTF-16LE: offsets count bytes of the file") {
    SUBCASE("odd length") {
        std::vector<std::uint8_t> b{0xFF, 0xFE, 'W', 0, 'i'};
        auto r = parse_regfile(b);
        CHECK(r.status == RegFileStatus::bad_utf16);
        CHECK(r.line == 1);
        CHECK(r.offset == 4);
    }
    SUBCASE("unpaired surrogate on line 2") {
        auto b = utf16("Windows Registry Editor Version 5.00\r\n\"");  // line 2 starts at 78
        b.push_back(0x00);
        b.push_back(0xD8);
        auto r = parse_regfile(b);
        CHECK(r.status == RegFileStatus::bad_utf16);
        CHECK(r.line == 2);
        CHECK(r.offset == 80);
        CHECK(r.message == "line 2: offset 0x50: invalid utf-16le");
    }
    SUBCASE("value error: column mapped back to UTF-16 bytes") {
        auto b = utf16(
            "Windows Registry Editor Version 5.00\r\n[HKEY_USERS\\\xC3\xA9]\r\n\"a\"=dword:1\r\n");
        auto r = parse_regfile(b);
        CHECK(r.status == RegFileStatus::bad_dword);
        CHECK(r.line == 3);
        CHECK(r.offset == 2 + 76 + 32 + 8);
    }
}

TEST_CASE("messages") {
    const std::string h = "Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\K]\r\n";
    CHECK(parse_text(h + "\"fDisableCcm\"=dword:1\r\n").message ==
          "line 3: value `fDisableCcm`: `dword:1` needs 8 hex digits");
    CHECK(parse_text(h + "@=hex:zz\r\n").message == "line 3: value `@`: `zz` is not a hex byte");
    CHECK(parse_text("Windows Registry Editor Version 5.00\r\n[HKLM\\X]\r\n").message ==
          "line 2: key `HKLM\\X`: unknown hive `HKLM`");
    CHECK(parse_text("REGEDIT\r\n").message ==
          "line 1: expected `Windows Registry Editor Version 5.00` or `REGEDIT4`, found `REGEDIT`");
    CHECK(parse_text(h + "\"a\"=hex:01,\\\r\n").message ==
          "line 3: value `a`: file ends inside a continued hex list");
    auto io = read_regfile(test_data("reg/does-not-exist.reg"));
    CHECK(io.status == RegFileStatus::io_error);
    CHECK(io.message.find("does-not-exist.reg: cannot open") != std::string::npos);
    auto err = read_regfile(test_data("reg/README.md"));
    CHECK(err.status == RegFileStatus::bad_header);
    CHECK(err.message.rfind(test_data("reg/README.md") + ": line 1: ", 0) == 0);
}

TEST_CASE("values under a deleted key are ignored with a warning; errors keep what came before") {
    auto r = parse_text("REGEDIT4\n[-HKEY_CURRENT_USER\\K]\n\"a\"=dword:00000001\n");
    REQUIRE(r.ok());
    REQUIRE(r.file.entries.size() == 1);
    CHECK(r.file.entries[0].kind == Kind::delete_key);
    CHECK(r.file.warnings ==
          std::vector<std::string>{
              "line 3: value `a` under deleted key `HKEY_CURRENT_USER\\K` ignored"});

    auto e = parse_text("REGEDIT4\n[HKEY_CURRENT_USER\\K]\n\"a\"=dword:00000001\n\"b\"=x\n");
    CHECK(e.status == RegFileStatus::bad_value);
    CHECK(e.file.entries.size() == 2);
}

TEST_CASE("apply: file order, provenance filled in") {
    auto r = read_regfile(test_data("reg/terminal-services-5.reg"));
    REQUIRE(r.ok());
    RegistryState state;
    state.set(kTs, "fDisableClip", RegValue{4, {1, 0, 0, 0}}, Provenance{});
    state.set(kTs + "\\Client", "x", RegValue{4, {1, 0, 0, 0}}, Provenance{});
    Provenance base;
    base.file = "terminal-services-5.reg";
    apply_regfile(r.file, base, state);

    const auto* ccm = state.find(
        "HKLM\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "fdisableccm");
    REQUIRE(ccm != nullptr);
    REQUIRE(ccm->current.has_value());
    CHECK(reg_dword(ccm->current->value) == 1u);
    const Provenance& p = ccm->current->origin;
    CHECK(p.source == "reg");
    CHECK(p.file == "terminal-services-5.reg");
    CHECK(p.line == 5u);
    CHECK(p.registry_key == kTs);
    CHECK(p.registry_value == "fDisableCcm");
    CHECK(p.raw == "1");

    CHECK(state.find(kTs, "LicenseServers")->current->origin.raw == "lic01.example.test");
    CHECK(state.find(kTs, "DeniedDevices")->current->origin.raw ==
          "43004f004d003100000043004f004d00320000004c0050005400310000000000");
    CHECK(state.find(kTs, "")->current->origin.raw == "default \"quoted\" \\ value");

    const auto* clip = state.find(kTs, "fDisableClip");
    CHECK_FALSE(clip->current.has_value());
    CHECK(clip->deleted_by->line == 10u);
    const auto* sub = state.find(kTs + "\\Client", "x");
    CHECK_FALSE(sub->current.has_value());
    CHECK(sub->deleted_by->line == 13u);
    CHECK(sub->deleted_by->registry_value.empty());
}

TEST_CASE("every truncation and byte flip of the fixtures: no crash, consistent result") {
    for (const char* name : {"reg/terminal-services-5.reg", "reg/terminal-services-4.reg"}) {
        CAPTURE(name);
        const auto bytes = slurp(test_data(name));
        for (std::size_t n = 0; n <= bytes.size(); ++n) {
            auto r = parse_regfile(std::span(bytes.data(), n));
            if (!r.ok()) {
                CHECK(!r.message.empty());
                CHECK(r.offset <= n);
                CHECK(r.line >= 1);
            }
        }
        auto copy = bytes;
        for (std::size_t i = 0; i < copy.size(); ++i) {
            for (std::uint8_t mask : {0x01, 0x20, 0x80, 0xFF}) {
                copy[i] ^= mask;
                auto r = parse_regfile(copy);
                CHECK((r.ok() || (!r.message.empty() && r.offset <= copy.size())));
                copy[i] ^= mask;
            }
        }
    }
}
