#include "rdp_grammar.hpp"

#include <limits>
#include <algorithm>
#include <cctype>
#include <vector>

#include "text.hpp"

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

void warn_rdp_duplicates(RdpFile& file, std::string_view unit) {
    // Sort views of the names (stable: file order within a name), then compare neighbours:
    // no per-name allocation on the common path of a file without repeats.
    std::vector<const RdpProperty*> byname;
    byname.reserve(file.properties.size());
    for (const auto& p : file.properties) byname.push_back(&p);
    auto less = [](const RdpProperty* a, const RdpProperty* b) {
        return std::lexicographical_compare(a->name.begin(), a->name.end(), b->name.begin(), b->name.end(),
                                            [](char x, char y) {
                                                return std::tolower(static_cast<unsigned char>(x)) <
                                                       std::tolower(static_cast<unsigned char>(y));
                                            });
    };
    std::stable_sort(byname.begin(), byname.end(), less);
    std::vector<std::pair<std::uint32_t, std::string>> found;
    for (std::size_t i = 1; i < byname.size(); ++i) {
        if (!iequals(byname[i]->name, byname[i - 1]->name)) continue;
        found.emplace_back(byname[i]->line, std::string(unit) + " " + std::to_string(byname[i]->line) +
                                                ": property `" + rdp_snippet(byname[i]->name) + "` repeats " +
                                                std::string(unit) + " " + std::to_string(byname[i - 1]->line) +
                                                ": the first one counts (as FreeRDP reads it)");
    }
    std::sort(found.begin(), found.end());
    for (auto& f : found) file.warnings.push_back(std::move(f.second));
}

}  // namespace comredir::policy::detail
