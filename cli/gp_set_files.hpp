#pragma once
// Files `gp set` reads and writes: Registry.pol and .reg contents as decoded lines for
// previews, where a GPO keeps its pol and gpt.ini, and writing with a clear error.

#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace comredir::cli {

/// One decoded line per entry: `[key] value = TYPE data`.
std::vector<std::string> decoded(const policy::PolFile& f);
/// The same for a .reg snapshot's entries (`"X"=-` shows as `= delete`).
std::vector<std::string> decoded(const policy::RegFile& f);
/// A .reg snapshot's values under `hive` as the Registry.pol that would produce them
/// (deletions as `**del.`), so that gp_states can read policy states from it.
policy::PolFile pol_view(const policy::RegFile& f, const std::string& hive);
/// The file a GPO keeps its Machine or User Registry.pol in (existing or to create).
std::string gpo_pol_path(const policy::Gpo& g, bool user);
/// The GPO's gpt.ini (any case), or where to create one; empty for GPMC backups (their
/// version lives in the backup's XML and is set when the backup is imported).
std::string gpt_ini_path(const policy::Gpo& g);
/// Creates the folder and replaces `path` atomically; prints the error and returns false.
bool write_or_fail(const std::string& path, const std::vector<std::uint8_t>& bytes);

}  // namespace comredir::cli
