#include <doctest/doctest.h>

#include <comredir/policy/rdp/rdp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/text.hpp"
#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;
using comredir::test::slurp;
using comredir::test::test_data;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
    return {s.begin(), s.end()};
}

RdpResult parse(std::string_view s) {
    auto b = bytes(s);
    return parse_rdp(b);
}

/// UTF-16LE with BOM from UTF-8 text.
std::string utf16(std::string_view utf8) {
    return std::string("\xFF\xFE", 2) + comredir::policy::detail::utf8_to_utf16le(utf8);
}

std::optional<std::int64_t> int_of(const RdpFile& f, std::string_view name) {
    const auto* p = f.find(name);
    return p != nullptr ? p->integer : std::nullopt;
}

std::optional<std::string> str_of(const RdpFile& f, std::string_view name) {
    const auto* p = f.find(name);
    return p != nullptr ? std::optional<std::string>(p->value) : std::nullopt;
}

const std::vector<std::string> all_files = {
    shared_data("rdp/freerdp-avd-test1.rdp"),
    shared_data("rdp/freerdp-avd-test2.rdp"),
    shared_data("rdp/freerdp-avd-test3.rdp"),
    shared_data("rdp/freerdp-mstsc-utf16.rdp"),
    test_data("rdp/utf8-bom-lf.rdp"),
    test_data("rdp/utf8-crlf.rdp"),
    test_data("rdp/ansi-latin1.rdp"),
    test_data("rdp/duplicates.rdp"),
    test_data("rdp/comments.rdp"),
};

}  // namespace

TEST_CASE("rdp: AVD feed file (freerdp-avd-test1.rdp)") {
    auto r = read_rdp(shared_data("rdp/freerdp-avd-test1.rdp"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    const auto& f = r.file;
    CHECK(f.encoding == RdpEncoding::utf8);
    CHECK(f.eol == "\n");
    CHECK(f.properties.size() == 38);
    CHECK(f.warnings.empty());
    CHECK(f.arm_path() ==
          "/subscriptions/584e4430-82fd-41aa-b87a-efc8b62f890c/resourcegroups/"
          "f6cfbbf2-efed-4756-a9c8-3c547bc4eb50/providers/Microsoft.DesktopVirtualization/"
          "hostpools/3367af18e772425b82d958c4f06d8023");
    CHECK(f.host_pool_name() == "3367af18e772425b82d958c4f06d8023");
    CHECK(int_of(f, "redirectcomports") == 1);
    CHECK(int_of(f, "redirectclipboard") == 1);
    CHECK(int_of(f, "redirectprinters") == 1);
    CHECK(int_of(f, "redirectsmartcards") == 1);
    CHECK(int_of(f, "redirectlocation") == 1);
    CHECK(int_of(f, "audiomode") == 0);
    CHECK(int_of(f, "audiocapturemode") == 1);
    CHECK(str_of(f, "camerastoredirect") == "*");
    CHECK(str_of(f, "devicestoredirect") == "*");
    CHECK(str_of(f, "drivestoredirect") == "*");
    CHECK(str_of(f, "usbdevicestoredirect") == "*");
    CHECK(f.find("redirectwebauthn") == nullptr);
    CHECK(str_of(f, "full address") == "rdgateway-r1.wvd.microsoft.com");
    CHECK(str_of(f, "gatewayhostname") == "afdfp-rdgateway-r1.wvd.microsoft.com:443");
    CHECK(str_of(f, "remotedesktopname") == "Cloud PC Enterprise 8vCPU/32GB/512GB");
    const auto* com = f.find("RedirectCOMPorts");
    REQUIRE(com != nullptr);
    CHECK(com->type == 'i');
    CHECK(com->line == 31);
    CHECK(com->offset == 1505);
    CHECK(com->length == 20);
    CHECK(com->text == "redirectcomports:i:1");
    const auto* arm = f.find("armpath");
    REQUIRE(arm != nullptr);
    CHECK(arm->line == 7);
    CHECK(arm->offset == 169);
    CHECK(arm->length == 198);
}

TEST_CASE("rdp: mstsc UTF-16LE file (freerdp-mstsc-utf16.rdp)") {
    auto r = read_rdp(shared_data("rdp/freerdp-mstsc-utf16.rdp"));
    REQUIRE_MESSAGE(r.ok(), r.message);
    const auto& f = r.file;
    CHECK(f.encoding == RdpEncoding::utf16le_bom);
    CHECK(f.eol == "\r\n");
    CHECK(f.properties.size() == 47);
    CHECK(f.warnings.empty());
    CHECK(int_of(f, "redirectcomports") == 0);
    CHECK(int_of(f, "screen mode id") == 2);
    CHECK(str_of(f, "username") == "LAB1\\JohnDoe");
    CHECK(str_of(f, "alternate shell") == "");
    CHECK(str_of(f, "drivestoredirect") == "*");
    CHECK_FALSE(f.arm_path().has_value());
    CHECK_FALSE(f.host_pool_name().has_value());
    const auto* screen = f.find("screen mode id");
    REQUIRE(screen != nullptr);
    CHECK(screen->line == 1);
    CHECK(screen->offset == 2);
    CHECK(screen->length == 36);
    const auto* com = f.find("redirectcomports");
    REQUIRE(com != nullptr);
    CHECK(com->line == 27);
    CHECK(com->offset == 1270);
    CHECK(com->length == 40);
    const auto* user = f.find("username");
    REQUIRE(user != nullptr);
    CHECK(user->line == 47);
    CHECK(user->offset == 2340);
}

TEST_CASE("rdp: every property's byte range decodes to its text (rewrite support)") {
    for (const auto& path : all_files) {
        CAPTURE(path);
        const auto b = slurp(path);
        auto r = parse_rdp(b);
        REQUIRE_MESSAGE(r.ok(), r.message);
        for (const auto& p : r.file.properties) {
            CAPTURE(p.line);
            REQUIRE(p.offset + p.length <= b.size());
            std::span<const std::uint8_t> range(b.data() + p.offset, p.length);
            std::string sv(range.begin(), range.end());
            std::string text;
            switch (r.file.encoding) {
                case RdpEncoding::utf16le_bom:
                    text = comredir::policy::detail::utf16le_to_utf8(range).value_or("?");
                    break;
                case RdpEncoding::ansi:
                    text = comredir::policy::detail::latin1_to_utf8(sv);
                    break;
                default:
                    text = sv;
            }
            CHECK(text == p.text);
            CHECK(p.text == p.name + ":" + p.type + ":" + p.value);
        }
    }
    // Splice one line of the UTF-16 file: everything else stays byte for byte.
    auto b = slurp(shared_data("rdp/freerdp-mstsc-utf16.rdp"));
    auto r = parse_rdp(b);
    const auto* com = r.file.find("redirectcomports");
    REQUIRE(com != nullptr);
    std::string repl = comredir::policy::detail::utf8_to_utf16le("redirectcomports:i:1");
    std::vector<std::uint8_t> out(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(com->offset));
    out.insert(out.end(), repl.begin(), repl.end());
    out.insert(out.end(), b.begin() + static_cast<std::ptrdiff_t>(com->offset + com->length),
               b.end());
    auto r2 = parse_rdp(out);
    REQUIRE(r2.ok());
    CHECK(int_of(r2.file, "redirectcomports") == 1);
    CHECK(r2.file.properties.size() == r.file.properties.size());
}

TEST_CASE("rdp: own fixtures (encodings, line ends, duplicates)") {
    SUBCASE("utf-8 with bom, lf") {
        auto r = read_rdp(test_data("rdp/utf8-bom-lf.rdp"));
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.file.encoding == RdpEncoding::utf8_bom);
        CHECK(r.file.eol == "\n");
        REQUIRE(r.file.properties.size() == 5);
        CHECK(r.file.properties[0].offset == 3);
        CHECK(r.file.properties[0].name == "screen mode id");
        CHECK(int_of(r.file, "screen mode id") == 2);
        CHECK(str_of(r.file, "full address") == "host.example.com:3389");
        CHECK(r.file.find("redirectcomports")->line == 4);  // after the blank line 3
        CHECK(str_of(r.file, "drivestoredirect") == "C:\\;E:\\;");
        CHECK(str_of(r.file, "camerastoredirect") == "*");
    }
    SUBCASE("utf-8 without bom, crlf") {
        auto r = read_rdp(test_data("rdp/utf8-crlf.rdp"));
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.file.encoding == RdpEncoding::utf8);
        CHECK(r.file.eol == "\r\n");
        REQUIRE(r.file.properties.size() == 6);
        CHECK(int_of(r.file, "redirectcomports") == 0);
        CHECK(int_of(r.file, "audiomode") == 2);
        CHECK(str_of(r.file, "usbdevicestoredirect") == "*");
        CHECK(str_of(r.file, "alternate shell") == "");
        CHECK(r.file.find("redirectcomports")->offset == 25);
        CHECK(r.file.find("redirectcomports")->length == 20);
    }
    SUBCASE("ansi with a latin-1 byte") {
        auto r = read_rdp(test_data("rdp/ansi-latin1.rdp"));
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.file.encoding == RdpEncoding::ansi);
        CHECK(r.file.eol == "\r\n");
        CHECK(str_of(r.file, "username") == "CORP\\Jos\xC3\xA9");
        CHECK(int_of(r.file, "redirectprinters") == 0);
        CHECK(r.file.find("redirectprinters")->offset == 0x2c);
        REQUIRE(r.file.warnings.size() == 1);
        CHECK(r.file.warnings[0] == "offset 0x29: not valid utf-8: text read as ansi (latin-1)");
    }
    SUBCASE("duplicates: reported, case-insensitive; find() last, find_first() first") {
        auto r = read_rdp(test_data("rdp/duplicates.rdp"));
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.file.properties.size() == 5);
        CHECK(int_of(r.file, "redirectcomports") == 1);
        CHECK(r.file.find("REDIRECTCOMPORTS")->line == 3);
        CHECK(r.file.find("redirectcomports")->name == "RedirectCOMPorts");
        CHECK(r.file.find_first("RedirectComPorts")->line == 1);
        CHECK(r.file.find_first("redirectcomports")->integer == 0);
        CHECK(r.file.find_first("nosuch") == nullptr);
        CHECK(str_of(r.file, "drivestoredirect") == "");
        REQUIRE(r.file.warnings.size() == 2);
        CHECK(r.file.warnings[0] ==
              "line 3: property `RedirectCOMPorts` repeats line 1: the first one counts (as "
              "FreeRDP reads it)");
        CHECK(r.file.warnings[1] ==
              "line 5: property `drivestoredirect` repeats line 4: the first one counts (as "
              "FreeRDP reads it)");
    }
}

TEST_CASE("rdp: comment lines are skipped with one note naming them") {
    SUBCASE("fixture: utf-16, comments shaped like properties read no value") {
        auto r = read_rdp(test_data("rdp/comments.rdp"));
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.file.encoding == RdpEncoding::utf16le_bom);
        REQUIRE(r.file.properties.size() == 3);
        CHECK(r.file.properties[0].line == 2);
        CHECK(r.file.find_first("redirectcomports")->line == 5);
        CHECK(r.file.find_first("redirectcomports")->integer == 1);
        CHECK(str_of(r.file, "drivestoredirect") == "*");
        CHECK(r.file.warnings.empty());
        REQUIRE(r.file.notes.size() == 1);
        CHECK(r.file.notes[0] ==
              "lines 1, 3, 4, 6: comments (`;`) skipped, as mstsc and FreeRDP skip them");
    }
    struct Case {
        std::string input;
        std::size_t properties;
        std::string note;  // empty: no note
    };
    std::string many;
    for (int i = 0; i < 12; ++i) many += ";c" + std::to_string(i) + "\n";
    const std::vector<Case> cases = {
        {"a:s:x\n;x:i:1\n", 1, "line 2: comment (`;`) skipped, as mstsc and FreeRDP skip them"},
        {";\r\n \t; indented\r\nb:i:2", 1,
         "lines 1, 2: comments (`;`) skipped, as mstsc and FreeRDP skip them"},
        {many + "a:i:1\n", 1,
         "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more: comments (`;`) skipped, as mstsc and "
         "FreeRDP skip them"},
        {"a:s:x;y\n", 1, ""},          // `;` inside a value is no comment
        {"x;y:s:1\n", 1, ""},          // nor inside a name
        {utf16(";c\r\na:i:1\r\n"), 1,  // after decoding UTF-16
         "line 1: comment (`;`) skipped, as mstsc and FreeRDP skip them"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.input);
        auto r = parse(c.input);
        REQUIRE_MESSAGE(r.ok(), r.message);
        CHECK(r.file.properties.size() == c.properties);
        if (c.note.empty()) {
            CHECK(r.file.notes.empty());
        } else {
            REQUIRE(r.file.notes.size() == 1);
            CHECK(r.file.notes[0] == c.note);
        }
    }
    SUBCASE("a bad line after a comment keeps its own line number") {
        auto r = parse("; c\nredirectcomports:i:yes\n");
        CHECK(r.status == RdpStatus::bad_integer);
        CHECK(r.line == 2);
        CHECK(r.offset == 23);
        CHECK(r.message == "line 2: property `redirectcomports`: value `yes` is not an integer");
    }
}

TEST_CASE("rdp: small well-formed inputs") {
    auto r = parse("");
    CHECK(r.ok());
    CHECK(r.file.properties.empty());
    CHECK(r.file.eol.empty());

    r = parse(
        " \t\r\n\r\nx:i:-2147483648\rname with  spaces :s:a:b;c \t\ny:i:2147483647\nz:b:0a0b");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.file.eol == "\r\n");
    REQUIRE(r.file.properties.size() == 4);
    CHECK(r.file.properties[0].integer == -2147483648LL);
    CHECK(r.file.properties[0].line == 3);
    CHECK(r.file.properties[0].offset == 6);
    CHECK(r.file.properties[1].name == "name with  spaces ");
    CHECK(r.file.properties[1].value == "a:b;c \t");  // only the terminator is trimmed
    CHECK(r.file.properties[1].line == 4);
    CHECK(r.file.properties[2].integer == 2147483647);
    CHECK(r.file.properties[3].type == 'b');
    CHECK(r.file.properties[3].value == "0a0b");
    CHECK_FALSE(r.file.properties[3].integer.has_value());

    r = parse("armpath:s:/subscriptions/s/resourceGroups/rg/providers/x/HostPools/pool-1/");
    CHECK(r.file.host_pool_name() == "pool-1");
    r = parse("armpath:s:/subscriptions/s/providers/x/workspaces/w");
    CHECK(r.file.arm_path().has_value());
    CHECK_FALSE(r.file.host_pool_name().has_value());
    r = parse("armpath:i:1");
    CHECK_FALSE(r.file.arm_path().has_value());
}

TEST_CASE("rdp: malformed files give exact status, line and offset") {
    struct Case {
        std::string input;
        RdpStatus status;
        std::uint32_t line;
        std::uint64_t offset;
        std::string message;
        std::size_t props_before;
    };
    const std::string long_line = "a:s:" + std::string(rdp_max_line_bytes - 3, 'x');
    const std::string max_line = "a:s:" + std::string(rdp_max_line_bytes - 4, 'x');
    const std::vector<Case> cases = {
        {"redirectcomports:i:abc\n", RdpStatus::bad_integer, 1, 19,
         "line 1: property `redirectcomports`: value `abc` is not an integer", 0},
        {"a:s:x\nx:i:2147483648\n", RdpStatus::bad_integer, 2, 10,
         "line 2: property `x`: value `2147483648` is not an integer in the int32 range", 1},
        {"x:i:-2147483649", RdpStatus::bad_integer, 1, 4,
         "line 1: property `x`: value `-2147483649` is not an integer in the int32 range", 0},
        {"x:i:", RdpStatus::bad_integer, 1, 4, "line 1: property `x`: value `` is not an integer",
         0},
        {"x:i: 1", RdpStatus::bad_integer, 1, 4,
         "line 1: property `x`: value ` 1` is not an integer", 0},
        {"x:i:+1", RdpStatus::bad_integer, 1, 4,
         "line 1: property `x`: value `+1` is not an integer", 0},
        {"x:i:1 \r\n", RdpStatus::bad_integer, 1, 4,
         "line 1: property `x`: value `1 ` is not an integer", 0},
        {"x:i:-", RdpStatus::bad_integer, 1, 4, "line 1: property `x`: value `-` is not an integer",
         0},
        {"a:s:x\nbadline\n", RdpStatus::missing_type_separator, 2, 13,
         "line 2: `badline`: not a `name:type:value` property", 1},
        {"a:s:x\r\nname:q:1\r\n", RdpStatus::bad_type, 2, 12,
         "line 2: property `name`: type `q` is not one of `i`, `s`, `b`", 1},
        {"a:s:x\r\nname:I:1\r\n", RdpStatus::bad_type, 2, 12,
         "line 2: property `name`: type `I` is not one of `i`, `s`, `b`", 1},
        {":i:1\n", RdpStatus::empty_name, 1, 0, "line 1: `:i:1`: empty property name", 0},
        {"  :i:1\n", RdpStatus::empty_name, 1, 0, "line 1: `  :i:1`: empty property name", 0},
        {"name:i\n", RdpStatus::missing_type_separator, 1, 6,
         "line 1: property `name`: no `:type:` after the name", 0},
        {"name:\n", RdpStatus::missing_type_separator, 1, 5,
         "line 1: property `name`: no `:type:` after the name", 0},
        {"name:ix:1", RdpStatus::missing_type_separator, 1, 6,
         "line 1: property `name`: no `:type:` after the name", 0},
        {std::string("a:s:x\n\0", 7), RdpStatus::nul_in_text, 2, 6,
         "line 2: offset 0x6: nul character in text", 1},
        {std::string("a:s:b\0c", 7), RdpStatus::nul_in_text, 1, 5,
         "line 1: offset 0x5: nul character in text", 0},
        {std::string("a\0:\0s\0", 6), RdpStatus::nul_in_text, 1, 1,
         "line 1: offset 0x1: nul character in text (utf-16 text without a bom?)", 0},
        {"a:s:1\rb:q:2", RdpStatus::bad_type, 2, 8,
         "line 2: property `b`: type `q` is not one of `i`, `s`, `b`", 1},
        {"\xEF\xBB\xBF:i:1", RdpStatus::empty_name, 1, 3, "line 1: `:i:1`: empty property name", 0},
        {"\xE9:q:1", RdpStatus::bad_type, 1, 2,
         "line 1: property `\xC3\xA9`: type `q` is not one of `i`, `s`, `b`", 0},
        {"\xFF", RdpStatus::missing_type_separator, 1, 1,
         "line 1: `\xC3\xBF`: not a `name:type:value` property", 0},
        {long_line + "\nb:q:1", RdpStatus::line_too_long, 1, 0, "line 1: longer than 65536 bytes",
         0},
        {max_line + "\nb:q:1", RdpStatus::bad_type, 2, rdp_max_line_bytes + 3,
         "line 2: property `b`: type `q` is not one of `i`, `s`, `b`", 1},
        // UTF-16LE with BOM.
        {std::string("\xFF\xFE"
                     "a\0:",
                     5),
         RdpStatus::bad_utf16, 1, 4, "line 1: offset 0x4: odd number of bytes in utf-16 text", 0},
        {utf16("a:s:\n") + "x", RdpStatus::bad_utf16, 2, 12,
         "line 2: offset 0xc: odd number of bytes in utf-16 text", 1},
        {utf16("a:s:") + std::string("\x00\xD8x\0", 4), RdpStatus::bad_utf16, 1, 10,
         "line 1: offset 0xa: unpaired utf-16 surrogate", 0},
        {utf16("a:s:") + std::string("\x00\xDC", 2), RdpStatus::bad_utf16, 1, 10,
         "line 1: offset 0xa: unpaired utf-16 surrogate", 0},
        {utf16("n:q:1"), RdpStatus::bad_type, 1, 6,
         "line 1: property `n`: type `q` is not one of `i`, `s`, `b`", 0},
        {utf16("\xF0\x9F\x98\x80\xC3\xA9:q:1"), RdpStatus::bad_type, 1, 10,
         "line 1: property `\xF0\x9F\x98\x80\xC3\xA9`: type `q` is not one of `i`, `s`, `b`", 0},
        {utf16("a:i:1\r\nb:i:x\r\n"), RdpStatus::bad_integer, 2, 2 + 14 + 8,
         "line 2: property `b`: value `x` is not an integer", 1},
        {utf16("a:s:x\r\nb:s:") + std::string("\0\0", 2), RdpStatus::nul_in_text, 2, 2 + 14 + 8,
         "line 2: offset 0x18: nul character in text", 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.input);
        auto r = parse(c.input);
        CHECK(r.status == c.status);
        CHECK(r.line == c.line);
        CHECK(r.offset == c.offset);
        CHECK(r.message == c.message);
        CHECK(r.file.properties.size() == c.props_before);
    }
}

TEST_CASE("rdp: read_rdp prefixes the path; io errors") {
    auto r = read_rdp("/nonexistent/x.rdp");
    CHECK(r.status == RdpStatus::io_error);
    CHECK(r.message.rfind("/nonexistent/x.rdp: cannot open: ", 0) == 0);
    r = read_rdp(std::string(COMREDIR_TEST_DATA) + "/rdp");
    CHECK(r.status == RdpStatus::io_error);

    const auto tmp = std::filesystem::temp_directory_path() / "comredir_rdp_test_bad.rdp";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << "a:s:1\nredirectcomports:i:abc\n";
    }
    r = read_rdp(tmp.string());
    CHECK(r.status == RdpStatus::bad_integer);
    CHECK(r.line == 2);
    CHECK(r.offset == 25);
    CHECK(r.message ==
          tmp.string() + ": line 2: property `redirectcomports`: value `abc` is not an integer");
    std::filesystem::remove(tmp);

    CHECK(to_string(RdpStatus::missing_type_separator) == "missing_type_separator");
    CHECK(to_string(RdpEncoding::utf16le_bom) == "utf16le_bom");
}

TEST_CASE("rdp: truncations at every length and single-byte flips never crash") {
    for (const auto& path : all_files) {
        CAPTURE(path);
        const auto b = slurp(path);
        const auto full = parse_rdp(b);
        REQUIRE(full.ok());
        const bool utf16 = full.file.encoding == RdpEncoding::utf16le_bom;
        for (std::size_t n = 0; n <= b.size(); ++n) {
            CAPTURE(n);
            auto r = parse_rdp(std::span<const std::uint8_t>(b.data(), n));
            CHECK(r.file.properties.size() <= full.file.properties.size());
            CHECK(r.offset <= n);
            if (utf16 && n >= 3 && n % 2 == 1) {
                CHECK(r.status == RdpStatus::bad_utf16);
                CHECK(r.offset == n - 1);
                CHECK(r.message.find("odd number of bytes") != std::string::npos);
            } else if (!r.ok()) {
                // Only the cut (last) line can be bad.
                CHECK(r.status != RdpStatus::bad_utf16);
                CHECK(r.line >= 1);
                if (!r.file.properties.empty()) {
                    CHECK(r.line > r.file.properties.back().line);
                }
            }
            // What was read before the cut is what the whole file holds.
            for (std::size_t k = 0; k < r.file.properties.size(); ++k) {
                const auto& p = r.file.properties[k];
                const auto& q = full.file.properties[k];
                const bool cut_last = k + 1 == r.file.properties.size() && p.offset + p.length == n;
                if (!cut_last) {
                    CHECK(p.text == q.text);
                }
                CHECK(p.offset == q.offset);
            }
        }
        for (std::size_t i = 0; i < b.size(); ++i) {
            for (std::uint8_t x : {0x01, 0x20, 0x80, 0xFF}) {
                auto m = b;
                m[i] ^= x;
                auto r = parse_rdp(m);
                if (!r.ok()) {
                    CHECK(r.offset <= m.size());
                    CHECK(r.line >= 1);
                    CHECK_FALSE(r.message.empty());
                    CHECK(r.message.find('\n') == std::string::npos);
                }
            }
        }
    }
}

TEST_CASE("rdp properties: AVD accelerator default string") {
    auto b = slurp(shared_data("hostpool/avd-accelerator-default.txt"));
    std::string s(b.begin(), b.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
        s.pop_back();
    }
    auto r = parse_rdp_properties(s);
    REQUIRE_MESSAGE(r.ok(), r.message);
    struct Expect {
        std::string name;
        char type;
        std::string value;
    };
    const std::vector<Expect> expected = {
        {"audiocapturemode", 'i', "1"},   {"audiomode", 'i', "0"},
        {"drivestoredirect", 's', ""},    {"redirectclipboard", 'i', "1"},
        {"redirectcomports", 'i', "1"},   {"redirectprinters", 'i', "1"},
        {"redirectsmartcards", 'i', "1"}, {"screen mode id", 'i', "2"},
    };
    REQUIRE(r.file.properties.size() == expected.size());
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& p = r.file.properties[i];
        CAPTURE(i);
        CHECK(p.name == expected[i].name);
        CHECK(p.type == expected[i].type);
        CHECK(p.value == expected[i].value);
        CHECK(p.line == i + 1);
        CHECK(p.offset == offset);
        CHECK(s.substr(p.offset, p.length) == p.text);
        if (p.type == 'i') {
            CHECK(p.integer == std::stoi(expected[i].value));
        }
        offset += p.length + 1;
    }
    CHECK(r.file.encoding == RdpEncoding::utf8);
    CHECK(r.file.eol.empty());
    CHECK(r.file.warnings.empty());
    CHECK(int_of(r.file, "redirectcomports") == 1);
}

TEST_CASE("rdp properties: string values holding `;` continue over items") {
    auto r = parse_rdp_properties("drivestoredirect:s:C:\\;E:\\;redirectcomports:i:1");
    REQUIRE_MESSAGE(r.ok(), r.message);
    REQUIRE(r.file.properties.size() == 2);
    CHECK(r.file.properties[0].value == "C:\\;E:\\");
    CHECK(r.file.properties[0].text == "drivestoredirect:s:C:\\;E:\\");
    CHECK(r.file.properties[0].length == 26);
    CHECK(r.file.properties[1].name == "redirectcomports");
    CHECK(r.file.properties[1].integer == 1);
    CHECK(r.file.properties[1].line == 3);
    CHECK(r.file.properties[1].offset == 27);

    r = parse_rdp_properties(
        "usbdevicestoredirect:s:*;-{6bdd1fc6-810f-11d0-bec7-08002be2092f};;"
        " camerastoredirect:s:*;");
    REQUIRE_MESSAGE(r.ok(), r.message);
    REQUIRE(r.file.properties.size() == 2);
    CHECK(r.file.properties[0].value == "*;-{6bdd1fc6-810f-11d0-bec7-08002be2092f}");
    CHECK(r.file.properties[1].name == "camerastoredirect");
    CHECK(r.file.properties[1].line == 4);
    CHECK(r.file.properties[1].offset == 67);

    r = parse_rdp_properties("");
    CHECK(r.ok());
    CHECK(r.file.properties.empty());
    r = parse_rdp_properties(";; ;");
    CHECK(r.ok());
    CHECK(r.file.properties.empty());

    r = parse_rdp_properties("redirectcomports:i:0;RedirectComPorts:i:1");
    REQUIRE(r.ok());
    CHECK(int_of(r.file, "redirectcomports") == 1);
    REQUIRE(r.file.warnings.size() == 1);
    CHECK(r.file.warnings[0] ==
          "item 2: property `RedirectComPorts` repeats item 1: the first one counts (as FreeRDP "
          "reads it)");
}

TEST_CASE("rdp properties: malformed strings give exact status, item and offset") {
    struct Case {
        std::string input;
        RdpStatus status;
        std::uint32_t item;
        std::uint64_t offset;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"E:\\;a:i:1", RdpStatus::missing_type_separator, 1, 3,
         "item 1: property `E`: no `:type:` after the name"},
        {"a:i:1;C:\\", RdpStatus::missing_type_separator, 2, 9,
         "item 2: property `C`: no `:type:` after the name"},
        {"a:i:1;garbage", RdpStatus::missing_type_separator, 2, 13,
         "item 2: `garbage`: not a `name:type:value` property"},
        {"a:i:x", RdpStatus::bad_integer, 1, 4,
         "item 1: property `a`: value `x` is not an integer"},
        {"a:s:1;b:i:x", RdpStatus::bad_integer, 2, 10,
         "item 2: property `b`: value `x` is not an integer"},
        {":s:x", RdpStatus::empty_name, 1, 0, "item 1: `:s:x`: empty property name"},
        {"a:i:1;b:q:2", RdpStatus::bad_type, 2, 8,
         "item 2: property `b`: type `q` is not one of `i`, `s`, `b`"},
        {std::string("a:i:1;\0", 7), RdpStatus::nul_in_text, 2, 6,
         "item 2: offset 0x6: nul character in text"},
        {"a:i:1;  b:i:x", RdpStatus::bad_integer, 2, 12,
         "item 2: property `b`: value `x` is not an integer"},
        {"a:b:00;x", RdpStatus::missing_type_separator, 2, 8,
         "item 2: `x`: not a `name:type:value` property"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.input);
        auto r = parse_rdp_properties(c.input);
        CHECK(r.status == c.status);
        CHECK(r.line == c.item);
        CHECK(r.offset == c.offset);
        CHECK(r.message == c.message);
    }
}
