// `comredir-policy effective`: the decision for each feature, with its reasons.
#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/policy/resolve/whatif.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "options.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

using namespace comredir::policy;

struct EffectiveOptions {
    std::optional<std::string> config;
    bool no_config = false;
    std::optional<std::string> host;
    std::optional<std::string> store;
    std::optional<std::string> rdp;
    std::optional<std::string> client_props;
    std::string client_os;
    std::vector<std::string> gpo, pol, reg, intune;
    bool mdm_wins = false;
    std::string product;
    std::vector<std::string> features;
    std::optional<std::string> port;
    std::vector<std::string> what_if;  ///< --set LAYER:NAME=VALUE
    bool json = false;
    bool fail_on_deny = false;
};

void print_sources(const Estate& e) {
    std::cout << "sources:\n";
    if (e.sources.empty()) {
        std::cout << "  (none: every layer uses the product defaults)\n";
        return;
    }
    Table t({"LAYER", "KIND", "NAME", "PATH"});
    for (const auto& s : e.sources) {
        std::string name = s.name.empty() ? "-" : s.name + (s.guid.empty() ? "" : " " + s.guid);
        t.add({std::string(to_string(s.layer)), s.kind, name,
               s.path + (s.ok ? "" : "  [unreadable]")});
    }
    t.print(std::cout, "  ");
}

void print_layers(const Decision& d) {
    Table t({"LAYER", "CONFIGURED", "APPLIED", "SETTING"});
    for (const auto& l : d.layers) {
        std::string applied = std::string(to_string(l.applied));
        if (d.kind == ValueKind::list && l.list && l.applied != State::not_applicable)
            applied += " (" + l.list->to_string() + ")";
        if (d.kind == ValueKind::level && l.level && l.applied != State::not_applicable)
            applied += " (level " + std::to_string(*l.level) + ")";
        std::string setting =
            l.configured == State::error ? "error: " + l.error : describe(l.where);
        if (l.applied == State::not_applicable)
            setting = l.layer == LayerId::host_pool && !l.where.detail.empty()
                          ? l.where.detail
                          : "no property for this feature";
        t.add({std::string(to_string(l.layer)), std::string(to_string(l.configured)), applied,
               setting});
        // An overridden setting that said something else is a conflict: named with its rule.
        for (std::size_t i = 0; i < l.overridden.size(); ++i) {
            const Conflict* c = nullptr;
            for (const auto& x : l.conflicts) c = x.overridden == i ? &x : c;
            t.add({"", "", "",
                   c != nullptr ? describe(l, *c) : "overrides " + describe(l.overridden[i])});
        }
    }
    t.print(std::cout, "  ");
}

/// A `--gpo` folder holding several GPOs: their order is link order, which the folder lacks.
/// Prints the usage error and returns false.
bool one_gpo_each(const std::vector<std::string>& dirs) {
    for (const auto& dir : dirs) {
        GpoResult found = find_gpos(dir);
        if (!found.ok() || found.gpos.size() < 2) continue;  // errors: the OS layer fails closed
        print_error("`--gpo " + dir + "` holds " + describe_gpos(found.gpos) +
                    ", and Group Policy applies GPOs in link order, which a folder does not "
                    "record: give each GPO's folder with its own --gpo, lowest precedence first "
                    "(local GPO, site, domain, OU; the last one wins), e.g. `--gpo " +
                    found.gpos.front().path + "`");
        return false;
    }
    return true;
}

/// `(layer fails closed: deny)` or, for an invalid value, the features it denies.
std::string fails_closed(const InputError& err) {
    if (err.features.empty()) return "layer fails closed: deny";
    std::string which;
    for (const auto& f : err.features) which += (which.empty() ? "`" : ", `") + f + "`";
    return which + " in layer " + std::string(to_string(err.layer)) + " fail" +
           (err.features.size() == 1 ? "s" : "") + " closed: deny";
}

std::string decided_by(const Decision& d) {
    return std::string(to_string(d.decided_by)) + (d.decided_by_default ? " (default)" : "");
}

/// Decisions modelled with `--set`: what each feature is now and what it would become.
void print_what_if(const std::vector<std::string>& args, const std::vector<Decision>& before,
                   const std::vector<Decision>& after) {
    std::cout << "what-if (modelled; nothing is written):\n";
    for (const auto& a : args) std::cout << "  --set " << a << '\n';
    std::cout << '\n';
    Table t({"FEATURE", "NOW", "WOULD BE", "DECIDED BY", "WHY"});
    for (std::size_t i = 0; i < after.size(); ++i) {
        const std::string now = effective_text(before[i]);
        const std::string then = effective_text(after[i]);
        t.add({after[i].feature, now, then == now ? then + " (same)" : then, decided_by(after[i]),
               reason(after[i])});
    }
    t.print(std::cout);
}

nlohmann::json what_if_json(const std::vector<std::string>& args,
                            const std::vector<Decision>& before,
                            const std::vector<Decision>& after) {
    nlohmann::json before_json = nlohmann::json::array();
    nlohmann::json changed = nlohmann::json::array();
    for (std::size_t i = 0; i < after.size(); ++i) {
        before_json.push_back(to_json(before[i]));
        if (effective_text(before[i]) != effective_text(after[i]) ||
            before[i].decided_by != after[i].decided_by)
            changed.push_back(after[i].feature);
    }
    return {{"set", args}, {"before", before_json}, {"changed", changed}};
}

int run(const EffectiveOptions& o) {
    EstateRequest req;
    if (!o.no_config) req.config_path = find_config(o.config);
    req.host = o.host;
    req.store_path = o.store;
    req.rdp = o.rdp;
    req.client_props = o.client_props;
    for (const auto& g : o.gpo) req.os.push_back({OsSourceKind::gpo, g});
    for (const auto& p : o.pol) req.os.push_back({OsSourceKind::pol, p});
    for (const auto& r : o.reg) req.os.push_back({OsSourceKind::reg, r});
    for (const auto& i : o.intune) req.os.push_back({OsSourceKind::intune, i});
    req.mdm_wins = o.mdm_wins;
    req.port = o.port;
    if (!o.product.empty()) req.product = parse_product(o.product);
    if (!o.client_os.empty()) req.client_os = parse_client_os(o.client_os);
    if (o.port && o.port->empty()) {
        print_error("`--port` needs a port name (e.g. `COM3`)");
        return exit_usage;
    }
    if (!one_gpo_each(o.gpo)) return exit_usage;
    if (o.host && !req.config_path && !o.store) {
        print_error("`--host " + *o.host + "` needs a config file (looked in: " +
                    join(config_search_path(), ", ") + "; pass --config FILE) or --store FILE");
        return exit_input;
    }

    std::vector<const Feature*> which;
    auto chosen = resolve_features(o.features);
    if (!chosen) return exit_usage;
    which = *chosen;

    std::vector<WhatIf> what_ifs;
    for (const auto& arg : o.what_if) {
        auto parsed = parse_what_if(arg);
        if (!parsed.ok) {
            print_error(parsed.message);
            return exit_usage;
        }
        what_ifs.push_back(std::move(parsed.what));
    }

    auto loaded = load_estate(req);
    if (!loaded.ok()) {
        print_error(loaded.message);
        return exit_input;
    }
    std::vector<Decision> decisions = pick_decisions(std::move(loaded.decisions), which);
    std::vector<Decision> before;
    if (!what_ifs.empty()) {
        before = std::move(decisions);
        for (const auto& w : what_ifs) {
            if (auto error = apply_what_if(loaded.estate, w); !error.empty()) {
                print_error(error);
                return exit_usage;
            }
        }
        decisions = pick_decisions(decide(loaded.estate, which), which);
    }
    const Estate& e = loaded.estate;

    if (o.json) {
        auto j = to_json(e, decisions);
        if (!what_ifs.empty()) j["whatIf"] = what_if_json(o.what_if, before, decisions);
        std::cout << j.dump(2) << '\n';
    } else {
        std::cout << "host `" << (e.host.empty() ? "-" : e.host) << "`  product `"
                  << to_string(e.product) << "`  client `" << to_string(e.client_os) << "`"
                  << (e.host_pool.empty() ? "" : "  host pool `" + e.host_pool + "`")
                  << (o.port ? "  port `" + *o.port + "`" : "") << "\n\n";
        print_sources(e);
        std::cout << '\n';
        if (!what_ifs.empty()) {
            print_what_if(o.what_if, before, decisions);
        } else {
            Table t({"FEATURE", "EFFECTIVE", "DECIDED BY", "WHY"});
            for (const auto& d : decisions)
                t.add({d.feature, effective_text(d), decided_by(d), reason(d)});
            t.print(std::cout);
        }
        if (decisions.size() == 1) {
            std::cout << "\nlayers of `" << decisions[0].feature << "` (" << decisions[0].title
                      << "):\n";
            print_layers(decisions[0]);
        }
        std::vector<std::string> notes = e.notes;
        for (const auto& d : decisions) {
            for (const auto& n : d.notes) notes.push_back(d.feature + ": " + n);
        }
        if (!notes.empty()) {
            std::cout << "\nnotes:\n";
            for (const auto& n : notes) std::cout << "  - " << n << '\n';
        }
    }
    for (const auto& err : e.input_errors)
        print_error(err.message + " (" + fails_closed(err) + ")");
    if (!e.input_errors.empty()) return exit_input;
    if (o.fail_on_deny) {
        for (const auto& d : decisions) {
            if (d.effective == State::deny) return exit_denied;
        }
    }
    return exit_ok;
}

}  // namespace

std::vector<Command> add_effective(CLI::App& root) {
    auto o = std::make_shared<EffectiveOptions>();
    CLI::App* app = root.add_subcommand(
        "effective",
        "resolve every layer for a host and show, per feature, the effective value, the layer that "
        "decided it and why (the most restrictive layer wins; an unreadable source denies)");
    app->footer(R"(sources:
  With --host, the host's OS sources, host pool and client file come from the config file.
  Config search order: --config FILE, $COMREDIR_CONFIG, ./comredir.json,
  $XDG_CONFIG_HOME/comredir/config.json (~/.config/...), /etc/comredir/config.json.
  OS sources given on the command line replace the config's, applied in this order:
  --gpo folders (a local GPO first, then as given), --pol files, --reg snapshots; later wins.
  Give GPOs in link order, lowest precedence first: the local GPO, then site, domain and OU
  GPOs (for enforced links and blocked inheritance, the order Group Policy ends up with).
  A folder holding several GPOs (a SYSVOL Policies folder, a backup set) is refused: it does
  not record link order. When two sources set a policy differently the decision says
  `conflict: X wins by order over Y`.
  Intune (--intune) loses to Group Policy unless --mdm-wins (MDMWinsOverGP); such a conflict
  says `wins by MDMWinsOverGP` or `wins by Group Policy precedence`.
  comredir's own policies (admx/comredir.admx) are read from the same OS sources; for
  com_ports the most restrictive of them and TS_CLIENT_COM / Intune wins.

what-if (--set, repeatable; nothing is ever written; the decision shows NOW and WOULD BE):
  os:NAME=DATA          a value under HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal
                        Services, applied after every OS source (as a last GPO would be)
  os:KEY\NAME=DATA      any policy key (below HKLM unless it starts with HKLM\ or HKCU\)
                        DATA: 1, 0x1, dword:1, sz:TEXT, or delete
  hostpool:PROP=VALUE   an RDP property of the host pool's customRdpProperty (PROP or PROP:t)
  client:PROP=VALUE     an RDP property of the client's .rdp settings
  hostpool:PROP, client:PROP   the property removed
  The modelled value replaces the source's own, which the decision cites as overridden.

exit codes: 0 computed, 2 usage, 3 unreadable or invalid input: an unreadable source fails
  its layer closed, an invalid value (a REG_SZ fDisableCcm, redirectcomports:i:7) the features
  that use it; the others are still resolved and printed. 4 with --fail-on-deny and a feature
  is denied.

examples:
  comredir-policy effective --config examples/comredir.json --host pool1
  comredir-policy effective --config examples/comredir.json --host pool1 --feature com_ports --json
  comredir-policy effective --gpo path/to/{GUID} --rdp alice.rdp --product rds --client-os macos
  comredir-policy effective --host serial-linux --feature com_ports --port COM3
  comredir-policy effective --host pool1 --feature com_ports --set os:fDisableCcm=0)");
    app->add_option("--config", o->config, "config file (see search order below)")
        ->check(CLI::ExistingFile);
    app->add_flag("--no-config", o->no_config, "do not search for a config file");
    app->add_option("--host", o->host, "host or host pool name from the config / host pool store");
    app->add_option("--store", o->store, "host pool store (JSON); overrides the config's");
    auto* rdp = app->add_option("--rdp", o->rdp, "client .rdp file (UTF-16LE or UTF-8)");
    app->add_option("--client-props", o->client_props,
                    "client properties as a string: `redirectcomports:i:1;...`")
        ->excludes(rdp);
    app->add_option("--client-os", o->client_os, "client platform")
        ->check(CLI::IsMember(client_os_names()));
    app->add_option("--gpo", o->gpo,
                    "one GPO's folder (GPMC backup, SYSVOL {GUID}, Samba gpo cache, local GPO); "
                    "repeatable, in link order (lowest precedence first)");
    app->add_option("--pol", o->pol, "Registry.pol file (machine); repeatable");
    app->add_option("--reg", o->reg, ".reg export of live registry state; repeatable");
    app->add_option("--intune", o->intune,
                    "Intune settings-catalog export (Graph JSON); repeatable");
    app->add_flag("--mdm-wins", o->mdm_wins,
                  "Intune wins over Group Policy (ControlPolicyConflict/MDMWinsOverGP)");
    app->add_option("--product", o->product, "product: which layers exist and their defaults")
        ->check(CLI::IsMember(product_names()));
    app->add_option("--port", o->port,
                    "client port name (e.g. COM3): com_ports also applies comredir's "
                    "AllowedPortNames patterns to it")
        ->type_name("NAME");
    app->add_option("--feature", o->features,
                    "feature id (repeatable) or `all` (default); see `matrix --help`");
    app->add_flag("--json", o->json,
                  "machine-readable output (schema: docs/effective.schema.json)");
    app->add_option("--set", o->what_if,
                    "what-if: model LAYER:NAME=VALUE without writing it (repeatable; see below)")
        ->type_name("LAYER:NAME=VALUE");
    app->add_flag("--fail-on-deny", o->fail_on_deny, "exit 4 when any shown feature is denied");
    return {Command{app, [o] { return run(*o); }}};
}

}  // namespace comredir::cli
