#include <doctest/doctest.h>

#include <algorithm>
#include <comredir/policy/gp/pol.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;
using comredir::test::slurp;

namespace {

const std::string kT0x01 =
    "gpo/t0x01/{40144D25-C0AB-42E5-B1FB-D89261259A27}/DomainSysvol/GPO/Machine/registry.pol";
const std::string kBaseline = "gpo/msft-win11-24h2-baseline/";
const std::string kBaselineComputer =
    kBaseline + "{DAD42DA1-8499-42FE-A1CD-9E39196D8B98}/DomainSysvol/GPO/Machine/registry.pol";
const std::string kBaselineBitLocker =
    kBaseline + "{9DD51389-33D0-4D19-8274-F9C19C54AACB}/DomainSysvol/GPO/Machine/registry.pol";
const std::string kTs = "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

/// Builds PReg images byte by byte (ASCII names only).
struct PReg {
    std::vector<std::uint8_t> b;

    PReg& header() { return raw({'P', 'R', 'e', 'g', 1, 0, 0, 0}); }
    PReg& raw(std::initializer_list<std::uint8_t> bytes) {
        b.insert(b.end(), bytes);
        return *this;
    }
    PReg& u16(std::uint16_t v) {
        return raw({static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)});
    }
    PReg& u32(std::uint32_t v) {
        return raw({static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                    static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)});
    }
    PReg& wstr(std::string_view s) {  // no NUL
        for (char c : s) u16(static_cast<std::uint8_t>(c));
        return *this;
    }
    PReg& name(std::string_view s) { return wstr(s).u16(0); }
    PReg& entry(std::string_view key, std::string_view value, std::uint32_t type,
                const std::vector<std::uint8_t>& data) {
        wstr("[").name(key).wstr(";").name(value).wstr(";").u32(type).wstr(";");
        u32(static_cast<std::uint32_t>(data.size())).wstr(";");
        b.insert(b.end(), data.begin(), data.end());
        return wstr("]");
    }
};

std::vector<std::uint8_t> dw(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
}
std::vector<std::uint8_t> sz(std::string_view s) {  // UTF-16LE with terminating NUL
    std::vector<std::uint8_t> out;
    for (char c : s) out.insert(out.end(), {static_cast<std::uint8_t>(c), 0});
    out.insert(out.end(), {0, 0});
    return out;
}

std::vector<std::string> all_shared_pols() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(shared_data("gpo"))) {
        if (e.is_regular_file() && e.path().filename() == "registry.pol") {
            out.push_back(e.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

Provenance base() {
    Provenance p;
    p.source = "registry.pol";
    p.file = "x.pol";
    p.gpo_name = "G";
    return p;
}

}  // namespace

TEST_CASE("golden: t0x01 registry.pol") {
    auto r = read_pol(shared_data(kT0x01));
    REQUIRE(r.ok());
    CHECK(r.message.empty());
    CHECK(r.file.warnings.empty());
    REQUIRE(r.file.entries.size() == 24);

    const auto& first = r.file.entries[0];
    CHECK(first.offset == 8);
    CHECK(first.key == kTs);
    CHECK(first.value == "DisablePasswordSaving");
    CHECK(first.type == 4);
    CHECK(first.size == 4);
    CHECK(first.data == dw(1));

    const auto& ccm = r.file.entries[11];
    CHECK(ccm.offset == 0x7b0);
    CHECK(ccm.key == kTs);
    CHECK(ccm.value == "fDisableCcm");
    CHECK(ccm.type == static_cast<std::uint32_t>(RegType::dword));
    CHECK(ccm.data == dw(1));

    const auto& idle = r.file.entries[21];
    CHECK(idle.value == "MaxIdleTime");
    CHECK(idle.data == dw(900000));

    const auto& cert = r.file.entries[22];
    CHECK(cert.offset == 0xf06);
    CHECK(cert.value == "CertTemplateName");
    CHECK(cert.type == static_cast<std::uint32_t>(RegType::sz));
    CHECK(cert.size == 60);
    CHECK(cert.data == sz("Remote Desktop Authentication"));

    const auto& last = r.file.entries[23];
    CHECK(last.key == kTs + "\\Client");
    CHECK(last.value == "DisableCloudClipboardIntegration");

    auto j = pol_to_json(r.file);
    REQUIRE(j.size() == 24);
    CHECK(j[11] == nlohmann::json{
                       {"key", kTs}, {"value", "fDisableCcm"}, {"type", "REG_DWORD"}, {"data", 1}});
    CHECK(j[22]["data"] == "Remote Desktop Authentication");
    CHECK(j[22]["type"] == "REG_SZ");
}

TEST_CASE("golden: apply t0x01 gives fDisableCcm = 1 with provenance") {
    auto r = read_pol(shared_data(kT0x01));
    REQUIRE(r.ok());
    RegistryState state;
    apply_pol(r.file, "HKLM", base(), state);
    CHECK(state.size() == 24);
    const auto* slot = state.find(
        "HKLM\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "fdisableccm");
    REQUIRE(slot != nullptr);
    REQUIRE(slot->current.has_value());
    CHECK(reg_dword(slot->current->value) == 1u);
    const auto& o = slot->current->origin;
    CHECK(o.source == "registry.pol");
    CHECK(o.file == "x.pol");
    CHECK(o.gpo_name == "G");
    CHECK(o.offset == 0x7b0u);
    CHECK(o.registry_key == "HKLM\\" + kTs);
    CHECK(o.registry_value == "fDisableCcm");
    CHECK(o.raw == "1");
    const auto* cert = state.find("HKLM\\" + kTs, "CertTemplateName");
    REQUIRE(cert != nullptr);
    CHECK(cert->current->origin.raw == "Remote Desktop Authentication");
}

TEST_CASE("golden: baseline **del. and **delvals. records delete") {
    SUBCASE("**del.fUseMailto deletes an earlier value") {
        auto r = read_pol(shared_data(kBaselineComputer));
        REQUIRE(r.ok());
        CHECK(r.file.entries.size() == 140);
        RegistryState state;
        const std::string ts = "HKLM\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services";
        state.set(ts, "fUseMailto", RegValue{4, dw(1)}, Provenance{});
        state.set(ts, "MaxTicketExpiryUnits", RegValue{4, dw(1)}, Provenance{});
        apply_pol(r.file, "HKLM", base(), state);
        for (const char* name :
             {"fUseMailto", "fAllowFullControl", "MaxTicketExpiry", "MaxTicketExpiryUnits"}) {
            CAPTURE(name);
            const auto* slot = state.find(ts, name);
            REQUIRE(slot != nullptr);
            CHECK_FALSE(slot->current.has_value());
            REQUIRE(slot->deleted_by.has_value());
            CHECK(slot->deleted_by->registry_value == name);
        }
        CHECK(state.find(ts, "fUseMailto")->deleted_by->offset == 0x4048u);
        CHECK(state.find(ts, "fUseMailto")->deleted_by->registry_key ==
              "HKLM\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services");
        CHECK(reg_dword(state.find(ts, "fAllowToGetHelp")->current->value) == 0u);
        CHECK(reg_dword(state.find(ts, "MinEncryptionLevel")->current->value) == 3u);
    }
    SUBCASE("**delvals. clears the key, then the next entry writes") {
        auto r = read_pol(shared_data(kBaselineBitLocker));
        REQUIRE(r.ok());
        REQUIRE(r.file.entries.size() == 10);
        CHECK(r.file.entries[7].value == "**delvals.");
        CHECK(r.file.entries[7].offset == 0x4d0);
        RegistryState state;
        const std::string key =
            "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DeviceInstall\\Restrictions\\"
            "DenyDeviceClasses";
        state.set(key, "7", RegValue{1, sz("stale")}, Provenance{});
        state.set(key + "\\Sub", "x", RegValue{1, sz("kept")}, Provenance{});
        apply_pol(r.file, "HKLM", base(), state);
        const auto* stale = state.find(key, "7");
        REQUIRE(stale != nullptr);
        CHECK_FALSE(stale->current.has_value());
        CHECK(stale->deleted_by->registry_value == "**delvals.");
        CHECK(stale->deleted_by->offset == 0x4d0u);
        CHECK(state.find(key + "\\Sub", "x")->current.has_value());
        const auto* one = state.find(key, "1");
        REQUIRE(one != nullptr);
        CHECK(reg_string(one->current->value) == "{d48179be-ec20-11d1-b6b8-00c04fa372a7}");
    }
}

TEST_CASE("every shared registry.pol parses cleanly") {
    // The hand-picked files and the GPMC corpus (64 files, some of them a bare header).
    auto pols = all_shared_pols();
    CHECK(pols.size() >= 8 + 64);
    for (const auto& p : pols) {
        CAPTURE(p);
        auto r = read_pol(p);
        CHECK(r.ok());
        CHECK(r.file.warnings.empty());
        // Empty exactly when the file is the 8-byte header GPMC leaves behind.
        CHECK(r.file.entries.empty() == (std::filesystem::file_size(p) == 8));
    }
}

TEST_CASE("header only is a valid empty file") {
    auto r = parse_pol(PReg{}.header().b);
    CHECK(r.ok());
    CHECK(r.file.entries.empty());
    CHECK(pol_to_json(r.file) == nlohmann::json::array());
}

TEST_CASE("malformed inputs: status and exact offset") {
    // One entry `[K;V;4;4;data]` starting at 8: `[`@8 K@10 NUL@12 `;`@14 V@16 NUL@18 `;`@20
    // type@22 `;`@26 size@28 `;`@32 data@34 `]`@38, end at 40.
    auto upto_value = [] { return PReg{}.header().wstr("[").name("K").wstr(";").name("V"); };
    struct Case {
        const char* what;
        std::vector<std::uint8_t> bytes;
        PolStatus status;
        std::uint64_t offset;
    };
    const Case cases[] = {
        {"empty", {}, PolStatus::truncated_header, 0},
        {"3 signature bytes", PReg{}.raw({'P', 'R', 'e'}).b, PolStatus::truncated_header, 0},
        {"6 header bytes", PReg{}.raw({'P', 'R', 'e', 'g', 1, 0}).b, PolStatus::truncated_header,
         0},
        {"bad signature", PReg{}.raw({'P', 'R', 'E', 'G', 1, 0, 0, 0}).b, PolStatus::bad_signature,
         0},
        {"bad signature, short", PReg{}.raw({'X'}).b, PolStatus::bad_signature, 0},
        {"version 2", PReg{}.raw({'P', 'R', 'e', 'g', 2, 0, 0, 0}).b, PolStatus::bad_version, 4},
        {"no [", PReg{}.header().wstr("K").b, PolStatus::expected_open_bracket, 8},
        {"half a [", PReg{}.header().raw({'['}).b, PolStatus::expected_open_bracket, 8},
        {"key without NUL", PReg{}.header().wstr("[K").b, PolStatus::unterminated_key, 10},
        {"key, odd tail", PReg{}.header().wstr("[K").raw({0}).b, PolStatus::unterminated_key, 10},
        {"key then :", PReg{}.header().wstr("[").name("K").wstr(":").b,
         PolStatus::expected_semicolon, 14},
        {"key then eof", PReg{}.header().wstr("[").name("K").b, PolStatus::expected_semicolon, 14},
        {"value without NUL", PReg{}.header().wstr("[").name("K").wstr(";V").b,
         PolStatus::unterminated_value, 16},
        {"value then eof", upto_value().b, PolStatus::expected_semicolon, 20},
        {"truncated type", upto_value().wstr(";").raw({4, 0}).b, PolStatus::truncated_type, 22},
        {"type then ]", upto_value().wstr(";").u32(4).wstr("]").b, PolStatus::expected_semicolon,
         26},
        {"truncated size", upto_value().wstr(";").u32(4).wstr(";").raw({4}).b,
         PolStatus::truncated_size, 28},
        {"size too large",
         upto_value().wstr(";").u32(4).wstr(";").u32(kPolMaxDataSize + 1).wstr(";").b,
         PolStatus::size_too_large, 28},
        {"size 0xffffffff", upto_value().wstr(";").u32(4).wstr(";").u32(0xffffffff).wstr(";").b,
         PolStatus::size_too_large, 28},
        {"size then [", upto_value().wstr(";").u32(4).wstr(";").u32(4).wstr("[").b,
         PolStatus::expected_semicolon, 32},
        {"data past end", upto_value().wstr(";").u32(4).wstr(";").u32(100).wstr(";").u32(1).b,
         PolStatus::data_past_end, 34},
        {"no ]", upto_value().wstr(";").u32(4).wstr(";").u32(4).wstr(";").u32(1).wstr("A").b,
         PolStatus::expected_close_bracket, 38},
        {"] missing at eof", upto_value().wstr(";").u32(4).wstr(";").u32(4).wstr(";").u32(1).b,
         PolStatus::expected_close_bracket, 38},
        {"lone high surrogate in key", PReg{}.header().wstr("[").u16(0xD800).wstr("K").u16(0).b,
         PolStatus::bad_utf16, 10},
        {"lone low surrogate in value",
         PReg{}.header().wstr("[").name("K").wstr(";V").u16(0xDC00).u16(0).b, PolStatus::bad_utf16,
         18},
        {"second entry broken", PReg{}.header().entry("K", "V", 4, dw(1)).wstr("x").b,
         PolStatus::expected_open_bracket, 40},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto r = parse_pol(c.bytes);
        CHECK(to_string(r.status) == to_string(c.status));
        CHECK(r.offset == c.offset);
        CHECK_FALSE(r.message.empty());
        CHECK(r.message.find('\n') == std::string::npos);
    }
}

TEST_CASE("messages name the offset, the entry and what was found") {
    auto bytes = PReg{}
                     .header()
                     .wstr("[")
                     .name("K")
                     .wstr(";")
                     .name("fDisableCcm")
                     .wstr(";")
                     .u32(4)
                     .wstr(";")
                     .u32(4)
                     .wstr(";")
                     .u32(1)
                     .wstr("A")
                     .b;
    auto r = parse_pol(bytes);
    CHECK(r.status == PolStatus::expected_close_bracket);
    CHECK(r.message == "offset 0x3a: entry `fDisableCcm`: expected `]`, found `0x41`");
    CHECK(to_string(PolStatus::expected_close_bracket) == "expected_close_bracket");

    auto eof = parse_pol(PReg{}.header().wstr("[").name("Key").b);
    CHECK(eof.message == "offset 0x12: key `Key`: expected `;`, found end of file");

    auto big = parse_pol(PReg{}
                             .header()
                             .wstr("[")
                             .name("K")
                             .wstr(";")
                             .name("V")
                             .wstr(";")
                             .u32(3)
                             .wstr(";")
                             .u32(0x20000000)
                             .wstr(";")
                             .b);
    CHECK(big.message == "offset 0x1c: entry `V`: size `536870912` exceeds limit `16777216`");
}

TEST_CASE("read_pol: io errors and messages prefixed with the path") {
    auto missing = read_pol("/nonexistent/registry.pol");
    CHECK(missing.status == PolStatus::io_error);
    CHECK(missing.message.rfind("/nonexistent/registry.pol: cannot open", 0) == 0);

    auto path = (std::filesystem::temp_directory_path() / "comredir_pol_test_bad.pol").string();
    {
        std::ofstream out(path, std::ios::binary);
        out << "PReg\x02";
        out.write("\0\0\0", 3);
    }
    auto bad = read_pol(path);
    CHECK(bad.status == PolStatus::bad_version);
    CHECK(bad.offset == 4);
    CHECK(bad.message == path + ": offset 0x4: unsupported version `2`, expected `1`");
    std::filesystem::remove(path);
}

TEST_CASE("oddities are warnings, not errors") {
    auto r = parse_pol(PReg{}
                           .header()
                           .entry("K", "X", 4, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                           .entry("K", "Q", 11, dw(1))
                           .entry("K", "U", 99, {})
                           .entry("K", "S", 1, {'a', 0, 0})
                           .b);
    REQUIRE(r.ok());
    REQUIRE(r.file.entries.size() == 4);
    REQUIRE(r.file.warnings.size() == 4);
    CHECK(r.file.warnings[0] == "offset 0x8: entry `X`: size 10 does not fit REG_DWORD");
    CHECK(r.file.warnings[1] == "offset 0x2e: entry `Q`: size 4 does not fit REG_QWORD");
    CHECK(r.file.warnings[2] == "offset 0x4e: entry `U`: unknown type `99`");
    CHECK(r.file.warnings[3] == "offset 0x6a: entry `S`: odd size 3 for UTF-16 REG_SZ");
    auto j = pol_to_json(r.file);
    CHECK(j[0]["data"] == "0102030405060708090a");
    CHECK(j[1]["data"] == "01000000");
    CHECK(j[2]["type"] == "REG_0x00000063");
    CHECK(j[2]["data"] == "");
}

TEST_CASE("pol_to_json: data shape per type, exactly four keys") {
    std::vector<std::uint8_t> multi = sz("a");
    auto b = sz("bc");
    multi.insert(multi.end(), b.begin(), b.end());
    multi.insert(multi.end(), {0, 0});
    auto r = parse_pol(PReg{}
                           .header()
                           .entry("K", "dword", 4, dw(0xfffffffe))
                           .entry("K", "qword", 11, {1, 0, 0, 0, 0, 0, 0, 1})
                           .entry("K", "sz", 1, sz("text"))
                           .entry("K", "expand", 2, sz("%SystemRoot%"))
                           .entry("K", "multi", 7, multi)
                           .entry("K", "bin", 3, {0xAB, 0x01})
                           .entry("K", "be", 5, {0, 0, 0, 1})
                           .entry("K", "none", 0, {})
                           .b);
    REQUIRE(r.ok());
    auto j = pol_to_json(r.file);
    REQUIRE(j.size() == 8);
    for (const auto& e : j) {
        std::set<std::string> keys;
        for (const auto& [k, v] : e.items()) keys.insert(k);
        CHECK(keys == std::set<std::string>{"key", "value", "type", "data"});
    }
    CHECK(j[0]["data"] == 4294967294u);
    CHECK(j[1]["data"] == 0x0100000000000001ull);
    CHECK(j[1]["type"] == "REG_QWORD");
    CHECK(j[2]["data"] == "text");
    CHECK(j[3]["data"] == "%SystemRoot%");
    CHECK(j[3]["type"] == "REG_EXPAND_SZ");
    CHECK(j[4]["data"] == nlohmann::json{"a", "bc"});
    CHECK(j[5]["data"] == "ab01");
    CHECK(j[6]["data"] == "00000001");
    CHECK(j[6]["type"] == "REG_DWORD_BIG_ENDIAN");
    CHECK(j[7]["data"] == "");
    CHECK(j[7]["type"] == "REG_NONE");
}

TEST_CASE("apply: GP special value names, case-insensitive") {
    const std::string k = "HKLM\\Software\\K";
    auto setup = [&](RegistryState& s) {
        for (const char* v : {"a", "b", "c"}) s.set(k, v, RegValue{4, dw(1)}, Provenance{});
        s.set(k + "\\Sub", "x", RegValue{4, dw(1)}, Provenance{});
        s.set(k + "\\Sub2", "y", RegValue{4, dw(1)}, Provenance{});
    };
    auto apply = [&](const PReg& p, RegistryState& s) {
        auto r = parse_pol(p.b);
        REQUIRE(r.ok());
        apply_pol(r.file, "HKLM", base(), s);
    };
    auto present = [&](const RegistryState& s, const std::string& key, const char* v) {
        const auto* slot = s.find(key, v);
        return slot != nullptr && slot->current.has_value();
    };

    SUBCASE("**DEL.a") {
        RegistryState s;
        setup(s);
        apply(PReg{}.header().entry("Software\\K", "**DEL.A", 1, sz(" ")), s);
        CHECK_FALSE(present(s, k, "a"));
        CHECK(present(s, k, "b"));
        const auto& by = *s.find(k, "a")->deleted_by;
        CHECK(by.registry_value == "A");
        CHECK(by.registry_key == "HKLM\\Software\\K");
        CHECK(by.offset == 8u);
        CHECK(by.raw == " ");
    }
    SUBCASE("**DelVals.") {
        RegistryState s;
        setup(s);
        apply(PReg{}.header().entry("Software\\K", "**DelVals.", 1, sz(" ")), s);
        for (const char* v : {"a", "b", "c"}) CHECK_FALSE(present(s, k, v));
        CHECK(present(s, k + "\\Sub", "x"));
    }
    SUBCASE("**DeleteValues a;c") {
        RegistryState s;
        setup(s);
        apply(PReg{}.header().entry("Software\\K", "**deletevalues", 1, sz("a;c")), s);
        CHECK_FALSE(present(s, k, "a"));
        CHECK(present(s, k, "b"));
        CHECK_FALSE(present(s, k, "c"));
        CHECK(s.find(k, "c")->deleted_by->registry_value == "c");
    }
    SUBCASE("**DeleteKeys Sub") {
        RegistryState s;
        setup(s);
        apply(PReg{}.header().entry("Software\\K", "**DeleteKeys", 1, sz("Sub")), s);
        CHECK_FALSE(present(s, k + "\\Sub", "x"));
        CHECK(present(s, k + "\\Sub2", "y"));
        CHECK(present(s, k, "a"));
        CHECK(s.find(k + "\\Sub", "x")->deleted_by->registry_key == "HKLM\\Software\\K\\Sub");
    }
    SUBCASE("**soft. sets only when absent") {
        RegistryState s;
        setup(s);
        apply(PReg{}
                  .header()
                  .entry("Software\\K", "**Soft.a", 4, dw(7))
                  .entry("Software\\K", "**soft.d", 4, dw(7)),
              s);
        CHECK(reg_dword(s.find(k, "a")->current->value) == 1u);
        CHECK(reg_dword(s.find(k, "d")->current->value) == 7u);
        CHECK(s.find(k, "d")->current->origin.registry_value == "d");
    }
    SUBCASE("**SecureKey and empty value names leave values alone") {
        RegistryState s;
        apply(PReg{}
                  .header()
                  .entry("Software\\K", "**SecureKey", 4, dw(1))
                  .entry("Software\\K", "", 1, sz(""))
                  .entry("Software\\HKCU", "v", 3, {0xAB}),
              s);
        CHECK(s.size() == 1);
        CHECK(s.find("HKLM\\Software\\HKCU", "v")->current->origin.raw == "ab");
    }
    SUBCASE("later entries win, hive as given") {
        RegistryState s;
        auto r = parse_pol(PReg{}
                               .header()
                               .entry("Software\\K", "v", 4, dw(1))
                               .entry("SOFTWARE\\k", "V", 4, dw(0))
                               .b);
        REQUIRE(r.ok());
        apply_pol(r.file, "HKCU", base(), s);
        const auto* slot = s.find("HKCU\\software\\k", "v");
        REQUIRE(slot != nullptr);
        CHECK(reg_dword(slot->current->value) == 0u);
        CHECK(slot->current->origin.registry_key == "HKCU\\SOFTWARE\\k");
        CHECK(slot->history.size() == 1);
        CHECK(s.find("HKLM\\software\\k", "v") == nullptr);
    }
}

// Optimized builds without sanitizers (the first stage of scripts/test.sh) cut every file at
// every length literally; Debug and sanitizer builds use the shifted-window equivalent below.
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr bool kOptimizedBuild = true;
#else
constexpr bool kOptimizedBuild = false;
#endif

TEST_CASE("every truncation of every shared registry.pol fails cleanly") {
    // A cut exactly after the header or after a complete entry is a valid, shorter file
    // holding the entries before the cut; every other cut fails at an offset <= the cut.
    // Files up to 5 KB (every file, in optimized builds) are cut at every length. For larger
    // files in Debug / sanitizer builds (quadratic cost) the first and last 1 KB are cut literally;
    // a cut inside entry i in between is checked as the header followed by entry i's bytes up to
    // the cut: the parser has no state across entries, so that is the same parse shifted by entry
    // i's offset.
    for (const auto& path : all_shared_pols()) {
        CAPTURE(path);
        auto bytes = slurp(path);
        auto full = parse_pol(bytes);
        REQUIRE(full.ok());
        std::vector<std::size_t> starts;  // entry starts, then the end of the file
        for (const auto& e : full.file.entries)
            starts.push_back(static_cast<std::size_t>(e.offset));
        starts.push_back(bytes.size());
        const bool every_length = bytes.size() <= 5000 || kOptimizedBuild;
        for (std::size_t len = 0; len <= bytes.size(); ++len) {
            // i: last entry starting at or before the cut
            auto it = std::upper_bound(starts.begin(), starts.end(), len);
            std::size_t i =
                it == starts.begin() ? 0 : static_cast<std::size_t>(it - starts.begin()) - 1;
            const bool boundary = len >= 8 && starts[i] == len;
            PolResult r;
            std::size_t shift = 0;  // offset in the window + shift = offset in the file
            std::size_t kept = 0;
            if (every_length || len <= 1024 || len + 1024 >= bytes.size()) {
                r = parse_pol(std::span(bytes.data(), len));
                kept = len < 8 ? 0 : i;
            } else {
                std::vector<std::uint8_t> window(bytes.begin(), bytes.begin() + 8);
                window.insert(window.end(), bytes.begin() + static_cast<std::ptrdiff_t>(starts[i]),
                              bytes.begin() + static_cast<std::ptrdiff_t>(len));
                r = parse_pol(window);
                shift = starts[i] - 8;
            }
            if (r.ok() != boundary || r.offset + shift > len || r.file.entries.size() != kept) {
                CAPTURE(len);
                CHECK(r.ok() == boundary);
                CHECK(r.offset + shift <= len);
                CHECK(r.file.entries.size() == kept);
            }
        }
    }
}

TEST_CASE("every single-byte flip of t0x01 registry.pol: no crash, consistent result") {
    auto bytes = slurp(shared_data(kT0x01));
    std::size_t failures = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto copy = bytes;
        copy[i] ^= 0xFF;
        auto r = parse_pol(copy);
        if (!r.ok()) ++failures;
        if (r.offset > copy.size() || (r.ok() != r.message.empty())) {
            CAPTURE(i);
            CHECK(r.offset <= copy.size());
            CHECK(r.ok() == r.message.empty());
        }
        RegistryState s;
        apply_pol(r.file, "HKLM", base(), s);
        (void)pol_to_json(r.file).dump();
    }
    // Flipping a byte of a header, bracket, separator, NUL or size always breaks the grammar;
    // flipping name characters or data does not.
    CHECK(failures > 0);
    CHECK(failures < bytes.size());
}
