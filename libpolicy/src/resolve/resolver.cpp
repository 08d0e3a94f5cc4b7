#include <algorithm>
#include <array>
#include <comredir/policy/resolve/resolver.hpp>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace comredir::policy {

std::string_view to_string(LayerId l) {
    switch (l) {
        case LayerId::os_policy:
            return "os_policy";
        case LayerId::host_pool:
            return "host_pool";
        case LayerId::client:
            return "client";
        case LayerId::platform:
            return "platform";
    }
    return "?";
}

std::string_view to_string(State s) {
    switch (s) {
        case State::allow:
            return "allow";
        case State::deny:
            return "deny";
        case State::not_configured:
            return "not_configured";
        case State::not_applicable:
            return "not_applicable";
        case State::error:
            return "error";
    }
    return "?";
}

std::string_view to_string(ConflictRule r) {
    switch (r) {
        case ConflictRule::order:
            return "order";
        case ConflictRule::mdm_wins:
            return "mdm_wins";
        case ConflictRule::gp_wins:
            return "gp_wins";
        case ConflictRule::stricter:
            return "stricter";
    }
    return "?";
}

namespace {

bool layer_exists(const Feature& f, Product p, LayerId l) {
    switch (l) {
        case LayerId::os_policy:
            return true;
        case LayerId::host_pool:
            return has_host_pool_layer(p) && f.rdp.semantics != RdpSemantics::none;
        case LayerId::client:
            return f.rdp.semantics != RdpSemantics::none;
        case LayerId::platform:
            return true;
    }
    return false;
}

Default layer_default(const Feature& f, Product p, LayerId l) {
    const auto& d = defaults_for(f, p);
    switch (l) {
        case LayerId::os_policy:
            return f.os.windows_default;
        case LayerId::host_pool:
            return d.host_pool;
        case LayerId::client:
            return d.client;
        case LayerId::platform:
            return Default::allow;
    }
    return Default::deny;
}

Provenance make_default_provenance(const Feature& f, Product p, LayerId l) {
    Provenance w;
    w.source = "default";
    if (l == LayerId::os_policy) {
        w.admx_policy = std::string(f.os.admx_policy);
        w.admx_display_name = std::string(f.os.display_name);
        w.registry_key = "HKLM\\" + std::string(f.os.key);
        w.registry_value = std::string(f.os.value_name);
        w.detail = std::string(f.os.source);
    } else {
        w.rdp_property = std::string(f.rdp.property);
        w.detail = std::string(defaults_for(f, p).source);
    }
    return w;
}

/// The feature's row in the catalog, or nullopt for a Feature that is not one of its rows
/// (a caller's copy): caches are only used for the table's own rows.
std::optional<std::size_t> feature_index(const Feature& f) {
    auto all = features();
    if (&f < all.data() || &f >= all.data() + all.size()) return std::nullopt;
    return static_cast<std::size_t>(&f - all.data());
}
constexpr std::size_t kProducts = std::size(kAllProducts);
constexpr std::size_t kClientOses = std::size(kAllClientOs);

/// Values that depend on the catalog only, each built the first time it is asked for and
/// kept: a program that resolves one product for one client builds only those (building
/// every product's and platform's at the first call was a third of `effective`'s run).
template <typename T>
class LazyTable {
  public:
    explicit LazyTable(std::size_t size) : slots_(size) {}
    template <typename Make>
    const T& get(std::size_t i, Make&& make) {
        Slot& s = slots_[i];
        std::call_once(s.once, [&] { s.value = std::make_unique<const T>(make()); });
        return *s.value;
    }

  private:
    // A small slot, the value apart: the table itself stays a couple of pages (a slot
    // holding its LayerOutcome would make it 360 KB, a page fault per 4 KB at start-up).
    struct Slot {
        std::once_flag once;
        std::unique_ptr<const T> value;
    };
    std::vector<Slot> slots_;
};

// nullptr for a Feature that is not a catalog row (the caller builds it then).
const Provenance* cached_default_provenance(const Feature& f, Product p, LayerId l) {
    constexpr std::size_t kLayers = 3;  // os_policy, host_pool, client
    static LazyTable<Provenance> cache(features().size() * kProducts * kLayers);
    auto i = feature_index(f);
    if (!i) return nullptr;
    const std::size_t slot =
        (*i * kProducts + static_cast<std::size_t>(p)) * kLayers + static_cast<std::size_t>(l);
    return &cache.get(slot, [&] { return make_default_provenance(f, p, l); });
}

// Fills `out.applied` and the applied list/level from a reading and the defaults.
template <typename Reading>  // const LayerReading& (copies) or LayerReading (moved in)
void apply_reading(const Feature& f, Product p, LayerId l, Reading&& r, LayerOutcome& out,
                   Decision& d) {
    out.configured = r.state;
    if constexpr (std::is_const_v<std::remove_reference_t<Reading>>) {
        out.where = r.where;
        out.overridden = r.overridden;
        out.conflicts = r.conflicts;
        out.error = r.error;
        d.notes.insert(d.notes.end(), r.notes.begin(), r.notes.end());
    } else {
        out.where = std::move(r.where);
        out.overridden = std::move(r.overridden);
        out.conflicts = std::move(r.conflicts);
        out.error = std::move(r.error);
        for (auto& n : r.notes) d.notes.push_back(std::move(n));
    }
    // A layer the product has can still be absent for one host (PropertySources::present):
    // its reading says not_applicable, and it counts as a layer the product lacks.
    const bool absent = l == LayerId::host_pool && r.state == State::not_applicable &&
                        f.rdp.semantics != RdpSemantics::none;
    if (!layer_exists(f, p, l) || absent) {
        out.applied = State::not_applicable;
        if (out.where.detail.empty() && l == LayerId::host_pool &&
            f.rdp.semantics != RdpSemantics::none) {
            out.where.detail =
                "not present: product `" + std::string(to_string(p)) + "` has no host-pool layer";
        }
        if (r.state != State::not_configured && r.state != State::not_applicable &&
            l == LayerId::host_pool) {
            d.notes.push_back("host-pool setting ignored: product `" + std::string(to_string(p)) +
                              "` has no host-pool layer");
        }
        out.configured = State::not_applicable;
        return;
    }
    State s = r.state;
    if (s == State::error) {
        out.applied = State::deny;
        d.errors.push_back(std::string(to_string(l)) + ": " + out.error);
        if (f.kind == ValueKind::list) out.list = ListValue::nothing();
        if (f.kind == ValueKind::level) out.level = 0;
        return;
    }
    if (s == State::not_configured || s == State::not_applicable) {
        out.from_default = true;
        if (const Provenance* cached = cached_default_provenance(f, p, l)) {
            out.where = *cached;
        } else {
            out.where = make_default_provenance(f, p, l);
        }
        Default def = layer_default(f, p, l);
        out.applied = def == Default::allow ? State::allow : State::deny;
        if (f.kind == ValueKind::list) {
            if (l == LayerId::os_policy || def == Default::deny) {
                out.list = def == Default::allow ? ListValue::everything() : ListValue::nothing();
            } else {
                out.list = ListValue::parse(defaults_for(f, p).list_default);
            }
            out.applied = out.list->empty() ? State::deny : State::allow;
        }
        if (f.kind == ValueKind::level) out.level = def == Default::allow ? kUnrestrictedLevel : 0;
        return;
    }
    out.applied = s;
    if (f.kind == ValueKind::list) {
        out.list =
            r.list ? *r.list : (s == State::allow ? ListValue::everything() : ListValue::nothing());
        out.applied = out.list->empty() ? State::deny : State::allow;
    }
    if (f.kind == ValueKind::level) {
        out.level = r.level ? std::clamp(*r.level, 0, kUnrestrictedLevel)
                            : (s == State::allow ? kUnrestrictedLevel : 0);
        out.applied = *out.level == 0 ? State::deny : State::allow;
    }
}

LayerOutcome make_platform_outcome(const Feature& f, Product p, ClientOs os) {
    LayerOutcome out;
    out.layer = LayerId::platform;
    out.configured = State::not_applicable;
    out.where.source = "platform";
    if (!applies_to(f, p)) {
        out.applied = State::deny;
        out.where.detail =
            "`" + std::string(f.id) + "` exists on comredir's Linux hosts only (product `linux`)";
    } else if (!f.only_on.empty()) {
        // comredir's own feature: no RDP client involved, so no client platform.
        out.applied = State::not_applicable;
        out.where.detail = std::string(f.rdp.source);
    } else if (p == Product::linux_host && !f.comredir_linux_host) {
        out.applied = State::deny;
        out.where.detail = "comredir's Linux redirector host redirects serial ports only";
    } else if (!platform_supported(f, p, os)) {
        out.applied = State::deny;
        out.where.detail = "Microsoft clients cannot redirect this from a `" +
                           std::string(to_string(os)) + "` device (" +
                           std::string(f.microsoft_clients.source) + ")";
    } else {
        out.applied = State::allow;
        out.from_default = true;
        out.where.detail = p == Product::linux_host
                               ? "FreeRDP clients redirect serial ports from any OS"
                               : std::string(f.microsoft_clients.source);
    }
    if (f.kind == ValueKind::list)
        out.list = out.applied == State::allow ? ListValue::everything() : ListValue::nothing();
    if (f.kind == ValueKind::level)
        out.level = out.applied == State::allow ? kUnrestrictedLevel : 0;
    return out;
}

// Platform outcomes depend on the catalog only: built once per (feature, product, client OS).
// nullptr for a Feature that is not a catalog row.
const LayerOutcome* cached_platform_outcome(const Feature& f, Product p, ClientOs os) {
    static LazyTable<LayerOutcome> cache(features().size() * kProducts * kClientOses);
    auto i = feature_index(f);
    if (!i) return nullptr;
    const std::size_t slot =
        (*i * kProducts + static_cast<std::size_t>(p)) * kClientOses + static_cast<std::size_t>(os);
    return &cache.get(slot, [&] { return make_platform_outcome(f, p, os); });
}

// The platform policy (FeatureInputs::platform) on top of the catalog's outcome. It speaks about
// non-Windows clients only; where the catalog already denies, it is recorded as overridden.
// Rare (a platform policy is set): kept out of resolve()'s hot path.
template <typename Reading>  // const LayerReading& (copies) or LayerReading (moved in)
[[gnu::cold, gnu::noinline]] void apply_platform_policy(const Feature& f, ClientOs os, Reading&& r,
                                                        LayerOutcome& out, Decision& d) {
    constexpr bool copy = std::is_const_v<std::remove_reference_t<Reading>>;
    auto take = [](auto& x) {  // copies from const inputs, moves from owned ones
        if constexpr (copy) {
            return x;
        } else {
            return std::move(x);
        }
    };
    if (os == ClientOs::windows) {
        if (r.state == State::error)
            d.notes.push_back("platform policy not used for a Windows client: " + r.error);
        return;
    }
    d.notes.insert(d.notes.end(), r.notes.begin(), r.notes.end());
    if (r.state == State::error) {
        out.configured = State::error;
        out.applied = State::deny;
        out.from_default = false;
        out.where = take(r.where);
        out.overridden = take(r.overridden);
        out.conflicts = take(r.conflicts);
        out.error = take(r.error);
        d.errors.push_back("platform: " + out.error);
    } else if (out.applied == State::deny) {
        out.overridden.push_back(take(r.where));  // the client cannot anyway
    } else {
        out.configured = r.state;
        out.applied = r.state;
        out.from_default = false;
        out.where = take(r.where);
        out.overridden = take(r.overridden);
        out.conflicts = take(r.conflicts);
        out.where.detail = std::string(r.state == State::deny ? "refused" : "allowed") +
                           " for a `" + std::string(to_string(os)) + "` client";
    }
    if (f.kind == ValueKind::list)
        out.list = out.applied == State::allow ? ListValue::everything() : ListValue::nothing();
    if (f.kind == ValueKind::level)
        out.level = out.applied == State::allow ? kUnrestrictedLevel : 0;
}

bool explicit_setting(const LayerOutcome& o) {
    return o.configured == State::allow || o.configured == State::deny;
}

}  // namespace

namespace {

template <typename Inputs>  // const FeatureInputs& or FeatureInputs&&
Decision resolve_impl(const Feature& f, Product p, ClientOs os, Inputs&& in) {
    Decision d;
    d.layers.reserve(4);
    d.feature = std::string(f.id);
    d.title = std::string(f.title);
    d.kind = f.kind;
    d.product = p;
    d.client_os = os;

    auto add = [&](LayerId id, auto&& reading) {
        LayerOutcome& o = d.layers.emplace_back();
        o.layer = id;
        apply_reading(f, p, id, std::forward<decltype(reading)>(reading), o, d);
    };
    add(LayerId::os_policy, std::forward<Inputs>(in).os);
    add(LayerId::host_pool, std::forward<Inputs>(in).host_pool);
    add(LayerId::client, std::forward<Inputs>(in).client);
    if (const LayerOutcome* cached = cached_platform_outcome(f, p, os)) {
        d.layers.push_back(*cached);
    } else {
        d.layers.push_back(make_platform_outcome(f, p, os));
    }
    // The platform policy speaks about RDP clients: not about comredir's own features.
    if (in.platform && f.only_on.empty() && in.platform->state != State::not_configured &&
        in.platform->state != State::not_applicable)
        apply_platform_policy(f, os, *std::forward<Inputs>(in).platform, d.layers.back(), d);

    // Combine: most restrictive wins. Order of precedence for naming the decider when
    // several layers are equally restrictive: os_policy, host_pool, client, platform.
    std::vector<const LayerOutcome*> active;
    for (const auto& o : d.layers) {
        if (o.applied != State::not_applicable) active.push_back(&o);
    }
    const LayerOutcome* decider = nullptr;
    if (f.kind == ValueKind::boolean) {
        d.effective = State::allow;
        for (const auto* o : active) {
            if (o->applied == State::deny) {
                d.effective = State::deny;
                decider = o;
                break;
            }
        }
        if (decider == nullptr) {
            // Allowed: name the first layer that explicitly allowed it, else the OS default.
            for (const auto* o : active) {
                if (explicit_setting(*o)) {
                    decider = o;
                    break;
                }
            }
            if (decider == nullptr) decider = active.front();
        }
        for (const auto* o : active) {
            if (d.effective == State::deny && o->applied == State::allow && explicit_setting(*o)) {
                d.overrode.push_back(o->layer);
            }
        }
    } else if (f.kind == ValueKind::list) {
        ListValue acc = ListValue::everything();
        for (const auto* o : active) acc = intersect(acc, *o->list);
        d.list = acc;
        d.effective = acc.empty() ? State::deny : State::allow;
        // Decider: for an empty result, the first layer that allows nothing; for `*`, the first
        // explicit layer; for a partial list, the first layer whose own list is the result.
        for (const auto* o : active) {
            bool match = acc.empty() ? o->list->empty()
                         : acc.all   ? explicit_setting(*o)
                                     : intersect(ListValue::everything(), *o->list) == acc;
            if (match) {
                decider = o;
                break;
            }
        }
        if (decider == nullptr && !acc.all) {
            for (const auto* o : active) {
                if (!o->list->all) {
                    decider = o;
                    break;
                }
            }
            d.notes.push_back("the effective list is the intersection of several layers' lists");
        }
        if (decider == nullptr) decider = active.front();
        for (const auto* o : active) {
            if (o != decider && explicit_setting(*o) && !(intersect(*o->list, acc) == *o->list)) {
                d.overrode.push_back(o->layer);
            }
        }
    } else {  // level
        int lvl = kUnrestrictedLevel;
        for (const auto* o : active) lvl = std::min(lvl, *o->level);
        d.level = lvl;
        d.effective = lvl == 0 ? State::deny : State::allow;
        // A denial is decided by the first layer that denies (as for booleans); a restriction
        // by the first layer that set that level explicitly, else the first that has it.
        for (const auto* o : active) {
            if (*o->level != lvl) continue;
            if (decider == nullptr ||
                (lvl != 0 && !explicit_setting(*decider) && explicit_setting(*o)))
                decider = o;
        }
        for (const auto* o : active) {
            if (explicit_setting(*o) && *o->level > lvl) d.overrode.push_back(o->layer);
        }
    }
    d.decided_by = decider->layer;
    d.decided_by_default = decider->from_default;
    return d;
}

}  // namespace

Decision resolve(const Feature& f, Product p, ClientOs os, const FeatureInputs& in) {
    return resolve_impl(f, p, os, in);
}

Decision resolve(const Feature& f, Product p, ClientOs os, FeatureInputs&& in) {
    return resolve_impl(f, p, os, std::move(in));
}

}  // namespace comredir::policy
