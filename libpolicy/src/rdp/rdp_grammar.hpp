#pragma once
// Internal: the `name:type:value` grammar shared by the .rdp file reader and the
// property string reader.

#include <comredir/policy/rdp/rdp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comredir::policy::detail {

struct RdpLineParse {
    RdpStatus status = RdpStatus::ok;
    std::size_t pos = 0;  ///< position of the problem in the (UTF-8) text
    std::string message;  ///< without the `line N: ` prefix
    std::string_view name;
    char type = 's';
    std::string_view value;
    std::optional<std::int64_t> integer;
};

/// Parses one property written as `name:t:value` (UTF-8, no terminator).
RdpLineParse parse_rdp_property_text(std::string_view text);

/// A comment line: its first character other than space or tab is `;`. mstsc and FreeRDP
/// skip such lines (FreeRDP reads no property from `; ...`); so do comredir's reader and editor.
bool is_rdp_comment(std::string_view text);

/// Strict `-?[0-9]+` in int32 range.
std::optional<std::int64_t> parse_rdp_integer(std::string_view s);

/// A value quoted for a one-line message: control characters as `?`, long text cut.
std::string rdp_snippet(std::string_view s);

/// Adds a warning for every property whose name repeats an earlier one.
/// `unit` is `line` or `item`.
void warn_rdp_duplicates(RdpFile& file, std::string_view unit);

}  // namespace comredir::policy::detail
