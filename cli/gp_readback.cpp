#include "gp_readback.hpp"

#include <algorithm>
#include <comredir/policy/gp/gp_states.hpp>
#include <optional>

#include "policy_name.hpp"

namespace comredir::cli {

namespace pol = comredir::policy;

namespace {

std::optional<pol::GpState> wanted(pol::GpTarget target) {
    switch (target) {
        case pol::GpTarget::enabled:
            return pol::GpState::enabled;
        case pol::GpTarget::disabled:
            return pol::GpState::disabled;
        case pol::GpTarget::not_configured:
            break;
    }
    return std::nullopt;
}

bool only_deletions(const std::vector<pol::PolRecord>& records) {
    return std::all_of(records.begin(), records.end(),
                       [](const pol::PolRecord& r) { return r.value.rfind("**", 0) == 0; });
}

}  // namespace

Readback read_back(const pol::AdmxSet& set, const pol::AdmxPolicy& policy,
                   const pol::PolFile& after, std::string_view hive, pol::GpTarget target,
                   const pol::PolicyRecords& records, bool snapshot) {
    Readback out;
    const auto own = pol::policy_state(set, policy, after, hive);
    out.got = own.state ? std::string(pol::to_string(own.state->state)) : "not-configured";
    const std::string name = "`" + shown_name(set, policy) + "`";
    const auto want = wanted(target);
    if ((own.state ? std::optional(own.state->state) : std::nullopt) == want) {
        out.ok = true;
        if (own.state && own.shown_as != nullptr) {
            out.notes.push_back(
                name + " writes exactly the entries of `" + shown_name(set, *own.shown_as) + "` (" +
                own.shown_as->display_name + "): GPMC and `gp list` show them as that policy");
        }
        return out;
    }
    // Options under which Enabled writes what Disabled writes: Windows reads them as Disabled.
    if (target == pol::GpTarget::enabled && own.state &&
        own.state->state == pol::GpState::disabled &&
        pol::policy_records(policy, pol::GpTarget::disabled, {}).records == records.records) {
        out.ok = true;
        out.warnings.push_back(name +
                               " enabled with these options writes exactly what disabled "
                               "writes: GPMC and `gp list` will show it as disabled");
        return out;
    }
    // Disabled reads as not configured when it writes nothing at all, or, in a snapshot (which
    // never holds deletions), when it only deletes values; a Registry.pol keeps its `**del.`
    // records, and those must read back.
    if (target == pol::GpTarget::disabled && !own.state && only_deletions(records.records) &&
        (records.records.empty() || snapshot)) {
        out.ok = true;
        if (records.records.empty()) {
            out.warnings.push_back(name +
                                   " has nothing to write for disabled (no disabledValue, "
                                   "disabledList or value of its own): the file keeps no "
                                   "trace of it, and GPMC shows it as not configured");
        }
    }
    return out;
}

}  // namespace comredir::cli
