#pragma once
// Rendering decisions (separate from evaluating them): one-line reasons and JSON.

#include <comredir/policy/resolve/decision.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace comredir::policy {

/// `GPO `Name` {GUID}: `Do not allow COM port redirection` (TS_CLIENT_COM) Enabled: fDisableCcm = 1
/// (path offset 0x1a4)`
std::string describe(const Provenance& p);
/// `conflict: GPO `B` wins by order over GPO `A`: `Do not allow COM port redirection`
/// (TS_CLIENT_COM) Disabled: fDisableCcm = 0 (a.pol offset 0x8)`: one of `layer`'s conflicts,
/// the overridden setting in full.
std::string describe(const LayerOutcome& layer, const Conflict& c);
/// The same with the overridden setting in short: `... over GPO `A` (fDisableCcm = 0)`.
std::string describe_short(const LayerOutcome& layer, const Conflict& c);
/// The effective value as text: `allow`, `deny`, a device list, or `level 2 (text+image)`.
std::string effective_text(const Decision& d);
/// Why the decision came out as it did: the deciding setting, its conflicts with other sources of
/// its layer, and the layers it overrode.
std::string reason(const Decision& d);

nlohmann::json to_json(const Provenance& p);
nlohmann::json to_json(const Decision& d);
/// The whole `effective --json` document (schema: docs/effective.schema.json).
nlohmann::json to_json(const Estate& e, const std::vector<Decision>& decisions);

inline constexpr int kEffectiveSchemaVersion = 1;

}  // namespace comredir::policy
