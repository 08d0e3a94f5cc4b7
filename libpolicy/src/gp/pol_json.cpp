// Registry.pol entries as JSON (the shape `comredir-policy gp dump --json` prints).

#include <comredir/policy/gp/pol.hpp>
#include <nlohmann/json.hpp>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

nlohmann::json data_json(const PolEntry& e) {
    RegValue v{e.type, e.data};
    switch (static_cast<RegType>(e.type)) {
        case RegType::dword:
            if (auto d = reg_dword(v)) return *d;
            break;
        case RegType::qword:
            if (auto q = reg_qword(v)) return *q;
            break;
        case RegType::sz:
        case RegType::expand_sz:
            if (auto s = reg_string(v)) return *s;
            break;
        case RegType::multi_sz:
            if (auto m = reg_multi_sz(v)) return *m;
            break;
        default:
            break;
    }
    return detail::hex_bytes(e.data);
}

}  // namespace

nlohmann::json pol_to_json(const PolFile& file) {
    auto out = nlohmann::json::array();
    for (const auto& e : file.entries) {
        out.push_back({{"key", e.key},
                       {"value", e.value},
                       {"type", reg_type_name(e.type)},
                       {"data", data_json(e)}});
    }
    return out;
}

}  // namespace comredir::policy
