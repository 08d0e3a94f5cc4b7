// Applies a parsed .reg export to the policy-registry state.
#include <comredir/policy/gp/regfile.hpp>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

std::string raw_text(const RegValue& v) {
    if (auto d = reg_dword(v); d && v.type == static_cast<std::uint32_t>(RegType::dword)) {
        return std::to_string(*d);
    }
    if (auto s = reg_string(v); s && v.type != static_cast<std::uint32_t>(RegType::link)) {
        return *s;
    }
    return detail::hex_bytes(v.data);
}

}  // namespace

void apply_regfile(const RegFile& file, const Provenance& base, RegistryState& state) {
    for (const RegFileEntry& e : file.entries) {
        if (e.kind == RegFileEntry::Kind::key) continue;  // key creation holds no value
        Provenance p = base;
        if (p.source.empty()) p.source = "reg";
        p.line = e.line;
        p.registry_key = e.key;
        p.registry_value = e.value;
        switch (e.kind) {
            case RegFileEntry::Kind::set_value:
                p.raw = raw_text(e.data);
                state.set(e.key, e.value, e.data, std::move(p));
                break;
            case RegFileEntry::Kind::delete_value:
                state.delete_value(e.key, e.value, p);
                break;
            case RegFileEntry::Kind::delete_key:
                state.delete_key(e.key, p);
                break;
            case RegFileEntry::Kind::key:
                break;
        }
    }
}

}  // namespace comredir::policy
