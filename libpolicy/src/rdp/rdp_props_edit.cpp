// Editing RDP property strings (host pool `customRdpProperty`) in place.
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/rdp/rdp_edit.hpp>
#include <comredir/policy/rdp/rdp_props_edit.hpp>
#include <vector>

#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"

namespace comredir::policy {

namespace {

using detail::iequals;
using detail::rdp_snippet;

struct Prop {
    std::string name;
    char type = 's';
    std::string value;
    bool operator==(const Prop&) const = default;
};

std::vector<Prop> props_of(const RdpFile& f) {
    std::vector<Prop> out;
    out.reserve(f.properties.size());
    for (const auto& p : f.properties) out.push_back({p.name, p.type, p.value});
    return out;
}

RdpPropsEdit fail(RdpPropsEditStatus status, std::string message) {
    RdpPropsEdit r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

std::optional<RdpPropsEdit> check_name(std::string_view name) {
    if (name.empty()) return fail(RdpPropsEditStatus::bad_name, "empty property name");
    const std::string shown = "property name `" + rdp_snippet(name) + "`";
    if (name.find_first_of(":;") != std::string_view::npos) {
        return fail(RdpPropsEditStatus::bad_name, shown + " must not contain `:` or `;`");
    }
    for (char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            return fail(RdpPropsEditStatus::bad_name,
                        shown + " must not contain control characters");
        }
    }
    if (name.front() == ' ' || name.front() == '\t') {
        return fail(RdpPropsEditStatus::bad_name, shown + " must not start with a blank");
    }
    return std::nullopt;
}

/// Removes the property whose text is `[offset, end)` together with one separator: the
/// `;` after it, or for the last item the `;` before it. Blanks before the item go too.
void remove_item(std::string& s, std::size_t offset, std::size_t end) {
    std::size_t start = offset;
    while (start > 0 && s[start - 1] != ';') --start;
    if (end < s.size()) {
        s.erase(start, end + 1 - start);
    } else if (start > 0) {
        s.erase(start - 1, end - start + 1);
    } else {
        s.erase(start, end - start);
    }
}

/// Appends `item` after the last property, before the string's tail of empty items.
void append_item(std::string& s, const RdpFile& f, const std::string& item) {
    if (!f.properties.empty()) {
        const RdpProperty& last = f.properties.back();
        s.insert(static_cast<std::size_t>(last.offset + last.length), ";" + item);
    } else if (s.empty() || s.front() == ';') {
        s.insert(0, item);
    } else {
        s.insert(0, item + ";");  // the string is blanks only: keep them as an empty item
    }
}

/// Reads `text` back and compares it with `expected`; on a mismatch explains it.
std::optional<RdpPropsEdit> verify(const std::string& text, const std::vector<Prop>& expected,
                                   std::string_view name, std::string_view value, bool setting) {
    RdpResult back = parse_rdp_properties(text);
    if (back.ok() && props_of(back.file) == expected) return std::nullopt;
    const std::string prop = "property `" + rdp_snippet(name) + "`: ";
    if (setting) {
        if (!back.ok()) {
            return fail(RdpPropsEditStatus::bad_value, prop + "value `" + rdp_snippet(value) +
                                                           "` breaks the string: " + back.message);
        }
        for (const auto& p : back.file.properties) {
            if (!iequals(p.name, name) || p.value == value) continue;
            return fail(RdpPropsEditStatus::bad_value,
                        prop + "value `" + rdp_snippet(value) + "` would read back as `" +
                            rdp_snippet(p.value) +
                            "` (a `;` in a value must not be followed by another `;`, by blanks "
                            "only or by `name:t:`)");
        }
    }
    return fail(RdpPropsEditStatus::internal, "internal: the edited string `" + rdp_snippet(text) +
                                                  "` does not read back as intended");
}

}  // namespace

std::string_view to_string(RdpPropsEditStatus s) {
    switch (s) {
        case RdpPropsEditStatus::ok:
            return "ok";
        case RdpPropsEditStatus::bad_string:
            return "bad_string";
        case RdpPropsEditStatus::bad_name:
            return "bad_name";
        case RdpPropsEditStatus::bad_type:
            return "bad_type";
        case RdpPropsEditStatus::unknown_type:
            return "unknown_type";
        case RdpPropsEditStatus::bad_value:
            return "bad_value";
        case RdpPropsEditStatus::internal:
            return "internal";
    }
    return "?";
}

RdpPropsEdit set_rdp_property(std::string_view props, std::string_view name,
                              std::optional<char> type, std::string_view value) {
    if (auto bad = check_name(name)) return *bad;
    if (type && *type != 'i' && *type != 's' && *type != 'b') {
        return fail(RdpPropsEditStatus::bad_type, "property `" + rdp_snippet(name) + "`: type `" +
                                                      rdp_snippet(std::string_view(&*type, 1)) +
                                                      "` is not one of `i`, `s`, `b`");
    }
    RdpResult cur = parse_rdp_properties(props);
    if (!cur.ok()) return fail(RdpPropsEditStatus::bad_string, cur.message);
    const auto& ps = cur.file.properties;
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < ps.size(); ++i) {
        if (iequals(ps[i].name, name)) hits.push_back(i);
    }
    char t = 's';
    if (type) {
        t = *type;
    } else if (!hits.empty()) {
        t = ps[hits[0]].type;
    } else if (auto known = rdp_known_type(name)) {
        t = *known;
    } else {
        const std::string n = rdp_snippet(name);
        const auto close = rdp_suggest_name(name);
        return fail(RdpPropsEditStatus::unknown_type,
                    "property `" + n + "` is new and its type is not known: " +
                        (close ? "did you mean `" + *close + "`? else " : std::string()) +
                        "give it as `" + n + ":i`, `" + n + ":s` or `" + n + ":b`");
    }
    for (char c : value) {
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
            return fail(RdpPropsEditStatus::bad_value, "property `" + rdp_snippet(name) +
                                                           "`: value `" + rdp_snippet(value) +
                                                           "` holds a control character");
        }
    }
    const std::string spelled = hits.empty() ? std::string(name) : ps[hits[0]].name;
    auto line = detail::parse_rdp_property_text(spelled + ":" + t + ":" + std::string(value));
    if (line.status != RdpStatus::ok) return fail(RdpPropsEditStatus::bad_value, line.message);
    const std::string written = t == 'i' ? std::to_string(*line.integer) : std::string(value);
    const std::string item = spelled + ":" + t + ":" + written;

    RdpPropsEdit r;
    r.type = t;
    r.text = std::string(props);
    // Later duplicates first (from the end), so earlier offsets stay valid.
    for (std::size_t k = hits.size(); k-- > 1;) {
        const RdpProperty& p = ps[hits[k]];
        remove_item(r.text, p.offset, p.offset + p.length);
        ++r.removed;
    }
    std::vector<Prop> expected;
    for (std::size_t i = 0; i < ps.size(); ++i) {
        if (!hits.empty() && i == hits[0]) {
            expected.push_back({spelled, t, written});
        } else if (hits.empty() || !iequals(ps[i].name, name)) {
            expected.push_back({ps[i].name, ps[i].type, ps[i].value});
        }
    }
    if (!hits.empty()) {
        const RdpProperty& p = ps[hits[0]];
        r.text.replace(p.offset, p.length, item);
        r.replaced = 1;
    } else {
        append_item(r.text, cur.file, item);
        expected.push_back({spelled, t, written});
        r.added = 1;
    }
    if (auto bad = verify(r.text, expected, name, written, true)) return *bad;
    r.value = written;
    r.changed = r.text != props;
    return r;
}

RdpPropsEdit unset_rdp_property(std::string_view props, std::string_view name) {
    if (auto bad = check_name(name)) return *bad;
    RdpResult cur = parse_rdp_properties(props);
    if (!cur.ok()) return fail(RdpPropsEditStatus::bad_string, cur.message);
    const auto& ps = cur.file.properties;
    RdpPropsEdit r;
    r.text = std::string(props);
    std::vector<Prop> expected;
    for (std::size_t i = ps.size(); i-- > 0;) {
        if (iequals(ps[i].name, name)) {
            remove_item(r.text, ps[i].offset, ps[i].offset + ps[i].length);
            ++r.removed;
        }
    }
    for (const auto& p : ps) {
        if (!iequals(p.name, name)) expected.push_back({p.name, p.type, p.value});
    }
    if (auto bad = verify(r.text, expected, name, {}, false)) return *bad;
    r.changed = r.text != props;
    return r;
}

RdpPropsEdit check_rdp_properties(std::string_view raw) {
    RdpResult parsed = parse_rdp_properties(raw);
    if (!parsed.ok()) return fail(RdpPropsEditStatus::bad_string, parsed.message);
    RdpPropsEdit r;
    r.text = std::string(raw);
    return r;
}

}  // namespace comredir::policy
