// .reg snapshots edited in place (see reg_edit.hpp).
#include <comredir/policy/gp/reg_edit.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "gp/regfile_lines.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

struct Wanted {
    std::string key;  ///< below the hive
    std::string name;
    RegValue value;
    bool used = false;
};

/// The values `records` leave behind, in first-set order.
std::vector<Wanted> wanted_values(const std::vector<PolRecord>& records) {
    std::vector<Wanted> out;
    auto erase_if = [&](auto pred) {
        std::vector<Wanted> kept;
        for (auto& w : out) {
            if (!pred(w)) kept.push_back(std::move(w));
        }
        out = std::move(kept);
    };
    for (const auto& r : records) {
        std::string_view v = r.value;
        if (v.size() >= 10 && detail::iequals(v.substr(0, 10), "**delvals.")) {
            erase_if([&](const Wanted& w) { return detail::iequals(w.key, r.key); });
        } else if (v.size() >= 6 && detail::iequals(v.substr(0, 6), "**del.")) {
            std::string name(v.substr(6));
            erase_if([&](const Wanted& w) {
                return detail::iequals(w.key, r.key) && detail::iequals(w.name, name);
            });
        } else {
            bool found = false;
            for (auto& w : out) {
                if (detail::iequals(w.key, r.key) && detail::iequals(w.name, r.value)) {
                    w.value = RegValue{r.type, r.data};
                    found = true;
                }
            }
            if (!found) out.push_back(Wanted{r.key, r.value, RegValue{r.type, r.data}});
        }
    }
    return out;
}

std::string reg_quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\\' || c == '"') out += '\\';
        out += c;
    }
    return out + "\"";
}

/// `hex(N):` data, wrapped as regedit does: a line holds at most 80 characters before
/// its `\`, continuation lines start with two spaces.
std::vector<std::string> hex_lines(std::string head, const std::vector<std::uint8_t>& bytes) {
    std::vector<std::string> out;
    std::string line = std::move(head);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        char tok[4];
        std::snprintf(tok, sizeof tok, "%02x", bytes[i]);
        bool last = i + 1 == bytes.size();
        std::string piece = std::string(tok) + (last ? "" : ",");
        if (line.size() + piece.size() > 80 && line.size() > 2) {
            out.push_back(line + "\\");
            line = "  ";
        }
        line += piece;
    }
    out.push_back(line);
    return out;
}

/// The value line(s) regedit writes for `name` = `v`. `unicode`: version 5.00.
std::vector<std::string> value_lines(const std::string& name, const RegValue& v, bool unicode) {
    std::string head = (name.empty() ? std::string("@") : reg_quoted(name)) + "=";
    auto dw = reg_dword(v);
    if (v.type == static_cast<std::uint32_t>(RegType::dword) && dw) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "dword:%08x", *dw);
        return {head + buf};
    }
    if (v.type == static_cast<std::uint32_t>(RegType::sz)) {
        if (auto s = reg_string(v)) return {head + reg_quoted(*s)};
    }
    std::vector<std::uint8_t> data = v.data;
    bool text = v.type == static_cast<std::uint32_t>(RegType::expand_sz) ||
                v.type == static_cast<std::uint32_t>(RegType::multi_sz);
    if (text && !unicode) {  // REGEDIT4 keeps strings in 8 bits
        auto utf8 = detail::utf16le_to_utf8(v.data);
        if (utf8) data.assign(utf8->begin(), utf8->end());
    }
    char kind[24];
    if (v.type == static_cast<std::uint32_t>(RegType::binary)) {
        std::snprintf(kind, sizeof kind, "hex:");
    } else {
        std::snprintf(kind, sizeof kind, "hex(%x):", v.type);
    }
    return hex_lines(head + kind, data);
}

bool ends_continued(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return !s.empty() && s.back() == '\\';
}

/// `HKEY_LOCAL_MACHINE\X` -> `X` when it is under `hive`; else nullopt-like empty flag.
bool below_hive(std::string_view key, std::string_view hive, std::string& rest) {
    if (key.size() <= hive.size() || key[hive.size()] != '\\' ||
        !detail::iequals(key.substr(0, hive.size()), hive)) {
        return false;
    }
    rest = std::string(key.substr(hive.size() + 1));
    return true;
}

}  // namespace

RegEdit edit_regfile(std::span<const std::uint8_t> original, const RegFile& parsed,
                     std::string_view hive, const PolSlots& slots,
                     const std::vector<PolRecord>& records) {
    RegEdit out;
    auto wanted = wanted_values(records);
    bool unicode = original.empty() || parsed.unicode;
    bool utf16 = original.size() >= 2 && original[0] == 0xFF && original[1] == 0xFE;
    if (original.empty()) utf16 = true;
    auto split = detail::split_reg_lines(original);
    const auto& lines = split.lines;
    bool crlf = original.empty();
    for (std::size_t i = 0; i + 1 < original.size() && !crlf; ++i) {
        crlf = original[i] == '\r' && original[i + 1] == (utf16 ? 0 : '\n');
    }
    // A lone `\r` ending the file is the start of a CRLF that was cut off.
    if (!crlf && !original.empty()) {
        crlf = utf16 ? original.size() >= 4 && original[original.size() - 2] == '\r' &&
                           original.back() == 0
                     : original.back() == '\r';
    }
    const std::string eol = crlf ? "\r\n" : "\n";
    auto encode = [&](const std::string& text) {
        std::vector<std::uint8_t> b;
        std::string t = text + eol;
        if (utf16) {
            std::string u = detail::utf8_to_utf16le(t);
            b.assign(u.begin(), u.end());
        } else {
            b.assign(t.begin(), t.end());
        }
        return b;
    };
    auto line_end = [&](std::size_t i) -> std::uint64_t {
        return i + 1 < lines.size() ? lines[i + 1].start : original.size();
    };

    // What each line is: an owned value line (with its extent), the end of a section, ...
    std::vector<int> owned_entry(lines.size(), -1);  // first line of an owned value -> entry
    std::vector<std::size_t> extent(lines.size(), 0);
    for (std::size_t e = 0; e < parsed.entries.size(); ++e) {
        const auto& en = parsed.entries[e];
        if (en.kind != RegFileEntry::Kind::set_value &&
            en.kind != RegFileEntry::Kind::delete_value) {
            continue;
        }
        std::string key;
        if (!below_hive(en.key, hive, key) || en.line == 0 || en.line > lines.size()) continue;
        PolEntry probe;
        probe.key = key;
        probe.value = en.value;
        if (!slots.owns(probe)) continue;
        std::size_t first = en.line - 1;
        std::size_t last = first;
        while (last + 1 < lines.size() && ends_continued(lines[last].text)) ++last;
        owned_entry[first] = static_cast<int>(e);
        extent[first] = last;
    }
    // Where leftovers of a key go: after the last value line of its first section.
    std::vector<std::uint64_t> insert_after;  // byte offsets, per wanted value
    insert_after.assign(wanted.size(), std::uint64_t(-1));
    {
        std::string current;
        bool in_hive = false;
        std::vector<bool> first_section_done(wanted.size(), false);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::string_view t = detail::trim(lines[i].text);
            if (!t.empty() && t.front() == '[' && t.back() == ']') {
                for (std::size_t w = 0; w < wanted.size(); ++w) {
                    if (insert_after[w] != std::uint64_t(-1)) first_section_done[w] = true;
                }
                std::string key;
                in_hive =
                    t.size() > 2 && t[1] != '-' && below_hive(t.substr(1, t.size() - 2), hive, key);
                current = in_hive ? key : std::string();
                if (in_hive) {
                    for (std::size_t w = 0; w < wanted.size(); ++w) {
                        if (!first_section_done[w] && detail::iequals(wanted[w].key, current)) {
                            insert_after[w] = line_end(i);
                        }
                    }
                }
                continue;
            }
            if (t.empty() || t.front() == ';') continue;
            std::size_t last = i;  // a value continued over lines ends at its last line
            while (last + 1 < lines.size() && ends_continued(lines[last].text)) ++last;
            if (in_hive) {
                for (std::size_t w = 0; w < wanted.size(); ++w) {
                    if (!first_section_done[w] && detail::iequals(wanted[w].key, current)) {
                        insert_after[w] = line_end(last);
                    }
                }
            }
            i = last;
        }
    }

    // Rewrite owned lines in place; remember where each kept line's bytes end.
    std::vector<std::uint8_t> body;
    std::uint64_t head = lines.empty() ? original.size() : lines[0].start;
    body.assign(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(head));
    std::vector<std::pair<std::uint64_t, std::size_t>> offsets;  // (orig end, out size)
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (owned_entry[i] < 0) {
            auto from = original.begin() + static_cast<std::ptrdiff_t>(lines[i].start);
            auto to = original.begin() + static_cast<std::ptrdiff_t>(line_end(i));
            body.insert(body.end(), from, to);
            offsets.emplace_back(line_end(i), body.size());
            continue;
        }
        const auto& en = parsed.entries[static_cast<std::size_t>(owned_entry[i])];
        std::string key;
        below_hive(en.key, hive, key);
        Wanted* w = nullptr;
        for (auto& cand : wanted) {
            if (!cand.used && detail::iequals(cand.key, key) &&
                detail::iequals(cand.name, en.value)) {
                w = &cand;
                break;
            }
        }
        std::size_t last = extent[i];
        if (w == nullptr) {
            ++out.removed;
        } else {
            w->used = true;
            std::vector<std::uint8_t> bytes;
            for (const auto& l : value_lines(en.value, w->value, unicode)) {
                auto b = encode(l);
                bytes.insert(bytes.end(), b.begin(), b.end());
            }
            auto from = original.begin() + static_cast<std::ptrdiff_t>(lines[i].start);
            auto to = original.begin() + static_cast<std::ptrdiff_t>(line_end(last));
            if (std::equal(bytes.begin(), bytes.end(), from, to)) {
                body.insert(body.end(), from, to);
            } else {
                body.insert(body.end(), bytes.begin(), bytes.end());
                ++out.replaced;
            }
        }
        offsets.emplace_back(line_end(last), body.size());
        i = last;
    }
    if (original.empty()) {
        const char hdr[] = {static_cast<char>(0xFF), static_cast<char>(0xFE)};
        body.assign(hdr, hdr + 2);
        auto b = encode("Windows Registry Editor Version 5.00");
        body.insert(body.end(), b.begin(), b.end());
    }

    auto ends_with_eol = [&] {
        return body.empty() || (!utf16 && body.back() == '\n') ||
               (utf16 && body.size() >= 2 && body[body.size() - 2] == '\n' && body.back() == 0);
    };
    // What ends the last line: the file's line ending, or only its `\n` after a lone `\r`
    // (which the reader drops at the end of a file, but not inside it).
    auto line_break = [&] {
        bool lone_cr =
            (!utf16 && !body.empty() && body.back() == '\r') ||
            (utf16 && body.size() >= 2 && body[body.size() - 2] == '\r' && body.back() == 0);
        auto e = encode("");
        if (lone_cr && crlf) e.erase(e.begin(), e.begin() + (utf16 ? 2 : 1));
        return e;
    };
    // Leftovers: into their section (grouped in order), else new sections at the end.
    std::vector<std::pair<std::size_t, std::vector<std::uint8_t>>> inserts;  // (out pos, bytes)
    std::vector<std::string> new_keys;
    std::vector<std::vector<std::uint8_t>> new_sections;
    for (std::size_t w = 0; w < wanted.size(); ++w) {
        if (wanted[w].used) continue;
        ++out.added;
        std::vector<std::uint8_t> bytes;
        for (const auto& l : value_lines(wanted[w].name, wanted[w].value, unicode)) {
            auto b = encode(l);
            bytes.insert(bytes.end(), b.begin(), b.end());
        }
        if (insert_after[w] != std::uint64_t(-1)) {
            std::size_t pos = body.size();
            for (const auto& [orig_end, out_size] : offsets) {
                if (orig_end == insert_after[w]) pos = out_size;
            }
            if (pos == body.size() && !ends_with_eol()) {  // after a last line with no ending
                auto e = line_break();
                bytes.insert(bytes.begin(), e.begin(), e.end());
            }
            inserts.emplace_back(pos, std::move(bytes));
            continue;
        }
        std::size_t k = 0;
        while (k < new_keys.size() && !detail::iequals(new_keys[k], wanted[w].key)) ++k;
        if (k == new_keys.size()) {
            new_keys.push_back(wanted[w].key);
            auto blank = encode("");
            auto section = encode("[" + std::string(hive) + "\\" + wanted[w].key + "]");
            new_sections.emplace_back(blank);
            new_sections.back().insert(new_sections.back().end(), section.begin(), section.end());
        }
        new_sections[k].insert(new_sections[k].end(), bytes.begin(), bytes.end());
    }
    // Insert from the back so earlier positions stay valid (stable for equal positions).
    for (std::size_t n = inserts.size(); n-- > 0;) {
        std::vector<std::uint8_t> merged;
        std::size_t pos = inserts[n].first;
        std::size_t m = n;
        while (m > 0 && inserts[m - 1].first == pos) --m;
        for (std::size_t j = m; j <= n; ++j) {
            merged.insert(merged.end(), inserts[j].second.begin(), inserts[j].second.end());
        }
        body.insert(body.begin() + static_cast<std::ptrdiff_t>(pos), merged.begin(), merged.end());
        n = m;
        if (n == 0) break;
    }
    if (!new_sections.empty()) {
        if (!ends_with_eol()) {
            auto e = line_break();
            body.insert(body.end(), e.begin(), e.end());
        }
        for (const auto& s : new_sections) body.insert(body.end(), s.begin(), s.end());
    }
    out.bytes = std::move(body);
    return out;
}

}  // namespace comredir::policy
