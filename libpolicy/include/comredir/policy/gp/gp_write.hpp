#pragma once
// Group Policy states -> the Registry.pol records the Group Policy editor writes for
// them, from the policy's ADMX definition (the inverse of gp_states.hpp).

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy {

enum class GpTarget { enabled, disabled, not_configured };

/// `enabled`, `disabled`, `not-configured` (also `not_configured`), case-insensitive.
std::optional<GpTarget> parse_gp_target(std::string_view s);
/// `enabled`, `disabled`, `not-configured`.
std::string_view to_string(GpTarget t);

/// Element values as given: (element id, value); an id may repeat for list and multiText
/// elements (one item each). Ids match case-insensitively.
using ElementValues = std::vector<std::pair<std::string, std::string>>;

struct PolicyRecords {
    bool ok = true;
    std::string message;             ///< one line when !ok: ``policy `P`: element `E`: ...``
    PolSlots slots;                  ///< every value the policy can write
    std::vector<PolRecord> records;  ///< what the state writes (none for not-configured)
    /// Enabled: elements left out that took the ADML dialog's default, (id, value), as the
    /// Group Policy editor's dialog starts with it.
    ElementValues defaults;
};

/// The records for `policy` in state `target`, in the order the editor writes them:
///  - Enabled: the main value (enabledValue, else REG_DWORD 1), the enabledList, then each
///    element: boolean (trueValue/falseValue, else 1 checked and `**del.` unchecked, and
///    its lists), decimal (REG_DWORD,
///    REG_SZ with storeAsText), longDecimal (REG_QWORD), text (REG_SZ, REG_EXPAND_SZ when
///    expandable), multiText (REG_MULTI_SZ), enum (the item's value and valueList), list
///    (`**delvals.` unless additive, then one value per item). Element values are checked
///    against the ADMX (ranges, lengths, enum items). An element left out takes the
///    presentation's default (decimalTextBox / textBox defaultValue, checkBox
///    defaultChecked, dropdownList defaultItem, comboBox default) as the editor's dialog
///    does; without one, a required element is an error and an optional one is not
///    written (a boolean then writes false, a multiText an empty REG_MULTI_SZ of 2 bytes,
///    a list only its `**delvals.`). A value written twice (an element that writes the
///    policy's own value) is one record, the last write, in the first one's place.
///  - Disabled: the main value (disabledValue, else `**del.`), the disabledList, a
///    checkbox's falseValue when it has one, and a `**del.` for each other element's own
///    value (`**delvals.` for a list key); boolean and enum list items are only removed.
///  - Not configured: nothing (every owned entry is removed).
/// Booleans accept true/false, 1/0, yes/no, on/off; enums an item's display name or its
/// value; explicit lists `name=data` items.
PolicyRecords policy_records(const AdmxPolicy& policy, GpTarget target,
                             const ElementValues& values);

}  // namespace comredir::policy
