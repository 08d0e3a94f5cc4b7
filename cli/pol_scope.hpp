#pragma once
// Which half of a GPO a Registry.pol given with --pol is (Computer or User Configuration):
// --user / --machine, else the name of the folder holding it (`Machine` / `User`, as in a
// GPO, a GPMC backup, Samba's gpo cache `MACHINE` / `USER`), else Computer Configuration.
// And whether the file's entries fit the other half far better (the usual first mistake:
// a User pol read as a Machine one shows no policies at all).

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <cstddef>
#include <string>

namespace comredir::cli {

struct PolScope {
    bool user = false;
    /// `option` (--user / --machine), `path` (the folder's name), `default` (Computer).
    std::string from = "default";
    std::string folder;  ///< the parent folder's name as written (`path` and `default`)
    std::string scope() const { return user ? "user" : "computer"; }  ///< as in JSON output
    std::string hive() const { return user ? "HKCU" : "HKLM"; }
};

/// The scope of the pol at `path` (relative paths from the current folder; empty: no file,
/// only the options count). `user_option` / `machine_option`: the flags (both set is the
/// caller's usage error).
PolScope pol_scope(const std::string& path, bool user_option, bool machine_option);

/// `FILE: User Configuration, from its folder `User` (--machine reads it as Computer
/// Configuration)`; empty when the scope came from an option.
std::string scope_note(const std::string& path, const PolScope& scope);

/// How many of a pol's entries (those with a value name) the loaded policies of each half
/// explain (as gp list shows them, the rest being extra registry settings).
struct ScopeFit {
    std::size_t entries = 0;
    std::size_t chosen = 0;  ///< explained when read as `scope`
    std::size_t other = 0;   ///< explained when read as the other half
    /// The other half explains more than twice as many entries (at least one).
    bool other_fits_better() const { return other > 2 * chosen; }
};

/// `chosen` is policy_states(set, pol, scope.hive()), already computed by the caller.
ScopeFit scope_fit(const policy::AdmxSet& set, const policy::PolFile& pol, const PolScope& scope,
                   const policy::PolicyStates& chosen);

/// ``FILE: its entries fit User Configuration far better (14 of 14 match a policy there, 0 as
/// Computer Configuration): --user reads it so``.
std::string fit_warning(const std::string& path, const PolScope& scope, const ScopeFit& fit);

}  // namespace comredir::cli
