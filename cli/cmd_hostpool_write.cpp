// `comredir-policy hostpool set|unset|create|delete`: the writing verbs. Each builds one
// PoolChange and hands it to the source (the embedded store: lock, read, edit, read back,
// atomic replace); this file validates arguments and reports.
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_props_edit.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "hostpool_commands.hpp"
#include "options.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

enum class Verb { set, unset, create, remove };

struct WriteOptions {
    SourceOptions source;
    std::string pool;
    std::string property;
    std::string value;
    CLI::Option* value_opt = nullptr;
    std::optional<std::string> raw;
    std::string product = "avd";
    std::string friendly_name;
    std::string arm_path;
    WriteFlags flags;
    bool json = false;
};

std::string_view action_name(Verb v, const WriteOptions& o) {
    switch (v) {
        case Verb::set:
            return o.raw ? "set-raw" : "set";
        case Verb::unset:
            return "unset";
        case Verb::create:
            return "create";
        case Verb::remove:
            return "delete";
    }
    return "?";
}

/// What to print after a write (text mode, not a dry run).
void print_done(Verb v, const WriteOptions& o, const std::optional<PropertyArg>& prop,
                const ChangeOutcome& out) {
    const std::string pool = "host pool `" + out.pool + "`: ";
    const std::string in = " in " + out.target;
    if (!out.changed) {
        if (v == Verb::set && !o.raw) {
            std::cout << pool << prop->name << ':' << out.edit.type << ':' << out.edit.value
                      << " already set" << in << ": nothing written\n";
        } else if (v == Verb::unset) {
            std::cout << pool << prop->name << " is not set" << in << ": nothing written\n";
        } else {
            std::cout << pool << "customRdpProperty already so" << in << ": nothing written\n";
        }
        return;
    }
    const auto& e = out.edit;
    switch (v) {
        case Verb::set:
            if (o.raw) {
                std::cout << pool << "customRdpProperty replaced" << in << '\n';
            } else {
                std::cout << pool << prop->name << ':' << e.type << ':' << e.value << " ("
                          << (e.added != 0 ? "added" : "replaced")
                          << (e.removed != 0 ? "; " + std::to_string(e.removed) +
                                                   " later occurrence(s) removed"
                                             : "")
                          << ")" << in << '\n';
            }
            break;
        case Verb::unset:
            std::cout << pool << prop->name << " removed (" << e.removed
                      << (e.removed == 1 ? " occurrence)" : " occurrences)") << in << '\n';
            break;
        case Verb::create:
            std::cout << "host pool `" << out.pool << "` (" << o.product << ") added to "
                      << out.target << '\n';
            break;
        case Verb::remove:
            std::cout << "host pool `" << out.pool << "` deleted from " << out.target << '\n';
            break;
    }
    if (v == Verb::set || v == Verb::unset) {
        std::cout << "  customRdpProperty: " << out.after << '\n';
    }
    if (!out.backup.empty()) std::cout << "  previous store kept as " << out.backup << '\n';
}

int run_write(Verb v, const WriteOptions& o) {
    PoolChange change;
    change.pool = o.pool;
    std::optional<PropertyArg> prop;
    if (o.raw) {
        if (!o.property.empty()) {
            print_error("give either PROPERTY VALUE or --raw STRING, not both");
            return exit_usage;
        }
        auto checked = pol::check_rdp_properties(*o.raw);
        if (!checked.ok()) {
            print_error("--raw: " + checked.message);
            return exit_usage;
        }
    } else if (v == Verb::set || v == Verb::unset) {
        if (o.property.empty() || (v == Verb::set && o.value_opt->count() == 0)) {
            print_error(v == Verb::set ? "give PROPERTY VALUE, or --raw STRING"
                                       : "give the PROPERTY to remove");
            return exit_usage;
        }
        prop = parse_property_arg(o.property);
        if (!prop) return exit_usage;
    }
    switch (v) {
        case Verb::set:
            if (o.raw) {
                change.edit = [raw = *o.raw](const std::string& current) {
                    auto r = pol::check_rdp_properties(raw);
                    r.changed = raw != current;
                    return r;
                };
            } else {
                change.edit = [p = *prop, value = o.value](const std::string& current) {
                    return pol::set_rdp_property(current, p.name, p.type, value);
                };
            }
            break;
        case Verb::unset:
            change.edit = [p = *prop](const std::string& current) {
                return pol::unset_rdp_property(current, p.name);
            };
            break;
        case Verb::create:
            change.kind = PoolChange::Kind::create;
            change.created.name = o.pool;
            change.created.product = o.product;
            change.created.friendly_name = o.friendly_name;
            change.created.custom_rdp_property = o.raw.value_or("");
            change.created.arm_path = o.arm_path;
            break;
        case Verb::remove:
            change.kind = PoolChange::Kind::remove;
            break;
    }
    int exit = exit_ok;
    auto src = open_source(o.source, exit);
    if (!src) return exit;
    ChangeOutcome out = src->apply(change, o.flags);
    if (out.exit != exit_ok) {
        print_error(out.error);
        return out.exit;
    }
    if (o.json) {
        nlohmann::json report = {
            {"action", action_name(v, o)},
            {"pool", out.pool},
            {"store", out.target},
            {"changed", out.changed},
            {"dry_run", o.flags.dry_run},
            {"customRdpProperty", {{"before", out.before}, {"after", out.after}}}};
        if (prop) {
            report["property"] = {{"name", prop->name}};
            if (v == Verb::set) {
                report["property"]["type"] = std::string(1, out.edit.type);
                report["property"]["value"] = out.edit.value;
            }
        }
        if (v == Verb::set || v == Verb::unset) {
            report["replaced"] = out.edit.replaced;
            report["added"] = out.edit.added;
            report["removed"] = out.edit.removed;
        }
        if (o.flags.dry_run) report["diff"] = out.diff;
        if (!out.backup.empty()) report["backup"] = out.backup;
        std::cout << report.dump(2) << '\n';
    } else if (o.flags.dry_run) {
        std::cout << (out.diff.empty() ? "no change to " + out.target + "\n" : out.diff);
    } else {
        print_done(v, o, prop, out);
    }
    return exit_ok;
}

void add_write_flags(CLI::App& app, WriteOptions& o) {
    add_source_options(app, o.source);
    app.add_flag("--dry-run", o.flags.dry_run, "print a unified diff of the store; write nothing");
    app.add_flag("--backup", o.flags.backup,
                 "keep the previous store as FILE.bak (--arm: the GET body as POOL.json.bak)");
    app.add_flag("--json", o.json, "print a JSON report");
}

constexpr const char* kSetFooter =
    R"(sets one RDP property inside the pool's customRdpProperty. The property keeps
its position (a new one goes after the last), every other property keeps its
text and the string its separators (a trailing `;` stays). A name given more
than once in the string is set in its first position and the later ones are
removed. PROPERTY is `name` (the type of the existing property, else the one
Microsoft documents, e.g. redirectcomports `i`, drivestoredirect `s`; other new
names need it) or `name:type` (type `i`, `s` or `b`). `i` values are int32
integers, written in plain decimal (`010` as `10`); a list value keeps its `;`
(`C:\;E:\`), but may not end with one; no control characters but tab.
--raw STRING replaces the whole string, after checking that it parses.

exit codes: 0 written (or already so); 2 bad property, type or value, bad --raw;
3 unreadable store, unknown pool, the pool's string does not parse (use --raw),
lock timeout.)";

}  // namespace

std::vector<Command> add_hostpool_writes(CLI::App& group) {
    std::vector<Command> out;
    {
        auto o = std::make_shared<WriteOptions>();
        auto* app = group.add_subcommand(
            "set", "set one RDP property in a pool's customRdpProperty (or --raw: all of it)");
        app->footer(kSetFooter);
        app->add_option("POOL", o->pool, "host pool name (case-insensitive)")->required();
        app->add_option("PROPERTY", o->property, "`name` or `name:type`");
        o->value_opt = app->add_option("VALUE", o->value, "the property's value");
        app->add_option("--raw", o->raw, "replace the whole customRdpProperty")
            ->type_name("STRING");
        add_write_flags(*app, *o);
        out.push_back({app, [o] { return run_write(Verb::set, *o); }});
    }
    {
        auto o = std::make_shared<WriteOptions>();
        auto* app = group.add_subcommand("unset", "remove an RDP property from a pool's string");
        app->footer(
            "removes every occurrence of PROPERTY (case-insensitive; a `:type` suffix "
            "is accepted) with one `;` next to it; the other properties and separators "
            "stay. A property that is not there is not an error: nothing is written.");
        app->add_option("POOL", o->pool, "host pool name (case-insensitive)")->required();
        app->add_option("PROPERTY", o->property, "RDP property name")->required();
        add_write_flags(*app, *o);
        out.push_back({app, [o] { return run_write(Verb::unset, *o); }});
    }
    {
        auto o = std::make_shared<WriteOptions>();
        auto* app = group.add_subcommand("create", "add a host pool to the store");
        app->footer(
            "appends the pool after the last one, formatted like it; creates the store "
            "when the file does not exist. exit codes: 0 added; 2 bad --raw; 3 a pool "
            "of that name exists (case-insensitive), unreadable store.");
        app->add_option("POOL", o->pool, "new host pool name")->required();
        app->add_option("--product", o->product, "the pool's product (default avd)")
            ->check(CLI::IsMember(product_names()));
        app->add_option("--friendly-name", o->friendly_name, "display name")->type_name("TEXT");
        app->add_option("--raw", o->raw, "its customRdpProperty")->type_name("STRING");
        app->add_option("--arm-path", o->arm_path, "ARM resource id of the hostPools resource")
            ->type_name("ID");
        add_write_flags(*app, *o);
        out.push_back({app, [o] { return run_write(Verb::create, *o); }});
    }
    {
        auto o = std::make_shared<WriteOptions>();
        auto* app = group.add_subcommand("delete", "remove a host pool from the store");
        app->footer(
            "removes the pool's object and one `,` next to it; exit 3 when there is "
            "no such pool.");
        app->add_option("POOL", o->pool, "host pool name (case-insensitive)")->required();
        add_write_flags(*app, *o);
        out.push_back({app, [o] { return run_write(Verb::remove, *o); }});
    }
    return out;
}

}  // namespace comredir::cli
