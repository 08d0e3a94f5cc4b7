// Text-preserving edits of the embedded host-pool store (see hostpool_store_edit.hpp).
#include <comredir/policy/core/product.hpp>
#include <comredir/policy/hostpool/hostpool_store_edit.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

using ojson = nlohmann::ordered_json;
constexpr std::size_t npos = std::string_view::npos;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;  ///< one past the last byte
};

struct Member {
    std::string key;
    Span key_span;
    Span value;
};

struct Container {
    std::size_t open = 0;   ///< `{` or `[`
    std::size_t close = 0;  ///< `}` or `]`
    std::vector<Member> members;
    std::vector<Span> elements;
};

/// Token positions in JSON text that nlohmann has already accepted.
class JsonText {
  public:
    explicit JsonText(std::string_view t) : t_(t) {}

    std::size_t ws(std::size_t p) const {
        while (p < t_.size() && (t_[p] == ' ' || t_[p] == '\t' || t_[p] == '\n' || t_[p] == '\r'))
            ++p;
        return p;
    }

    /// Past the end of the value starting at `p`; npos if malformed.
    std::size_t value_end(std::size_t p) const {
        if (p >= t_.size()) return npos;
        if (t_[p] == '"') return string_end(p);
        if (t_[p] == '{' || t_[p] == '[') {
            std::size_t depth = 0;
            while (p < t_.size()) {
                const char c = t_[p];
                if (c == '"') {
                    p = string_end(p);
                    if (p == npos) return npos;
                    continue;
                }
                if (c == '{' || c == '[') ++depth;
                if ((c == '}' || c == ']') && --depth == 0) return p + 1;
                ++p;
            }
            return npos;
        }
        const std::size_t start = p;
        while (p < t_.size() && std::string_view(",]} \t\r\n").find(t_[p]) == npos) ++p;
        return p > start ? p : npos;
    }

    /// The object or array starting at `open`.
    std::optional<Container> container(std::size_t open) const {
        if (open >= t_.size() || (t_[open] != '{' && t_[open] != '[')) return std::nullopt;
        const bool object = t_[open] == '{';
        const char close = object ? '}' : ']';
        Container c;
        c.open = open;
        std::size_t p = ws(open + 1);
        if (p < t_.size() && t_[p] == close) {
            c.close = p;
            return c;
        }
        while (p < t_.size()) {
            if (object) {
                Member m;
                m.key_span = {p, string_end(p)};
                if (m.key_span.end == npos) return std::nullopt;
                ojson key = ojson::parse(t_.substr(p, m.key_span.end - p), nullptr, false);
                if (!key.is_string()) return std::nullopt;
                m.key = key.get<std::string>();
                p = ws(m.key_span.end);
                if (p >= t_.size() || t_[p] != ':') return std::nullopt;
                p = ws(p + 1);
                m.value = {p, value_end(p)};
                if (m.value.end == npos) return std::nullopt;
                p = m.value.end;
                c.members.push_back(std::move(m));
            } else {
                Span e{p, value_end(p)};
                if (e.end == npos) return std::nullopt;
                p = e.end;
                c.elements.push_back(e);
            }
            p = ws(p);
            if (p < t_.size() && t_[p] == close) {
                c.close = p;
                return c;
            }
            if (p >= t_.size() || t_[p] != ',') return std::nullopt;
            p = ws(p + 1);
        }
        return std::nullopt;
    }

    std::string_view slice(std::size_t b, std::size_t e) const { return t_.substr(b, e - b); }

  private:
    std::string_view t_;

    std::size_t string_end(std::size_t p) const {
        if (p >= t_.size() || t_[p] != '"') return npos;
        for (++p; p < t_.size(); ++p) {
            if (t_[p] == '\\') {
                ++p;
            } else if (t_[p] == '"') {
                return p + 1;
            }
        }
        return npos;
    }
};

HostPoolEditResult fail(HostPoolEditStatus status, std::string message) {
    HostPoolEditResult r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

/// The store as read, its JSON (key order kept) and where its pools are in the text.
struct Loaded {
    std::string_view bom;
    std::string_view body;  ///< text after the BOM
    HostPoolStoreResult store;
    ojson doc;
    Container pools;  ///< the `hostPools` array
};

std::optional<HostPoolEditResult> load(std::string_view text, Loaded& out) {
    out.bom = text.substr(0, text.substr(0, 3) == kBom ? 3 : 0);
    out.body = text.substr(out.bom.size());
    out.store = parse_hostpool_store(text);
    if (!out.store.ok()) return fail(HostPoolEditStatus::bad_store, out.store.message);
    out.doc = ojson::parse(out.body, nullptr, false);
    const JsonText j(out.body);
    auto root = j.container(j.ws(0));
    std::optional<Container> pools;
    if (root && !out.doc.is_discarded()) {
        for (const Member& m : root->members) {
            if (m.key == "hostPools") pools = j.container(m.value.begin);  // the last one counts
        }
    }
    if (!pools || pools->elements.size() != out.store.store.pools.size()) {
        return fail(HostPoolEditStatus::internal,
                    "internal: cannot locate `/hostPools` in the text");
    }
    out.pools = std::move(*pools);
    return std::nullopt;
}

std::optional<std::size_t> index_of(const HostPoolStore& s, std::string_view name) {
    for (std::size_t i = 0; i < s.pools.size(); ++i) {
        if (detail::iequals(s.pools[i].name, name)) return i;
    }
    return std::nullopt;
}

/// Reads `body` back: a valid store whose JSON equals `expected`.
HostPoolEditResult finish(const Loaded& l, const std::string& body, const ojson& expected) {
    std::string text = std::string(l.bom) + body;
    HostPoolStoreResult back = parse_hostpool_store(text);
    if (!back.ok()) {
        return fail(HostPoolEditStatus::bad_pool,
                    "the change would make the store invalid: " + back.message);
    }
    ojson doc = ojson::parse(body, nullptr, false);
    if (doc.is_discarded() || doc != expected) {
        return fail(HostPoolEditStatus::internal,
                    "internal: the edited store does not read back as intended");
    }
    HostPoolEditResult r;
    r.changed = body != l.body;
    r.text = std::move(text);
    return r;
}

std::string not_found(std::string_view name) {
    return "host pool `" + std::string(name) + "` not found";
}

/// The leading blanks of the line holding `at`.
std::string_view line_indent(std::string_view t, std::size_t at) {
    const std::size_t start = t.rfind('\n', at) == npos ? 0 : t.rfind('\n', at) + 1;
    std::size_t end = start;
    while (end < t.size() && (t[end] == ' ' || t[end] == '\t')) ++end;
    return t.substr(start, end - start);
}

/// `obj` shaped like `tmpl` (an object in `j`'s text with at least one member).
std::string shaped_like(const JsonText& j, const Container& tmpl, const ojson& obj) {
    const auto& ms = tmpl.members;
    const Member& last = ms.back();
    const std::string_view open_ws = j.slice(tmpl.open + 1, ms.front().key_span.begin);
    const std::string between =
        ms.size() >= 2 ? std::string(j.slice(ms[ms.size() - 2].value.end, last.key_span.begin))
                       : "," + std::string(open_ws);
    const std::string_view colon = j.slice(last.key_span.end, last.value.begin);
    const std::string_view close_ws = j.slice(last.value.end, tmpl.close);
    std::string out = "{" + std::string(open_ws);
    bool first = true;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (!first) out += between;
        first = false;
        out += ojson(it.key()).dump() + std::string(colon) + it.value().dump();
    }
    return out + std::string(close_ws) + "}";
}

}  // namespace

std::string_view to_string(HostPoolEditStatus s) {
    switch (s) {
        case HostPoolEditStatus::ok:
            return "ok";
        case HostPoolEditStatus::bad_store:
            return "bad_store";
        case HostPoolEditStatus::not_found:
            return "not_found";
        case HostPoolEditStatus::exists:
            return "exists";
        case HostPoolEditStatus::bad_pool:
            return "bad_pool";
        case HostPoolEditStatus::internal:
            return "internal";
    }
    return "?";
}

std::string empty_hostpool_store_text() {
    return ojson{{"version", 1}, {"hostPools", ojson::array()}}.dump(2) + "\n";
}

HostPoolEditResult set_hostpool_member(std::string_view store_text, std::string_view pool,
                                       std::string_view key, std::string_view value) {
    Loaded l;
    if (auto bad = load(store_text, l)) return *bad;
    auto i = index_of(l.store.store, pool);
    if (!i) return fail(HostPoolEditStatus::not_found, not_found(pool));
    const JsonText j(l.body);
    auto obj = j.container(l.pools.elements[*i].begin);
    if (!obj || obj->members.empty()) {
        return fail(HostPoolEditStatus::internal, "internal: cannot locate the pool's members");
    }
    const std::string token = ojson(std::string(value)).dump();
    std::string body(l.body);
    const Member* found = nullptr;
    for (const Member& m : obj->members) {
        if (m.key == key) found = &m;  // nlohmann keeps the last of repeated keys
    }
    if (found != nullptr) {
        body.replace(found->value.begin, found->value.end - found->value.begin, token);
    } else {
        const auto& ms = obj->members;
        const Member& last = ms.back();
        const std::string sep =
            ms.size() >= 2 ? std::string(j.slice(ms[ms.size() - 2].value.end, last.key_span.begin))
                           : "," + std::string(j.slice(obj->open + 1, last.key_span.begin));
        body.insert(last.value.end, sep + ojson(std::string(key)).dump() +
                                        std::string(j.slice(last.key_span.end, last.value.begin)) +
                                        token);
    }
    ojson expected = l.doc;
    expected["hostPools"][*i][std::string(key)] = std::string(value);
    return finish(l, body, expected);
}

HostPoolEditResult add_hostpool(std::string_view store_text, const HostPool& pool) {
    Loaded l;
    if (auto bad = load(store_text, l)) return *bad;
    if (const HostPool* p = l.store.store.find(pool.name)) {
        return fail(
            HostPoolEditStatus::exists,
            "host pool `" + p->name + "` exists already (line " + std::to_string(p->line) + ")");
    }
    ojson obj = {{"name", pool.name}, {"product", pool.product}};
    if (!pool.friendly_name.empty()) obj["friendlyName"] = pool.friendly_name;
    if (!pool.custom_rdp_property.empty()) obj["customRdpProperty"] = pool.custom_rdp_property;
    if (!pool.arm_path.empty()) obj["armPath"] = pool.arm_path;
    for (const JsonMember& m : pool.extra) {
        if (!obj.contains(m.name)) obj[m.name] = ojson::parse(m.json);
    }
    const JsonText j(l.body);
    std::string body(l.body);
    const auto& els = l.pools.elements;
    if (!els.empty()) {
        auto tmpl = j.container(els.back().begin);
        if (!tmpl || tmpl->members.empty()) {
            return fail(HostPoolEditStatus::internal, "internal: cannot locate the last pool");
        }
        const std::string sep =
            els.size() >= 2 ? std::string(j.slice(els[els.size() - 2].end, els.back().begin))
                            : "," + std::string(j.slice(l.pools.open + 1, els[0].begin));
        body.insert(els.back().end, sep + shaped_like(j, *tmpl, obj));
    } else {
        const std::string_view base = line_indent(l.body, l.pools.open);
        const bool one_line = l.body.substr(0, l.pools.open).find('\n') == npos;
        const bool uniform = base.find_first_not_of(base.empty() ? ' ' : base[0]) == npos;
        std::string inner;
        if (one_line || !uniform) {
            inner = obj.dump();
        } else {
            const std::string unit = base.empty() ? std::string("  ") : std::string(base);
            const std::string pad = std::string(base) + unit;
            std::string dumped = obj.dump(static_cast<int>(unit.size()), unit[0]);
            for (std::size_t at = dumped.find('\n'); at != npos; at = dumped.find('\n', at + 1)) {
                dumped.insert(at + 1, pad);
            }
            inner = "\n" + pad + dumped + "\n" + std::string(base);
        }
        body.replace(l.pools.open + 1, l.pools.close - l.pools.open - 1, inner);
    }
    ojson expected = l.doc;
    expected["hostPools"].push_back(obj);
    return finish(l, body, expected);
}

HostPoolEditResult remove_hostpool(std::string_view store_text, std::string_view pool) {
    Loaded l;
    if (auto bad = load(store_text, l)) return *bad;
    auto i = index_of(l.store.store, pool);
    if (!i) return fail(HostPoolEditStatus::not_found, not_found(pool));
    std::string body(l.body);
    const auto& els = l.pools.elements;
    if (els.size() == 1) {
        body.erase(l.pools.open + 1, l.pools.close - l.pools.open - 1);
    } else if (*i + 1 < els.size()) {
        body.erase(els[*i].begin, els[*i + 1].begin - els[*i].begin);
    } else {
        body.erase(els[*i - 1].end, els[*i].end - els[*i - 1].end);
    }
    ojson expected = l.doc;
    expected["hostPools"].erase(*i);
    return finish(l, body, expected);
}

}  // namespace comredir::policy
