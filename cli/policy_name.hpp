#pragma once
// Policies as a user names them on the command line (`gp set POLICY`, `admx show POLICY`),
// and as the commands print them back: a bare ADMX name that several loaded files define
// is ambiguous, `file:Name` (or the file's target prefix or namespace) picks one.

#include <comredir/policy/admx/admx.hpp>
#include <string>
#include <string_view>

namespace comredir::cli {

/// The policy `name` names (AdmxSet::lookup_policy; `hive` HKLM / HKCU prefers the policies
/// of that class among several, empty for none). Null after printing the error and setting
/// `code`: ambiguous -> exit_usage (the message lists the qualified candidates); not found ->
/// exit_input, the library's message followed by ` (<hint>)`. A name found only because
/// `hive` set other candidates aside gets a note on stderr naming them.
const policy::AdmxPolicy* named_policy(const policy::AdmxSet& set, const std::string& name,
                                       std::string_view hive, const std::string& hint, int& code);

/// The policy's ADMX name, qualified (`excel16:L_VBAWarningsPolicy`) when other loaded files
/// define the same name.
std::string shown_name(const policy::AdmxSet& set, const policy::AdmxPolicy& policy);

}  // namespace comredir::cli
