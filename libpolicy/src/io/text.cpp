#include "io/text.hpp"

#include <cstdio>
#include <cstring>

namespace comredir::policy::detail {

namespace {

std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);  // unaligned-safe; little-endian host (x86-64, arm64)
    return v;
}

constexpr std::uint64_t kLaneLow = 0x0001000100010001ull;
constexpr std::uint64_t kLaneHigh = 0x8000800080008000ull;
constexpr std::uint64_t kNonAscii = 0xFF80FF80FF80FF80ull;  // any bit outside 0x007F in a unit

void append_u16(std::string& out, std::uint32_t unit) {
    out.push_back(static_cast<char>(unit & 0xFF));
    out.push_back(static_cast<char>((unit >> 8) & 0xFF));
}

}  // namespace

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::size_t utf16le_nul_offset(std::span<const std::uint8_t> bytes) {
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t v = load64(bytes.data() + i);
        if (((v - kLaneLow) & ~v & kLaneHigh) != 0) break;  // some 16-bit lane is zero
    }
    for (; i + 1 < bytes.size(); i += 2) {
        if (bytes[i] == 0 && bytes[i + 1] == 0) return i;
    }
    return bytes.size() & ~static_cast<std::size_t>(1);
}

std::optional<std::string> utf16le_to_utf8(std::span<const std::uint8_t> bytes,
                                           std::size_t* bad_at) {
    if (bytes.size() % 2 != 0) {
        if (bad_at != nullptr) *bad_at = bytes.size() - 1;
        return std::nullopt;
    }
    // Fast path: registry paths and value names are almost always ASCII. Write those
    // units straight into a pre-sized string; fall back at the first non-ASCII unit.
    std::string out(bytes.size() / 2, '\0');
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {  // four ASCII units at a time
        std::uint64_t v = load64(bytes.data() + i);
        if ((v & kNonAscii) != 0) break;
        out[i / 2] = static_cast<char>(v);
        out[i / 2 + 1] = static_cast<char>(v >> 16);
        out[i / 2 + 2] = static_cast<char>(v >> 32);
        out[i / 2 + 3] = static_cast<char>(v >> 48);
    }
    for (; i < bytes.size(); i += 2) {
        if (bytes[i + 1] != 0 || bytes[i] >= 0x80) break;
        out[i / 2] = static_cast<char>(bytes[i]);
    }
    if (i == bytes.size()) return out;
    out.resize(i / 2);
    out.reserve(bytes.size());
    for (; i < bytes.size(); i += 2) {
        std::uint32_t unit = bytes[i] | (static_cast<std::uint32_t>(bytes[i + 1]) << 8);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (i + 3 >= bytes.size()) {
                if (bad_at != nullptr) *bad_at = i;
                return std::nullopt;
            }
            std::uint32_t low = bytes[i + 2] | (static_cast<std::uint32_t>(bytes[i + 3]) << 8);
            if (low < 0xDC00 || low > 0xDFFF) {
                if (bad_at != nullptr) *bad_at = i;
                return std::nullopt;
            }
            append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
            i += 2;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            if (bad_at != nullptr) *bad_at = i;
            return std::nullopt;
        } else {
            append_utf8(out, unit);
        }
    }
    return out;
}

bool valid_utf8(std::string_view s, std::size_t* bad_at) {
    std::size_t i = 0;
    while (i < s.size()) {
        // ASCII runs eight bytes at a time.
        while (i + 8 <= s.size() && (load64(reinterpret_cast<const std::uint8_t*>(s.data()) + i) &
                                     0x8080808080808080ull) == 0) {
            i += 8;
        }
        if (i >= s.size()) break;
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        std::uint32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            min = 0x10000;
        } else {
            if (bad_at != nullptr) *bad_at = i;
            return false;
        }
        if (i + len > s.size()) {
            if (bad_at != nullptr) *bad_at = i;
            return false;
        }
        std::uint32_t cp = c & (0xFF >> (len + 1));
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) {
                if (bad_at != nullptr) *bad_at = i;
                return false;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            if (bad_at != nullptr) *bad_at = i;
            return false;
        }
        i += len;
    }
    return true;
}

std::string utf8_to_utf16le(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size() * 2);
    std::size_t i = 0;
    while (i < utf8.size()) {
        auto c = static_cast<unsigned char>(utf8[i]);
        std::uint32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else if (c >= 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xC0) {
            len = 2;
            cp = c & 0x1F;
        }
        for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        }
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_u16(out, 0xD800 + (cp >> 10));
            append_u16(out, 0xDC00 + (cp & 0x3FF));
        } else {
            append_u16(out, cp);
        }
    }
    return out;
}

std::string latin1_to_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) append_utf8(out, static_cast<unsigned char>(ch));
    return out;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string hex_offset(std::uint64_t offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(offset));
    return buf;
}

std::string hex_bytes(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xF]);
    }
    return out;
}

std::string source_at(const Provenance& p) {
    std::string out = !p.file.empty() ? p.file : !p.source.empty() ? p.source : "registry";
    if (p.offset) {
        out += ": offset " + hex_offset(*p.offset);
    } else if (p.line) {
        out += ": line " + std::to_string(*p.line);
    }
    return out;
}

std::string xml_attr(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\t':
                out += "&#x9;";
                break;
            case '\n':
                out += "&#xA;";
                break;
            case '\r':
                out += "&#xD;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace comredir::policy::detail
