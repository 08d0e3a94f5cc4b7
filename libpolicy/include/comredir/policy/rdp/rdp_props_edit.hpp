#pragma once
// Editing an RDP property string (host pool `customRdpProperty`) in place.
//
// An edit changes only the property it names. Every other property keeps its
// position and its exact text (name spelling, leading blanks, `;`-continued list
// values), and the string keeps its separators: empty items and a trailing `;`
// stay as they were. Names compare case-insensitively; an existing property keeps
// its name as written.
//
//   set    `a:i:1;b:i:2`  b=5  -> `a:i:1;b:i:5`   (replaced in place)
//   set    `a:i:1;`       c=1  -> `a:i:1;c:i:1;`  (added after the last property,
//                                                   before the string's tail)
//   unset  `a:i:1;b:i:2;` b    -> `a:i:1;`        (the item and the `;` after it)
//   unset  `a:i:1;b:i:2`  b    -> `a:i:1`         (the last item: the `;` before it)
//
// A name that occurs more than once (the reader warns about it) is set in its first
// position and the later occurrences are removed; unset removes every occurrence.
// Every result is read back with parse_rdp_properties and must give exactly the
// intended property list, or the edit fails and returns no text.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace comredir::policy {

enum class RdpPropsEditStatus {
    ok,
    bad_string,    ///< the current string does not parse (the reader's message)
    bad_name,      ///< empty, or holds `:`, `;`, a control character, or starts with a blank
    bad_type,      ///< type is not `i`, `s` or `b`
    unknown_type,  ///< new property, no type given and none known for the name
    bad_value,     ///< `i` not an int32, a control character, or would not read back as given
    internal,      ///< the edited string did not read back as intended (a bug)
};
std::string_view to_string(RdpPropsEditStatus s);  // "bad_value"

struct RdpPropsEdit {
    RdpPropsEditStatus status = RdpPropsEditStatus::ok;
    std::string message;       ///< one line, e.g. ``property `redirectcomports`: value `x` ...``
    std::string text;          ///< the edited string (ok only)
    char type = 's';           ///< set: the type written
    std::string value;         ///< set: the value written (canonical for `i`)
    std::size_t replaced = 0;  ///< properties replaced in place (0 or 1)
    std::size_t added = 0;     ///< properties appended (0 or 1)
    std::size_t removed = 0;   ///< occurrences removed (unset; later duplicates for set)
    bool changed = false;      ///< text differs from the input
    bool ok() const { return status == RdpPropsEditStatus::ok; }
};

/// Sets property `name` to `value`. `type`: the type to write; nullopt takes the existing
/// property's type, else rdp_known_type(name) (rdp_edit.hpp: Microsoft's documented
/// types), else fails with unknown_type: a guessed type would reach every session of the
/// pool. `i` values are written in canonical decimal (`010` becomes `10`, which FreeRDP
/// would read as octal 8); control characters other than tab are refused.
RdpPropsEdit set_rdp_property(std::string_view props, std::string_view name,
                              std::optional<char> type, std::string_view value);

/// Removes every occurrence of property `name` (no change, and ok, when there is none).
RdpPropsEdit unset_rdp_property(std::string_view props, std::string_view name);

/// A whole replacement string: ok (with `text` = `raw`) when parse_rdp_properties accepts it,
/// else bad_string with the reader's one-line message.
RdpPropsEdit check_rdp_properties(std::string_view raw);

}  // namespace comredir::policy
