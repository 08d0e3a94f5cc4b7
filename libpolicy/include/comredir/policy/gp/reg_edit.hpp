#pragma once
// Applying a policy change to a .reg snapshot (regfile.hpp) the way Group Policy applies a
// Registry.pol to the live registry: values are set or removed; lines the change does not
// own are kept byte for byte.

#include <comredir/policy/gp/pol_write.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

struct RegEdit {
    std::vector<std::uint8_t> bytes;
    std::size_t replaced = 0;  ///< value lines rewritten in place
    std::size_t removed = 0;   ///< value lines dropped (deleted or no longer set)
    std::size_t added = 0;     ///< value lines inserted
};

/// `records` as Group Policy applies them (`**del.X` deletes X, `**delvals.` empties the key,
/// anything else sets a value) give the values the slots end up with under `hive`
/// (`HKEY_LOCAL_MACHINE` or `HKEY_CURRENT_USER`). In `original` (parsed as `parsed`), each
/// value line `slots` owns under that hive is rewritten in place with its new value (in the
/// file's spelling of the name), or dropped when the value ends up absent (a `"X"=-` line
/// too); values left over go after the last line of the first section of their key, or in a
/// new section at the end. New lines follow regedit's format (`dword:`, quoted strings,
/// `hex(N):` wrapped at 80 columns), the file's encoding (UTF-16LE with BOM for version
/// 5.00, else 8-bit) and its line ending. An empty `original` gives a new version 5.00 file.
RegEdit edit_regfile(std::span<const std::uint8_t> original, const RegFile& parsed,
                     std::string_view hive, const PolSlots& slots,
                     const std::vector<PolRecord>& records);

}  // namespace comredir::policy
