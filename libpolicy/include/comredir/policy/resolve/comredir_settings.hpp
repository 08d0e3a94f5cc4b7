#pragma once
// comredir's own Group Policy values (admx/comredir.admx, admx/README.md): read from the
// policy registry with provenance, checked against the template's types and ranges, with
// the documented defaults when not configured; and the client port-name patterns of
// `Allow only these client port names`.
//
// Port-name patterns (AllowedPortNames, list `...\Redirection\AllowedPorts`): each entry is
// matched against the whole client-side port name, ignoring ASCII case. `*` stands for any
// run of characters (none included), `?` for exactly one character (one UTF-8 code point);
// every other character stands for itself (no escapes, no `[...]` classes). So `COM1`
// allows exactly COM1 (and com1), `COM*` every name that starts with COM, `COM?` COM1 to
// COM9 but not COM10, and `*` every port. A port is allowed when any entry matches it.

#include <comredir/policy/core/provenance.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

/// The template's keys, below HKLM.
inline constexpr std::string_view kComredirKey = "SOFTWARE\\Policies\\comredir";
inline constexpr std::string_view kComredirRedirectionKey =
    "SOFTWARE\\Policies\\comredir\\Redirection";
inline constexpr std::string_view kComredirAllowedPortsKey =
    "SOFTWARE\\Policies\\comredir\\Redirection\\AllowedPorts";
inline constexpr std::string_view kComredirSerialConsoleKey =
    "SOFTWARE\\Policies\\comredir\\SerialConsole";
inline constexpr std::string_view kComredirAttachRolesKey =
    "SOFTWARE\\Policies\\comredir\\SerialConsole\\AttachRoles";

/// What applies when a policy is not configured (or disabled, for the policies whose
/// explain text says so): the ADML explain texts and admx/README.md's "not configured"
/// column. The one place these values live; the ADMX dialog defaults are the same.
struct ComredirDefaults {
    std::string_view audit_log_path = "/var/log/comredir/audit.jsonl";
    bool deny_com_redirection = false;  ///< COM ports not blocked by this template
    bool restrict_port_names = false;   ///< every port name allowed
    bool allow_non_windows_clients = true;
    bool one_session_per_port = true;  ///< a second session is refused
    std::uint32_t latency_warning_ms = 20;
    bool serial_console_enabled = true;
    bool allow_takeover = true;          ///< checkbox checked by default
    bool restrict_attach_roles = false;  ///< Virtual Machine Contributor or more rights
    std::uint32_t idle_timeout_minutes = 30;
    std::uint32_t paste_limit_chars = 2048;  ///< as Azure Serial Console
};
inline constexpr ComredirDefaults kComredirDefaults{};

enum class ComredirValueKind {
    flag,    ///< REG_DWORD 1 / 0 (a policy's own value, or a checkbox)
    number,  ///< REG_DWORD in [min, max]
    text,    ///< REG_SZ / REG_EXPAND_SZ, an absolute path of at most max_length characters
    list,    ///< every value of the key is an item (REG_SZ / REG_EXPAND_SZ)
};

/// One value the template writes, as comredir.admx defines it.
struct ComredirValueInfo {
    std::string_view admx_policy;   ///< policy name in comredir.admx: `DenyComRedirection`
    std::string_view display_name;  ///< its ADML display name
    std::string_view key;           ///< below HKLM
    std::string_view value_name;    ///< empty for a list (the key's values are the items)
    ComredirValueKind kind;
    bool policy_value;  ///< the policy's own valueName: 1 = Enabled, 0 = Disabled
    std::uint32_t min = 0, max = 1;
    std::uint32_t max_length = 0;  ///< text: characters
    std::string_view explain_id;   ///< ADML string that documents the default
};

/// Every value of the template, in the order of ComredirSettings's fields.
std::span<const ComredirValueInfo> comredir_values();
/// By policy and value name (value name empty for a list; names compare ignoring case).
const ComredirValueInfo* find_comredir_value(std::string_view admx_policy,
                                             std::string_view value_name);

/// One value as the sources left it.
template <typename T>
struct ComredirValue {
    std::optional<T> value;                ///< as set; nullopt when not configured or bad
    T fallback{};                          ///< the documented default (kComredirDefaults)
    Provenance where;                      ///< the write that set it (a bad one too), else
                                           ///< source `default` with the documented default
    std::vector<Provenance> overridden;    ///< earlier writes it overrode, oldest first
    std::optional<Provenance> deleted_by;  ///< the last action deleted it (not configured)
    std::string error;  ///< wrong type or out of range: one line naming file and value

    const T& get() const { return value ? *value : fallback; }
    bool configured() const { return value.has_value(); }
    bool ok() const { return error.empty(); }
};

/// One item of a list element: a port pattern or a role name.
struct ComredirListItem {
    std::string text;  ///< as written
    Provenance where;  ///< the write; registry_value is the item's value name (`1`, `2`, ...)
};

/// A list element: every value now present in its key (`**delvals.` clears it), ordered by
/// value name (`1`, `2`, ... `10` numerically).
struct ComredirList {
    std::vector<ComredirListItem> items;
    std::string error;  ///< an item that is not a string, or empty: one line
    bool ok() const { return error.empty(); }
};

/// Every value of admx/comredir.admx (one field per registry value).
struct ComredirSettings {
    ComredirValue<std::string> audit_log_path;  ///< AuditLogLocation: AuditLogPath
    ComredirValue<bool> deny_com_redirection;   ///< DenyComRedirection: DisableComPortRedirection
    ComredirValue<bool> restrict_port_names;    ///< AllowedPortNames: RestrictPortNames
    ComredirList allowed_ports;                 ///< AllowedPortNames: ...\AllowedPorts
    ComredirValue<bool> allow_non_windows_clients;      ///< AllowNonWindowsClients
    ComredirValue<bool> one_session_per_port;           ///< OneSessionPerPort
    ComredirValue<std::uint32_t> latency_warning_ms;    ///< LatencyWarning: LatencyWarningMs
    ComredirValue<bool> serial_console_enabled;         ///< SerialConsoleEnabled: Enabled
    ComredirValue<bool> allow_takeover;                 ///< SerialConsoleEnabled: AllowTakeover
    ComredirValue<bool> restrict_attach_roles;          ///< SerialConsoleRoles: RestrictAttachRoles
    ComredirList attach_roles;                          ///< SerialConsoleRoles: ...\AttachRoles
    ComredirValue<std::uint32_t> idle_timeout_minutes;  ///< SerialConsoleIdleTimeout
    ComredirValue<std::uint32_t> paste_limit_chars;     ///< SerialConsolePasteLimit

    /// Every value's error, in field order.
    std::vector<std::string> errors() const;
    bool ok() const { return errors().empty(); }
};

/// Reads every comredir value under HKLM (pure; never throws on bad data: a bad value
/// keeps its error and provenance and reads as not configured).
ComredirSettings read_comredir_settings(const RegistryState& reg);

/// Matches one pattern against a port name (syntax: see the top of this header).
bool port_pattern_match(std::string_view pattern, std::string_view port);

/// Whether AllowedPortNames lets `port` be redirected.
struct PortNameCheck {
    bool allowed = true;
    std::string reason;  ///< one line: ``COM3` matches `COM*``, ``COM9` matches none of ...`
    Provenance where;    ///< the matching item, else the RestrictPortNames write (or default)
};
/// Not configured or disabled: allowed. Enabled: allowed when an item matches (an empty list
/// allows nothing). A bad RestrictPortNames, or a bad list while enabled, denies (fail closed).
PortNameCheck port_name_allowed(const ComredirSettings& policy, std::string_view port);

}  // namespace comredir::policy
