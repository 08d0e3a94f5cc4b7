// Applies Registry.pol entries to a RegistryState with Group Policy semantics
// ([MS-GPREG] 2.2.1: the `**` special value names).

#include <comredir/policy/gp/pol.hpp>
#include <optional>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

bool starts_with_lower(std::string_view lower, std::string_view prefix) {
    return lower.substr(0, prefix.size()) == prefix;
}

/// `a;b;;c ` -> {`a`, `b`, `c`} (empty and blank items dropped).
std::vector<std::string> split_list(const PolEntry& e) {
    std::vector<std::string> out;
    auto text = reg_string(RegValue{e.type, e.data});
    if (!text) return out;
    std::string_view rest = *text;
    while (!rest.empty()) {
        auto semi = rest.find(';');
        auto item = detail::trim(rest.substr(0, semi));
        if (!item.empty()) out.emplace_back(item);
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
    }
    return out;
}

}  // namespace

std::string pol_raw_text(const PolEntry& entry) {
    RegValue v{entry.type, entry.data};
    if (auto d = reg_dword(v)) return std::to_string(*d);
    if (auto q = reg_qword(v)) return std::to_string(*q);
    if (auto s = reg_string(v)) return *s;
    return detail::hex_bytes(entry.data);
}

void apply_pol(const PolFile& file, std::string_view hive, const Provenance& base,
               RegistryState& state) {
    for (const auto& e : file.entries) {
        const std::string key = std::string(hive) + "\\" + e.key;
        const std::string raw = pol_raw_text(e);
        auto origin = [&](const std::string& reg_key, std::string_view reg_value) {
            Provenance p = base;
            p.offset = e.offset;
            p.registry_key = reg_key;
            p.registry_value = std::string(reg_value);
            p.raw = raw;
            return p;
        };
        const std::string lower = detail::ascii_lower(e.value);

        if (e.value.empty()) continue;  // creates the key only: no value state
        if (starts_with_lower(lower, "**del.")) {
            std::string_view target = std::string_view(e.value).substr(6);
            state.delete_value(key, target, origin(key, target));
        } else if (lower == "**delvals." || lower == "**delvals") {
            state.delete_values(key, origin(key, e.value));
        } else if (lower == "**deletevalues") {
            for (const auto& name : split_list(e)) state.delete_value(key, name, origin(key, name));
        } else if (lower == "**deletekeys") {
            for (const auto& sub : split_list(e)) {
                const std::string subkey = key + "\\" + sub;
                state.delete_key(subkey, origin(subkey, ""));
            }
        } else if (starts_with_lower(lower, "**soft.")) {
            std::string_view target = std::string_view(e.value).substr(7);
            state.set_soft(key, target, RegValue{e.type, e.data}, origin(key, target));
        } else if (starts_with_lower(lower, "**")) {
            continue;  // **SecureKey (permissions only) and unknown specials
        } else {
            state.set(key, e.value, RegValue{e.type, e.data}, origin(key, e.value));
        }
    }
}

}  // namespace comredir::policy
