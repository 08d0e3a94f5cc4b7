// Policies as a user names them: see policy_name.hpp.
#include "policy_name.hpp"

#include "command.hpp"

namespace comredir::cli {

namespace pol = comredir::policy;

const pol::AdmxPolicy* named_policy(const pol::AdmxSet& set, const std::string& name,
                                    std::string_view hive, const std::string& hint, int& code) {
    auto r = set.lookup_policy(name, pol::AdmxPolicyQuery{true, hive});
    switch (r.status) {
        case pol::AdmxLookupStatus::found:
            break;
        case pol::AdmxLookupStatus::ambiguous:
            print_error(r.message);
            code = exit_usage;
            return nullptr;
        case pol::AdmxLookupStatus::not_found:
            print_error(r.message + (hint.empty() ? "" : " (" + hint + ")"));
            code = exit_input;
            return nullptr;
    }
    const pol::AdmxPolicy* p = r.policy();
    if (!r.set_aside.empty()) {
        std::string others;
        for (const auto* o : r.set_aside) {
            others += std::string(others.empty() ? "" : ", ") + "`" + set.qualified_name(*o) +
                      "` (" + std::string(pol::to_string(o->cls)) + ")";
        }
        bool machine = hive == "HKLM" || hive == "HKEY_LOCAL_MACHINE";
        print_error("note: `" + name + "` is also " + others + "; using `" +
                    set.qualified_name(*p) + "` (" + std::string(pol::to_string(p->cls)) +
                    ") for a " + (machine ? "Machine" : "User") + " Registry.pol");
    }
    return p;
}

std::string shown_name(const pol::AdmxSet& set, const pol::AdmxPolicy& policy) {
    return set.policies_named(policy.name) > 1 ? set.qualified_name(policy) : policy.name;
}

}  // namespace comredir::cli
