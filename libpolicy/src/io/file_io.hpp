#pragma once
// Internal: whole-file reads with a one-line error naming the file.

#include <cstdint>
#include <string>
#include <vector>

namespace comredir::policy::detail {

struct FileBytes {
    bool ok = false;
    std::vector<std::uint8_t> bytes;
    std::string error;  ///< `path: cannot open: No such file or directory`
};

/// Reads a whole regular file (refuses folders, fifos, devices and sockets before opening
/// them, and files over `max_bytes`).
FileBytes read_file_bytes(const std::string& path, std::uint64_t max_bytes = 256u << 20);

}  // namespace comredir::policy::detail
