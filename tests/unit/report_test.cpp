// The fleet report's pure parts: RDP property drift and HTML escaping.
#include <doctest/doctest.h>

#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_diff.hpp>
#include <comredir/policy/report/report_html.hpp>

using namespace comredir::policy;

namespace {

RdpFile props(const char* text) {
    auto r = parse_rdp_properties(text);
    REQUIRE_MESSAGE(r.ok(), r.message);
    return std::move(r.file);
}

}  // namespace

TEST_CASE("property drift: by lowercase name, first occurrence, integers by value") {
    const RdpFile base =
        props("redirectcomports:i:0;RedirectClipboard:i:1;drivestoredirect:s:*;audiomode:i:01");
    const RdpFile other = props(
        "redirectclipboard:i:0;redirectcomports:i:0;redirectcomports:i:1;audiomode:i:1;"
        "camerastoredirect:s:*");
    const auto d = diff_properties(&base, &other);
    REQUIRE(d.size() == 3);
    CHECK(d[0].name == "camerastoredirect");
    CHECK_FALSE(d[0].baseline.has_value());
    CHECK(d[0].value == "s:*");
    CHECK(d[1].name == "drivestoredirect");
    CHECK(d[1].baseline == "s:*");
    CHECK_FALSE(d[1].value.has_value());
    CHECK(d[2].name == "redirectclipboard");
    CHECK(d[2].baseline == "i:1");
    CHECK(d[2].value == "i:0");
    CHECK(diff_properties(&base, &base).empty());
    CHECK(diff_properties(nullptr, nullptr).empty());
    CHECK(diff_properties(nullptr, &base).size() == 4);
}

TEST_CASE("html escaping: every character that could end an element or an attribute") {
    CHECK(html_escape(R"(<a href="x">Tom & 'Jerry'</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; 'Jerry'&lt;/a&gt;");
    CHECK(html_escape("plain `text` {GUID}") == "plain `text` {GUID}");
}
