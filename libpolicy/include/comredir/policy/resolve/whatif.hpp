#pragma once
// What-if: `comredir-policy effective ... --set LAYER:NAME=VALUE` models a change to one
// layer's inputs without writing anything, so the decision shows what it would become.
//
//   os:NAME=DATA           a value under the Terminal Services policy key, applied after
//   os:KEY\NAME=DATA       every OS source (as a last GPO would be); KEY is below HKLM unless
//                          it names a hive (HKLM\..., HKCU\...). DATA: a decimal or 0x
//                          number (REG_DWORD), `dword:N`, `sz:TEXT`, or `delete`.
//   hostpool:PROP=VALUE    an RDP property in the host pool's customRdpProperty
//   client:PROP=VALUE      an RDP property in the client's .rdp settings
//   hostpool:PROP / client:PROP   the property removed
//
// PROP is `name` or `name:t` (t = i, s or b; default i when VALUE is an integer, else s).
// The modelled value counts instead of the source's own, which the decision then cites as
// overridden; its provenance is `what-if` with the argument. An unreadable source stays
// unreadable (its layer still fails closed): a what-if cannot repair it.

#include <comredir/policy/resolve/decision.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace comredir::policy {

struct WhatIf {
    LayerId layer = LayerId::os_policy;
    std::string arg;                   ///< as given, for provenance: `os:fDisableCcm=0`
    std::string key;                   ///< os: hive-qualified key
    std::string name;                  ///< os: value name; properties: property name
    char type = 'i';                   ///< properties: i, s or b
    std::optional<std::string> value;  ///< nullopt: delete / remove
    std::optional<RegValue> data;      ///< os: the value (nullopt with `delete`)
};

struct WhatIfParse {
    bool ok = false;
    std::string message;  ///< one line naming the argument
    WhatIf what;
};

WhatIfParse parse_what_if(std::string_view arg);

/// Applies `w` to a loaded estate. Returns an error (one line) when the layer does not exist
/// for the estate's product; empty on success.
std::string apply_what_if(Estate& e, const WhatIf& w);

}  // namespace comredir::policy
