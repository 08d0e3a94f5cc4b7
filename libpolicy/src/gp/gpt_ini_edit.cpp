// gpt.ini: version bump and client-side extension names, keeping every other byte.
#include <algorithm>
#include <charconv>
#include <comredir/policy/gp/gpt_ini.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

struct Line {
    std::string text;  ///< without the line ending
    std::string eol;   ///< `\r\n`, `\n` or empty (last line)
};

std::vector<Line> split_lines(std::string_view s) {
    std::vector<Line> out;
    while (!s.empty()) {
        auto nl = s.find('\n');
        Line l;
        if (nl == std::string_view::npos) {
            l.text = std::string(s);
            s = {};
        } else {
            l.text = std::string(s.substr(0, nl));
            l.eol = "\n";
            s.remove_prefix(nl + 1);
        }
        if (!l.text.empty() && l.text.back() == '\r') {
            l.text.pop_back();
            l.eol = "\r" + l.eol;
        }
        out.push_back(std::move(l));
    }
    return out;
}

bool is_section(std::string_view line) {
    auto t = detail::trim(line);
    return t.size() >= 2 && t.front() == '[' && t.back() == ']' &&
           t.find('=') == std::string_view::npos;
}

/// `name=value` with `name` matching case-insensitively: the value; else npos offset.
std::size_t value_at(std::string_view line, std::string_view name) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos || !detail::iequals(detail::trim(line.substr(0, eq)), name)) {
        return std::string_view::npos;
    }
    return eq + 1;
}

/// `[{CSE}{tool}...][...]` -> groups of GUIDs, each group's first the CSE.
std::vector<std::vector<std::string>> parse_groups(std::string_view v) {
    std::vector<std::vector<std::string>> out;
    std::size_t i = 0;
    while ((i = v.find('[', i)) != std::string_view::npos) {
        auto close = v.find(']', i);
        if (close == std::string_view::npos) break;
        std::vector<std::string> g;
        std::string_view inner = v.substr(i + 1, close - i - 1);
        std::size_t j = 0;
        while ((j = inner.find('{', j)) != std::string_view::npos) {
            auto e = inner.find('}', j);
            if (e == std::string_view::npos) break;
            g.emplace_back(inner.substr(j, e - j + 1));
            j = e + 1;
        }
        if (!g.empty()) out.push_back(std::move(g));
        i = close + 1;
    }
    return out;
}

/// Adds {cse}{tool} to an extension-names value; false when it was already there.
bool add_extension(std::string& value, const std::string& cse, const std::string& tool) {
    auto groups = parse_groups(value);
    // GUIDs hold only hex digits, `-` and braces: lowercase order is Windows' uppercase order.
    auto by_guid = [](const std::string& a, const std::string& b) {
        return detail::ascii_lower(a) < detail::ascii_lower(b);
    };
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const auto& grp) { return detail::iequals(grp[0], cse); });
    if (g == groups.end()) {
        groups.push_back({cse, tool});
        std::sort(groups.begin(), groups.end(),
                  [&](const auto& a, const auto& b) { return by_guid(a[0], b[0]); });
    } else {
        bool has = std::any_of(g->begin() + 1, g->end(),
                               [&](const std::string& id) { return detail::iequals(id, tool); });
        if (has) return false;
        g->push_back(tool);
        std::sort(g->begin() + 1, g->end(), by_guid);
    }
    value.clear();
    for (const auto& grp : groups) {
        value += '[';
        for (const auto& id : grp) value += id;
        value += ']';
    }
    return true;
}

}  // namespace

GptIniBump bump_gpt_ini(std::span<const std::uint8_t> bytes, bool user) {
    GptIniBump out;
    bool utf16 = bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE;
    std::string text;
    if (utf16) {
        auto t = detail::utf16le_to_utf8(bytes.subspan(2, (bytes.size() - 2) & ~std::size_t{1}));
        if (!t) {
            out.ok = false;
            out.message = "gpt.ini: malformed UTF-16";
            return out;
        }
        text = std::move(*t);
    } else {
        text.assign(bytes.begin(), bytes.end());
    }
    auto lines = split_lines(text);
    std::string eol = text.find("\r\n") != std::string::npos || text.empty() ? "\r\n" : "\n";
    // A last line without a line ending keeps it unless something is appended after it.
    bool last_open = !lines.empty() && lines.back().eol.empty();
    if (last_open) lines.back().eol = eol;

    const char* ext_key = user ? "gPCUserExtensionNames" : "gPCMachineExtensionNames";
    const std::string tool = user ? kAdminTemplatesUser : kAdminTemplatesMachine;
    std::size_t general_end = std::string::npos;  // index after the last line of [General]
    bool in_general = false;
    bool have_version = false;
    bool have_ext = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto& l = lines[i];
        if (is_section(l.text)) {
            in_general = detail::iequals(detail::trim(l.text), "[General]");
            if (in_general) general_end = i + 1;
            continue;
        }
        if (!in_general) continue;
        general_end = i + 1;
        if (auto at = value_at(l.text, "Version"); at != std::string::npos && !have_version) {
            have_version = true;
            std::string_view v = detail::trim(std::string_view(l.text).substr(at));
            std::uint32_t n = 0;
            auto r = std::from_chars(v.data(), v.data() + v.size(), n);
            if (r.ec != std::errc() || r.ptr != v.data() + v.size()) {
                out.ok = false;
                out.message = "gpt.ini: line " + std::to_string(i + 1) + ": version `" +
                              std::string(v) + "` is not a number";
                return out;
            }
            std::uint32_t half = user ? n >> 16 : n & 0xFFFFu;
            if (half == 0xFFFFu) {
                out.ok = false;
                out.message = "gpt.ini: line " + std::to_string(i + 1) + ": the " +
                              (user ? "user" : "computer") + " version is already 65535";
                return out;
            }
            out.old_version = n;
            out.new_version = n + (user ? 0x10000u : 1u);
            l.text = l.text.substr(0, at) + std::to_string(out.new_version);
        } else if (auto e = value_at(l.text, ext_key); e != std::string::npos && !have_ext) {
            have_ext = true;
            std::string value = l.text.substr(e);
            if (add_extension(value, kRegistryCse, tool)) {
                out.extensions_changed = true;
                l.text = l.text.substr(0, e) + value;
            }
        }
    }
    std::vector<Line> add;
    if (!have_version) {
        out.old_version = 0;
        out.new_version = user ? 0x10000u : 1u;
        add.push_back({"Version=" + std::to_string(out.new_version), eol});
    }
    if (!have_ext) {
        std::string value;
        add_extension(value, kRegistryCse, tool);
        add.push_back({std::string(ext_key) + "=" + value, eol});
        out.extensions_changed = true;
    }
    std::size_t original_count = lines.size();
    if (general_end == std::string::npos) {
        lines.push_back({"[General]", eol});
        general_end = lines.size();
    }
    bool appended =
        general_end >= original_count && (!add.empty() || lines.size() > original_count);
    if (last_open && !appended) lines[original_count - 1].eol.clear();
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(general_end), add.begin(), add.end());
    std::string result;
    for (const auto& l : lines) result += l.text + l.eol;
    if (utf16) {
        std::string u = detail::utf8_to_utf16le(result);
        out.bytes = {0xFF, 0xFE};
        out.bytes.insert(out.bytes.end(), u.begin(), u.end());
    } else {
        out.bytes.assign(result.begin(), result.end());
    }
    return out;
}

}  // namespace comredir::policy
