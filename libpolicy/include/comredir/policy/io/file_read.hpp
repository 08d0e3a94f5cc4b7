#pragma once
// Whole-file reads for the tools around the readers (editors, installers): the same checks
// every comredir reader makes. Only regular files are read: a fifo, a device, a socket or a
// folder is refused before it is opened (opening a fifo would wait for a writer forever).

#include <cstdint>
#include <string>
#include <vector>

namespace comredir::policy {

struct FileRead {
    bool ok = false;
    std::vector<std::uint8_t> bytes;
    /// One line when !ok: `path: cannot open: No such file or directory`,
    /// `path: not a regular file (a fifo)`, `path: file size `N` exceeds limit `M``.
    std::string message;
};

/// Reads the regular file `path` whole (at most `max_bytes`).
FileRead read_regular_file(const std::string& path, std::uint64_t max_bytes = 256u << 20);

}  // namespace comredir::policy
