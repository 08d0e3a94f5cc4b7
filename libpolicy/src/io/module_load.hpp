#pragma once
// comredir's optional parts, loaded when a command first needs them. libcurl (HTTPS for the
// ARM host-pool source) and libxml2 (XSD validation of ADMX/ADML) bring 36 shared libraries
// (TLS, Kerberos, LDAP, ICU and its 30 MB of data) that linked into every program would be
// loaded at every start, by commands that never use them. Each lives in a module,
// `libcomredir_<name>.so`, found from the program's own path: `<libdir>/comredir` once
// installed (`/usr/bin/../lib/<arch>/comredir`), or the build tree's `modules/` folder.
// COMREDIR_MODULE_DIR, when set, names the folder instead.

#include <string>

namespace comredir::policy::detail {

/// The address of `symbol` in module `file` (`libcomredir_http.so`), loaded once and kept
/// for the life of the process; nullptr with `error` set to one line naming the module
/// and what went wrong.
void* module_symbol(const char* file, const char* symbol, std::string& error);

}  // namespace comredir::policy::detail
