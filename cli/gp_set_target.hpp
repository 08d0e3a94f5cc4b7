#pragma once
// What `gp set` writes into: the policy its POLICY argument names and the half of the GPO
// (Machine or User Registry.pol) it goes into, with the notes and errors that explain both.

#include <comredir/policy/admx/admx.hpp>
#include <string>

#include "pol_scope.hpp"

namespace comredir::cli {

struct SetTargetArgs {
    std::string policy;  ///< POLICY as given
    std::string pol;     ///< --pol FILE, empty for --gpo / --reg
    bool gpo = false;    ///< --gpo: without --user / --machine the policy's class decides
    bool user = false;   ///< --user
    bool machine = false;
    bool json = false;  ///< no notes on stderr
};

struct SetTarget {
    const policy::AdmxPolicy* policy = nullptr;  ///< null: the error is printed, see `code`
    int code = 0;                                ///< exit_usage / exit_input when null
    /// Machine or User: --user / --machine (`option`); for --pol the file's folder (`path`);
    /// for --gpo the policy's class (`policy`); else Machine (`default`).
    PolScope scope;
    std::string name;  ///< shown_name of the policy
};

/// Finds the policy (the half, when known from an option or the folder, picks among
/// policies that share the name; see named_policy) and checks its class fits the half.
SetTarget set_target(const policy::AdmxSet& set, const SetTargetArgs& args);

}  // namespace comredir::cli
