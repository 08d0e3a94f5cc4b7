#pragma once
// From what the sources say to what each layer says about one feature (pure, no I/O).

#include <comredir/policy/gp/registry.hpp>
#include <comredir/policy/resolve/decision.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comredir::policy {

struct RdpFile;

/// One Intune settings-catalog value, with where it came from.
struct IntuneValue {
    std::string definition_id;
    std::string value;  ///< choice value id (`..._ts_client_com_1`) or simple value
    std::string parent_definition_id;
    Provenance where;
};

/// Everything the OS policy layer was built from.
struct OsSources {
    RegistryState registry;           ///< Group Policy and .reg sources applied in order
    std::vector<IntuneValue> intune;  ///< Intune settings, in the order the exports were given
    bool mdm_wins = false;            ///< MDMWinsOverGP: Intune beats Group Policy
    std::vector<std::string> errors;  ///< sources that could not be read: the layer fails closed
    /// The client's port being asked about (`effective --port COM3`): com_ports then also
    /// applies comredir's AllowedPortNames patterns to it. nullopt: no particular port.
    std::optional<std::string> port_name;
};

/// Host-pool or client properties: a parsed .rdp file or property string, or nothing.
struct PropertySources {
    const RdpFile* props = nullptr;   ///< nullptr: no such source (the layer is not configured)
    Provenance base;                  ///< file / host pool the properties came from
    std::vector<std::string> errors;  ///< unreadable or invalid source: the layer fails closed
    /// What-if properties (`effective --set`): a property here counts instead of the same
    /// property in `props`, which it then cites as overridden. Provenance from `what_if_base`.
    const RdpFile* what_if = nullptr;
    Provenance what_if_base;
    /// False: the layer does not exist for this host although the product has it (a `linux`
    /// host with no host pool store: the AVD host-pool layer is optional there). It then reads
    /// not_applicable, like the layer of a product without one; `base.detail` says why.
    bool present = true;
};

/// The OS layer: Group Policy / .reg values and Intune settings of the feature's policy.
/// For com_ports, comredir's own policies (comredir_settings.hpp) are more OS-layer sources:
/// `DenyComRedirection` and `AllowedPortNames` (with OsSources::port_name) combine with
/// TS_CLIENT_COM / Intune, the most restrictive winning: `where` cites the decisive one
/// (the first that denies, in that order), `overridden` the others; a bad comredir value
/// that the decision uses is an error (the layer fails closed).
LayerReading read_os_layer(const Feature& f, const OsSources& os);
/// Policy about client platforms: for com_ports, comredir's `AllowNonWindowsClients`
/// (allow / deny / error for non-Windows clients, see FeatureInputs::platform); other
/// features, or an OS layer with unreadable sources: not_configured.
LayerReading read_platform_policy(const Feature& f, const OsSources& os);
LayerReading read_property_layer(const Feature& f, const PropertySources& src);

/// Convenience: all readings for a feature.
FeatureInputs read_layers(const Feature& f, const OsSources& os, const PropertySources& host_pool,
                          const PropertySources& client);

}  // namespace comredir::policy
