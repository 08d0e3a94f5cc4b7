#include "rdp/rdp_grammar.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <vector>

#include "io/text.hpp"

namespace comredir::policy::detail {

std::optional<std::int64_t> parse_rdp_integer(std::string_view s) {
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    constexpr std::int64_t limit = std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
        if (v > limit) {
            return std::nullopt;  // stops growth before any overflow
        }
    }
    if (negative) {
        v = -v;
    }
    if (v < std::numeric_limits<std::int32_t>::min() ||
        v > std::numeric_limits<std::int32_t>::max()) {
        return std::nullopt;
    }
    return v;
}

bool is_rdp_comment(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    return first != std::string_view::npos && text[first] == ';';
}

std::string rdp_snippet(std::string_view s) {
    constexpr std::size_t max = 80;
    std::string out;
    std::size_t n = s.size();
    bool cut = false;
    if (n > max) {
        n = max;
        // Do not split a UTF-8 sequence.
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
            --n;
        }
        cut = true;
    }
    out.reserve(n + 3);
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        out.push_back(c < 0x20 || c == 0x7F ? '?' : s[i]);
    }
    if (cut) {
        out += "...";
    }
    return out;
}

namespace {

RdpLineParse fail(RdpStatus status, std::size_t pos, std::string message) {
    RdpLineParse r;
    r.status = status;
    r.pos = pos;
    r.message = std::move(message);
    return r;
}

bool is_decimal(std::string_view s) {
    if (!s.empty() && s.front() == '-') {
        s.remove_prefix(1);
    }
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

RdpLineParse parse_rdp_property_text(std::string_view text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
        return fail(RdpStatus::missing_type_separator, text.size(),
                    "`" + rdp_snippet(text) + "`: not a `name:type:value` property");
    }
    const std::string_view name = text.substr(0, colon);
    if (trim(name).empty()) {
        return fail(RdpStatus::empty_name, 0, "`" + rdp_snippet(text) + "`: empty property name");
    }
    auto prop = [&] { return "property `" + rdp_snippet(name) + "`: "; };
    if (colon + 2 >= text.size() || text[colon + 2] != ':') {
        return fail(RdpStatus::missing_type_separator, std::min(colon + 2, text.size()),
                    prop() + "no `:type:` after the name");
    }
    const char type = text[colon + 1];
    if (type != 'i' && type != 's' && type != 'b') {
        return fail(RdpStatus::bad_type, colon + 1,
                    prop() + "type `" + rdp_snippet(text.substr(colon + 1, 1)) +
                        "` is not one of `i`, `s`, `b`");
    }
    RdpLineParse r;
    r.name = name;
    r.type = type;
    r.value = text.substr(colon + 3);
    if (type == 'i') {
        r.integer = parse_rdp_integer(r.value);
        if (!r.integer) {
            return fail(RdpStatus::bad_integer, colon + 3,
                        prop() + "value `" + rdp_snippet(r.value) + "` is not an integer" +
                            (is_decimal(r.value) ? " in the int32 range" : ""));
        }
    }
    return r;
}

namespace {

char lower_ascii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A cheap hash of length and three letters: enough to spread property names over the
// table; equal-hash names are compared in full, so collisions cost time, never correctness.
std::size_t name_hash(std::string_view name) {
    if (name.empty()) return 0;
    auto at = [&](std::size_t i) {
        return static_cast<std::size_t>(static_cast<unsigned char>(lower_ascii(name[i])));
    };
    return name.size() * 0x9E37u + at(0) * 131u + at(name.size() / 2) * 31u + at(name.size() - 1);
}

}  // namespace

void warn_rdp_duplicates(RdpFile& file, std::string_view unit) {
    // Open addressing over name hashes (no per-name allocation; collisions are compared).
    const std::size_t n = file.properties.size();
    std::size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    std::vector<std::uint32_t> slots(cap, 0);  // 1-based index into properties, 0 = empty
    for (std::size_t i = 0; i < n; ++i) {
        const RdpProperty& p = file.properties[i];
        std::size_t at = name_hash(p.name) & (cap - 1);
        for (;; at = (at + 1) & (cap - 1)) {
            std::uint32_t& slot = slots[at];
            if (slot == 0) {
                slot = static_cast<std::uint32_t>(i + 1);
                break;
            }
            RdpProperty& prev = file.properties[slot - 1];
            if (!iequals(prev.name, p.name)) continue;
            file.warnings.push_back(std::string(unit) + " " + std::to_string(p.line) +
                                    ": property `" + rdp_snippet(p.name) + "` repeats " +
                                    std::string(unit) + " " + std::to_string(prev.line) +
                                    ": the first one counts (as FreeRDP reads it)");
            slot = static_cast<std::uint32_t>(i + 1);  // later repeats name the one before them
            break;
        }
    }
}

}  // namespace comredir::policy::detail
