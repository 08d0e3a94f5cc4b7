#pragma once
// `gp set` checks what it is about to write by reading it back as `gp list` would: the state
// asked for, or one of the few outcomes Group Policy itself gives such a policy (another policy
// shown in its place, Enabled options that write what Disabled writes, a Disabled that writes
// nothing). Anything else is a bug and nothing is written.

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::cli {

struct Readback {
    bool ok = false;
    std::string got;                    ///< the state read back: enabled, disabled, not-configured
    std::vector<std::string> notes;     ///< true and worth knowing (another policy shown)
    std::vector<std::string> warnings;  ///< the file will not say what was asked
};

/// Reads `after` (the file as it would be written; a .reg snapshot seen as Registry.pol
/// entries) back for `policy`, which `records` were made from for `target`.
/// `snapshot`: a .reg export, where deleted values are simply absent (no `**del.`).
Readback read_back(const policy::AdmxSet& set, const policy::AdmxPolicy& policy,
                   const policy::PolFile& after, std::string_view hive, policy::GpTarget target,
                   const policy::PolicyRecords& records, bool snapshot);

}  // namespace comredir::cli
