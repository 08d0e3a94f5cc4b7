#pragma once
// comredir's configuration file (JSON): which host pool store to use, and for
// each host (usually an AVD host pool) its product, OS policy sources in the
// order Group Policy applies them, and a default client .rdp file.
//
// {
//   "version": 1,
//   "hostPoolStore": "hostpools.json",
//   "policyDefinitions": "PolicyDefinitions", "admxLanguage": "en-US",
//   "defaults": { "product": "avd", "clientOs": "windows" },
//   "hosts": {
//     "pool1": { "product": "avd", "hostPool": "pool1",
//                "os": [ { "gpo": "gpo/local" }, { "gpo": "gpo/{GUID}" }, { "pol": "x.pol" },
//                        { "reg": "live.reg" }, { "intune": "intune/policy.json" } ],
//                "mdmWinsOverGp": false, "rdp": "clients/alice.rdp", "clientOs": "windows" } } }
//
// Relative paths are relative to the config file's folder. `//` and `/* */` comments are
// allowed (people write this file); a syntax error names the line and column.

#include <comredir/policy/core/product.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

enum class OsSourceKind { gpo, pol, reg, intune };
std::string_view to_string(OsSourceKind k);

struct OsSourceSpec {
    OsSourceKind kind;
    std::string path;
};

struct HostConfig {
    std::string name;
    std::optional<Product> product;
    std::string host_pool;         ///< name in the store (defaults to the host's name)
    bool host_pool_given = false;  ///< `hostPool` written (not the host's name by default)
    std::vector<OsSourceSpec> os;  ///< in application order
    bool mdm_wins = false;
    std::string rdp;  ///< default client .rdp (may be empty)
    std::optional<ClientOs> client_os;
};

struct Config {
    std::string path;            ///< the file it was read from
    std::string hostpool_store;  ///< absolute or relative-to-cwd path (resolved)
    /// ADMX folder (`*.admx` + `<language>/*.adml`) that names policies for `gp list` and
    /// `admx list/show` (resolved); empty: only comredir's own templates.
    std::string policy_definitions;
    std::string admx_language;  ///< ADML language folder; empty = `en-US`
    std::optional<Product> default_product;
    std::optional<ClientOs> default_client_os;
    std::map<std::string, HostConfig> hosts;
};

enum class ConfigStatus { ok, io_error, bad_json, bad_schema, unsupported_version };
std::string_view to_string(ConfigStatus s);

struct ConfigResult {
    ConfigStatus status = ConfigStatus::ok;
    std::uint32_t line = 0;    ///< 1-based, for bad_json
    std::uint32_t column = 0;  ///< 1-based, in bytes, for bad_json
    std::string message;       ///< starts with the file's path
    Config config;
    bool ok() const { return status == ConfigStatus::ok; }
};

ConfigResult read_config(const std::string& path);
/// Parses config text; `path` names it in messages and anchors relative paths.
ConfigResult parse_config(std::string_view text, const std::string& path);

/// The config search order: `explicit_path` (from --config) if given, else
/// `$COMREDIR_CONFIG`, `./comredir.json`, `$XDG_CONFIG_HOME/comredir/config.json`
/// (`~/.config/...`), `/etc/comredir/config.json`. Returns the first that exists,
/// or nullopt when none does.
std::optional<std::string> find_config(const std::optional<std::string>& explicit_path);
/// The candidate paths in search order (for --help and error messages).
std::vector<std::string> config_search_path();

}  // namespace comredir::policy
