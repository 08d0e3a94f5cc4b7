#include "gp/regfile_lines.hpp"

#include <algorithm>

#include "io/text.hpp"

namespace comredir::policy::detail {

RegLines split_reg_lines(std::span<const std::uint8_t> bytes) {
    RegLines out;
    const std::size_t n = bytes.size();
    std::uint32_t number = 1;
    if (n >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        std::size_t i = 2;
        while (i < n) {
            std::size_t j = i;
            while (j + 1 < n && !(bytes[j] == 0x0A && bytes[j + 1] == 0)) j += 2;
            const bool found = j + 1 < n;
            std::size_t end = found ? j : n;
            if (end - i >= 2 && bytes[end - 2] == 0x0D && bytes[end - 1] == 0) end -= 2;
            std::size_t bad = 0;
            auto text = utf16le_to_utf8(bytes.subspan(i, end - i), &bad);
            if (!text) {
                out.ok = false;
                out.bad_line = number;
                out.bad_offset = i + bad;
                return out;
            }
            out.lines.push_back(RegLine{std::move(*text), i, number, RegEnc::utf16});
            if (!found) break;
            i = j + 2;
            ++number;
        }
        return out;
    }
    std::size_t i = 0;
    if (n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) i = 3;
    bool warned = false;
    while (i < n) {
        std::size_t j = i;
        while (j < n && bytes[j] != '\n') ++j;
        std::size_t end = j;
        if (end > i && bytes[end - 1] == '\r') --end;
        std::string_view raw(reinterpret_cast<const char*>(bytes.data()) + i, end - i);
        RegLine l{std::string(raw), i, number, RegEnc::utf8};
        if (!valid_utf8(raw)) {
            l.text = latin1_to_utf8(raw);
            l.enc = RegEnc::latin1;
            if (!warned) {
                out.warnings.push_back("line " + std::to_string(number) +
                                       ": not valid utf-8: read as latin-1");
                warned = true;
            }
        }
        out.lines.push_back(std::move(l));
        if (j >= n) break;
        i = j + 1;
        ++number;
    }
    return out;
}

std::uint64_t reg_line_offset(const RegLine& line, std::size_t col) {
    col = std::min(col, line.text.size());
    if (line.enc == RegEnc::utf8) return line.start + col;
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < col; ++i) {
        auto c = static_cast<unsigned char>(line.text[i]);
        if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
        if (line.enc == RegEnc::latin1) {
            n += 1;
        } else {
            n += c >= 0xF0 ? 4 : 2;  // a surrogate pair, or one UTF-16 unit
        }
    }
    return line.start + n;
}

std::string reg_snippet(std::string_view s) {
    constexpr std::size_t kMax = 40;
    std::size_t n = std::min(s.size(), kMax);
    while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    std::string out(s.substr(0, n));
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
    }
    if (n < s.size()) out += "...";
    return out;
}

}  // namespace comredir::policy::detail
