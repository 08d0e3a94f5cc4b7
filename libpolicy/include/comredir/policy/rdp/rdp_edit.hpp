#pragma once
// Editing a client `.rdp` file in memory: set or remove one property and change nothing
// else. Pure functions over the file's bytes; the caller reads, locks and writes.
//
// What is kept exactly: the encoding (UTF-16LE with BOM, UTF-8 with or without BOM, ANSI
// read as Latin-1), every line terminator, the order of lines, blank lines, comment lines
// (`;`, never read as a property), lines that are not `name:type:value` (FreeRDP `/option`
// lines), and a missing final newline.
// Only the one line that holds the property changes; a new property is appended as the
// last line, ended like the file's first line (CRLF when the file has no terminator yet).

#include <comredir/policy/rdp/rdp.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

enum class RdpFileEditStatus {
    ok,
    bad_file,   ///< the bytes do not decode (UTF-16LE with an odd size or a lone surrogate)
    bad_name,   ///< empty; `:`; control characters; spaces at either end; starts with `/` or `;`
    bad_type,   ///< a given type that is not `i`, `s` or `b`
    bad_value,  ///< not an int32 for `i`; control characters or spaces at the ends for `s`
    not_encodable,  ///< characters the file's encoding cannot hold (ANSI files: above U+00FF)
    signed_file,    ///< the change would void the file's signature and stripping it was not allowed
    reread_failed,  ///< the edited bytes would not read back as intended (a bug; input returned)
};
std::string_view to_string(RdpFileEditStatus);  // "signed_file"

/// Where the type of a `set` came from.
enum class RdpTypeSource {
    given,     ///< `name:t:value`
    existing,  ///< the line being replaced
    known,     ///< rdp_known_type (Microsoft's list of supported RDP properties)
    inferred,  ///< a decimal int32 value is `i`, anything else `s`
};
std::string_view to_string(RdpTypeSource);  // "given", "existing", "known", "inferred"

struct RdpFileEditOptions {
    /// On a signed file (a `signscope` or `signature` property), remove both lines as part of
    /// a change instead of refusing it. A request that changes nothing leaves the file alone.
    bool strip_signature = false;
};

struct RdpFileEdit {
    RdpFileEditStatus status = RdpFileEditStatus::ok;
    std::string message;              ///< one line when !ok (no file name)
    std::vector<std::uint8_t> bytes;  ///< the edited file; equal to the input when !changed
    bool changed = false;
    RdpEncoding encoding = RdpEncoding::utf8;  ///< of the input file (kept by the edit)

    std::string name;   ///< set: as written (an existing line keeps its spelling); unset: as given
    char type = 's';    ///< set: the type written
    std::string value;  ///< set: the value written (integers in canonical decimal)
    RdpTypeSource type_source = RdpTypeSource::inferred;
    std::string previous;    ///< set: the replaced line's text (UTF-8); empty when added
    bool added = false;      ///< set: appended as a new last line
    std::uint32_t line = 0;  ///< set: 1-based line of the property in the edited file
    /// 1-based lines of the input that were removed: every occurrence for unset, and the
    /// signature lines when stripped.
    std::vector<std::uint32_t> removed_lines;
    /// set: 1-based input lines that repeat the name after the one changed (left as they are:
    /// FreeRDP and comredir read the first occurrence).
    std::vector<std::uint32_t> repeats;
    bool signature_stripped = false;
    std::vector<std::uint32_t> signature_lines;  ///< input lines stripped (also in removed_lines)
    std::vector<std::string> notes;              ///< one line each, for the user

    bool ok() const { return status == RdpFileEditStatus::ok; }
};

/// Sets property `name` to `value`. The type is `type` when given, else the existing line's,
/// else rdp_known_type(name), else inferred. The first occurrence is replaced (the one
/// FreeRDP and comredir read; later repeats are reported in `repeats`, not touched);
/// otherwise the property is appended. Values are checked: `i` a decimal int32 (written
/// canonical: `010` becomes `10`, which FreeRDP would read as octal 8), `s` no control
/// characters except tab and no spaces at either end (FreeRDP 3 trims them), `b` hex
/// digits. A set to the value already there changes nothing.
RdpFileEdit rdp_file_set(std::span<const std::uint8_t> bytes, std::string_view name,
                         std::optional<char> type, std::string_view value,
                         const RdpFileEditOptions& options = {});

/// Removes every line that sets `name` (case-insensitive). Absent: nothing changes.
RdpFileEdit rdp_file_unset(std::span<const std::uint8_t> bytes, std::string_view name,
                           const RdpFileEditOptions& options = {});

/// `name:t:value` as one argument; nullopt when `text` is not of that form (t one of i s b).
struct RdpAssignment {
    std::string name;
    char type = 's';
    std::string value;
};
std::optional<RdpAssignment> parse_rdp_assignment(std::string_view text);

/// The type Microsoft documents for a property (case-insensitive), or nullopt when the name
/// is not in comredir's table.
std::optional<char> rdp_known_type(std::string_view name);

/// For a name that is not in comredir's table: the documented property it most likely
/// misspells (case-insensitive edit distance, a swap of neighbours counting one: at most 1
/// for names up to 5 characters, else at most 2; ties go to the first in name order), as
/// Microsoft spells it in lowercase. nullopt for a known name or when none is that close.
std::optional<std::string> rdp_suggest_name(std::string_view name);

/// The file's lines decoded to UTF-8, without terminators (for previews and checks);
/// nullopt when the bytes do not decode.
std::optional<std::vector<std::string>> rdp_text_lines(std::span<const std::uint8_t> bytes);

/// True when the file has a `signscope` or `signature` property line.
bool rdp_is_signed(const RdpFile& file);

}  // namespace comredir::policy
