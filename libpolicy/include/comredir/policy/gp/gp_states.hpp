#pragma once
// Registry values -> Group Policy states, the way GPMC's settings report shows
// them: which administrative-template policies a Registry.pol sets Enabled or
// Disabled (with their element values), and the values no loaded policy
// explains ("Extra Registry Settings").
//
// Conservative: a policy is reported only when the file's values match one of
// its states exactly; values that match neither state go to `extra`.

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy {

enum class GpState { enabled, disabled };

/// `enabled`, `disabled`.
std::string_view to_string(GpState state);

struct PolicyState {
    std::string policy;        ///< ADMX name (`TS_CLIENT_COM`)
    std::string display_name;  ///< resolved display name
    AdmxClass cls = AdmxClass::machine;
    GpState state = GpState::enabled;
    std::string category;  ///< AdmxPolicy::category_path
    /// Enabled policies only, in ADMX element order: element id -> value text
    /// (numbers in decimal, text as is, booleans `true`/`false`, enums the item's
    /// display name, lists and multiText joined with `; `, explicit lists `name=value`).
    std::vector<std::pair<std::string, std::string>> elements;
    const AdmxPolicy* definition = nullptr;  ///< lives as long as the AdmxSet
    /// The file's entries (indexes into PolFile::entries, ascending) that give this state.
    std::vector<std::size_t> entries;
};

/// A value (or a `**del.` / `**delvals.` record) no policy in a known state explains.
struct ExtraSetting {
    std::string key;    ///< as written
    std::string value;  ///< as written, specials included (`**del.X`)
    std::uint32_t type = 0;
    std::string data;  ///< pol_raw_text of the entry
    std::uint64_t offset = 0;
};

struct PolicyStates {
    std::vector<PolicyState> policies;  ///< in AdmxSet::policies order
    std::vector<ExtraSetting> extra;    ///< in file order
};

/// The states `pol` gives the policies of `admx` whose class fits `hive`
/// (`HKLM`: Machine and Both; `HKCU`: User and Both). Entries are applied in file
/// order first (later wins); key and value names match case-insensitively.
///  - main valueName: enabledValue / disabledValue; when the ADMX gives neither, REG_DWORD 1
///    is Enabled and a `**del.` of it Disabled (what the editor writes; REG_DWORD 0 also
///    reads as Disabled when no element explains it); a `**del.` matches a `<delete/>`
///    state (Disabled, when only enabledValue is given);
///  - an element that writes the main value itself (same key and valueName): a value the
///    main states do not match but the element reads (an enum item, a number) is Enabled
///    with that element value, as GPMC reports it (`AllowWindowsInkWorkspace = 0`:
///    Enabled, item `Disabled`);
///  - checkboxes: trueValue / falseValue, else REG_DWORD 1 checked and `**del.` (or 0)
///    unchecked;
///  - enabledList / disabledList: every item must match;
///  - only elements: Enabled when element values are present, Disabled when all are
///    deleted (`**del.` each, `**delvals.` for a list key).
PolicyStates policy_states(const AdmxSet& admx, const PolFile& pol, std::string_view hive);

/// One policy's state in `pol` (what `gp set` reads back): `state` is what the file gives
/// `policy` by itself (nullopt: not configured); `shown_as` is set when GPMC shows another
/// policy in its place, one that explains exactly the same entries (policy_states reports
/// one of such twins), e.g. WindowsExplorer.admx's and SmartScreen.admx's `Configure
/// Windows Defender SmartScreen`.
struct OwnState {
    std::optional<PolicyState> state;
    const AdmxPolicy* shown_as = nullptr;
};
OwnState policy_state(const AdmxSet& admx, const AdmxPolicy& policy, const PolFile& pol,
                      std::string_view hive);

}  // namespace comredir::policy
