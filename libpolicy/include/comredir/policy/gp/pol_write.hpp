#pragma once
// Writing Registry.pol files ([MS-GPREG] 2.2.1) the way the Group Policy editor does,
// and editing one in place: the entries a change does not own are copied byte for byte.

#include <comredir/policy/gp/pol.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy {

/// One instruction to write.
struct PolRecord {
    std::string key;    ///< UTF-8
    std::string value;  ///< UTF-8; GP specials as written (`**del.X`, `**delvals.`)
    std::uint32_t type = 0;
    std::vector<std::uint8_t> data;
    bool operator==(const PolRecord&) const = default;
};

/// `PReg` version 1: the 8-byte header of every Registry.pol.
std::vector<std::uint8_t> pol_header();
/// `[key;value;type;size;data]` with UTF-16LE names (each NUL-terminated).
std::vector<std::uint8_t> encode_pol_record(const PolRecord& r);

/// Data helpers, as the Group Policy editor encodes them.
std::vector<std::uint8_t> pol_dword(std::uint32_t v);
std::vector<std::uint8_t> pol_qword(std::uint64_t v);
/// REG_SZ / REG_EXPAND_SZ data: UTF-16LE with one terminating NUL.
std::vector<std::uint8_t> pol_sz(std::string_view utf8);
/// REG_MULTI_SZ data: each string NUL-terminated, then one more NUL.
std::vector<std::uint8_t> pol_multi_sz(const std::vector<std::string>& items);
/// `**del.<name>` (REG_SZ, data one space), which deletes value `name`.
PolRecord pol_delete_value(std::string key, std::string_view name);
/// `**delvals.` (REG_SZ, data one space), which deletes every value of `key`.
PolRecord pol_delete_all_values(std::string key);

/// The entries a change owns: named values (a `**del.X` or `**soft.X` counts as X) and
/// whole keys (every value in them, and their `**delvals.`). Keys and names match
/// case-insensitively.
struct PolSlots {
    std::vector<std::pair<std::string, std::string>> values;  ///< (key, value name)
    std::vector<std::string> keys;
    bool owns(const PolEntry& e) const;
};

struct PolEdit {
    std::vector<std::uint8_t> bytes;  ///< the new file
    std::size_t unchanged = 0;        ///< owned entries whose bytes stayed the same
    std::size_t replaced = 0;         ///< owned entries rewritten in place
    std::size_t removed = 0;          ///< owned entries dropped
    std::size_t added = 0;            ///< desired records with no entry to replace
};

/// Rewrites `original` so that the entries `slots` owns become exactly `desired`:
///  - every entry `slots` does not own is copied byte for byte, in place;
///  - an owned entry is replaced in place by the first unused desired record for the same
///    value (`X`, `**del.X`, `**soft.X` are the same value; `**delvals.` is its key's),
///    and dropped when there is none;
///  - desired records left over go after the last owned entry that was kept, else where
///    the first owned entry was, else at the end.
/// So setting a policy and setting it back restores the file's bytes. `parsed` must be
/// parse_pol(original).file (it gives the entries' offsets); an empty `original` is
/// treated as a header-only file.
PolEdit edit_pol(std::span<const std::uint8_t> original, const PolFile& parsed,
                 const PolSlots& slots, const std::vector<PolRecord>& desired);

}  // namespace comredir::policy
