#pragma once
// Small helpers shared by the commands.

#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::cli {

/// ASCII case-insensitive equality (file names, registry keys, property names).
bool iequals(std::string_view a, std::string_view b);
/// The whole regular file, or nullopt when it cannot be read (a fifo, device or folder is
/// refused without being opened).
std::optional<std::vector<std::uint8_t>> slurp(const std::string& path);

/// `s` safe to print on a terminal: C0 control characters but tab, DEL and C1 controls
/// (U+0080..U+009F, in UTF-8) as `\xNN` / `\u00NN` (lowercase hex); all else as is.
std::string printable(std::string_view s);

std::string join(const std::vector<std::string>& items, const std::string& sep);
/// Accepted values of --product and --client-os, from the library's enums.
std::vector<std::string> product_names();
std::vector<std::string> client_os_names();
/// `all` or empty → every feature; unknown id → prints a usage error and returns nullopt.
std::optional<std::vector<const policy::Feature*>> resolve_features(
    const std::vector<std::string>& ids);

/// Replaces `path` (mode kept) with `after` atomically, first keeping `before` as
/// `path.bak` when `backup`, then checks the file reads back as written. False after
/// printing the error (exit_input).
bool replace_file(const std::string& path, const std::vector<std::uint8_t>& before,
                  const std::vector<std::uint8_t>& after, bool backup);

/// For an edit of `path`: checks it is a regular file, takes the folder lock (not for a
/// dry run) and reads it. nullopt after printing the error (exit_input).
std::optional<std::vector<std::uint8_t>> lock_and_read(const std::string& path, bool dry_run,
                                                       policy::FolderLockResult& lock);

}  // namespace comredir::cli
