// GPO metadata files from bytes: bkupInfo.xml, manifest.xml (pugixml) and gpt.ini.
#include "gpo_meta.hpp"

#include <pugixml.hpp>
#include <string_view>

#include "text.hpp"

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

std::string gpt_ini_display_name(std::span<const std::uint8_t> bytes) {
    std::string text;
    if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        auto t = utf16le_to_utf8(bytes.subspan(2, (bytes.size() - 2) & ~std::size_t{1}));
        if (!t) return {};
        text = std::move(*t);
    } else {
        text.assign(bytes.begin(), bytes.end());
        if (!valid_utf8(text)) text = latin1_to_utf8(text);
    }
    std::string_view rest = text;
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        auto eq = line.find('=');
        if (eq != std::string_view::npos && iequals(trim(line.substr(0, eq)), "displayName")) {
            return std::string(trim(line.substr(eq + 1)));
        }
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    return {};
}

}  // namespace comredir::policy::detail
