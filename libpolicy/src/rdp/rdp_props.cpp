// RDP property strings (AVD host pool `customRdpProperty`): `;`-separated properties.
#include <comredir/policy/rdp/rdp.hpp>

#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"

namespace comredir::policy {

RdpResult parse_rdp_properties(std::string_view s) {
    RdpResult r;
    r.file.encoding = RdpEncoding::utf8;
    std::size_t pos = 0;
    std::uint32_t index = 0;
    while (true) {
        std::size_t end = s.find(';', pos);
        if (end == std::string_view::npos) {
            end = s.size();
        }
        ++index;
        const std::string_view raw = s.substr(pos, end - pos);
        const std::string where = "item " + std::to_string(index) + ": ";
        if (auto nul = raw.find('\0'); nul != std::string_view::npos) {
            r.status = RdpStatus::nul_in_text;
            r.offset = pos + nul;
            r.line = index;
            r.message =
                where + "offset " + detail::hex_offset(pos + nul) + ": nul character in text";
            return r;
        }
        if (!detail::trim(raw).empty()) {
            // Leading spaces/tabs before a property name are not part of it.
            const std::size_t lead = raw.find_first_not_of(" \t");
            const std::string_view item = raw.substr(lead);
            auto parsed = detail::parse_rdp_property_text(item);
            const bool starts_property =
                parsed.status == RdpStatus::ok || parsed.status == RdpStatus::bad_integer;
            if (!starts_property && !r.file.properties.empty() &&
                r.file.properties.back().type == 's') {
                // Continuation of a string value that held `;` (`C:\;E:\`): keep it verbatim.
                RdpProperty& prev = r.file.properties.back();
                prev.value.append(";").append(raw);
                prev.text.append(";").append(raw);
                prev.length = end - prev.offset;
            } else if (parsed.status != RdpStatus::ok) {
                r.status = parsed.status;
                r.offset = pos + lead + parsed.pos;
                r.line = index;
                r.message = where + parsed.message;
                return r;
            } else {
                RdpProperty p;
                p.name = std::string(parsed.name);
                p.type = parsed.type;
                p.value = std::string(parsed.value);
                p.integer = parsed.integer;
                p.line = index;
                p.offset = pos + lead;
                p.length = item.size();
                p.text = std::string(item);
                r.file.properties.push_back(std::move(p));
            }
        }
        if (end == s.size()) {
            break;
        }
        pos = end + 1;
    }
    detail::warn_rdp_duplicates(r.file, "item");
    return r;
}

}  // namespace comredir::policy
