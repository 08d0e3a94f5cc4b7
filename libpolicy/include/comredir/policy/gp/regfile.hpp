#pragma once
// Registry editor exports (.reg): a snapshot of live registry state.
//
// Two dialects: `Windows Registry Editor Version 5.00` (UTF-16LE with BOM and CRLF as
// regedit writes it; UTF-8 accepted too) and `REGEDIT4` (ANSI or UTF-8). Grammar:
// header line, blank lines, `;` comments, `[HKEY_...\Path]` sections, `[-HKEY_...\Path]`
// key deletions, value lines `"name"=...` / `@=...` with `"string"`, `dword:xxxxxxxx`,
// `hex:..`, `hex(N):..` (continued over lines by a trailing `\`) or `-` (delete).

#include <comredir/policy/core/provenance.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

struct RegFileEntry {
    enum class Kind {
        set_value,     ///< `"name"=data` under the current section
        delete_value,  ///< `"name"=-`
        delete_key,    ///< `[-HKEY_...\Path]`
        key,           ///< `[HKEY_...\Path]` (creates the key; carries no value)
    };
    Kind kind = Kind::key;
    std::string key;         ///< as written, hive-qualified (`HKEY_LOCAL_MACHINE\SOFTWARE\...`)
    std::string value;       ///< value name, unescaped; empty for the default value `@`
    RegValue data;           ///< set_value only: type and bytes as the registry stores them
    std::uint32_t line = 0;  ///< 1-based line of the section or value line
};

struct RegFile {
    bool unicode = false;  ///< `Windows Registry Editor Version 5.00` (true) or `REGEDIT4`
    std::vector<RegFileEntry> entries;  ///< in file order
    std::vector<std::string> warnings;  ///< non-fatal oddities, one line each
};

enum class RegFileStatus {
    ok,
    io_error,
    bad_header,             ///< first line is neither header
    bad_utf16,              ///< UTF-16LE file with an odd length or unpaired surrogate
    bad_section,            ///< `[` without `]`, or an empty key path
    unknown_hive,           ///< section key does not start with one of the five hives
    value_outside_section,  ///< value line before any section
    bad_value_name,         ///< `"name` without its closing quote (or a bad escape in it)
    expected_equals,        ///< no `=` after the value name
    bad_value,              ///< data is none of `"..."`, `dword:`, `hex:`, `hex(N):`, `-`
    bad_string,             ///< unterminated string, unknown escape, text after the quote
    bad_dword,              ///< `dword:` without exactly 8 hex digits
    bad_hex,                ///< a byte in a hex list is not two hex digits, or a missing comma
    bad_hex_type,           ///< `hex(N)` with N not 1-8 hex digits
    unexpected_eof_in_continuation,  ///< file ends after a trailing `\`
    bad_line,                        ///< a line that is none of the above
};

std::string_view to_string(RegFileStatus s);

struct RegFileResult {
    RegFileStatus status = RegFileStatus::ok;
    std::uint64_t offset = 0;  ///< byte offset of the problem in the file (BOM included)
    std::uint32_t line = 0;    ///< 1-based line of the problem, 0 if n/a
    std::string message;       ///< one line; see CONTRIBUTING.md
    RegFile file;              ///< what was read (on error: the entries before it)
    bool ok() const { return status == RegFileStatus::ok; }
};

RegFileResult parse_regfile(std::span<const std::uint8_t> bytes);
/// As parse_regfile; the message starts with `path: `.
RegFileResult read_regfile(const std::string& path);

/// Applies the entries in file order: values set or deleted, `[-key]` deletes the key
/// and its subkeys. Each write's provenance is `base` with `line`, `registry_key`,
/// `registry_value` and `raw` (decimal for REG_DWORD, text for REG_SZ/REG_EXPAND_SZ,
/// lowercase hex otherwise) filled in; `source` defaults to `reg` when `base` has none.
void apply_regfile(const RegFile& file, const Provenance& base, RegistryState& state);

}  // namespace comredir::policy
