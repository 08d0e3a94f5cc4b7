// Host-pool and client layers: one RDP property for one feature.
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/resolve/layers.hpp>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

std::string where_label(const Provenance& w) {
    if (w.source == "what-if") return "what-if `" + w.detail + "`";
    if (!w.host_pool.empty()) return "host pool `" + w.host_pool + "`";
    return w.file;
}

// Where an invalid property value is, for its error: `a.rdp: line 4`, `--client-props: item 2`,
// `hostpools.json: host pool `pool1`: customRdpProperty item 3`, `what-if `client:x=1``.
std::string error_at(const Provenance& w) {
    if (w.source == "what-if") return where_label(w);
    if (w.source == "client-announce") return "the client's announcement";
    std::string at = w.source == "client-props" ? "--client-props" : w.file;
    if (!w.host_pool.empty()) {
        at += (at.empty() ? "" : ": ") + where_label(w) + ": customRdpProperty";
        if (w.line) at += " item " + std::to_string(*w.line);
    } else if (w.line) {
        at += (w.source == "client-props" ? ": item " : ": line ") + std::to_string(*w.line);
    }
    return at;
}

Provenance property_provenance(const Provenance& base, const RdpProperty& p) {
    Provenance w = base;
    if (p.line != 0) {  // what-if properties have no place in a file
        w.line = p.line;
        w.offset = p.offset;
    }
    w.rdp_property = p.text;
    w.raw = p.value;
    return w;
}

}  // namespace

LayerReading read_property_layer(const Feature& f, const PropertySources& src) {
    LayerReading r;
    if (f.rdp.semantics == RdpSemantics::none) {
        r.state = State::not_applicable;
        return r;
    }
    if (!src.present) {
        r.state = State::not_applicable;
        r.where = src.base;
        return r;
    }
    if (!src.errors.empty()) {
        r.state = State::error;
        r.where = src.base;
        for (const auto& e : src.errors) r.error += (r.error.empty() ? "" : "; ") + e;
        return r;
    }
    // Repeated names: the first one counts, as FreeRDP's parser reads them (our oracle).
    const RdpProperty* p = src.props != nullptr ? src.props->find_first(f.rdp.property) : nullptr;
    const RdpProperty* modelled =
        src.what_if != nullptr ? src.what_if->find_first(f.rdp.property) : nullptr;
    if (p == nullptr && modelled == nullptr) return r;  // no source or no property: not configured

    int count = 0;
    if (src.props != nullptr) {
        for (const auto& q : src.props->properties)
            count += detail::iequals(q.name, f.rdp.property) ? 1 : 0;
    }
    if (count > 1) {
        r.notes.push_back(where_label(src.base) + ": `" + std::string(f.rdp.property) +
                          "` appears " + std::to_string(count) +
                          " times; the first one counts (as FreeRDP reads it)");
    }
    if (modelled != nullptr) {
        if (p != nullptr) r.overridden.push_back(property_provenance(src.base, *p));
        p = modelled;
        r.where = property_provenance(src.what_if_base, *p);
    } else {
        r.where = property_provenance(src.base, *p);
    }
    std::string label = error_at(r.where) + ": `" + p->text + "`";

    if (f.rdp.semantics == RdpSemantics::list) {
        if (p->type != 's') {
            r.state = State::error;
            r.error = label + ": expected a string (`:s:`) value";
            return r;
        }
        r.list = ListValue::parse(p->value);
        r.state = r.list->empty() ? State::deny : State::allow;
        return r;
    }
    if (p->type != 'i' || !p->integer) {
        r.state = State::error;
        r.error = label + ": expected an integer (`:i:`) value";
        return r;
    }
    std::int64_t v = *p->integer;
    if (f.rdp.semantics == RdpSemantics::one_allows) {
        if (v == 1) {
            r.state = State::allow;
        } else if (v == 0) {
            r.state = State::deny;
        } else {
            r.state = State::error;
            r.error = label + ": value `" + std::to_string(v) + "` is not 0 or 1";
        }
    } else {  // zero_allows (audiomode)
        if (v == 0) {
            r.state = State::allow;
        } else if (v == 1 || v == 2) {
            r.state = State::deny;
        } else {
            r.state = State::error;
            r.error = label + ": value `" + std::to_string(v) + "` is not 0, 1 or 2";
        }
    }
    return r;
}

}  // namespace comredir::policy
