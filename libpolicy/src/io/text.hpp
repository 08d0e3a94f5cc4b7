#pragma once
// Internal text helpers shared by the readers.

#include <comredir/policy/core/provenance.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace comredir::policy::detail {

/// Appends code point `cp` to `out` as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);
/// UTF-16LE bytes to UTF-8. Returns nullopt on an odd byte count or an unpaired
/// surrogate; `bad_at` (if given) receives the byte offset of the problem.
std::optional<std::string> utf16le_to_utf8(std::span<const std::uint8_t> bytes,
                                           std::size_t* bad_at = nullptr);
/// Byte length of the UTF-16LE text before the first NUL unit (`u16 == 0`), scanning
/// four units at a time; returns `bytes.size() & ~1` when there is none.
std::size_t utf16le_nul_offset(std::span<const std::uint8_t> bytes);
/// UTF-8 to UTF-16LE bytes (no BOM, no NUL). Input is assumed valid UTF-8.
std::string utf8_to_utf16le(std::string_view utf8);
/// True if `s` is well-formed UTF-8; `bad_at` receives the offset of the first bad byte.
bool valid_utf8(std::string_view s, std::size_t* bad_at = nullptr);
/// Latin-1 (Windows ANSI approximation) to UTF-8.
std::string latin1_to_utf8(std::string_view s);

std::string ascii_lower(std::string_view s);
/// `s` escaped for an XML (or HTML) attribute value in double quotes, or for text: `&amp;`,
/// `&lt;`, `&gt;`, `&quot;`, and tab / LF / CR as character references.
std::string xml_attr(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
/// `0x1a4` style rendering used in messages.
std::string hex_offset(std::uint64_t offset);
/// Lowercase hex of raw bytes, no separators.
std::string hex_bytes(std::span<const std::uint8_t> bytes);
/// Where a message about a setting starts: `a.pol: offset 0x1a4`, `x.reg: line 3`, or the file
/// alone (else its kind of source, else `registry`).
std::string source_at(const Provenance& p);

}  // namespace comredir::policy::detail
