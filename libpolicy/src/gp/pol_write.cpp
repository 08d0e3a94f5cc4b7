// Registry.pol encoding and in-place editing.
#include <algorithm>
#include <comredir/policy/gp/pol_write.hpp>
#include <string>
#include <vector>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

void append_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void append_utf16(std::vector<std::uint8_t>& out, std::string_view utf8) {
    std::string u = detail::utf8_to_utf16le(utf8);
    out.insert(out.end(), u.begin(), u.end());
}

void append_char(std::vector<std::uint8_t>& out, char c) {
    out.push_back(static_cast<std::uint8_t>(c));
    out.push_back(0);
}

/// The value an entry writes or deletes: `**del.X` / `**soft.X` -> X; other names as is.
std::string target_name(std::string_view value) {
    for (std::string_view prefix : {"**del.", "**soft."}) {
        if (value.size() >= prefix.size() &&
            detail::iequals(value.substr(0, prefix.size()), prefix)) {
            return detail::ascii_lower(value.substr(prefix.size()));
        }
    }
    return detail::ascii_lower(value);
}

std::string slot_id(std::string_view key, std::string_view value) {
    return detail::ascii_lower(key) + '\0' + target_name(value);
}

/// `d` written in place of `e`: with `e`'s spelling of the key and of the value it targets
/// (the registry ignores case; the file's bytes do not).
PolRecord respelled(const PolRecord& d, const PolEntry& e) {
    PolRecord r = d;
    r.key = e.key;
    auto prefix_len = [](std::string_view v) -> std::size_t {
        for (std::string_view p : {"**del.", "**soft."}) {
            if (v.size() >= p.size() && detail::iequals(v.substr(0, p.size()), p)) return p.size();
        }
        return 0;
    };
    std::size_t dp = prefix_len(d.value);
    std::size_t ep = prefix_len(e.value);
    auto delvals = [](std::string_view v) {
        return v.size() >= 10 && detail::iequals(v.substr(0, 10), "**delvals.");
    };
    if (delvals(d.value) && delvals(e.value)) {
        r.value = e.value;
    } else if (!delvals(d.value) && !delvals(e.value)) {
        r.value = d.value.substr(0, dp) + e.value.substr(ep);
    }
    return r;
}

}  // namespace

std::vector<std::uint8_t> pol_header() {
    return {'P', 'R', 'e', 'g', 1, 0, 0, 0};
}

std::vector<std::uint8_t> encode_pol_record(const PolRecord& r) {
    std::vector<std::uint8_t> out;
    out.reserve(2 * (r.key.size() + r.value.size()) + r.data.size() + 32);
    append_char(out, '[');
    append_utf16(out, r.key);
    append_char(out, '\0');
    append_char(out, ';');
    append_utf16(out, r.value);
    append_char(out, '\0');
    append_char(out, ';');
    append_u32(out, r.type);
    append_char(out, ';');
    append_u32(out, static_cast<std::uint32_t>(r.data.size()));
    append_char(out, ';');
    out.insert(out.end(), r.data.begin(), r.data.end());
    append_char(out, ']');
    return out;
}

std::vector<std::uint8_t> pol_dword(std::uint32_t v) {
    std::vector<std::uint8_t> out;
    append_u32(out, v);
    return out;
}

std::vector<std::uint8_t> pol_qword(std::uint64_t v) {
    std::vector<std::uint8_t> out;
    append_u32(out, static_cast<std::uint32_t>(v));
    append_u32(out, static_cast<std::uint32_t>(v >> 32));
    return out;
}

std::vector<std::uint8_t> pol_sz(std::string_view utf8) {
    std::vector<std::uint8_t> out;
    append_utf16(out, utf8);
    append_char(out, '\0');
    return out;
}

std::vector<std::uint8_t> pol_multi_sz(const std::vector<std::string>& items) {
    std::vector<std::uint8_t> out;
    for (const auto& s : items) {
        append_utf16(out, s);
        append_char(out, '\0');
    }
    append_char(out, '\0');
    return out;
}

PolRecord pol_delete_value(std::string key, std::string_view name) {
    return PolRecord{std::move(key), "**del." + std::string(name), 1, pol_sz(" ")};
}

PolRecord pol_delete_all_values(std::string key) {
    return PolRecord{std::move(key), "**delvals.", 1, pol_sz(" ")};
}

bool PolSlots::owns(const PolEntry& e) const {
    for (const auto& k : keys) {
        if (detail::iequals(k, e.key)) return true;
    }
    std::string target = target_name(e.value);
    for (const auto& [k, v] : values) {
        if (detail::iequals(k, e.key) && detail::ascii_lower(v) == target) return true;
    }
    return false;
}

PolEdit edit_pol(std::span<const std::uint8_t> original, const PolFile& parsed,
                 const PolSlots& slots, const std::vector<PolRecord>& desired) {
    PolEdit out;
    if (original.size() < 8) {
        out.bytes = pol_header();
    } else {
        std::uint64_t head = parsed.entries.empty() ? original.size() : parsed.entries[0].offset;
        out.bytes.assign(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(head));
    }
    std::vector<std::string> want_ids;
    want_ids.reserve(desired.size());
    for (const auto& d : desired) want_ids.push_back(slot_id(d.key, d.value));
    std::vector<bool> used(desired.size(), false);
    std::size_t insert_at = std::string::npos;  // byte position in out.bytes for leftovers
    std::size_t first_owned = std::string::npos;
    for (std::size_t i = 0; i < parsed.entries.size(); ++i) {
        const auto& e = parsed.entries[i];
        std::uint64_t end =
            i + 1 < parsed.entries.size() ? parsed.entries[i + 1].offset : original.size();
        auto from = original.begin() + static_cast<std::ptrdiff_t>(e.offset);
        auto to = original.begin() + static_cast<std::ptrdiff_t>(end);
        if (!slots.owns(e)) {
            out.bytes.insert(out.bytes.end(), from, to);
            continue;
        }
        if (first_owned == std::string::npos) first_owned = out.bytes.size();
        std::string id = slot_id(e.key, e.value);
        std::size_t j = 0;
        while (j < desired.size() && (used[j] || want_ids[j] != id)) ++j;
        if (j == desired.size()) {
            ++out.removed;
            continue;
        }
        used[j] = true;
        auto bytes = encode_pol_record(respelled(desired[j], e));
        if (std::equal(bytes.begin(), bytes.end(), from, to)) {
            ++out.unchanged;
        } else {
            ++out.replaced;
        }
        out.bytes.insert(out.bytes.end(), bytes.begin(), bytes.end());
        insert_at = out.bytes.size();
    }
    if (insert_at == std::string::npos) insert_at = first_owned;
    if (insert_at == std::string::npos) insert_at = out.bytes.size();
    std::vector<std::uint8_t> extra;
    for (std::size_t j = 0; j < desired.size(); ++j) {
        if (used[j]) continue;
        auto bytes = encode_pol_record(desired[j]);
        extra.insert(extra.end(), bytes.begin(), bytes.end());
        ++out.added;
    }
    out.bytes.insert(out.bytes.begin() + static_cast<std::ptrdiff_t>(insert_at), extra.begin(),
                     extra.end());
    return out;
}

}  // namespace comredir::policy
