#pragma once
// The embedded host-pool store: one JSON file naming host pools and their RDP properties.
//
//   { "version": 1,
//     "hostPools": [ { "name": "pool1", "product": "avd", "friendlyName": "...",
//                      "customRdpProperty": "redirectcomports:i:1;...",
//                      "armPath": "/subscriptions/.../hostpools/pool1" } ] }
//
// Schema: docs/hostpool-store.schema.json. Unknown members are kept in `extra` so that
// writing the store back preserves them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

/// A member the schema does not name, kept as read: its name and its value as compact JSON
/// text (`{"team":"lab"}`), in file order.
struct JsonMember {
    std::string name;
    std::string json;
    bool operator==(const JsonMember&) const = default;
};

struct HostPool {
    std::string name;                 ///< required, unique (case-insensitive)
    std::string product;              ///< `avd`, `w365`, `devbox`, `rds` or `linux`
    std::string friendly_name;        ///< `friendlyName` (optional)
    std::string custom_rdp_property;  ///< `customRdpProperty` (optional): `name:t:v;...`
    std::string arm_path;             ///< `armPath` (optional): ARM resource id
    std::uint32_t line = 0;           ///< 1-based line where the pool's object starts
    std::vector<JsonMember> extra;    ///< unknown members, untouched
};

struct HostPoolStore {
    std::uint32_t version = 1;
    std::vector<HostPool> pools;    ///< in file order
    std::vector<JsonMember> extra;  ///< unknown top-level members
    /// Case-insensitive (ASCII) lookup by name; nullptr if absent.
    const HostPool* find(std::string_view name) const;
};

enum class HostPoolStoreStatus {
    ok,
    io_error,
    bad_json,             ///< not JSON (line and column of the syntax error)
    bad_schema,           ///< a member missing or of the wrong type; the message names its pointer
    unsupported_version,  ///< `version` is an integer other than 1
    duplicate_name,       ///< two pools with the same name (case-insensitive)
};

std::string_view to_string(HostPoolStoreStatus s);

struct HostPoolStoreResult {
    HostPoolStoreStatus status = HostPoolStoreStatus::ok;
    std::uint64_t offset = 0;  ///< byte offset of the problem (BOM included)
    std::uint32_t line = 0;    ///< 1-based line of the problem, 0 if n/a
    std::uint32_t column = 0;  ///< 1-based byte column of the problem, 0 if n/a
    std::string message;       ///< `line 7: /hostPools/2/name: expected a string`
    HostPoolStore store;       ///< what was read (on error: the pools before the problem)
    bool ok() const { return status == HostPoolStoreStatus::ok; }
};

HostPoolStoreResult parse_hostpool_store(std::string_view text);
/// As parse_hostpool_store; the message starts with `path: `.
HostPoolStoreResult read_hostpool_store(const std::string& path);

}  // namespace comredir::policy
