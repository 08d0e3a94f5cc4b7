#pragma once
// Registry.pol (PReg) files, [MS-GPREG] 2.2.1: reading, applying to a
// RegistryState with Group Policy semantics, and rendering to JSON.
//
// Layout: header `50 52 65 67 01 00 00 00` ("PReg", version 1), then zero or
// more instructions `[key;value;type;size;data]`. Brackets, semicolons and
// the NUL-terminated key and value names are UTF-16LE; type and size are
// 32-bit little-endian; data is `size` raw bytes.

#include <comredir/policy/core/provenance.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

/// One instruction of a Registry.pol file, as written.
struct PolEntry {
    std::string key;         ///< e.g. `SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services`
    std::string value;       ///< value name, including GP specials such as `**del.fDisableCcm`
    std::uint32_t type = 0;  ///< registry type number (RegType)
    std::uint32_t size = 0;  ///< the size field (equals data.size())
    std::vector<std::uint8_t> data;  ///< raw data bytes
    std::uint64_t offset = 0;        ///< byte offset of the entry's `[`
};

struct PolFile {
    std::vector<PolEntry> entries;      ///< in file order
    std::vector<std::string> warnings;  ///< oddities that did not stop reading (one line each)
};

/// One status per grammar construct; the result's offset points at that construct.
enum class PolStatus {
    ok,
    io_error,                ///< file could not be read (read_pol only)
    truncated_header,        ///< fewer than 8 header bytes
    bad_signature,           ///< bytes 0..3 are not `PReg`
    bad_version,             ///< bytes 4..7 are not version 1
    expected_open_bracket,   ///< an instruction does not start with `[`
    unterminated_key,        ///< key name has no NUL before end of file
    expected_semicolon,      ///< a `;` separator is missing
    unterminated_value,      ///< value name has no NUL before end of file
    truncated_type,          ///< fewer than 4 bytes for the type
    truncated_size,          ///< fewer than 4 bytes for the size
    data_past_end,           ///< `size` data bytes run past end of file
    expected_close_bracket,  ///< an instruction does not end with `]`
    bad_utf16,               ///< unpaired surrogate in a key or value name
    size_too_large,          ///< size above kPolMaxDataSize
};

/// `bad_signature`, ... (the enumerator's name).
std::string_view to_string(PolStatus status);

/// Largest data size accepted for one entry (16 MiB); larger sizes are refused
/// before anything is allocated.
inline constexpr std::uint32_t kPolMaxDataSize = 16u << 20;

struct PolResult {
    PolStatus status = PolStatus::ok;
    std::uint64_t offset = 0;  ///< byte offset of the problem
    std::uint32_t line = 0;    ///< always 0 (binary format)
    std::string
        message;   ///< one line: ``offset 0x1a4: entry `fDisableCcm`: expected `]`, found `0x41```
    PolFile file;  ///< what was read (on error: the complete entries before it)
    bool ok() const { return status == PolStatus::ok; }
};

/// Parses a whole Registry.pol image. Never throws on bad input. A header with
/// no instructions is a valid, empty file.
PolResult parse_pol(std::span<const std::uint8_t> bytes);
/// Reads and parses `path`; the message and each warning start with `path: `.
PolResult read_pol(const std::string& path);

/// Applies `file`'s entries in order to `state` under `hive` (`HKLM` for a
/// Machine pol, `HKCU` for a User pol), with Group Policy semantics (special
/// value names match case-insensitively):
///  - `**del.<name>`: delete value `<name>`;  `**delvals.`: delete every value of the key;
///  - `**DeleteValues` (REG_SZ `a;b;c`): delete those values;
///  - `**DeleteKeys` (REG_SZ `k1;k2`): delete those subkeys of the key;
///  - `**soft.<name>`: set `<name>` only when it does not exist;
///  - `**SecureKey` and other `**` names: no effect on values;
///  - empty value name: only creates the key (no value state);
///  - anything else: set the value.
/// Each write or delete carries a copy of `base` with `offset`, `registry_key`
/// (`hive\key` as written), `registry_value` (as written; for deletes the target
/// name) and `raw` (DWORD/QWORD in decimal, strings decoded, hex otherwise).
void apply_pol(const PolFile& file, std::string_view hive, const Provenance& base,
               RegistryState& state);

/// The decoded value as text, as used in Provenance::raw.
std::string pol_raw_text(const PolEntry& entry);

/// JSON array, one object per entry with exactly `key`, `value`, `type`
/// (`REG_DWORD`, ...) and `data`: a number for REG_DWORD / REG_QWORD of the
/// right size, a string for REG_SZ / REG_EXPAND_SZ (up to the first NUL), an
/// array of strings for REG_MULTI_SZ, lowercase hex for anything else (and for
/// data that does not decode).
nlohmann::json pol_to_json(const PolFile& file);

}  // namespace comredir::policy
