#pragma once
// Safe file replacement: a temporary file in the same folder, fsync, rename over
// the target, fsync of the folder. A crash leaves either the old or the new file,
// never a half-written one. An existing target keeps its mode (and owner, when the
// process may set it).

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>

namespace comredir::policy {

struct WriteResult {
    bool ok = false;
    std::string message;  ///< one line naming the path and the failing step
};

/// Replaces (or creates) `path` with `bytes`. `mode` applies to new files only.
WriteResult write_file_atomic(const std::string& path, std::span<const std::uint8_t> bytes,
                              mode_t mode = 0644);

}  // namespace comredir::policy
