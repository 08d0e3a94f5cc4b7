#pragma once
// List-valued redirection settings (drives, PnP devices, USB devices, cameras):
// `*` = everything, empty = nothing, `a;b` = those, `-x` = everything but x.

#include <set>
#include <string>
#include <string_view>

namespace comredir::policy {

/// Orders strings ASCII-case-insensitively (device names and drive letters compare that way).
struct CaseInsensitiveLess {
    bool operator()(const std::string& a, const std::string& b) const;
};
using NameSet = std::set<std::string, CaseInsensitiveLess>;

struct ListValue {
    bool all = false;  ///< `*`: every item (minus `excluded`)
    NameSet items;     ///< explicit items, as first spelled
    NameSet excluded;  ///< `-item` exclusions

    static ListValue everything() { return ListValue{true, {}, {}}; }
    static ListValue nothing() { return ListValue{}; }
    /// Parses `*`, ``, `C:\;E:\;`, `DynamicDrives`, `*;-{guid}`. Separators `;`, blanks trimmed.
    static ListValue parse(std::string_view text);

    bool empty() const { return !all && items.empty(); }
    /// `*`, `*;-x`, `a;b`, or `` (nothing): a canonical rendering.
    std::string to_string() const;
    bool operator==(const ListValue& o) const;
};

/// The most restrictive combination: items allowed by both.
ListValue intersect(const ListValue& a, const ListValue& b);

}  // namespace comredir::policy
