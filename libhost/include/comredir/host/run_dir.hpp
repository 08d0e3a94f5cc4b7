#pragma once
// A daemon's run directory (the redirector's: per-session port links and records,
// port_paths.hpp). It is the daemon's alone: a marker file says so, and on start everything a
// previous run left is removed (its links would point at ptys that no longer exist, or now belong
// to others).

#include <string>

namespace comredir::host {

inline constexpr const char* kRunDirMarker = ".comredir-run";

/// Creates `dir` (0755) or cleans it. Refuses a non-empty folder without the marker: it
/// is not ours. False with `error` set.
bool prepare_run_dir(const std::string& dir, std::string& error);

}  // namespace comredir::host
