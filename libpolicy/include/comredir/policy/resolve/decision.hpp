#pragma once
// The resolver's input (one reading per layer) and output (the decision with its reasons).

#include <comredir/policy/core/product.hpp>
#include <comredir/policy/core/provenance.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/list_value.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comredir::policy {

enum class LayerId {
    os_policy,  ///< Group Policy / Intune / registry on the session host
    host_pool,  ///< AVD host pool RDP properties (customRdpProperty)
    client,     ///< the client's .rdp settings
    platform,   ///< client platform / host capability constraints
};
std::string_view to_string(LayerId l);

/// What one layer says about one feature.
enum class State {
    allow,
    deny,
    not_configured,  ///< the product default applies
    not_applicable,  ///< the product has no such layer, or the feature no such setting
    error,           ///< the source could not be read: fail closed (deny)
};
std::string_view to_string(State s);

/// The rule by which one source of a layer beat another that set the same policy differently.
enum class ConflictRule {
    order,     ///< Group Policy processing order: the later source wins (the local GPO, then the
               ///< linked GPOs in link order, then --pol files and .reg snapshots as given)
    mdm_wins,  ///< Intune over Group Policy: MDMWinsOverGP is set
    gp_wins,   ///< Group Policy over Intune: MDMWinsOverGP is not set
    stricter,  ///< Computer against User setting of a policy of class Both: the stricter one
};
/// `order`, `mdm_wins`, `gp_wins`, `stricter`.
std::string_view to_string(ConflictRule r);

/// Two sources of one layer that set the same policy to different values, and who won. Both
/// settings are named by their place in the layer that holds the conflict (winner_of, loser_of).
struct Conflict {
    std::size_t overridden = 0;         ///< the losing setting: index in the layer's `overridden`
    std::optional<std::size_t> winner;  ///< the winner: index in `overridden`, or none for `where`
    ConflictRule rule = ConflictRule::order;
};

/// The settings a conflict names, in the LayerReading or LayerOutcome holding it.
template <typename Layer>
const Provenance& winner_of(const Layer& layer, const Conflict& c) {
    return c.winner ? layer.overridden.at(*c.winner) : layer.where;
}
template <typename Layer>
const Provenance& loser_of(const Layer& layer, const Conflict& c) {
    return layer.overridden.at(c.overridden);
}

/// The resolver's input for one layer and one feature.
struct LayerReading {
    State state = State::not_configured;
    std::optional<ListValue> list;  ///< list features: the configured list
    std::optional<int> level;       ///< level features: the configured level 0..4
    Provenance where;               ///< the setting that decided this layer
    std::vector<Provenance>
        overridden;  ///< same-layer settings it overrode (earlier GPOs, Intune, ...)
    /// Those of the overridden settings that said something else than the setting that beat
    /// them, with the rule that decided.
    std::vector<Conflict> conflicts;
    std::string error;  ///< state == error: why
    std::vector<std::string> notes;
};

struct FeatureInputs {
    LayerReading os;
    LayerReading host_pool;
    LayerReading client;
    /// Policy on client platforms (com_ports: comredir's `AllowNonWindowsClients`). It speaks
    /// about non-Windows clients only: for them `deny` and `error` deny (`error` fails closed),
    /// `allow` is cited when nothing else forbids them; for Windows clients it is not used.
    /// Empty (or not_configured): the catalog's platform support alone decides. Set only
    /// where such a policy is configured, so the inputs of every other feature carry no
    /// fourth reading to copy.
    std::optional<LayerReading> platform{};
};

/// One layer in the decision: what it said and what it amounted to after defaults.
struct LayerOutcome {
    LayerId layer = LayerId::os_policy;
    State configured = State::not_configured;  ///< as read
    State applied =
        State::not_applicable;      ///< allow / deny / not_applicable after defaults and errors
    bool from_default = false;      ///< `applied` came from the product default
    std::optional<ListValue> list;  ///< list features: the applied list
    std::optional<int> level;       ///< level features: the applied level (5 = unrestricted)
    Provenance where;
    std::vector<Provenance> overridden;
    std::vector<Conflict> conflicts;  ///< see LayerReading::conflicts
    std::string error;
};

inline constexpr int kUnrestrictedLevel = 5;

struct Decision {
    std::string feature;
    std::string title;
    ValueKind kind = ValueKind::boolean;
    Product product = Product::avd;
    ClientOs client_os = ClientOs::windows;
    State effective = State::deny;  ///< allow or deny
    std::optional<ListValue> list;  ///< list features: the effective list
    std::optional<int> level;       ///< level features: the effective level
    LayerId decided_by = LayerId::os_policy;
    bool decided_by_default = false;   ///< no layer was configured for the decisive value
    std::vector<LayerOutcome> layers;  ///< os_policy, host_pool, client, platform — in that order
    std::vector<LayerId> overrode;     ///< layers that allowed more than the result
    std::vector<std::string> notes;
    std::vector<std::string> errors;
};

}  // namespace comredir::policy
