// `comredir-policy hostpool` (the group), where the pools are (--store / --config), and the
// verbs that only read: list, show, get. The writing verbs are in cmd_hostpool_write.cpp.
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_edit.hpp>
#include <comredir/policy/resolve/config.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "hostpool_commands.hpp"
#include "options.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

constexpr const char* kGroupFooter =
    R"(host pools and their RDP properties (`customRdpProperty`: `name:type:value`
items separated by `;`). The pools live in the embedded store, a JSON file
(docs/hostpool-store.schema.json): --store FILE, else the `hostPoolStore` of the
config file (--config FILE, $COMREDIR_CONFIG, ./comredir.json,
$XDG_CONFIG_HOME/comredir/config.json, /etc/comredir/config.json).

Writes change only what they name: one property inside the string (the others
keep their order and spelling, the string its separators), one pool's member,
one pool. Every other byte of the file stays as it was. Writers take a lock on
the store's folder, read the current store, edit, read the result back, and
replace the file atomically (temp file, fsync, rename); --dry-run prints a
unified diff instead, --backup keeps FILE.bak, --json prints a report.

Azure (--arm --subscription ID --resource-group RG): the real
Microsoft.DesktopVirtualization/hostPools resources (api-version 2024-04-03).
list pages through nextLink (same host only); show and get GET one pool; set
and unset GET it with its ETag, edit the string as above and PATCH only
properties.customRdpProperty with If-Match (a 409/412 means the pool changed
since it was read: nothing written, run again). 429 and 5xx are retried (4
tries, backoff with jitter, Retry-After honoured, waits capped at 30 s). TLS is
always verified; --ca-file FILE adds trusted CAs, http:// is refused. The
token: $COMREDIR_ARM_TOKEN, else `az account get-access-token --resource
ENDPOINT/` (run without a shell); it is never printed, --verbose shows
`Bearer ***`. --backup saves the pool as the GET returned it to POOL.json.bak
in the current folder before the PATCH. create and delete are refused: a host
pool needs many more properties (type, load balancer, registration, location)
than comredir manages; deploy it with the portal, az or Bicep.

exit codes: 0 done (or nothing to change); 1 internal error; 2 usage (bad property
name, type or value, bad --raw string, --arm without --subscription or
--resource-group, an http:// endpoint); 3 unreadable or invalid store, unknown
pool, a pool string that does not parse, lock timeout; --arm: HTTP 404 and
other errors, 409/412 conflict, timeout or TLS failure, malformed JSON, no token;
5 get: the pool has no such property.

examples:
  comredir-policy hostpool list --store examples/hostpools.json
  comredir-policy hostpool show lab --config examples/comredir.json
  comredir-policy hostpool get pool1 redirectcomports --store hostpools.json
  comredir-policy hostpool set pool1 redirectcomports 0 --store hostpools.json --dry-run
  comredir-policy hostpool set pool1 'screen mode id:i' 2 --store hostpools.json
  comredir-policy hostpool unset lab usbdevicestoredirect --store hostpools.json --backup
  comredir-policy hostpool set lab --raw 'redirectcomports:i:1;drivestoredirect:s:' --store hostpools.json
  comredir-policy hostpool create bench --product linux --raw redirectcomports:i:1 --store hostpools.json
  comredir-policy hostpool delete bench --store hostpools.json
  comredir-policy hostpool list --arm --subscription $SUB --resource-group rg-avd
  comredir-policy hostpool set pool1 redirectcomports 0 --arm --subscription $SUB \
      --resource-group rg-avd --dry-run
  comredir-policy hostpool get pool1 --arm --subscription $SUB --resource-group rg-avd \
      --arm-endpoint https://management.usgovcloudapi.net      (Azure Government)
  comredir-policy hostpool list --arm --subscription $SUB --resource-group rg-avd \
      --arm-endpoint https://management.chinacloudapi.cn       (Azure operated by 21Vianet))";

struct ReadOptions {
    SourceOptions source;
    std::string pool;
    std::string property;
    bool json = false;
};

nlohmann::json pool_json(const pol::HostPool& p) {
    return {{"name", p.name},
            {"product", p.product},
            {"friendlyName", p.friendly_name},
            {"customRdpProperty", p.custom_rdp_property},
            {"armPath", p.arm_path},
            {"line", p.line}};
}

/// The pool named `name` from the source; nullopt after printing why.
std::optional<pol::HostPool> find_pool(HostPoolSource& src, const std::string& name) {
    if (auto one = src.find(name)) return *one;  // a source that reads one pool at a time
    if (src.reads_one()) return std::nullopt;    // (it printed why)
    auto pools = src.read();
    if (!pools) return std::nullopt;
    pol::HostPoolStore all;
    all.pools = std::move(*pools);
    if (const pol::HostPool* p = all.find(name)) return *p;
    print_error(src.target() + ": host pool `" + name + "` not found");
    return std::nullopt;
}

int run_list(const ReadOptions& o) {
    int exit = exit_ok;
    auto src = open_source(o.source, exit);
    if (!src) return exit;
    auto pools = src->read();
    if (!pools) return exit_input;
    if (o.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : *pools) out.push_back(pool_json(p));
        std::cout << out.dump(2) << '\n';
        return exit_ok;
    }
    Table t({"NAME", "PRODUCT", "PROPERTIES", "FRIENDLY NAME"});
    for (const auto& p : *pools) {
        auto parsed = pol::parse_rdp_properties(p.custom_rdp_property);
        t.add({p.name, p.product,
               parsed.ok() ? std::to_string(parsed.file.properties.size()) : "unreadable",
               p.friendly_name});
    }
    t.print(std::cout);
    return exit_ok;
}

int run_show(const ReadOptions& o) {
    int exit = exit_ok;
    auto src = open_source(o.source, exit);
    if (!src) return exit;
    auto pool = find_pool(*src, o.pool);
    if (!pool) return exit_input;
    auto parsed = pol::parse_rdp_properties(pool->custom_rdp_property);
    const std::string error =
        parsed.ok() ? "" : "host pool `" + pool->name + "`: customRdpProperty: " + parsed.message;
    if (o.json) {
        nlohmann::json out = pool_json(*pool);
        out["properties"] = nlohmann::json::array();
        for (const auto& p : parsed.file.properties) {
            out["properties"].push_back({{"item", p.line},
                                         {"name", p.name},
                                         {"type", std::string(1, p.type)},
                                         {"value", p.value}});
        }
        out["warnings"] = parsed.file.warnings;
        if (!parsed.ok()) out["error"] = error;
        std::cout << out.dump(2) << '\n';
    } else {
        std::cout << "host pool `" << pool->name << "` (" << pool->product << "), "
                  << (pool->line != 0 ? "line " + std::to_string(pool->line) + " of "
                                      : std::string("in "))
                  << src->target() << '\n';
        if (!pool->friendly_name.empty())
            std::cout << "  friendly name: " << pool->friendly_name << '\n';
        if (!pool->arm_path.empty()) std::cout << "  ARM path: " << pool->arm_path << '\n';
        std::cout << "  customRdpProperty: " << printable(pool->custom_rdp_property) << "\n\n";
        Table t({"PROPERTY", "TYPE", "VALUE"});
        for (const auto& p : parsed.file.properties)
            t.add({printable(p.name), std::string(1, p.type), printable(p.value)});
        if (parsed.file.properties.empty()) {
            std::cout << "  (no properties)\n";
        } else {
            t.print(std::cout, "  ");
        }
        for (const auto& w : parsed.file.warnings) std::cout << "  warning: " << w << '\n';
    }
    if (!parsed.ok()) {
        print_error(src->target() + ": " + error);
        return exit_input;
    }
    return exit_ok;
}

int run_get(const ReadOptions& o) {
    int exit = exit_ok;
    auto src = open_source(o.source, exit);
    if (!src) return exit;
    std::optional<PropertyArg> prop;
    if (!o.property.empty()) {
        prop = parse_property_arg(o.property);
        if (!prop) return exit_usage;
    }
    auto pool = find_pool(*src, o.pool);
    if (!pool) return exit_input;
    if (!prop) {
        if (o.json) {
            std::cout << nlohmann::json{{"pool", pool->name},
                                        {"customRdpProperty", pool->custom_rdp_property}}
                             .dump(2)
                      << '\n';
        } else {
            std::cout << printable(pool->custom_rdp_property) << '\n';
        }
        return exit_ok;
    }
    auto parsed = pol::parse_rdp_properties(pool->custom_rdp_property);
    if (!parsed.ok()) {
        print_error(src->target() + ": host pool `" + pool->name +
                    "`: customRdpProperty: " + parsed.message);
        return exit_input;
    }
    const pol::RdpProperty* p = parsed.file.find_first(prop->name);  // as the resolver reads it
    if (p == nullptr) {
        const auto close = pol::rdp_suggest_name(prop->name);
        print_error(src->target() + ": host pool `" + pool->name + "` has no property `" +
                    printable(prop->name) + "`" +
                    (close ? " (did you mean `" + *close + "`?)" : ""));
        return exit_not_set;
    }
    if (o.json) {
        std::cout << nlohmann::json{{"pool", pool->name},
                                    {"item", p->line},
                                    {"property", p->name},
                                    {"type", std::string(1, p->type)},
                                    {"value", p->value}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << printable(p->value) << '\n';
    }
    return exit_ok;
}

}  // namespace

void add_source_options(CLI::App& app, SourceOptions& o) {
    app.add_option("--store", o.store, "host pool store (JSON); overrides the config's")
        ->type_name("FILE");
    app.add_option("--config", o.config, "config file naming the store (`hostPoolStore`)")
        ->type_name("FILE");
    app.add_flag(
        "--arm", o.arm,
        "Azure host pools (Microsoft.DesktopVirtualization, api 2024-04-03) instead of the store");
    app.add_option("--subscription", o.subscription, "--arm: subscription id")->type_name("ID");
    app.add_option("--resource-group", o.resource_group, "--arm: resource group")
        ->type_name("NAME");
    add_arm_connection_options(app, o.connection, "--arm");
}

std::unique_ptr<HostPoolSource> open_source(const SourceOptions& o, int& exit) {
    if (o.arm) {
        if (o.store) {
            print_error("--arm and --store name two sources: give one");
            exit = exit_usage;
            return nullptr;
        }
        return arm_source(o, exit);
    }
    if (o.store) return embedded_store(*o.store);
    auto path = pol::find_config(o.config);
    if (!path) {
        print_error(o.config ? "config file `" + *o.config + "` not found"
                             : "no host pool store: pass --store FILE or --config FILE (no "
                               "config file in: " +
                                   join(pol::config_search_path(), ", ") + ")");
        exit = o.config ? exit_input : exit_usage;
        return nullptr;
    }
    auto cfg = pol::read_config(*path);
    if (!cfg.ok()) {
        print_error(cfg.message);
        exit = exit_input;
        return nullptr;
    }
    if (cfg.config.hostpool_store.empty()) {
        print_error(*path + ": names no host pool store (`hostPoolStore`): pass --store FILE");
        exit = exit_usage;
        return nullptr;
    }
    return embedded_store(cfg.config.hostpool_store);
}

std::optional<PropertyArg> parse_property_arg(const std::string& arg) {
    PropertyArg out;
    const auto colon = arg.find(':');
    out.name = arg.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string t = arg.substr(colon + 1);
        if (t != "i" && t != "s" && t != "b") {
            print_error("property `" + arg + "`: `" + t +
                        "` is not a type (`i`, `s` or `b`); give NAME or NAME:TYPE");
            return std::nullopt;
        }
        out.type = t[0];
    }
    if (out.name.empty()) {
        print_error("property `" + arg + "`: empty name");
        return std::nullopt;
    }
    return out;
}

std::vector<Command> add_hostpool(CLI::App& root) {
    auto* group = root.add_subcommand(
        "hostpool",
        "host pools and their RDP properties: list, show, get, set, unset, create, "
        "delete (embedded JSON store, or Azure with --arm)");
    group->footer(kGroupFooter);
    group->require_subcommand(1);
    std::vector<Command> out = add_hostpool_reads(*group);
    auto writes = add_hostpool_writes(*group);
    out.insert(out.end(), writes.begin(), writes.end());
    return out;
}

std::vector<Command> add_hostpool_reads(CLI::App& group) {
    std::vector<Command> out;
    {
        auto o = std::make_shared<ReadOptions>();
        auto* app = group.add_subcommand("list", "the pools of the store");
        app->footer(
            "--json prints an array of pool objects (name, product, friendlyName, "
            "customRdpProperty, armPath, line: the pool's line in the store file).");
        add_source_options(*app, o->source);
        app->add_flag("--json", o->json, "print JSON");
        out.push_back({app, [o] { return run_list(*o); }});
    }
    {
        auto o = std::make_shared<ReadOptions>();
        auto* app = group.add_subcommand("show", "one pool: its members and its RDP properties");
        app->footer(
            "--json prints the pool object (its `line` is the pool's line in the store "
            "file) with `properties` (item: the 1-based item of the `;`-separated string, "
            "name, type, value; in string order), `warnings` and, when the string does "
            "not parse, `error`.");
        app->add_option("POOL", o->pool, "host pool name (case-insensitive)")->required();
        add_source_options(*app, o->source);
        app->add_flag("--json", o->json, "print JSON");
        out.push_back({app, [o] { return run_show(*o); }});
    }
    {
        auto o = std::make_shared<ReadOptions>();
        auto* app = group.add_subcommand(
            "get", "print a pool's customRdpProperty, or the value of one property in it");
        app->footer(
            "PROPERTY: name (case-insensitive; a `:type` suffix is accepted). A name "
            "given twice in the string reads as its first occurrence, as the resolver "
            "and FreeRDP read it. Text output shows control characters as `\\xNN` (C1 "
            "controls as `\\u00NN`); --json gives them as they are: {pool, "
            "customRdpProperty}, or with PROPERTY {pool, item (its 1-based item in the "
            "`;`-separated string), property, type, value}.\n\n"
            "exit codes: 0 printed; 2 bad PROPERTY; 3 unreadable store, unknown pool, a "
            "string that does not parse; 5 the pool has no such property (a close "
            "documented name is suggested).");
        app->add_option("POOL", o->pool, "host pool name (case-insensitive)")->required();
        app->add_option("PROPERTY", o->property, "RDP property name");
        add_source_options(*app, o->source);
        app->add_flag("--json", o->json, "print JSON");
        out.push_back({app, [o] { return run_get(*o); }});
    }
    return out;
}

}  // namespace comredir::cli
