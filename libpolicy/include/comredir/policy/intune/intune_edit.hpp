#pragma once
// Editing Intune settings-catalog exports (Graph `configurationPolicies` JSON, as
// intune.hpp reads them) as text: one setting's value changed in place, one top-level
// setting added or removed; every other byte (BOM, line ends, indentation, field order,
// fields we do not know) stays as it was. `intune export` builds a new importable policy.
//
// SETTING: a settingDefinitionId (ASCII case-insensitive). A catalog feature id
// (`com_ports`) is the resolver's word: resolve/catalog.hpp's intune_setting_for() turns it
// into its settings-catalog definition first. VALUE for a choice setting: the
// option id (`..._ts_client_com_1`), its suffix (`1`), or `enabled` / `disabled` (`_1` /
// `_0`); for a simple setting: an integer or a string, as the setting's value type says.
// New settings are choice settings (every device-redirection setting is one), appended
// to the policy's settings[] shaped as its last item is (`id`, template references).
// A setting is found at any depth (choice, group and collection children); one that
// occurs more than once, or is a collection or group, is not changed (not_supported).
// Every result is read back with parse_intune before it is returned: the policy's
// settings are the old ones with exactly the one change, the other policies untouched.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy {

enum class IntuneEditStatus {
    ok,
    bad_file,       ///< the file does not read as an export (intune.hpp's message)
    no_policy,      ///< --policy names no policy, or several policies and none chosen
    bad_setting,    ///< SETTING names nothing known
    bad_value,      ///< VALUE does not fit the setting
    not_supported,  ///< a shape this editor does not change (collections, repeated settings)
};

struct IntuneEdit {
    IntuneEditStatus status = IntuneEditStatus::ok;
    std::string message;              ///< one line when !ok
    std::vector<std::uint8_t> bytes;  ///< the whole new file
    bool changed = false;
    enum class Action { replaced, added, removed, unchanged } action = Action::unchanged;
    std::string definition_id;  ///< the setting's settingDefinitionId
    std::string previous;       ///< value before (empty when added / absent)
    std::string value;          ///< value after (empty when removed)
    std::string pointer;        ///< JSON pointer of the setting instance (before; in the file)
    std::string policy;         ///< the policy's name
    bool ok() const { return status == IntuneEditStatus::ok; }
};

/// SETTING as a definition id (lowercase) when it is one (`device_vendor_msft_...`,
/// `user_vendor_msft_...`); nullopt otherwise.
std::optional<std::string> intune_definition_id(std::string_view setting);
/// The choice option id VALUE stands for, for definition `id`; nullopt if not an option form.
std::optional<std::string> intune_choice_value(std::string_view id, std::string_view value);

/// `policy`: name or id of the policy to edit when the file holds several.
IntuneEdit intune_set(std::span<const std::uint8_t> file, std::string_view setting,
                      std::string_view value,
                      const std::optional<std::string>& policy = std::nullopt);
IntuneEdit intune_unset(std::span<const std::uint8_t> file, std::string_view setting,
                        const std::optional<std::string>& policy = std::nullopt);

/// A new policy in Graph's create shape (name, description, platforms `windows10`,
/// technologies `mdm`, roleScopeTagIds ["0"], settings[] of choice setting instances in
/// items as Graph exports them: `id` "0", "1"..., null template references), read back
/// with parse_intune before it is returned; UTF-8 without BOM, two-space indentation,
/// LF; nullopt with `error` set when a setting or value is not understood. `settings`:
/// (SETTING, VALUE) pairs as for intune_set.
std::optional<std::string> intune_export(
    const std::string& name, const std::string& description,
    const std::vector<std::pair<std::string, std::string>>& settings, std::string& error);

}  // namespace comredir::policy
