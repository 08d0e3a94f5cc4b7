#pragma once
// The files a host's policy is read from, as folders to watch: the config file, the host
// pool store, and the host's OS sources (Registry.pol, .reg, Intune exports; a GPO folder
// with every folder below it). Folders rather than files, so that a file replaced by
// rename (how safe writers save) is seen; a folder that does not exist yet is watched
// through its nearest existing ancestor.

#include <set>
#include <string>
#include <vector>

namespace comredir::redirector::daemon {

struct WatchTarget {
    std::string dir;              ///< an existing folder
    std::set<std::string> names;  ///< entries of `dir` that matter (ignored when `any`)
    bool any = false;             ///< every entry matters (a GPO's folders)
    bool matches(const std::string& name) const { return any || names.count(name) != 0; }
};

/// What to watch for `host` of the config at `config_path` (the config alone when it cannot
/// be read: a fixed config brings the rest). One target per folder, sorted by folder.
std::vector<WatchTarget> policy_watch_targets(const std::string& config_path,
                                              const std::string& host);

}  // namespace comredir::redirector::daemon
