#pragma once
// Where a setting came from: every field the decision explains itself with.

#include <cstdint>
#include <optional>
#include <string>

namespace comredir::policy {

struct Provenance {
    /// Kind of source: `registry.pol`, `gpo`, `reg`, `intune`, `hostpool`, `rdp`,
    /// `client-props`, `client-announce` (what the client announced over the connection;
    /// `detail` says what, e.g. ``port `COM1` ``), `default`, `platform`.
    std::string source;
    std::string file;                     ///< path as the user gave it (empty if none)
    std::optional<std::uint64_t> offset;  ///< byte offset of the record in `file`
    /// 1-based line in `file`; for `hostpool`, `client-props` and `client-announce` the
    /// 1-based item of the property string (JSON: `item`)
    std::optional<std::uint32_t> line;
    std::string gpo_name;           ///< GPO display name (GPMC backup, gpt.ini)
    std::string gpo_guid;           ///< GPO GUID `{...}`
    std::string registry_key;       ///< as written in the source, hive-qualified
    std::string registry_value;     ///< value name as written in the source
    std::string admx_policy;        ///< e.g. `TS_CLIENT_COM`
    std::string admx_display_name;  ///< ADML display name
    std::string intune_setting;     ///< settings-catalog setting definition id
    std::string host_pool;          ///< host pool name
    std::string rdp_property;       ///< the property as written: `redirectcomports:i:0`
    std::string raw;                ///< the raw value as text (`1`, `*`, `C:\;E:\`)
    std::string detail;             ///< free text: default's documentary source, etc.
};

}  // namespace comredir::policy
