// comredir's own policy values (admx/comredir.admx) from the policy registry, and port-name
// patterns.
#include <algorithm>
#include <array>
#include <comredir/policy/resolve/comredir_settings.hpp>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

using Kind = ComredirValueKind;
constexpr std::string_view kRoot = kComredirKey;
constexpr std::string_view kRedir = kComredirRedirectionKey;
constexpr std::string_view kConsole = kComredirSerialConsoleKey;

// In the order of ComredirSettings's fields. Names, keys and ranges as in comredir.admx
// (tests/unit/comredir_policy_test.cpp checks them against the file).
// clang-format off
constexpr std::array<ComredirValueInfo, 13> kValues{{
    {"AuditLogLocation", "Audit log location", kRoot, "AuditLogPath", Kind::text, false, 0, 0, 1023, "AuditLogLocation_Help"},
    {"DenyComRedirection", "Do not allow COM port redirection to comredir hosts", kRedir, "DisableComPortRedirection", Kind::flag, true, 0, 1, 0, "DenyComRedirection_Help"},
    {"AllowedPortNames", "Allow only these client port names", kRedir, "RestrictPortNames", Kind::flag, true, 0, 1, 0, "AllowedPortNames_Help"},
    {"AllowedPortNames", "Allow only these client port names", kComredirAllowedPortsKey, "", Kind::list, false, 0, 0, 0, "AllowedPortNames_Help"},
    {"AllowNonWindowsClients", "Allow non-Windows clients to redirect serial ports", kRedir, "AllowNonWindowsClients", Kind::flag, true, 0, 1, 0, "AllowNonWindowsClients_Help"},
    {"OneSessionPerPort", "Use each serial port in one session at a time", kRedir, "OneSessionPerPort", Kind::flag, true, 0, 1, 0, "OneSessionPerPort_Help"},
    {"LatencyWarning", "Warn about slow serial links (latency threshold)", kRedir, "LatencyWarningMs", Kind::number, false, 0, 60000, 0, "LatencyWarning_Help"},
    {"SerialConsoleEnabled", "Allow the serial console", kConsole, "Enabled", Kind::flag, true, 0, 1, 0, "SerialConsoleEnabled_Help"},
    {"SerialConsoleEnabled", "Allow the serial console", kConsole, "AllowTakeover", Kind::flag, false, 0, 1, 0, "SerialConsoleEnabled_Help"},
    {"SerialConsoleRoles", "Roles allowed to attach to the serial console", kConsole, "RestrictAttachRoles", Kind::flag, true, 0, 1, 0, "SerialConsoleRoles_Help"},
    {"SerialConsoleRoles", "Roles allowed to attach to the serial console", kComredirAttachRolesKey, "", Kind::list, false, 0, 0, 0, "SerialConsoleRoles_Help"},
    {"SerialConsoleIdleTimeout", "Serial console idle timeout", kConsole, "IdleTimeoutMinutes", Kind::number, false, 0, 1440, 0, "SerialConsoleIdleTimeout_Help"},
    {"SerialConsolePasteLimit", "Serial console paste limit", kConsole, "PasteLimitChars", Kind::number, false, 0, 65536, 0, "SerialConsolePasteLimit_Help"},
}};
// clang-format on

std::string bt(std::string_view s) {
    return "`" + std::string(s) + "`";
}

// `a.pol: offset 0x1a4` / `x.reg: line 3`: where a message about a write starts.
std::string at(const Provenance& p) {
    return detail::source_at(p);
}

void fill_admx(const ComredirValueInfo& info, Provenance& p) {
    p.admx_policy = std::string(info.admx_policy);
    p.admx_display_name = std::string(info.display_name);
}

std::string default_text(const std::string& v) {
    return v;
}
std::string default_text(bool v) {
    return v ? "1" : "0";
}
std::string default_text(std::uint32_t v) {
    return std::to_string(v);
}

// Looks the value up; fills provenance, history and deletion. The present value, or nullptr.
template <typename T>
const RegValue* take(const RegistryState& reg, const ComredirValueInfo& info, T fallback,
                     ComredirValue<T>& out) {
    out.where.source = "default";
    out.where.registry_key = "HKLM\\" + std::string(info.key);
    out.where.registry_value = std::string(info.value_name);
    fill_admx(info, out.where);
    out.where.raw = default_text(fallback);
    out.where.detail = "not configured: " + bt(out.where.raw) + " (admx/en-US/comredir.adml " +
                       std::string(info.explain_id) + ")";
    out.fallback = std::move(fallback);
    const auto* slot = reg.find(out.where.registry_key, info.value_name);
    if (slot == nullptr) return nullptr;
    out.overridden = slot->history;
    for (auto& o : out.overridden) fill_admx(info, o);
    if (!slot->current) {
        out.deleted_by = slot->deleted_by;
        if (out.deleted_by) fill_admx(info, *out.deleted_by);
        return nullptr;
    }
    out.where = slot->current->origin;
    fill_admx(info, out.where);
    return &slot->current->value;
}

std::optional<std::uint32_t> dword_of(const ComredirValueInfo& info, const RegValue& v,
                                      Provenance& where, std::string& error) {
    auto dw = reg_dword(v);
    if (!dw) {
        error = at(where) + ": " + bt(info.value_name) + " is " + reg_type_name(v.type) + " of " +
                std::to_string(v.data.size()) + " bytes, expected a 4-byte REG_DWORD";
        return std::nullopt;
    }
    where.raw = std::to_string(*dw);
    if (*dw < info.min || *dw > info.max) {
        error = at(where) + ": " + bt(info.value_name) + " = " + bt(where.raw) +
                (info.kind == Kind::flag ? " is neither `1` (enabled) nor `0` (disabled)"
                                         : " is out of range " + std::to_string(info.min) + "-" +
                                               std::to_string(info.max));
        return std::nullopt;
    }
    return dw;
}

bool is_string_type(std::uint32_t type) {
    return type == static_cast<std::uint32_t>(RegType::sz) ||
           type == static_cast<std::uint32_t>(RegType::expand_sz);
}

// The value as text, or an error naming `what` (``AuditLogPath``, `list `AllowedPorts` item `1``).
std::optional<std::string> string_of(const std::string& what, const RegValue& v,
                                     const Provenance& where, std::string& error) {
    auto s = is_string_type(v.type) ? reg_string(v) : std::nullopt;
    if (!s) {
        error = at(where) + ": " + what + " is " + reg_type_name(v.type) + " of " +
                std::to_string(v.data.size()) + " bytes, expected REG_SZ";
        return std::nullopt;
    }
    if (detail::trim(*s).empty()) {
        error = at(where) + ": " + what + " is empty";
        return std::nullopt;
    }
    return s;
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

bool absolute_path(std::string_view p) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    return p.starts_with('/') || p.starts_with("\\\\") ||
           (p.size() >= 3 && letter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'));
}

void read_flag(const RegistryState& reg, const ComredirValueInfo& info, bool fallback,
               ComredirValue<bool>& out) {
    const RegValue* v = take(reg, info, fallback, out);
    if (v == nullptr) return;
    if (auto dw = dword_of(info, *v, out.where, out.error)) out.value = *dw == 1;
}

void read_number(const RegistryState& reg, const ComredirValueInfo& info, std::uint32_t fallback,
                 ComredirValue<std::uint32_t>& out) {
    const RegValue* v = take(reg, info, fallback, out);
    if (v == nullptr) return;
    out.value = dword_of(info, *v, out.where, out.error);
}

void read_path(const RegistryState& reg, const ComredirValueInfo& info, std::string fallback,
               ComredirValue<std::string>& out) {
    const RegValue* v = take(reg, info, std::move(fallback), out);
    if (v == nullptr) return;
    auto s = string_of(bt(info.value_name), *v, out.where, out.error);
    if (!s) return;
    out.where.raw = *s;
    if (code_points(*s) > info.max_length) {
        out.error = at(out.where) + ": " + bt(info.value_name) + " is " +
                    std::to_string(code_points(*s)) + " characters long, more than " +
                    std::to_string(info.max_length);
    } else if (!absolute_path(*s)) {
        out.error = at(out.where) + ": " + bt(info.value_name) + " = " + bt(*s) +
                    " is not an absolute path";
    } else {
        out.value = std::move(*s);
    }
}

// `1` < `2` < `10` < `a`: numeric names in number order, then the others by name.
bool item_name_less(const std::string& a, const std::string& b) {
    auto numeric = [](const std::string& s) {
        return !s.empty() && s.size() < 10 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    bool na = numeric(a);
    bool nb = numeric(b);
    if (na != nb) return na;
    if (na && a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

void read_list(const RegistryState& reg, const ComredirValueInfo& info, ComredirList& out) {
    const std::string key = "HKLM\\" + std::string(info.key);
    std::string list_name = std::string(info.key.substr(info.key.rfind('\\') + 1));
    auto values = reg.values_of(key);
    std::sort(values.begin(), values.end(),
              [](const auto& a, const auto& b) { return item_name_less(a.first, b.first); });
    for (const auto& [name, slot] : values) {
        if (!slot->current) continue;
        ComredirListItem item;
        item.where = slot->current->origin;
        fill_admx(info, item.where);
        if (item.where.registry_key.empty()) item.where.registry_key = key;
        if (item.where.registry_value.empty()) item.where.registry_value = name;
        std::string what = "list " + bt(list_name) + " item " + bt(item.where.registry_value);
        auto s = string_of(what, slot->current->value, item.where, out.error);
        if (!s) {
            out.items.clear();
            return;
        }
        item.where.raw = *s;
        item.text = std::move(*s);
        out.items.push_back(std::move(item));
    }
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Bytes of the UTF-8 code point starting at `i`.
std::size_t cp_len(std::string_view s, std::size_t i) {
    std::size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xc0) == 0x80) ++n;
    return n;
}

}  // namespace

std::span<const ComredirValueInfo> comredir_values() {
    return kValues;
}

const ComredirValueInfo* find_comredir_value(std::string_view admx_policy,
                                             std::string_view value_name) {
    for (const auto& v : kValues) {
        if (detail::iequals(v.admx_policy, admx_policy) &&
            detail::iequals(v.value_name, value_name)) {
            return &v;
        }
    }
    return nullptr;
}

std::vector<std::string> ComredirSettings::errors() const {
    std::vector<std::string> out;
    auto add = [&](const std::string& e) {
        if (!e.empty()) out.push_back(e);
    };
    add(audit_log_path.error);
    add(deny_com_redirection.error);
    add(restrict_port_names.error);
    add(allowed_ports.error);
    add(allow_non_windows_clients.error);
    add(one_session_per_port.error);
    add(latency_warning_ms.error);
    add(serial_console_enabled.error);
    add(allow_takeover.error);
    add(restrict_attach_roles.error);
    add(attach_roles.error);
    add(idle_timeout_minutes.error);
    add(paste_limit_chars.error);
    return out;
}

ComredirSettings read_comredir_settings(const RegistryState& reg) {
    const auto& d = kComredirDefaults;
    const auto& v = kValues;
    ComredirSettings p;
    read_path(reg, v[0], std::string(d.audit_log_path), p.audit_log_path);
    read_flag(reg, v[1], d.deny_com_redirection, p.deny_com_redirection);
    read_flag(reg, v[2], d.restrict_port_names, p.restrict_port_names);
    read_list(reg, v[3], p.allowed_ports);
    read_flag(reg, v[4], d.allow_non_windows_clients, p.allow_non_windows_clients);
    read_flag(reg, v[5], d.one_session_per_port, p.one_session_per_port);
    read_number(reg, v[6], d.latency_warning_ms, p.latency_warning_ms);
    read_flag(reg, v[7], d.serial_console_enabled, p.serial_console_enabled);
    read_flag(reg, v[8], d.allow_takeover, p.allow_takeover);
    read_flag(reg, v[9], d.restrict_attach_roles, p.restrict_attach_roles);
    read_list(reg, v[10], p.attach_roles);
    read_number(reg, v[11], d.idle_timeout_minutes, p.idle_timeout_minutes);
    read_number(reg, v[12], d.paste_limit_chars, p.paste_limit_chars);
    return p;
}

bool port_pattern_match(std::string_view pattern, std::string_view port) {
    // Greedy match; on a mismatch the last `*` takes one more character (linear in practice,
    // never exponential).
    std::size_t p = 0;
    std::size_t i = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (i < port.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = i;
        } else if (p < pattern.size() && pattern[p] == '?') {
            ++p;
            i += cp_len(port, i);
        } else if (p < pattern.size() && lower(pattern[p]) == lower(port[i])) {
            ++p;
            ++i;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            mark += cp_len(port, mark);
            i = mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

PortNameCheck port_name_allowed(const ComredirSettings& policy, std::string_view port) {
    PortNameCheck out;
    const auto& rpn = policy.restrict_port_names;
    out.where = rpn.where;
    if (!rpn.ok() || (rpn.get() && !policy.allowed_ports.ok())) {
        out.allowed = false;
        out.reason = rpn.ok() ? policy.allowed_ports.error : rpn.error;
        return out;
    }
    if (!rpn.get()) {
        out.reason = std::string(rpn.configured() ? "disabled" : "not configured") +
                     ": every port name is allowed";
        return out;
    }
    for (const auto& item : policy.allowed_ports.items) {
        if (port_pattern_match(item.text, port)) {
            out.reason = bt(port) + " matches " + bt(item.text);
            out.where = item.where;
            return out;
        }
    }
    out.allowed = false;
    if (policy.allowed_ports.items.empty()) {
        out.reason = "the list is empty: no port is redirected";
        return out;
    }
    out.reason = bt(port) + " matches none of ";
    for (std::size_t i = 0; i < policy.allowed_ports.items.size(); ++i)
        out.reason += (i == 0 ? "" : ", ") + bt(policy.allowed_ports.items[i].text);
    return out;
}

}  // namespace comredir::policy
