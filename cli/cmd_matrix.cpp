// `comredir-policy matrix`: the full precedence table of a feature — every
// combination of layer states, per product, and what the resolver makes of it.
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/policy/resolve/resolver.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "options.hpp"
#include "table.hpp"

namespace comredir::cli {

namespace {

using namespace comredir::policy;

struct MatrixOptions {
    std::vector<std::string> features{"com_ports"};
    std::string product;
    std::string client_os = "windows";
    bool json = false;
};

constexpr State kStates[] = {State::not_configured, State::allow, State::deny, State::error};

LayerReading reading(const Feature& f, State s) {
    LayerReading r;
    r.state = s;
    r.where.source = "matrix";
    if (s == State::error) r.error = "source unreadable";
    if (f.kind == ValueKind::list && (s == State::allow || s == State::deny)) {
        r.list = s == State::allow ? ListValue::everything() : ListValue::nothing();
    }
    if (f.kind == ValueKind::level && (s == State::allow || s == State::deny))
        r.level = s == State::allow ? 4 : 0;
    return r;
}

int run(const MatrixOptions& o) {
    auto chosen = resolve_features(o.features);
    if (!chosen) return exit_usage;
    std::vector<const Feature*> fs = *chosen;
    if (fs.empty()) {
        for (const auto& f : features()) fs.push_back(&f);
    }
    std::vector<Product> products;
    if (o.product.empty()) {
        products.assign(std::begin(kAllProducts), std::end(kAllProducts));
    } else {
        products.push_back(*parse_product(o.product));
    }
    ClientOs os = *parse_client_os(o.client_os);
    nlohmann::json out = nlohmann::json::array();
    for (const Feature* f : fs) {
        for (Product p : products) {
            if (!applies_to(*f, p)) continue;  // the serial console: Linux hosts only
            bool hp = has_host_pool_layer(p) && f->rdp.semantics != RdpSemantics::none;
            bool client = f->rdp.semantics != RdpSemantics::none;
            Table t({"OS POLICY", "HOST POOL", "CLIENT", "EFFECTIVE", "DECIDED BY"});
            nlohmann::json rows = nlohmann::json::array();
            for (State so : kStates) {
                for (State sh : kStates) {
                    if (!hp && sh != State::not_configured) continue;
                    for (State sc : kStates) {
                        if (!client && sc != State::not_configured) continue;
                        FeatureInputs in{reading(*f, so), reading(*f, sh), reading(*f, sc)};
                        Decision d = resolve(*f, p, os, in);
                        std::string by = std::string(to_string(d.decided_by)) +
                                         (d.decided_by_default ? " (default)" : "");
                        t.add({std::string(to_string(so)), hp ? std::string(to_string(sh)) : "n/a",
                               client ? std::string(to_string(sc)) : "n/a", effective_text(d), by});
                        rows.push_back(
                            {{"os_policy", to_string(so)},
                             {"host_pool", hp ? to_string(sh) : to_string(State::not_applicable)},
                             {"client", client ? to_string(sc) : to_string(State::not_applicable)},
                             {"effective", to_string(d.effective)},
                             {"decidedBy", to_string(d.decided_by)},
                             {"decidedByDefault", d.decided_by_default}});
                    }
                }
            }
            if (o.json) {
                out.push_back({{"feature", f->id},
                               {"product", to_string(p)},
                               {"clientOs", to_string(os)},
                               {"rows", rows}});
                continue;
            }
            std::cout << "feature `" << f->id << "` (" << f->title << ")  product `" << to_string(p)
                      << "`  client `" << to_string(os) << "`\n";
            t.print(std::cout, "  ");
            std::cout << '\n';
        }
    }
    if (o.json) std::cout << out.dump(2) << '\n';
    return exit_ok;
}

}  // namespace

std::vector<Command> add_matrix(CLI::App& root) {
    auto o = std::make_shared<MatrixOptions>();
    CLI::App* app = root.add_subcommand(
        "matrix",
        "print the precedence table of a feature: every combination of layer states per product");
    std::string ids;
    for (const auto& f : features())
        ids += std::string(ids.empty() ? "" : ", ") + std::string(f.id);
    app->footer(
        "layer states: not_configured (the product default applies), allow, deny, error (an "
        "unreadable "
        "source: fail closed)\nfeatures: " +
        ids +
        "\n\nexamples:\n  comredir-policy matrix --feature com_ports --product avd\n"
        "  comredir-policy matrix --feature com_ports --client-os macos --json");
    app->add_option("--feature", o->features,
                    "feature id (repeatable) or `all`; default com_ports");
    app->add_option("--product", o->product, "one product (default: all)")
        ->check(CLI::IsMember(product_names()));
    app->add_option("--client-os", o->client_os, "client platform (default windows)")
        ->check(CLI::IsMember(client_os_names()));
    app->add_flag("--json", o->json, "machine-readable output");
    return {Command{app, [o] { return run(*o); }}};
}

}  // namespace comredir::cli
