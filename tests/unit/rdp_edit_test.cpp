#include <doctest/doctest.h>

#include <algorithm>
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_edit.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"
#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;
using comredir::test::slurp;
using comredir::test::source_dir;
using comredir::test::test_data;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::string_view s) {
    return {s.begin(), s.end()};
}

enum class Enc { utf8, utf8_bom, utf16, ansi };

/// UTF-8 text to the file's bytes. Latin-1 keeps only U+0000..U+00FF (the tests use é).
std::string encode(Enc e, std::string_view utf8) {
    switch (e) {
        case Enc::utf8:
            return std::string(utf8);
        case Enc::utf8_bom:
            return "\xEF\xBB\xBF" + std::string(utf8);
        case Enc::utf16:
            return std::string("\xFF\xFE", 2) + detail::utf8_to_utf16le(utf8);
        case Enc::ansi:
            break;
    }
    std::string out;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == 0xC3 && i + 1 < utf8.size()) {
            out.push_back(static_cast<char>(0xC0 | (static_cast<unsigned char>(utf8[++i]) & 0x3F)));
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

/// A file from lines written with `\n` (each line ends with one): its line ends become `eol`,
/// the last one is dropped when !final_newline, and the text is encoded.
Bytes render(std::string_view text, Enc e, std::string_view eol, bool final_newline) {
    std::string joined;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        joined.append(text.substr(pos, nl - pos));
        joined.append(eol);
        pos = nl + 1;
    }
    if (!final_newline && !joined.empty()) joined.resize(joined.size() - eol.size());
    return bytes(encode(e, joined));
}

struct Case {
    const char* what = nullptr;
    const char* before = nullptr;
    bool unset = false;
    const char* name = nullptr;
    const char* value = nullptr;
    const char* after = nullptr;
    /// The last line is blank: without a final newline the bytes would hold one blank line
    /// less, so only the final-newline rendering is meaningful.
    bool ends_blank = false;
};

// Every file holds `username:s:José` so that the Latin-1 rendering is read as ANSI.
const Case kCases[] = {
    {"replace an integer in place", "full address:s:h\nusername:s:José\nredirectcomports:i:1\n",
     false, "redirectcomports", "0", "full address:s:h\nusername:s:José\nredirectcomports:i:0\n"},
    {"replace a string with non-ASCII", "username:s:José\ndrivestoredirect:s:*\naudiomode:i:0\n",
     false, "USERNAME", "Zoé", "username:s:Zoé\ndrivestoredirect:s:*\naudiomode:i:0\n"},
    {"append a new property as the last line", "username:s:José\naudiomode:i:0\n", false,
     "redirectcomports", "1", "username:s:José\naudiomode:i:0\nredirectcomports:i:1\n"},
    {"append after trailing blank lines", "username:s:José\n\n\n", false, "drivestoredirect",
     "C:\\;E:\\;", "username:s:José\n\n\ndrivestoredirect:s:C:\\;E:\\;\n", true},
    {"remove a middle line", "username:s:José\naudiomode:i:0\nredirectcomports:i:1\n", true,
     "AudioMode", "", "username:s:José\nredirectcomports:i:1\n"},
    {"remove the last line", "username:s:José\naudiomode:i:0\nredirectcomports:i:1\n", true,
     "redirectcomports", "", "username:s:José\naudiomode:i:0\n"},
    {"remove every line (only the BOM stays)", "username:s:José\n", true, "username", "", ""},
    {"repeats: set changes the first", "username:s:José\nx:i:1\nX:i:2\nx:i:3\n", false, "x", "7",
     "username:s:José\nx:i:7\nX:i:2\nx:i:3\n"},
    {"repeats: unset removes all", "x:i:1\nusername:s:José\nX:i:2\nx:i:3\n", true, "x", "",
     "username:s:José\n"},
    {"comments, unknown and blank lines kept",
     "# comment\nusername:s:José\n\n/v:host\n  \nfoo:x:1\nredirectcomports:i:1\n; end\n", false,
     "redirectcomports", "0",
     "# comment\nusername:s:José\n\n/v:host\n  \nfoo:x:1\nredirectcomports:i:0\n; end\n"},
    {"comments kept on unset", "# c\nusername:s:José\n# d\nredirectcomports:i:1\n# e\n", true,
     "redirectcomports", "", "# c\nusername:s:José\n# d\n# e\n"},
    {"a bad integer line is replaced", "username:s:José\nredirectcomports:i:yes\n", false,
     "redirectcomports", "1", "username:s:José\nredirectcomports:i:1\n"},
    {"a value holding `:` and `;`", "username:s:José\naudiomode:i:0\n", false, "full address",
     "h.example:3389;x", "username:s:José\naudiomode:i:0\nfull address:s:h.example:3389;x\n"},
};

struct Layout {
    Enc enc;
    const char* enc_name;
    RdpEncoding expect;
};
const Layout kLayouts[] = {
    {Enc::utf8, "utf8", RdpEncoding::utf8},
    {Enc::utf8_bom, "utf8_bom", RdpEncoding::utf8_bom},
    {Enc::utf16, "utf16le_bom", RdpEncoding::utf16le_bom},
    {Enc::ansi, "ansi", RdpEncoding::ansi},
};
const char* const kEols[] = {"\r\n", "\n", "\r"};

RdpFileEdit apply(const Case& c, const Bytes& in) {
    return c.unset ? rdp_file_unset(in, c.name) : rdp_file_set(in, c.name, std::nullopt, c.value);
}

std::vector<std::string> rdp_files() {
    std::vector<std::string> out;
    for (const auto& dir : {shared_data("rdp"), source_dir("examples/clients"), test_data("rdp")}) {
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            if (e.path().extension() == ".rdp") out.push_back(e.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("rdp edit: exact bytes for every encoding x line end x final newline") {
    int runs = 0;
    for (const auto& c : kCases) {
        for (const auto& lay : kLayouts) {
            for (const char* eol : kEols) {
                for (bool final_newline : {true, false}) {
                    if (c.ends_blank && !final_newline) continue;
                    const std::string what = c.what;
                    const std::string enc = lay.enc_name;
                    const std::string eol_shown = detail::rdp_snippet(eol);
                    CAPTURE(what);
                    CAPTURE(enc);
                    CAPTURE(eol_shown);
                    CAPTURE(final_newline);
                    const Bytes in = render(c.before, lay.enc, eol, final_newline);
                    const Bytes want = render(c.after, lay.enc, eol, final_newline);
                    const auto r = apply(c, in);
                    REQUIRE_MESSAGE(r.ok(), r.message);
                    CHECK(r.encoding == lay.expect);
                    CHECK(r.changed);
                    CHECK(r.bytes == want);
                    // Applying it again changes nothing.
                    const auto again = apply(c, r.bytes);
                    REQUIRE_MESSAGE(again.ok(), again.message);
                    CHECK_FALSE(again.changed);
                    CHECK(again.bytes == want);
                    ++runs;
                }
            }
        }
    }
    CHECK(runs == 12 * 4 * 3 * 2 + 4 * 3);
}

TEST_CASE("rdp edit: literal bytes (UTF-16LE, mixed line ends, no terminator yet)") {
    const std::string u16 =
        std::string("\xFF\xFE", 2) + std::string("a\0:\0i\0:\0001\0\r\0\n\0", 14);
    auto r = rdp_file_set(bytes(u16), "a", std::nullopt, "2");
    REQUIRE(r.ok());
    CHECK(r.bytes ==
          bytes(std::string("\xFF\xFE", 2) + std::string("a\0:\0i\0:\0002\0\r\0\n\0", 14)));

    // A new line ends like the file's first line; the missing final newline stays missing.
    const Bytes mixed = bytes("a:i:1\r\nb:i:2\nc:i:3");
    r = rdp_file_set(mixed, "d", std::nullopt, "4");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("a:i:1\r\nb:i:2\nc:i:3\r\nd:i:4"));
    CHECK(r.line == 4);
    CHECK(r.added);
    r = rdp_file_unset(mixed, "c");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("a:i:1\r\nb:i:2"));
    CHECK(r.removed_lines == std::vector<std::uint32_t>{3});
    r = rdp_file_unset(mixed, "b");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("a:i:1\r\nc:i:3"));

    // No terminator anywhere: CRLF, as mstsc writes.
    r = rdp_file_set(bytes("a:i:1"), "b", std::nullopt, "2");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("a:i:1\r\nb:i:2"));
    r = rdp_file_set(Bytes{}, "b", std::nullopt, "2");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("b:i:2\r\n"));
    CHECK(r.encoding == RdpEncoding::utf8);
    r = rdp_file_set(bytes("\xFF\xFE"), "b", std::nullopt, "2");
    REQUIRE(r.ok());
    CHECK(r.bytes ==
          bytes(std::string("\xFF\xFE", 2) + std::string("b\0:\0i\0:\0002\0\r\0\n\0", 14)));
    r = rdp_file_unset(bytes("\xEF\xBB\xBF"
                             "b:i:2"),
                       "b");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("\xEF\xBB\xBF"));
}

TEST_CASE("rdp edit: what set reports") {
    const Bytes in = bytes("full address:s:h\nRedirectCOMPorts:i:1\nredirectcomports:i:0\n");
    auto r = rdp_file_set(in, "redirectcomports", std::nullopt, "010");
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("full address:s:h\nRedirectCOMPorts:i:10\nredirectcomports:i:0\n"));
    CHECK(r.name == "RedirectCOMPorts");
    CHECK(r.type == 'i');
    CHECK(r.value == "10");
    CHECK(r.type_source == RdpTypeSource::existing);
    CHECK(r.previous == "RedirectCOMPorts:i:1");
    CHECK(r.line == 2);
    CHECK_FALSE(r.added);
    CHECK(r.repeats == std::vector<std::uint32_t>{3});
    CHECK(r.notes == std::vector<std::string>{
                         "`RedirectCOMPorts` repeats on line 3, left as it is: FreeRDP and "
                         "comredir read the first occurrence, line 2; unset and set again to keep "
                         "one line",
                         "integer `010` written as `10` (FreeRDP reads a leading 0 as octal)"});
    // Already so at the first occurrence: nothing changes, the repeats are still reported.
    auto same = rdp_file_set(in, "redirectcomports", std::nullopt, "1");
    REQUIRE(same.ok());
    CHECK_FALSE(same.changed);
    CHECK(same.line == 2);
    CHECK(same.repeats == std::vector<std::uint32_t>{3});
    CHECK(same.notes.size() == 1);
    same = rdp_file_set(bytes("x:i:1\nx:i:2\nx:i:3\n"), "x", std::nullopt, "4");
    REQUIRE(same.ok());
    CHECK(same.notes == std::vector<std::string>{
                            "`x` repeats on lines 2, 3, left as they are: FreeRDP and comredir "
                            "read the first occurrence, line 1; unset and set again to keep one "
                            "line"});

    r = rdp_file_set(in, "comredirtest", std::nullopt, "12");
    REQUIRE(r.ok());
    CHECK(r.type_source == RdpTypeSource::inferred);
    CHECK(r.bytes == bytes("full address:s:h\nRedirectCOMPorts:i:1\nredirectcomports:i:0\n"
                           "comredirtest:i:12\n"));
    CHECK(r.notes == std::vector<std::string>{"`comredirtest` is not a documented property: type "
                                              "`i` inferred from the value (`comredirtest:s:VALUE` "
                                              "writes a string)"});
    r = rdp_file_set(in, "desktopscalefactor", std::nullopt, "-0");
    REQUIRE(r.ok());
    CHECK(r.value == "0");
    r = rdp_file_set(in, "desktopscalefactor", std::nullopt, "-5");
    REQUIRE(r.ok());
    CHECK(r.value == "-5");
    CHECK(r.notes == std::vector<std::string>{"FreeRDP 2 reads a negative integer as if "
                                              "`desktopscalefactor` were not set"});
    r = rdp_file_set(in, "username", std::nullopt, "1234");
    REQUIRE(r.ok());
    CHECK(r.type_source == RdpTypeSource::known);
    CHECK(r.value == "1234");
    CHECK(r.type == 's');
    CHECK(r.notes.empty());
    r = rdp_file_set(in, "full address", 'i', "5");
    REQUIRE(r.ok());
    CHECK(r.type_source == RdpTypeSource::given);
    CHECK(r.bytes == bytes("full address:i:5\nRedirectCOMPorts:i:1\nredirectcomports:i:0\n"));
    CHECK(r.notes == std::vector<std::string>{"line 1 changes type from `s` to `i`"});

    // Already so: the same bytes, nothing changed.
    r = rdp_file_set(in, "full address", std::nullopt, "h");
    REQUIRE(r.ok());
    CHECK_FALSE(r.changed);
    CHECK(r.line == 1);
    CHECK(r.bytes == in);
    r = rdp_file_unset(in, "absent");
    REQUIRE(r.ok());
    CHECK_FALSE(r.changed);
    CHECK(r.removed_lines.empty());

    // Line 1 of a UTF-8 file with a BOM: FreeRDP 2 would not see it.
    r = rdp_file_set(bytes("\xEF\xBB\xBF"), "redirectcomports", std::nullopt, "1");
    REQUIRE(r.ok());
    CHECK(r.notes == std::vector<std::string>{
                         "line 1 of a utf-8 file with a bom: FreeRDP 2 reads the bom as part of "
                         "the name and does not see `redirectcomports`"});
}

TEST_CASE("rdp edit: comment lines stay byte for byte and are never a property") {
    // `;redirectcomports:i:0` is a comment: set replaces line 3, unset removes only line 3.
    const Bytes in = bytes(
        "; saved by hand\r\n;redirectcomports:i:0\r\nredirectcomports:i:1\r\n"
        "  ; trailing note\r\n");
    auto r = rdp_file_set(in, "redirectcomports", std::nullopt, "0");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.line == 3);
    CHECK(r.previous == "redirectcomports:i:1");
    CHECK(r.repeats.empty());
    CHECK(r.bytes == bytes("; saved by hand\r\n;redirectcomports:i:0\r\nredirectcomports:i:0\r\n"
                           "  ; trailing note\r\n"));
    r = rdp_file_unset(in, "redirectcomports");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.removed_lines == std::vector<std::uint32_t>{3});
    CHECK(r.bytes == bytes("; saved by hand\r\n;redirectcomports:i:0\r\n  ; trailing note\r\n"));
    r = rdp_file_set(in, "audiomode", std::nullopt, "2");  // appended after the last comment
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.line == 5);
    CHECK(r.bytes == bytes("; saved by hand\r\n;redirectcomports:i:0\r\nredirectcomports:i:1\r\n"
                           "  ; trailing note\r\naudiomode:i:2\r\n"));
    // The fixture (UTF-16LE): set then unset restores every byte, comments included.
    const Bytes fixture = slurp(test_data("rdp/comments.rdp"));
    auto set = rdp_file_set(fixture, "redirectcomports", std::nullopt, "0");
    REQUIRE_MESSAGE(set.ok(), set.message);
    CHECK(set.line == 5);
    auto back = rdp_file_set(set.bytes, "redirectcomports", std::nullopt, "1");
    REQUIRE_MESSAGE(back.ok(), back.message);
    CHECK(back.bytes == fixture);
}

TEST_CASE("rdp edit: a new name close to a documented one: did you mean") {
    struct Case {
        const char* name;
        std::optional<std::string> suggestion;
    };
    const Case cases[] = {
        {"redirectcomport", "redirectcomports"},    // one letter missing
        {"RedirectComPort", "redirectcomports"},    // any case
        {"redirectcmoports", "redirectcomports"},   // neighbours swapped
        {"redirectcomportss", "redirectcomports"},  // one letter too many
        {"drivestoredirct", "drivestoredirect"},    // one letter missing
        {"usbdevicetoredirect", "usbdevicestoredirect"},
        {"screenmode id", "screen mode id"},
        {"redirectcomports", std::nullopt},  // known: nothing to suggest
        {"comredirtest", std::nullopt},      // not close to anything
        {"domian", "domain"},                // neighbours swapped
        {"domxyz", std::nullopt},            // 3 edits from `domain`
        {"domin", "domain"},                 // up to 5 characters: one edit
        {"dman", std::nullopt},              // up to 5 characters: not two
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        CHECK(rdp_suggest_name(c.name) == c.suggestion);
    }
    const Bytes in = bytes("full address:s:h\n");
    auto r = rdp_file_set(in, "redirectcomport", std::nullopt, "1");
    REQUIRE(r.ok());
    CHECK(r.notes ==
          std::vector<std::string>{"`redirectcomport` is not a documented property (did you mean "
                                   "`redirectcomports`?): type `i` inferred from the value "
                                   "(`redirectcomport:s:VALUE` writes a string)"});
    r = rdp_file_set(in, "redirectcomport", 'i', "1");  // a given type: the question alone
    REQUIRE(r.ok());
    CHECK(r.notes ==
          std::vector<std::string>{"`redirectcomport` is not a documented property (did you mean "
                                   "`redirectcomports`?)"});
    // Already in the file: the user's own property, no question.
    r = rdp_file_set(bytes("redirectcomport:i:0\n"), "redirectcomport", std::nullopt, "1");
    REQUIRE(r.ok());
    CHECK(r.notes.empty());
}

TEST_CASE("rdp edit: signed files") {
    const Bytes in = bytes(
        "full address:s:h\r\nredirectcomports:i:1\r\nsignscope:s:Full Address,Redirect"
        "COMPorts\r\nsignature:s:AAAABBBB\r\n");
    const std::string refusal =
        "the file is signed (`signscope`/`signature`, lines 3, 4): any change invalidates the "
        "signature and the client would then warn or refuse to connect; --strip-signature "
        "removes the signature as part of the edit";
    auto r = rdp_file_set(in, "redirectcomports", std::nullopt, "0");
    CHECK(r.status == RdpFileEditStatus::signed_file);
    CHECK(r.message == refusal);
    CHECK(r.bytes == in);
    CHECK_FALSE(r.changed);
    r = rdp_file_unset(in, "redirectcomports");
    CHECK(r.status == RdpFileEditStatus::signed_file);
    CHECK(r.message == refusal);
    r = rdp_file_unset(in, "signature");
    CHECK(r.status == RdpFileEditStatus::signed_file);

    // Nothing to change: no refusal, nothing stripped.
    r = rdp_file_set(in, "redirectcomports", std::nullopt, "1");
    CHECK(r.ok());
    CHECK_FALSE(r.changed);
    r = rdp_file_unset(in, "audiomode", {.strip_signature = true});
    CHECK(r.ok());
    CHECK_FALSE(r.changed);
    CHECK(r.bytes == in);

    r = rdp_file_set(in, "redirectcomports", std::nullopt, "0", {.strip_signature = true});
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.bytes == bytes("full address:s:h\r\nredirectcomports:i:0\r\n"));
    CHECK(r.signature_stripped);
    CHECK(r.removed_lines == std::vector<std::uint32_t>{3, 4});
    CHECK(r.signature_lines == std::vector<std::uint32_t>{3, 4});
    CHECK(r.notes == std::vector<std::string>{"signature removed (lines 3, 4): sign the file "
                                              "again (rdpsign) where clients require signed "
                                              "files"});
    r = rdp_file_set(in, "audiomode", std::nullopt, "2", {.strip_signature = true});
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("full address:s:h\r\nredirectcomports:i:1\r\naudiomode:i:2\r\n"));
    CHECK(r.line == 3);
    r = rdp_file_unset(in, "SIGNATURE", {.strip_signature = true});
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("full address:s:h\r\nredirectcomports:i:1\r\n"));

    CHECK_FALSE(rdp_is_signed(parse_rdp(r.bytes).file));
    auto parsed = parse_rdp(in);
    REQUIRE(parsed.ok());
    CHECK(rdp_is_signed(parsed.file));

    r = rdp_file_set(in, "signature", std::nullopt, "x", {.strip_signature = true});
    CHECK(r.status == RdpFileEditStatus::bad_name);
    CHECK(r.message == "`signature` is written by the signing tool (rdpsign), not by hand");
}

TEST_CASE("rdp edit: bad names, types, values and files") {
    const Bytes in = bytes("redirectcomports:i:1\nusername:s:Jos\xE9\n");  // ANSI (Latin-1)
    struct Bad {
        const char* name;
        std::optional<char> type;
        std::string value;
        RdpFileEditStatus status;
        const char* message;
    };
    const Bad bad[] = {
        {"redirectcomports", std::nullopt, "yes", RdpFileEditStatus::bad_value,
         "property `redirectcomports` (type `i` on line 1): value `yes` is not an integer"},
        {"audiomode", std::nullopt, "2147483648", RdpFileEditStatus::bad_value,
         "property `audiomode` (type `i` as documented): value `2147483648` is not an integer in "
         "the int32 range"},
        {"x", 'i', "1.5", RdpFileEditStatus::bad_value,
         "property `x`: value `1.5` is not an integer"},
        {"x", std::nullopt, "a\nb", RdpFileEditStatus::bad_value,
         "property `x`: value `a?b` holds a line break"},
        {"x", 's', "a\rb", RdpFileEditStatus::bad_value,
         "property `x`: value `a?b` holds a line break"},
        {"x", std::nullopt, "a\x01", RdpFileEditStatus::bad_value,
         "property `x`: value `a?` holds a control character"},
        {"x", std::nullopt, " a", RdpFileEditStatus::bad_value,
         "property `x`: value ` a` has spaces at an end (FreeRDP 3 trims them)"},
        {"x", std::nullopt, "a\t", RdpFileEditStatus::bad_value,
         "property `x`: value `a?` has spaces at an end (FreeRDP 3 trims them)"},
        {"x", std::nullopt, "\xC3(", RdpFileEditStatus::bad_value,
         "property `x`: value is not valid utf-8"},
        {"x", 'b', "0g", RdpFileEditStatus::bad_value,
         "property `x`: value `0g` is not hex digits"},
        {"x", 'q', "1", RdpFileEditStatus::bad_type, "type `q` is not one of `i`, `s`, `b`"},
        {"", std::nullopt, "1", RdpFileEditStatus::bad_name, "property name is empty"},
        {"a:b", std::nullopt, "1", RdpFileEditStatus::bad_name, "property name `a:b` holds `:`"},
        {" a", std::nullopt, "1", RdpFileEditStatus::bad_name,
         "property name ` a` has spaces at an end"},
        {"a\tb", std::nullopt, "1", RdpFileEditStatus::bad_name,
         "property name `a?b` holds a control character"},
        {"/v", std::nullopt, "1", RdpFileEditStatus::bad_name,
         "property name `/v` starts with `/`: FreeRDP reads such a line as a command-line option"},
        {";x", std::nullopt, "1", RdpFileEditStatus::bad_name,
         "property name `;x` starts with `;`: mstsc, FreeRDP and comredir read such a line as a "
         "comment"},
        {"username", std::nullopt, "\xCE\xA9mega", RdpFileEditStatus::not_encodable,
         "value `\xCE\xA9mega` cannot be written in this ansi file (latin-1 holds "
         "U+0000..U+00FF only)"},
    };
    for (const auto& b : bad) {
        CAPTURE(b.message);
        auto r = rdp_file_set(in, b.name, b.type, b.value);
        CHECK(r.status == b.status);
        CHECK(r.message == b.message);
        CHECK(r.bytes == in);
        CHECK_FALSE(r.changed);
    }
    auto r = rdp_file_set(in, "username", std::nullopt, "Zo\xC3\xA9");  // é fits Latin-1
    REQUIRE(r.ok());
    CHECK(r.bytes == bytes("redirectcomports:i:1\nusername:s:Zo\xE9\n"));
    r = rdp_file_unset(in, "a:b");
    CHECK(r.status == RdpFileEditStatus::bad_name);

    r = rdp_file_set(bytes(std::string("\xFF\xFE"
                                       "a\0:",
                                       5)),
                     "a", std::nullopt, "1");
    CHECK(r.status == RdpFileEditStatus::bad_file);
    CHECK(r.message == "offset 0x4: odd number of bytes in utf-16 text");
    r = rdp_file_unset(bytes(std::string("\xFF\xFE"
                                         "a\0\n\0\x00\xDC",
                                         8)),
                       "a");
    CHECK(r.status == RdpFileEditStatus::bad_file);
    CHECK(r.message == "line 2: offset 0x6: unpaired utf-16 surrogate");
    r = rdp_file_set(bytes("x:s:a"), "x", std::nullopt, std::string(rdp_max_line_bytes, 'a'));
    CHECK(r.status == RdpFileEditStatus::bad_value);
    CHECK(r.message == "property `x`: the line would be longer than 65536 bytes");
}

TEST_CASE("rdp edit: assignments, known types, text lines") {
    auto a = parse_rdp_assignment("drivestoredirect:s:C:\\;E:\\");
    REQUIRE(a.has_value());
    CHECK(a->name == "drivestoredirect");
    CHECK(a->type == 's');
    CHECK(a->value == "C:\\;E:\\");
    CHECK(parse_rdp_assignment("x:i:")->value.empty());
    CHECK_FALSE(parse_rdp_assignment("x:q:1").has_value());
    CHECK_FALSE(parse_rdp_assignment(":i:1").has_value());
    CHECK_FALSE(parse_rdp_assignment("x:i").has_value());
    CHECK_FALSE(parse_rdp_assignment("x").has_value());

    CHECK(rdp_known_type("Screen Mode ID") == 'i');
    CHECK(rdp_known_type("full address") == 's');
    CHECK_FALSE(rdp_known_type("comredirtest").has_value());
    // The catalog's RDP properties have the type their semantics need.
    for (const auto& f : features()) {
        if (f.rdp.semantics == RdpSemantics::none) continue;
        CAPTURE(f.rdp.property);
        CHECK(rdp_known_type(f.rdp.property) ==
              (f.rdp.semantics == RdpSemantics::list ? 's' : 'i'));
    }
    // Real files agree with the table.
    for (const auto& path : rdp_files()) {
        auto r = read_rdp(path);
        REQUIRE_MESSAGE(r.ok(), r.message);
        for (const auto& p : r.file.properties) {
            if (auto t = rdp_known_type(p.name)) {
                CAPTURE(path);
                CAPTURE(p.text);
                CHECK(*t == p.type);
            }
        }
    }
    CHECK(rdp_text_lines(bytes("a:i:1\r\n# x\n\nb")) ==
          std::vector<std::string>{"a:i:1", "# x", "", "b"});
    CHECK_FALSE(rdp_text_lines(bytes("\xFF\xFE"
                                     "a"))
                    .has_value());
}

TEST_CASE("rdp edit: every shared .rdp file: set+unset and set-to-current keep the bytes") {
    const auto files = rdp_files();
    CHECK(files.size() == 12);
    int props = 0;
    for (const auto& path : files) {
        CAPTURE(path);
        const Bytes in = slurp(path);
        auto parsed = parse_rdp(in);
        REQUIRE_MESSAGE(parsed.ok(), parsed.message);

        auto set = rdp_file_set(in, "comredirtest", 's', "x y;z");
        REQUIRE_MESSAGE(set.ok(), set.message);
        CHECK(set.changed);
        CHECK(set.added);
        auto back = parse_rdp(set.bytes);
        REQUIRE_MESSAGE(back.ok(), back.message);
        REQUIRE(back.file.find_first("comredirtest") != nullptr);
        CHECK(back.file.find_first("comredirtest")->value == "x y;z");
        CHECK(back.file.properties.size() == parsed.file.properties.size() + 1);
        auto unset = rdp_file_unset(set.bytes, "comredirtest");
        REQUIRE_MESSAGE(unset.ok(), unset.message);
        CHECK(unset.bytes == in);

        for (const auto& p : parsed.file.properties) {
            if (parsed.file.find_first(p.name) != &p) continue;
            CAPTURE(p.text);
            auto same = rdp_file_set(in, p.name, std::nullopt, p.value);
            REQUIRE_MESSAGE(same.ok(), same.message);
            CHECK_FALSE(same.changed);
            CHECK(same.bytes == in);
            ++props;
        }
        // Change the COM port property and change it back: the original bytes.
        if (const auto* com = parsed.file.find_first("redirectcomports")) {
            auto flip =
                rdp_file_set(in, "redirectcomports", std::nullopt, *com->integer == 0 ? "1" : "0");
            REQUIRE_MESSAGE(flip.ok(), flip.message);
            CHECK(flip.changed);
            auto undo = rdp_file_set(flip.bytes, "redirectcomports", std::nullopt, com->value);
            REQUIRE_MESSAGE(undo.ok(), undo.message);
            CHECK(undo.bytes == in);
        }
    }
    CHECK(props > 150);
}
