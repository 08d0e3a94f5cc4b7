// GPO metadata files from bytes: bkupInfo.xml, manifest.xml (pugixml) and gpt.ini.
#include "gp/gpo_meta.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <pugixml.hpp>
#include <string_view>
#include <system_error>

#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

/// Child element by local name (namespace prefix ignored).
pugi::xml_node element(const pugi::xml_node& parent, std::string_view local) {
    for (auto c : parent.children()) {
        std::string_view n = c.name();
        auto colon = n.find(':');
        if (colon != std::string_view::npos) n.remove_prefix(colon + 1);
        if (c.type() == pugi::node_element && n == local) return c;
    }
    return {};
}

std::string element_text(const pugi::xml_node& parent, std::string_view local) {
    return std::string(trim(element(parent, local).text().as_string()));
}

bool load(std::span<const std::uint8_t> bytes, pugi::xml_document& doc, GpoMeta& out) {
    auto r = doc.load_buffer(bytes.data(), bytes.size());
    if (!r) {
        out.offset = static_cast<std::uint64_t>(r.offset);
        out.message = "offset " + hex_offset(out.offset) + ": xml: " + ascii_lower(r.description());
        return false;
    }
    return true;
}

}  // namespace

GpoMeta parse_bkupinfo(std::span<const std::uint8_t> bytes) {
    GpoMeta out;
    pugi::xml_document doc;
    if (!load(bytes, doc, out)) return out;
    auto inst = element(doc, "BackupInst");
    if (!inst) {
        out.message = "no `BackupInst` element";
        return out;
    }
    out.guid = element_text(inst, "GPOGuid");
    if (out.guid.empty()) {
        out.message = "no `GPOGuid`";
        return out;
    }
    out.name = element_text(inst, "GPODisplayName");
    if (out.name.empty()) out.name = out.guid;
    out.ok = true;
    return out;
}

GpoMeta parse_manifest(std::span<const std::uint8_t> bytes) {
    GpoMeta out;
    pugi::xml_document doc;
    if (!load(bytes, doc, out)) return out;
    auto backups = element(doc, "Backups");
    if (!backups) {
        out.message = "no `Backups` element";
        return out;
    }
    for (auto inst : backups.children()) {
        std::string_view n = inst.name();
        if (n.size() < 10 || n.substr(n.size() - 10) != "BackupInst") continue;
        out.backup_ids.push_back(element_text(inst, "ID"));
    }
    out.ok = true;
    return out;
}

namespace {

/// gpt.ini as UTF-8: UTF-16LE after a BOM, else UTF-8 when valid, else Latin-1 (ANSI).
/// nullopt when the UTF-16 does not decode.
std::optional<std::string> ini_text(std::span<const std::uint8_t> bytes) {
    if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        return utf16le_to_utf8(bytes.subspan(2, (bytes.size() - 2) & ~std::size_t{1}));
    }
    std::string text(bytes.begin(), bytes.end());
    if (!valid_utf8(text)) text = latin1_to_utf8(text);
    return text;
}

/// Calls `f(number, line)` for each line (CR before LF removed) until it returns false.
template <typename F>
void each_line(std::string_view rest, F f) {
    for (std::uint32_t n = 1; !rest.empty(); ++n) {
        auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!f(n, line) || nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
}

/// A line for a message: at most 60 bytes (not splitting UTF-8), control characters as `?`.
std::string snippet(std::string_view s) {
    std::size_t n = std::min<std::size_t>(s.size(), 60);
    while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    std::string out;
    for (char c : s.substr(0, n)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7F ? '?' : c);
    }
    return n < s.size() ? out + "..." : out;
}

}  // namespace

std::string gpt_ini_display_name(std::span<const std::uint8_t> bytes) {
    auto text = ini_text(bytes);
    if (!text) return {};
    std::string out;
    each_line(*text, [&](std::uint32_t, std::string_view line) {
        auto eq = line.find('=');
        if (eq != std::string_view::npos && iequals(trim(line.substr(0, eq)), "displayName")) {
            out = std::string(trim(line.substr(eq + 1)));
            return false;
        }
        return true;
    });
    return out;
}

std::string gpt_ini_problem(std::span<const std::uint8_t> bytes) {
    auto text = ini_text(bytes);
    const bool utf16 = bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE;
    if (!text || (utf16 && bytes.size() % 2 != 0)) {
        return "utf-16 text (after the bom) that does not decode";
    }
    if (auto nul = text->find('\0'); nul != std::string::npos) {
        return "a nul character: not a text file";
    }
    std::string problem;
    bool general = false;
    bool in_general = false;
    each_line(*text, [&](std::uint32_t n, std::string_view line) {
        const std::string_view t = trim(line);
        const std::string where = "line " + std::to_string(n) + ": ";
        if (t.empty() || t.front() == ';') return true;
        if (t.front() == '[') {
            if (t.back() != ']') {
                problem = where + "`" + snippet(t) + "`: section without `]`";
                return false;
            }
            in_general = iequals(t, "[General]");
            general = general || in_general;
            return true;
        }
        const auto eq = t.find('=');
        if (eq == std::string_view::npos) {
            problem = where + "`" + snippet(t) + "`: neither `[section]` nor `key=value`";
            return false;
        }
        if (in_general && iequals(trim(t.substr(0, eq)), "Version")) {
            const std::string_view v = trim(t.substr(eq + 1));
            std::uint32_t version = 0;
            auto r = std::from_chars(v.data(), v.data() + v.size(), version);
            if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size()) {
                problem = where + "version `" + snippet(v) + "` is not a decimal 32-bit number";
                return false;
            }
        }
        return true;
    });
    if (problem.empty() && !general) problem = "no `[General]` section";
    return problem;
}

}  // namespace comredir::policy::detail
