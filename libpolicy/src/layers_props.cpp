// Host-pool and client layers: one RDP property for one feature.
#include <comredir/policy/layers.hpp>
#include <comredir/policy/rdp.hpp>

#include "text.hpp"

namespace comredir::policy {

namespace {

std::string where_label(const Provenance& w) {
    if (!w.host_pool.empty()) return "host pool `" + w.host_pool + "`";
    return w.file;
}

}  // namespace

LayerReading read_property_layer(const Feature& f, const PropertySources& src) {
    LayerReading r;
    if (f.rdp.semantics == RdpSemantics::none) {
        r.state = State::not_applicable;
        return r;
    }
    if (!src.errors.empty()) {
        r.state = State::error;
        r.where = src.base;
        for (const auto& e : src.errors) r.error += (r.error.empty() ? "" : "; ") + e;
        return r;
    }
    if (src.props == nullptr) return r;  // no source: not configured
    // Repeated names: the first one counts, as FreeRDP's parser reads them (our oracle).
    const RdpProperty* p = src.props->find_first(f.rdp.property);
    if (p == nullptr) return r;

    int count = 0;
    for (const auto& q : src.props->properties)
        count += detail::iequals(q.name, f.rdp.property) ? 1 : 0;
    if (count > 1) {
        r.notes.push_back(where_label(src.base) + ": `" + std::string(f.rdp.property) +
                          "` appears " + std::to_string(count) +
                          " times; the first one counts (as FreeRDP reads it)");
    }
    r.where = src.base;
    r.where.line = p->line;
    r.where.offset = p->offset;
    r.where.rdp_property = p->text;
    r.where.raw = p->value;
    std::string label = where_label(src.base) + ": `" + p->text + "`";

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
