// The .rdp editor's tolerant line scanner (see rdp_lines.hpp).
#include "rdp/rdp_lines.hpp"

#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"

namespace comredir::policy::detail {

std::optional<std::string> encode_rdp_text(RdpDecode mode, std::string_view utf8) {
    if (mode == RdpDecode::utf8) return std::string(utf8);
    if (mode == RdpDecode::utf16) return utf8_to_utf16le(utf8);
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
            ++i;
        } else if ((c & 0xE0) == 0xC0 && c <= 0xC3 && i + 1 < utf8.size()) {
            const auto low = static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu;
            out.push_back(static_cast<char>(((c & 0x03u) << 6) | low));
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

namespace {

void classify(RdpLine& l) {
    if (l.text.find('\0') != std::string::npos || trim(l.text).empty()) return;
    if (is_rdp_comment(l.text)) return;  // kept as it is, never a property
    const auto p = parse_rdp_property_text(l.text);
    if (p.status != RdpStatus::ok && p.status != RdpStatus::bad_integer) return;
    const auto colon = l.text.find(':');
    l.property = true;
    l.name = l.text.substr(0, colon);
    l.type = l.text[colon + 1];
}

}  // namespace

RdpScan scan_rdp_lines(std::span<const std::uint8_t> b) {
    RdpScan r;
    RdpImage img;
    if (b.size() >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        img.mode = RdpDecode::utf16;
        img.encoding = RdpEncoding::utf16le_bom;
        img.bom = 2;
    } else {
        if (b.size() >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
            img.encoding = RdpEncoding::utf8_bom;
            img.bom = 3;
        }
        const std::string_view body(reinterpret_cast<const char*>(b.data()) + img.bom,
                                    b.size() - img.bom);
        if (!valid_utf8(body)) {
            img.mode = RdpDecode::latin1;
            if (img.encoding == RdpEncoding::utf8) img.encoding = RdpEncoding::ansi;
        }
    }
    const std::size_t unit = img.mode == RdpDecode::utf16 ? 2 : 1;
    if ((b.size() - img.bom) % unit != 0) {
        r.error = "offset " + hex_offset(b.size() - 1) + ": odd number of bytes in utf-16 text";
        return r;
    }
    auto at = [&](std::size_t i) -> std::uint32_t {
        return unit == 2 ? b[i] | (static_cast<std::uint32_t>(b[i + 1]) << 8) : b[i];
    };
    for (std::size_t pos = img.bom; pos < b.size();) {
        RdpLine l;
        l.start = pos;
        std::size_t le = pos;
        while (le < b.size() && at(le) != '\r' && at(le) != '\n') le += unit;
        l.end = le;
        l.next = le;
        if (le < b.size()) {
            l.next = le + unit;
            if (at(le) == '\r' && l.next < b.size() && at(l.next) == '\n') l.next += unit;
        }
        const auto raw = b.subspan(l.start, l.end - l.start);
        const std::string_view sv(reinterpret_cast<const char*>(raw.data()), raw.size());
        if (img.mode == RdpDecode::utf16) {
            std::size_t bad = 0;
            auto text = utf16le_to_utf8(raw, &bad);
            if (!text) {
                r.error = "line " + std::to_string(img.lines.size() + 1) + ": offset " +
                          hex_offset(l.start + bad) + ": unpaired utf-16 surrogate";
                return r;
            }
            l.text = std::move(*text);
        } else {
            l.text = img.mode == RdpDecode::latin1 ? latin1_to_utf8(sv) : std::string(sv);
        }
        classify(l);
        if (img.eol.empty() && l.next > l.end) {
            img.eol.assign(reinterpret_cast<const char*>(b.data()) + l.end, l.next - l.end);
        }
        pos = l.next;
        img.lines.push_back(std::move(l));
    }
    if (img.eol.empty()) img.eol = *encode_rdp_text(img.mode, "\r\n");
    img.final_newline = img.lines.empty() || img.lines.back().next > img.lines.back().end;
    r.image = std::move(img);
    return r;
}

}  // namespace comredir::policy::detail
