// Estate loading: config, host pool and client layers; then the decisions.
#include <algorithm>
#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/resolver.hpp>

#include "io/text.hpp"
#include "resolve/estate_internal.hpp"

namespace comredir::policy {

namespace {

constexpr std::string_view kLinuxNoHostPool =
    "not present: product `linux` with no host pool store configured";

void prop_error(Estate& e, PropertySources& src, SourceReport rep, const std::string& message) {
    rep.ok = false;
    rep.message = message;
    src.errors.push_back(message);
    e.input_errors.push_back({message, rep.layer, {}});
    e.sources.push_back(std::move(rep));
}

void load_host_pool(Estate& e, const EstateInputs& inputs, const std::string& pool_name) {
    const std::string& store_path = inputs.store_path;
    const HostPoolStoreResult* store = inputs.store ? &*inputs.store : nullptr;
    e.host_pool = pool_name;
    e.host_pool_src.base.source = "hostpool";
    e.host_pool_src.base.host_pool = pool_name;
    e.host_pool_src.base.file = store_path;
    SourceReport rep{LayerId::host_pool, "hostpool", store_path, pool_name, "", true, ""};
    if (store == nullptr) {
        prop_error(e, e.host_pool_src, rep,
                   "host pool `" + pool_name + "`: no host pool store configured");
        return;
    }
    if (!store->ok()) {
        prop_error(e, e.host_pool_src, rep, store->message);
        return;
    }
    const HostPool* pool = store->store.find(pool_name);
    if (pool == nullptr) {
        prop_error(e, e.host_pool_src, rep,
                   store_path + ": host pool `" + pool_name + "` not found");
        return;
    }
    // From Azure Resource Graph the pool's place is its ARM resource id.
    const bool graph = inputs.origin == HostPoolOrigin::resource_graph;
    if (graph) {
        e.host_pool_src.base.file = pool->arm_path;
        rep.path = pool->arm_path;
    }
    auto props = parse_rdp_properties(pool->custom_rdp_property);
    if (!props.ok()) {
        prop_error(e, e.host_pool_src, rep,
                   (graph ? pool->arm_path : store_path + ": line " + std::to_string(pool->line)) +
                       ": host pool `" + pool_name + "`: customRdpProperty: " + props.message);
        return;
    }
    e.host_pool_file = std::make_unique<RdpFile>(std::move(props.file));
    e.host_pool_src.props = e.host_pool_file.get();
    e.sources.push_back(std::move(rep));
}

// The client layer from a property string: `--client-props`, or what the client announced
// over the connection (the redirector).
bool load_client_string(Estate& e, const EstateRequest& req) {
    const bool announced = !req.client_props && req.client_announce;
    const std::string kind = announced ? "client-announce" : "client-props";
    const std::string label = announced ? "the client's announcement" : "--client-props";
    e.client_src.base.source = kind;
    SourceReport rep{LayerId::client, kind, announced ? "" : "--client-props", "", "", true, ""};
    auto r = parse_rdp_properties(announced ? *req.client_announce : *req.client_props);
    if (!r.ok()) {
        prop_error(e, e.client_src, rep, label + ": " + r.message);
        return false;
    }
    e.client_file = std::make_unique<RdpFile>(std::move(r.file));
    if (announced) e.sources.push_back(std::move(rep));
    return true;
}

void load_client(Estate& e, const EstateRequest& req, const std::string& rdp_path) {
    if (req.client_props || req.client_announce) {
        if (!load_client_string(e, req)) return;
    } else {
        e.client_src.base.source = "rdp";
        e.client_src.base.file = rdp_path;
        SourceReport rep{LayerId::client, "rdp", rdp_path, "", "", true, ""};
        auto r = read_rdp(rdp_path);
        if (!r.ok()) {
            prop_error(e, e.client_src, rep, r.message);
            return;
        }
        for (const auto& w : r.file.warnings) e.notes.push_back(rdp_path + ": " + w);
        for (const auto& n : r.file.notes) e.notes.push_back(rdp_path + ": " + n);
        e.client_file = std::make_unique<RdpFile>(std::move(r.file));
        e.sources.push_back(std::move(rep));
    }
    e.client_src.props = e.client_file.get();
}

// Whether the layer's sources themselves failed (already an InputError of the whole layer).
bool layer_unreadable(const Estate& e, LayerId l) {
    switch (l) {
        case LayerId::os_policy:
        case LayerId::platform:  // read from the OS sources
            return !e.os.errors.empty();
        case LayerId::host_pool:
            return !e.host_pool_src.errors.empty();
        case LayerId::client:
            return !e.client_src.errors.empty();
    }
    return false;
}

// Values that were read but fail a feature closed: input errors, whichever features are shown.
// Found by resolving every feature, so that exactly the values a decision uses count (a bad
// value of a layer the product lacks, or of a policy not used for this client, is a note).
void add_value_errors(Estate& e, const std::vector<Decision>& all) {
    for (const Decision& d : all) {
        for (const LayerOutcome& l : d.layers) {
            if (l.configured != State::error || layer_unreadable(e, l.layer)) continue;
            auto same = [&](const InputError& x) { return x.message == l.error; };
            auto it = std::find_if(e.input_errors.begin(), e.input_errors.end(), same);
            if (it == e.input_errors.end()) {
                e.input_errors.push_back({l.error, l.layer, {d.feature}});
            } else {
                it->features.push_back(d.feature);
            }
        }
    }
}

}  // namespace

EstateResult read_estate_inputs(const EstateRequest& req, EstateInputs& inputs) {
    EstateResult out;
    if (req.config_path) {
        auto c = read_config(*req.config_path);
        if (!c.ok()) {
            out.status = EstateStatus::config_error;
            out.message = c.message;
            return out;
        }
        inputs.config = std::move(c.config);
    }
    inputs.store_path = req.store_path.value_or(inputs.config.hostpool_store);
    // The store is read once; a broken store fails the host-pool layer closed (load_estate).
    if (!inputs.store_path.empty()) inputs.store = read_hostpool_store(inputs.store_path);
    return out;
}

EstateResult load_estate(const EstateRequest& req) {
    EstateInputs inputs;
    EstateResult read = read_estate_inputs(req, inputs);
    if (!read.ok()) return read;
    return load_estate(req, inputs);
}

EstateResult load_estate(const EstateRequest& req, const EstateInputs& inputs) {
    EstateResult out;
    Estate& e = out.estate;
    const Config& cfg = inputs.config;
    const HostConfig* host = nullptr;
    if (req.host) {
        e.host = *req.host;
        auto it = cfg.hosts.find(*req.host);
        if (it != cfg.hosts.end()) host = &it->second;
    }
    const std::string& store_path = inputs.store_path;
    const std::optional<HostPoolStoreResult>& store_read = inputs.store;

    // Product: --product, then the host's, the store's, the config default, else avd.
    std::optional<Product> product = req.product;
    if (!product && host != nullptr) product = host->product;
    const HostPoolStore* store = store_read && store_read->ok() ? &store_read->store : nullptr;
    std::string pool_name = host != nullptr ? host->host_pool : req.host.value_or("");
    if (!product && store != nullptr && !pool_name.empty()) {
        if (const auto* p = store->find(pool_name)) product = parse_product(p->product);
    }
    if (!product) product = cfg.default_product;
    if (!product) {
        product = Product::avd;
        e.notes.push_back("product not given: assuming `avd` (use --product)");
    }
    e.product = *product;
    // With an unreadable store the host may well be one of its pools: that layer fails closed.
    const bool store_unreadable = store_read && !store_read->ok();
    if (req.host && host == nullptr && !store_unreadable &&
        (store == nullptr || store->find(*req.host) == nullptr)) {
        out.status = EstateStatus::unknown_host;
        out.message =
            "host `" + *req.host + "` is not in " +
            (req.config_path ? "config `" + *req.config_path + "`" : std::string("any config")) +
            (store_path.empty() ? std::string() : " nor in host pool store `" + store_path + "`");
        return out;
    }

    std::optional<ClientOs> os = req.client_os;
    if (!os && host != nullptr) os = host->client_os;
    if (!os) os = cfg.default_client_os;
    if (!os) {
        os = ClientOs::windows;
        e.notes.push_back("client platform not given: assuming `windows` (use --client-os)");
    }
    e.client_os = *os;

    // OS layer.
    e.os.mdm_wins = req.mdm_wins || (host != nullptr && host->mdm_wins);
    e.os.port_name = req.port;
    const auto& os_specs = !req.os.empty() || host == nullptr ? req.os : host->os;
    if (req.os_unknown) {
        // Known to be unknown: the layer fails closed and says why; nothing was unreadable.
        e.os.errors.push_back(*req.os_unknown);
        e.sources.push_back({LayerId::os_policy, "unknown", "", "", "", false, *req.os_unknown});
    } else {
        detail::load_os_sources(e, os_specs);
        if (os_specs.empty())
            e.notes.push_back("no OS policy source given: the OS layer is not configured");
    }

    // Client layer (read before the host pool: an AVD .rdp names its host pool in armpath).
    std::string rdp_path = req.rdp.value_or(host != nullptr ? host->rdp : "");
    if (req.client_props || req.client_announce || !rdp_path.empty()) load_client(e, req, rdp_path);

    // Host-pool layer. For product `linux` it is optional (the AVD host-pool layer of a
    // comredir Linux host): with no store configured and no `hostPool` named for the host it
    // is not present, as for a product without one; a named pool or a store that cannot be
    // read still fails closed.
    const bool pool_named = host != nullptr && host->host_pool_given;
    if (e.product == Product::linux_host && store_path.empty() && !pool_named) {
        e.host_pool_src.present = false;
        e.host_pool_src.base.source = "hostpool";
        e.host_pool_src.base.detail = std::string(kLinuxNoHostPool);
        e.notes.push_back(
            "host pool: not present (product `linux` and no host pool store "
            "configured: the host-pool layer is optional there)");
    } else if (has_host_pool_layer(e.product)) {
        if (pool_name.empty() && e.client_file) {
            if (auto hp = e.client_file->host_pool_name()) {
                if (store_path.empty()) {
                    e.notes.push_back(
                        "the client file's armpath names host pool `" + *hp +
                        "`, but no host pool store is configured: the host-pool layer uses the "
                        "product defaults");
                } else {
                    pool_name = *hp;
                    e.notes.push_back("host pool `" + pool_name +
                                      "` taken from the client file's armpath");
                }
            }
        }
        if (!pool_name.empty()) {
            load_host_pool(e, inputs, pool_name);
        } else if (!e.client_file || !e.client_file->host_pool_name()) {
            e.notes.push_back("no host pool given: the host-pool layer uses the product defaults");
        }
        if (e.client_file && !pool_name.empty()) {
            auto hp = e.client_file->host_pool_name();
            if (hp && !detail::iequals(*hp, pool_name)) {
                e.notes.push_back("the client file's armpath names host pool `" + *hp + "`, not `" +
                                  pool_name + "`");
            }
        }
    } else if (pool_name.size() > 0 && host != nullptr && host->host_pool != host->name) {
        e.notes.push_back("product `" + std::string(to_string(e.product)) +
                          "` has no host-pool layer: host pool `" + pool_name + "` ignored");
    }
    std::stable_sort(
        e.sources.begin(), e.sources.end(),
        [](const SourceReport& a, const SourceReport& b) { return a.layer < b.layer; });
    out.decisions = decide(e);
    add_value_errors(e, out.decisions);
    return out;
}

std::vector<Decision> decide(const Estate& e, const std::vector<const Feature*>& which) {
    std::vector<const Feature*> fs = which;
    if (fs.empty()) {
        for (const auto& f : features()) fs.push_back(&f);
    }
    std::vector<Decision> out;
    out.reserve(fs.size());
    for (const Feature* f : fs) {
        out.push_back(resolve(*f, e.product, e.client_os,
                              read_layers(*f, e.os, e.host_pool_src, e.client_src)));  // moves
    }
    return out;
}

std::vector<Decision> pick_decisions(std::vector<Decision> all,
                                     const std::vector<const Feature*>& which) {
    if (which.empty()) {
        // Every feature that exists on the product (the serial console: Linux hosts only).
        std::erase_if(all, [](const Decision& d) {
            const Feature* f = find_feature(d.feature);
            return f != nullptr && !applies_to(*f, d.product);
        });
        return all;
    }
    std::vector<Decision> out;
    out.reserve(which.size());
    for (const Feature* f : which) {
        auto it = std::find_if(all.begin(), all.end(),
                               [&](const Decision& d) { return d.feature == f->id; });
        if (it != all.end()) out.push_back(*it);  // a copy: `which` may name one twice
    }
    return out;
}

}  // namespace comredir::policy
