#pragma once
// The feature catalog: every redirection feature as data — its OS policy
// (ADMX policy, registry value and polarity), Intune setting ids, RDP property
// and value semantics, per-product defaults and client-platform support, each
// with its documentary source. The resolver reads only this table.

#include <comredir/policy/core/product.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace comredir::policy {

/// How a feature's value is expressed.
enum class ValueKind {
    boolean,  ///< allowed or not
    list,     ///< a device list (`*`, items, exclusions); most restrictive = intersection
    level,    ///< clipboard format level 0..4 (5 = unrestricted); most restrictive = minimum
};

/// What a layer does when it says nothing.
enum class Default { allow, deny };

/// OS policy layer: one ADMX-backed REG_DWORD under a policy key.
struct OsBinding {
    std::string_view admx_policy;   ///< `TS_CLIENT_COM`
    std::string_view display_name;  ///< ADML display name (tests check it against the ADML)
    std::string_view key;           ///< policy key below the hive
    std::string_view value_name;    ///< `fDisableCcm`
    std::uint32_t deny_value;       ///< registry value that blocks redirection
    std::uint32_t allow_value;      ///< registry value that permits it (unused for levels)
    bool enabled_denies;            ///< policy state Enabled blocks ("Do not allow ...")
    bool user_class_too;            ///< class Both: HKCU is read as well (stricter wins)
    std::span<const std::string_view> intune_ids;  ///< settings-catalog definition ids
    std::string_view intune_level_child;  ///< for level features: child setting carrying the level
    Default windows_default;              ///< Windows behaviour when not configured
    std::string_view source;              ///< where the above comes from
};

/// How an RDP property's value maps onto allow/deny.
enum class RdpSemantics {
    none,         ///< no RDP property governs the feature
    one_allows,   ///< `:i:1` allows, `:i:0` denies (redirectcomports, ...)
    zero_allows,  ///< `:i:0` allows, `1`/`2` deny (audiomode: 0 = play on the local device)
    list,         ///< `:s:` device list
};

struct RdpBinding {
    std::string_view property;  ///< `redirectcomports` (empty when semantics == none)
    RdpSemantics semantics;
    std::string_view source;
};

/// Per-product defaults of the host-pool and client layers (when the property is absent).
struct ProductDefaults {
    Product product;
    Default host_pool;              ///< AVD / linux host pool default
    Default client;                 ///< client-layer default when the .rdp says nothing
    std::string_view list_default;  ///< list features: the default list (`*` or ``)
    std::string_view source;
};

/// Client platforms from which Microsoft's clients can redirect the feature.
struct PlatformSupport {
    bool windows, macos, ios, android, web, linux_client;
    std::string_view source;
};

struct Feature {
    std::string_view id;     ///< `com_ports`
    std::string_view title;  ///< `COM (serial) ports`
    ValueKind kind;
    OsBinding os;
    RdpBinding rdp;
    std::span<const ProductDefaults> defaults;  ///< one per product
    PlatformSupport microsoft_clients;          ///< applies to avd, w365, devbox, rds
    bool comredir_linux_host;  ///< comredir's Linux redirector implements it (serial only)
    /// The products the feature exists on; empty: every product. A feature of comredir's own
    /// (the serial console) is not an RDP redirection and exists on comredir's Linux hosts only.
    std::span<const Product> only_on = {};
};

/// Every feature, COM ports first.
std::span<const Feature> features();
/// Looks up by id (`com_ports`); nullptr if unknown.
const Feature* find_feature(std::string_view id);
/// The settings-catalog definition id a feature id stands for in Intune's files
/// (`com_ports` -> `device_vendor_msft_..._ts_client_com`, any case); SETTING itself when
/// it names no feature with one. The Intune editor (intune/intune_edit.hpp) takes the result.
std::string intune_setting_for(std::string_view setting);
const ProductDefaults& defaults_for(const Feature& f, Product p);
/// Whether `f` exists on product `p` (`only_on`).
bool applies_to(const Feature& f, Product p);
bool platform_supported(const Feature& f, Product p, ClientOs os);

/// Key of every Terminal Services policy in the table.
inline constexpr std::string_view kTsPolicyKey =
    "SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
/// Group Policy wins over MDM unless this value is 1 ([Policy CSP]
/// ControlPolicyConflict/MDMWinsOverGP).
inline constexpr std::string_view kMdmWinsKey =
    "SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\ControlPolicyConflict";

}  // namespace comredir::policy
