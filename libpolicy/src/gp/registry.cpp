#include <comredir/policy/gp/registry.hpp>
#include <cstdio>

#include "io/text.hpp"

namespace comredir::policy {

std::string reg_type_name(std::uint32_t type) {
    switch (static_cast<RegType>(type)) {
        case RegType::none:
            return "REG_NONE";
        case RegType::sz:
            return "REG_SZ";
        case RegType::expand_sz:
            return "REG_EXPAND_SZ";
        case RegType::binary:
            return "REG_BINARY";
        case RegType::dword:
            return "REG_DWORD";
        case RegType::dword_big_endian:
            return "REG_DWORD_BIG_ENDIAN";
        case RegType::link:
            return "REG_LINK";
        case RegType::multi_sz:
            return "REG_MULTI_SZ";
        case RegType::resource_list:
            return "REG_RESOURCE_LIST";
        case RegType::full_resource_descriptor:
            return "REG_FULL_RESOURCE_DESCRIPTOR";
        case RegType::resource_requirements_list:
            return "REG_RESOURCE_REQUIREMENTS_LIST";
        case RegType::qword:
            return "REG_QWORD";
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "REG_0x%08x", type);
    return buf;
}

std::optional<std::uint32_t> reg_dword(const RegValue& v) {
    if (v.data.size() != 4) return std::nullopt;
    const auto& d = v.data;
    if (v.type == static_cast<std::uint32_t>(RegType::dword)) {
        return d[0] | (d[1] << 8) | (d[2] << 16) | (static_cast<std::uint32_t>(d[3]) << 24);
    }
    if (v.type == static_cast<std::uint32_t>(RegType::dword_big_endian)) {
        return d[3] | (d[2] << 8) | (d[1] << 16) | (static_cast<std::uint32_t>(d[0]) << 24);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> reg_qword(const RegValue& v) {
    if (v.type != static_cast<std::uint32_t>(RegType::qword) || v.data.size() != 8)
        return std::nullopt;
    std::uint64_t out = 0;
    for (int i = 7; i >= 0; --i) out = (out << 8) | v.data[static_cast<std::size_t>(i)];
    return out;
}

std::optional<std::string> reg_string(const RegValue& v) {
    auto t = static_cast<RegType>(v.type);
    if (t != RegType::sz && t != RegType::expand_sz && t != RegType::link) return std::nullopt;
    std::size_t n = v.data.size() & ~static_cast<std::size_t>(1);
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        if (v.data[i] == 0 && v.data[i + 1] == 0) {
            n = i;
            break;
        }
    }
    return detail::utf16le_to_utf8(std::span(v.data.data(), n));
}

std::optional<std::vector<std::string>> reg_multi_sz(const RegValue& v) {
    if (v.type != static_cast<std::uint32_t>(RegType::multi_sz)) return std::nullopt;
    std::vector<std::string> out;
    std::size_t n = v.data.size() & ~static_cast<std::size_t>(1);
    std::size_t start = 0;
    bool terminated = false;
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        if (v.data[i] == 0 && v.data[i + 1] == 0) {
            if (i == start) {  // empty string terminates the list
                terminated = true;
                break;
            }
            auto s = detail::utf16le_to_utf8(std::span(v.data.data() + start, i - start));
            if (!s) return std::nullopt;
            out.push_back(std::move(*s));
            start = i + 2;
        }
    }
    if (!terminated && start < n) {
        // unterminated last string: keep it (peers write it both ways)
        std::size_t end = n;
        auto s = detail::utf16le_to_utf8(std::span(v.data.data() + start, end - start));
        if (!s) return std::nullopt;
        if (!s->empty()) out.push_back(std::move(*s));
    }
    return out;
}

std::string normalize_key(std::string_view key) {
    std::string lower = detail::ascii_lower(key);
    std::string out;
    out.reserve(lower.size());
    for (char c : lower) {
        if (c == '/') c = '\\';
        if (c == '\\' && (out.empty() || out.back() == '\\')) continue;
        out.push_back(c);
    }
    while (!out.empty() && out.back() == '\\') out.pop_back();
    auto replace_prefix = [&](std::string_view from, std::string_view to) {
        if (out.size() >= from.size() && out.compare(0, from.size(), from) == 0 &&
            (out.size() == from.size() || out[from.size()] == '\\')) {
            out.replace(0, from.size(), to);
            return true;
        }
        return false;
    };
    replace_prefix("hkey_local_machine", "hklm") || replace_prefix("hkey_current_user", "hkcu");
    return out;
}

namespace {

std::string slot_key(std::string_view key, std::string_view value) {
    std::string k = normalize_key(key);
    k.push_back('\0');
    k += detail::ascii_lower(value);
    return k;
}

}  // namespace

void RegistryState::set(std::string_view key, std::string_view value, RegValue data,
                        Provenance origin) {
    Slot& s = slots_[slot_key(key, value)];
    if (s.current) s.history.push_back(std::move(s.current->origin));
    s.current = Write{std::move(data), std::move(origin)};
    s.deleted_by.reset();
}

void RegistryState::set_soft(std::string_view key, std::string_view value, RegValue data,
                             Provenance origin) {
    auto it = slots_.find(slot_key(key, value));
    if (it != slots_.end() && it->second.current) return;
    set(key, value, std::move(data), std::move(origin));
}

void RegistryState::delete_value(std::string_view key, std::string_view value,
                                 const Provenance& origin) {
    Slot& s = slots_[slot_key(key, value)];
    if (s.current) s.history.push_back(std::move(s.current->origin));
    s.current.reset();
    s.deleted_by = origin;
}

void RegistryState::delete_values(std::string_view key, const Provenance& origin) {
    std::string prefix = normalize_key(key);
    prefix.push_back('\0');
    for (auto it = slots_.lower_bound(prefix); it != slots_.end() && it->first.starts_with(prefix);
         ++it) {
        Slot& s = it->second;
        if (!s.current) continue;
        s.history.push_back(std::move(s.current->origin));
        s.current.reset();
        s.deleted_by = origin;
    }
}

void RegistryState::delete_key(std::string_view key, const Provenance& origin) {
    std::string base = normalize_key(key);
    std::string own = base + '\0';
    std::string sub = base + '\\';
    for (auto& [k, s] : slots_) {
        if (!(k.starts_with(own) || k.starts_with(sub)) || !s.current) continue;
        s.history.push_back(std::move(s.current->origin));
        s.current.reset();
        s.deleted_by = origin;
    }
}

const RegistryState::Slot* RegistryState::find(std::string_view key, std::string_view value) const {
    auto it = slots_.find(slot_key(key, value));
    return it == slots_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, const RegistryState::Slot*>> RegistryState::values_of(
    std::string_view key) const {
    std::string prefix = normalize_key(key);
    prefix.push_back('\0');
    std::vector<std::pair<std::string, const Slot*>> out;
    for (auto it = slots_.lower_bound(prefix); it != slots_.end() && it->first.starts_with(prefix);
         ++it) {
        out.emplace_back(it->first.substr(prefix.size()), &it->second);
    }
    return out;
}

}  // namespace comredir::policy
