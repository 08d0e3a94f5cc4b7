#pragma once
// `comredir-policy hostpool ...`: host pools and their RDP properties. The verbs talk to a
// HostPoolSource. The embedded JSON store (cmd_hostpool_store.cpp) is the first one; Azure
// Resource Manager (`--arm --subscription S --resource-group RG`) fits behind the same
// interface: read() lists pools (paging through nextLink), apply() GETs the pool, runs the
// change's edit on its customRdpProperty and PATCHes it back with If-Match.

#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <comredir/policy/rdp/rdp_props_edit.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arm_options.hpp"
#include "command.hpp"

namespace comredir::cli {

/// Which source the verbs use: options every verb takes.
struct SourceOptions {
    std::optional<std::string> store;   ///< --store FILE
    std::optional<std::string> config;  ///< --config FILE (its `hostPoolStore`)
    bool arm = false;                   ///< --arm: Azure Resource Manager instead
    std::optional<std::string> subscription;
    std::optional<std::string> resource_group;
    ArmConnection connection;  ///< --arm-endpoint, --ca-file, --timeout, --verbose
};
void add_source_options(CLI::App& app, SourceOptions& o);

/// One change to one pool. A source applies it under its own concurrency control (the
/// store: folder lock, then read, edit, verify, atomic replace), so `edit` always sees the
/// current string.
struct PoolChange {
    enum class Kind { properties, create, remove };
    Kind kind = Kind::properties;
    std::string pool;
    /// properties: the new customRdpProperty, computed from the current one.
    std::function<policy::RdpPropsEdit(const std::string& current)> edit;
    policy::HostPool created;  ///< create: the new pool
};

struct WriteFlags {
    bool dry_run = false;  ///< compute and diff, write nothing (and take no lock)
    bool backup = false;   ///< keep the previous file (or resource) as a backup
};

struct ChangeOutcome {
    int exit = exit_ok;
    std::string error;          ///< one line when exit != exit_ok
    std::string pool;           ///< the pool's name as stored
    std::string target;         ///< what was (or would be) written: the store's path
    bool changed = false;       ///< false: already so, nothing written
    std::string before;         ///< customRdpProperty before (properties, remove)
    std::string after;          ///< customRdpProperty after (properties, create)
    policy::RdpPropsEdit edit;  ///< properties: what the edit did
    std::string diff;           ///< dry run: unified diff of the target (empty: no change)
    std::string backup;         ///< the backup written, if any
};

class HostPoolSource {
  public:
    HostPoolSource() = default;
    HostPoolSource(const HostPoolSource&) = delete;
    HostPoolSource& operator=(const HostPoolSource&) = delete;
    virtual ~HostPoolSource() = default;
    /// The store's path (ARM: the resource group's id), for messages and reports.
    virtual std::string target() const = 0;
    /// Every pool, in source order; nullopt after printing the error (exit_input).
    virtual std::optional<std::vector<policy::HostPool>> read() = 0;
    virtual ChangeOutcome apply(const PoolChange& change, const WriteFlags& flags) = 0;
    /// Sources that can read one pool by name (ARM: one GET) say so and do it here;
    /// nullopt after printing the error. Others read everything (read()).
    virtual bool reads_one() const { return false; }
    virtual std::optional<policy::HostPool> find(const std::string& /*name*/) {
        return std::nullopt;
    }
};

/// The embedded JSON store at `path` (hostpool_store.hpp, hostpool_store_edit.hpp).
std::unique_ptr<HostPoolSource> embedded_store(std::string path);
/// Azure host pools (cmd_hostpool_arm.cpp); nullptr after printing why.
std::unique_ptr<HostPoolSource> arm_source(const SourceOptions& o, int& exit);
/// The source the options name; nullptr after printing why, with the exit code in `exit`.
std::unique_ptr<HostPoolSource> open_source(const SourceOptions& o, int& exit);

/// `name` or `name:t` (t one of i, s, b); nullopt after printing a usage error.
struct PropertyArg {
    std::string name;
    std::optional<char> type;
};
std::optional<PropertyArg> parse_property_arg(const std::string& arg);

std::vector<Command> add_hostpool_reads(CLI::App& group);   // list, show, get
std::vector<Command> add_hostpool_writes(CLI::App& group);  // create, delete, set, unset

}  // namespace comredir::cli
