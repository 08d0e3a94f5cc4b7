// What `gp set` writes into: see gp_set_target.hpp.
#include "gp_set_target.hpp"

#include "command.hpp"
#include "policy_name.hpp"

namespace comredir::cli {

namespace pol = comredir::policy;

SetTarget set_target(const pol::AdmxSet& set, const SetTargetArgs& args) {
    SetTarget t;
    t.scope = pol_scope(args.pol, args.user, args.machine);
    if (t.scope.from == "path" && !args.json) {
        print_error("note: " + scope_note(args.pol, t.scope));
    }
    t.policy = named_policy(
        set, args.policy, t.scope.from == "default" ? "" : t.scope.hive(),
        "`comredir-policy admx list --search TEXT` finds names; --admx DIR loads Windows' "
        "templates",
        t.code);
    if (t.policy == nullptr) return t;
    t.name = shown_name(set, *t.policy);
    if (args.gpo && t.scope.from == "default") {
        t.scope.user = t.policy->cls == pol::AdmxClass::user;
        t.scope.from = "policy";
    }
    bool user = t.scope.user;
    if ((user && t.policy->cls == pol::AdmxClass::machine) ||
        (!user && t.policy->cls == pol::AdmxClass::user)) {
        std::string why;
        if (t.scope.from == "default") why = " (add --user)";
        if (t.scope.from == "path") why = " (its folder is `" + t.scope.folder + "`)";
        print_error("policy `" + t.name + "` is a " + std::string(pol::to_string(t.policy->cls)) +
                    " policy: it cannot go into a " + (user ? "User" : "Machine") +
                    " Registry.pol" + why);
        t.policy = nullptr;
        t.code = exit_usage;
    }
    return t;
}

}  // namespace comredir::cli
