// The order of a state's records: one record per value (the last write), `**delvals.` first.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gp/gp_write_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

/// The value name a record sets or deletes (`X` for `**del.X`).
std::string_view target_name(const PolRecord& r) {
    constexpr std::string_view del = "**del.";
    const std::string_view v = r.value;
    if (v.size() >= del.size() && detail::iequals(v.substr(0, del.size()), del))
        return v.substr(del.size());
    return v;
}

}  // namespace

bool same_value(const PolRecord& r, std::string_view key, std::string_view name) {
    return !r.value.starts_with("**delvals") && normalize_key(r.key) == normalize_key(key) &&
           detail::iequals(target_name(r), name);
}

/// One record per value, as the registry (and the editor's Registry.pol) holds one: a later
/// write of the same value replaces the earlier one in its place. An element that writes
/// the policy's own value (AllowWindowsInkWorkspace's enum) thus replaces the REG_DWORD 1
/// the Enabled state wrote first.
void keep_last_write(std::vector<PolRecord>& r) {
    std::vector<PolRecord> out;
    for (auto& rec : r) {
        bool replaced = false;
        for (auto& earlier : out) {
            if (same_value(earlier, rec.key, target_name(rec))) {
                earlier = rec;
                replaced = true;
                break;
            }
        }
        if (!replaced) out.push_back(std::move(rec));
    }
    r = std::move(out);
}

/// A list's `**delvals.` clears its key before anything of the state is written there: an
/// enabledList or disabledList item in the list's own key (Office's `List of managed
/// add-ins` keeps `policyon` beside its add-ins) would otherwise be deleted by it.
void delvals_first(std::vector<PolRecord>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (!r[i].value.starts_with("**delvals")) continue;
        const std::string key = normalize_key(r[i].key);
        for (std::size_t j = 0; j < i; ++j) {
            if (normalize_key(r[j].key) != key) continue;
            std::rotate(r.begin() + static_cast<std::ptrdiff_t>(j),
                        r.begin() + static_cast<std::ptrdiff_t>(i),
                        r.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            break;
        }
    }
}

}  // namespace comredir::policy::detail
