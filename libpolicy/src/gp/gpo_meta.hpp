#pragma once
// Internal: the GPO metadata files, parsed from bytes (the finder reads the files;
// the fuzz target drives these directly). Messages carry no file name.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace comredir::policy::detail {

struct GpoMeta {
    bool ok = false;
    std::uint64_t offset = 0;  ///< XML errors: byte offset
    std::string message;       ///< one line, no file prefix
    std::string guid;          ///< bkupInfo.xml: GPOGuid
    std::string name;          ///< bkupInfo.xml: GPODisplayName (or the GUID when absent)
    std::vector<std::string> backup_ids;  ///< manifest.xml: the backups' IDs, in order
};

/// GPMC's bkupInfo.xml: `BackupInst` with `GPOGuid` (required) and `GPODisplayName`.
GpoMeta parse_bkupinfo(std::span<const std::uint8_t> bytes);
/// GPMC's manifest.xml: `Backups` / `*BackupInst` / `ID`, in document order.
GpoMeta parse_manifest(std::span<const std::uint8_t> bytes);
/// gpt.ini's `displayName=` (ANSI, UTF-8 or UTF-16LE with BOM); empty when absent.
std::string gpt_ini_display_name(std::span<const std::uint8_t> bytes);
/// What makes a gpt.ini unreadable as Windows writes it (one line, no file name), or empty:
/// UTF-16 that does not decode, a NUL byte, a line that is neither blank, `[section]`,
/// `;comment` nor `key=value`, no `[General]` section, a `Version` that is not a decimal
/// 32-bit number. The first problem is reported.
std::string gpt_ini_problem(std::span<const std::uint8_t> bytes);

}  // namespace comredir::policy::detail
