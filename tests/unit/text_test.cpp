// The internal text routines the readers share, at their edges: the four-units-at-a-time
// paths must agree with a plain unit-by-unit reading at every length and position.
#include "io/text.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace comredir::policy::detail;

namespace {

std::vector<std::uint8_t> u16(const std::u16string& s) {
    std::vector<std::uint8_t> out;
    for (char16_t c : s) {
        out.push_back(static_cast<std::uint8_t>(c & 0xFF));
        out.push_back(static_cast<std::uint8_t>(c >> 8));
    }
    return out;
}

}  // namespace

TEST_CASE("utf16le_nul_offset finds the first NUL unit at every position") {
    for (std::size_t len = 0; len < 24; ++len) {
        for (std::size_t nul = 0; nul <= len; ++nul) {
            std::u16string s(len, u'a');
            if (nul < len) s[nul] = u'\0';
            auto bytes = u16(s);
            INFO("len ", len, " nul ", nul);
            CHECK(utf16le_nul_offset(bytes) == (nul < len ? nul * 2 : len * 2));
        }
    }
    // A zero byte inside a unit is not a NUL unit: U+0100 is `00 01`, U+4100 is `00 41`.
    CHECK(utf16le_nul_offset(u16(u"\u0100\u4100xyz\u0100\u0100\u0100")) == 16);
    // odd trailing byte is not a unit
    std::vector<std::uint8_t> odd{'a', 0, 'b', 0, 0};
    CHECK(utf16le_nul_offset(odd) == 4);
}

TEST_CASE("utf16le_to_utf8: ASCII fast path, fallback and errors") {
    CHECK(utf16le_to_utf8(u16(u"")) == "");
    CHECK(utf16le_to_utf8(u16(u"Software\\Policies")) == "Software\\Policies");
    for (std::size_t at = 0; at < 12; ++at) {  // non-ASCII at every position after an ASCII run
        std::u16string s(12, u'k');
        s[at] = u'\u00e9';
        std::string want(12, 'k');
        want.replace(at, 1, "\xc3\xa9");
        INFO("at ", at);
        CHECK(utf16le_to_utf8(u16(s)) == want);
    }
    CHECK(utf16le_to_utf8(u16(u"abcd\u007fefgh")) ==
          "abcd\x7f"
          "efgh");
    CHECK(utf16le_to_utf8(u16(u"abcdefg\U0001F600")) == "abcdefg\xf0\x9f\x98\x80");
    std::size_t bad = 99;
    CHECK_FALSE(utf16le_to_utf8(u16(u"abcdefgh\xd800z"), &bad).has_value());
    CHECK(bad == 16);
    std::vector<std::uint8_t> odd{'a', 0, 'b'};
    CHECK_FALSE(utf16le_to_utf8(odd, &bad).has_value());
    CHECK(bad == 2);
}

TEST_CASE("small helpers") {
    CHECK(iequals("fDisableCcm", "FDISABLECCM"));
    CHECK_FALSE(iequals("a", "ab"));
    CHECK(ascii_lower("SOFTWARE\\X") == "software\\x");
    CHECK(trim("  a b \t") == "a b");
    CHECK(hex_offset(0x1a4) == "0x1a4");
    std::vector<std::uint8_t> b{0x00, 0xab, 0x10};
    CHECK(hex_bytes(b) == "00ab10");
    std::size_t at = 0;
    CHECK(valid_utf8("h\xc3\xa9", &at));
    CHECK_FALSE(valid_utf8("ab\xc3", &at));
    CHECK(at == 2);
    CHECK(latin1_to_utf8("\xe9") == "\xc3\xa9");
    CHECK(utf8_to_utf16le("a\xc3\xa9") == std::string("a\0\xe9\0", 4));
}
