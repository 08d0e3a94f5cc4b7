#pragma once
// Client layer: `.rdp` files (mstsc, AVD feed, FreeRDP) and RDP property strings
// (AVD host pool `customRdpProperty`).
//
// Both are lists of `name:type:value` properties. In a file, one property per
// line; in a property string, properties separated by `;`.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

/// One property as written. For a file, `line`/`offset`/`length` locate the line
/// in the original bytes (without its terminator), so a writer can replace that
/// range and copy everything else byte for byte.
struct RdpProperty {
    std::string name;                     ///< as written (may contain spaces: `screen mode id`)
    char type = 's';                      ///< `i` integer, `s` string, `b` binary
    std::string value;                    ///< UTF-8; everything after `name:t:` (may hold `:`, `;`)
    std::optional<std::int64_t> integer;  ///< set for type `i` (int32 range)
    std::uint32_t line = 0;    ///< 1-based line; for property strings the 1-based item index
    std::uint64_t offset = 0;  ///< byte offset of the line/item start in the original bytes
    std::uint64_t length = 0;  ///< bytes of the line/item in the original bytes (no terminator)
    std::string text;          ///< the property as written (UTF-8): `redirectcomports:i:0`
};

/// How a file's bytes were decoded.
enum class RdpEncoding {
    utf8,         ///< no BOM, valid UTF-8 (includes plain ASCII)
    utf8_bom,     ///< EF BB BF
    utf16le_bom,  ///< FF FE (what mstsc writes)
    ansi,         ///< no BOM, not valid UTF-8: read as Latin-1
};
std::string_view to_string(RdpEncoding);  // "utf8", "utf8_bom", "utf16le_bom", "ansi"

struct RdpFile {
    RdpEncoding encoding = RdpEncoding::utf8;
    /// The first line terminator found: "\r\n", "\n" or (lone CR) "\r"; empty when the
    /// file has none. Always empty for property strings.
    std::string eol;
    std::vector<RdpProperty> properties;  ///< in file order, duplicates kept
    std::vector<std::string> warnings;    ///< ANSI fallback, repeated names, ...
    /// Lines skipped on purpose, for the user (no file name): comment lines, as
    /// ``lines 1, 4: comments (`;`) skipped, as mstsc and FreeRDP skip them``.
    std::vector<std::string> notes;

    /// Case-insensitive name; the LAST occurrence. nullptr if absent.
    /// The resolver uses `find_first`, as FreeRDP 2.11's parser does; the cross-check
    /// `crosscheck.freerdp_rdp` reports files where the two differ.
    const RdpProperty* find(std::string_view name) const;
    /// Case-insensitive name; the FIRST occurrence (what FreeRDP 2.11 uses).
    const RdpProperty* find_first(std::string_view name) const;
    /// `armpath:s:` (AVD feed files): the host pool's ARM resource id.
    std::optional<std::string> arm_path() const;
    /// Last segment of `armpath` when it is `.../hostpools/<name>` (case-insensitive).
    std::optional<std::string> host_pool_name() const;
};

enum class RdpStatus {
    ok,
    io_error,
    bad_utf16,               ///< odd byte count or unpaired surrogate in UTF-16LE text
    missing_type_separator,  ///< no `:t:` after the property name
    bad_type,                ///< type character is not `i`, `s` or `b`
    bad_integer,             ///< `i` value is not a decimal integer in int32 range
    empty_name,              ///< line/item starts with `:`
    nul_in_text,             ///< a NUL character inside a line/item
    line_too_long,           ///< a line longer than `rdp_max_line_bytes`
};
std::string_view to_string(RdpStatus);  // "bad_integer"

/// Longest accepted line, in bytes of the original encoding (terminator excluded).
inline constexpr std::uint64_t rdp_max_line_bytes = std::uint64_t{64} * 1024;

struct RdpResult {
    RdpStatus status = RdpStatus::ok;
    std::uint64_t offset = 0;  ///< byte offset of the problem in the original bytes
    std::uint32_t line = 0;    ///< 1-based line (item index for property strings), 0 if n/a
    std::string message;       ///< one line: ``line 12: property `x`: value `abc` is not ...``
    RdpFile file;              ///< what was read (on error: the properties before the problem)
    bool ok() const { return status == RdpStatus::ok; }
};

/// Parses a whole `.rdp` file.
///
/// Decoding: BOM FF FE -> UTF-16LE; BOM EF BB BF -> UTF-8; no BOM -> UTF-8 when
/// valid, otherwise Latin-1 (`ansi`, with a warning). Lines end with CRLF, LF or a
/// lone CR; lines holding only spaces/tabs are skipped. Every other line must be
/// `name:t:value`: the name is everything before the first `:` (not trimmed), `t`
/// is one of `i`, `s`, `b`, and the value is the rest of the line, kept verbatim
/// (only the terminator is removed). `i` values must match `-?[0-9]+` and fit int32.
///
/// Error offsets: the exact byte of the problem (the type character, the value's
/// first byte, the NUL, the bad UTF-16 unit, the position where `:` was expected);
/// for `line_too_long` and `empty_name` the line start.
RdpResult parse_rdp(std::span<const std::uint8_t> bytes);
/// Reads and parses `path`; the message starts with `path: `.
RdpResult read_rdp(const std::string& path);

/// Parses an RDP property string (host pool `customRdpProperty`):
/// `audiomode:i:0;drivestoredirect:s:C:\;E:\;redirectcomports:i:1`.
///
/// Items are separated by `;`. Empty items (and items of only spaces/tabs) are
/// skipped, so a trailing `;` is fine. Leading spaces/tabs of an item are ignored.
/// An item that does not start with `name:t:` (t one of `i`, `s`, `b`) continues
/// the previous property's string value, joined with `;` -- drive and device lists
/// hold `;`: the example gives drivestoredirect = `C:\;E:\`. Because empty items
/// are skipped, a list's own trailing `;` (`C:\;E:\;`) is not kept in the value.
/// Such an item with no `s` property right before it is an error (the status of
/// the grammar rule it breaks). `line` is the 1-based index of the item among all
/// `;`-separated items (empty ones counted); `offset` is the byte offset in `s`.
RdpResult parse_rdp_properties(std::string_view s);

}  // namespace comredir::policy
