// `effective --set LAYER:NAME=VALUE`: parsing the argument and modelling it on an estate.
#include <algorithm>
#include <charconv>
#include <comredir/policy/gp/pol_write.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/whatif.hpp>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

WhatIfParse fail(std::string_view arg, const std::string& why) {
    WhatIfParse r;
    r.message = "`--set " + std::string(arg) + "`: " + why;
    return r;
}

std::optional<std::uint32_t> parse_u32(std::string_view s) {
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

bool is_integer(std::string_view s) {
    std::int32_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

bool names_hive(std::string_view key) {
    const std::string k = detail::ascii_lower(key.substr(0, key.find('\\')));
    return k == "hklm" || k == "hkcu" || k == "hkey_local_machine" || k == "hkey_current_user";
}

WhatIfParse parse_os(std::string_view arg, std::string_view name,
                     std::optional<std::string_view> value) {
    WhatIfParse r;
    WhatIf& w = r.what;
    w.layer = LayerId::os_policy;
    const auto slash = name.rfind('\\');
    if (slash == std::string_view::npos) {
        w.key = "HKLM\\" + std::string(kTsPolicyKey);
        w.name = std::string(name);
    } else {
        const std::string_view key = name.substr(0, slash);
        w.key = names_hive(key) ? std::string(key) : "HKLM\\" + std::string(key);
        w.name = std::string(name.substr(slash + 1));
    }
    if (w.name.empty()) return fail(arg, "no registry value name");
    if (!value) return fail(arg, "needs `=DATA` (a number, `dword:N`, `sz:TEXT` or `delete`)");
    if (*value == "delete") return r.ok = true, r;
    if (value->starts_with("sz:")) {
        w.value = std::string(value->substr(3));
        w.data = RegValue{static_cast<std::uint32_t>(RegType::sz), pol_sz(*w.value)};
        return r.ok = true, r;
    }
    const std::string_view number = value->starts_with("dword:") ? value->substr(6) : *value;
    const auto n = parse_u32(number);
    if (!n)
        return fail(arg, "data `" + std::string(*value) +
                             "` is not a number, `dword:N`, `sz:TEXT` or `delete`");
    w.value = std::to_string(*n);
    w.data = RegValue{static_cast<std::uint32_t>(RegType::dword), pol_dword(*n)};
    r.ok = true;
    return r;
}

WhatIfParse parse_property(std::string_view arg, LayerId layer, std::string_view name,
                           std::optional<std::string_view> value) {
    WhatIfParse r;
    WhatIf& w = r.what;
    w.layer = layer;
    std::optional<char> type;
    if (name.size() > 2 && name[name.size() - 2] == ':') {
        type = name.back();
        name.remove_suffix(2);
        if (*type != 'i' && *type != 's' && *type != 'b')
            return fail(arg, "property type `" + std::string(1, *type) + "` is not i, s or b");
    }
    if (name.empty() || name.find(':') != std::string_view::npos ||
        name.find(';') != std::string_view::npos)
        return fail(arg, "`" + std::string(name) + "` is not an RDP property name");
    w.name = std::string(name);
    if (value) {
        if (value->find(';') != std::string_view::npos ||
            value->find('\n') != std::string_view::npos)
            return fail(arg, "a property value cannot hold `;` or a line break");
        w.type = type.value_or(is_integer(*value) ? 'i' : 's');
        if (w.type == 'i' && !is_integer(*value))
            return fail(arg, "value `" + std::string(*value) + "` is not an integer (`:i:`)");
        w.value = std::string(*value);
    }
    r.ok = true;
    return r;
}

RdpProperty make_property(const WhatIf& w) {
    RdpProperty p;
    p.name = w.name;
    p.type = w.type;
    p.value = *w.value;
    if (w.type == 'i') p.integer = std::stoll(*w.value);
    p.text = w.name + ":" + std::string(1, w.type) + ":" + *w.value;
    return p;
}

void erase_named(RdpFile* f, std::string_view name) {
    if (f == nullptr) return;
    std::erase_if(f->properties,
                  [&](const RdpProperty& p) { return detail::iequals(p.name, name); });
}

void apply_property(Estate& e, const WhatIf& w, std::unique_ptr<RdpFile>& modelled,
                    PropertySources& src, RdpFile* own, const std::string& where) {
    if (!w.value) {
        erase_named(own, w.name);
        erase_named(modelled.get(), w.name);
        e.notes.push_back("what-if `" + w.arg + "`: `" + w.name + "` removed from " + where);
        return;
    }
    if (!modelled) modelled = std::make_unique<RdpFile>();
    erase_named(modelled.get(), w.name);  // the last --set for a property counts
    modelled->properties.push_back(make_property(w));
    src.what_if = modelled.get();
    src.what_if_base.source = "what-if";
    // Shared by the layer's what-ifs; the property itself says which one.
    src.what_if_base.detail = w.layer == LayerId::host_pool ? "--set hostpool" : "--set client";
}

}  // namespace

WhatIfParse parse_what_if(std::string_view arg) {
    const auto colon = arg.find(':');
    if (colon == std::string_view::npos)
        return fail(arg, "expected `LAYER:NAME=VALUE` (LAYER: os, hostpool, client)");
    const std::string layer = detail::ascii_lower(arg.substr(0, colon));
    std::string_view rest = arg.substr(colon + 1);
    std::optional<std::string_view> value;
    if (const auto eq = rest.find('='); eq != std::string_view::npos) {
        value = rest.substr(eq + 1);
        rest = rest.substr(0, eq);
    }
    WhatIfParse r;
    if (layer == "os") {
        r = parse_os(arg, rest, value);
    } else if (layer == "hostpool" || layer == "host_pool") {
        r = parse_property(arg, LayerId::host_pool, rest, value);
    } else if (layer == "client") {
        r = parse_property(arg, LayerId::client, rest, value);
    } else {
        return fail(arg, "unknown layer `" + layer + "` (expected os, hostpool or client)");
    }
    r.what.arg = std::string(arg);
    return r;
}

std::string apply_what_if(Estate& e, const WhatIf& w) {
    switch (w.layer) {
        case LayerId::os_policy: {
            Provenance p;
            p.source = "what-if";
            p.detail = "--set " + w.arg;
            p.registry_key = w.key;
            p.registry_value = w.name;
            p.raw = w.value.value_or("");
            if (w.data) {
                e.os.registry.set(w.key, w.name, *w.data, p);
            } else {
                e.os.registry.delete_value(w.key, w.name, p);
            }
            return "";
        }
        case LayerId::host_pool:
            if (!has_host_pool_layer(e.product))
                return "`--set " + w.arg + "`: product `" + std::string(to_string(e.product)) +
                       "` has no host-pool layer";
            if (!e.host_pool_src.present)
                return "`--set " + w.arg + "`: the host-pool layer is not present (product `" +
                       std::string(to_string(e.product)) + "` and no host pool store configured)";
            apply_property(
                e, w, e.host_pool_what_if, e.host_pool_src, e.host_pool_file.get(),
                e.host_pool.empty() ? "the host pool" : "host pool `" + e.host_pool + "`");
            return "";
        case LayerId::client:
            apply_property(e, w, e.client_what_if, e.client_src, e.client_file.get(),
                           "the client settings");
            return "";
        case LayerId::platform:
            break;
    }
    return "`--set " + w.arg + "`: the platform layer cannot be modelled";
}

}  // namespace comredir::policy
