// Element values of ADMX-ingested policies: dialog defaults from the ADML presentation,
// checks of given values against the ADMX, and the `<data id=".." value=".."/>` encoding
// (facts and sources: intune_ingest.hpp).
#include <charconv>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <string_view>

#include "admx/admx_internal.hpp"
#include "intune/intune_ingest_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

/// Separator of multiText strings and list entries, as written in the payload.
constexpr std::string_view kSeparator = "&#xF000;";
/// U+F000 in UTF-8: a value containing it would split.
constexpr std::string_view kSeparatorUtf8 = "\xEF\x80\x80";

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    }
    return n;
}

/// Empty when `s` can be sent, else why not.
std::string text_problem(std::string_view s, bool separated) {
    std::size_t bad = 0;
    if (!valid_utf8(s, &bad)) return "is not UTF-8 (byte " + std::to_string(bad) + ")";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            return "contains control character " + hex_offset(u);
        }
    }
    if (separated && s.find(kSeparatorUtf8) != std::string_view::npos) {
        return "contains U+F000, the entry separator";
    }
    return {};
}

std::optional<std::uint64_t> parse_unsigned(std::string_view s) {
    std::uint64_t v = 0;
    if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

/// The data an enum item sends: its value as text; nullopt for `delete`.
std::optional<std::string> item_data(const AdmxEnumItem& item) {
    switch (item.value.kind) {
        case AdmxValue::Kind::decimal:
        case AdmxValue::Kind::long_decimal:
            return std::to_string(item.value.number);
        case AdmxValue::Kind::string:
            return item.value.text;
        case AdmxValue::Kind::absent:
        case AdmxValue::Kind::del:
            break;
    }
    return std::nullopt;
}

std::string quoted_list(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "`" : ", `") + s + "`";
    return out;
}

/// One encoded element.
struct ElementOut {
    std::string data;    ///< escaped, ready for the attribute
    std::string shown;   ///< for the description
    std::string origin;  ///< where a value not given came from (`dialog default`, `minValue`...)
};

/// Encodes a text, decimal, boolean or enum element into `out`; returns the problem, empty
/// when fine.
std::string encode_element(const AdmxElement& e, const std::vector<std::string>& given,
                           const std::string* dflt, ElementOut& out) {
    const bool many = e.kind == AdmxElementKind::list || e.kind == AdmxElementKind::multi_text;
    if (!many && given.size() > 1) return "given " + std::to_string(given.size()) + " times";
    const std::string* one = given.empty() ? dflt : &given.front();
    if (given.empty()) out.origin = dflt != nullptr ? "dialog default" : "no default";
    switch (e.kind) {
        case AdmxElementKind::text: {
            std::string v = one != nullptr ? *one : "";
            if (auto p = text_problem(v, false); !p.empty()) return "`" + v + "` " + p;
            if (code_points(v) > e.max_length) {
                return "`" + v + "` is " + std::to_string(code_points(v)) +
                       " characters, more than maxLength " + std::to_string(e.max_length);
            }
            out.data = xml_attr(v);
            out.shown = v;
            return {};
        }
        case AdmxElementKind::decimal:
        case AdmxElementKind::long_decimal: {
            if (one == nullptr) out.origin = "minValue";
            std::string v = one != nullptr ? *one : std::to_string(e.min_value);
            auto n = parse_unsigned(v);
            if (!n) return "`" + v + "` is not a whole number";
            if (*n < e.min_value || *n > e.max_value) {
                return "`" + v + "` is out of range " + std::to_string(e.min_value) + ".." +
                       std::to_string(e.max_value);
            }
            out.data = out.shown = std::to_string(*n);
            return {};
        }
        case AdmxElementKind::boolean: {
            if (one == nullptr) out.origin = "unchecked";
            std::string written = one != nullptr ? *one : "false";
            std::string v = ascii_lower(written);
            if (v == "1") v = "true";
            if (v == "0") v = "false";
            if (v != "true" && v != "false") return "`" + written + "` is not true, false, 1 or 0";
            out.data = out.shown = v;
            return {};
        }
        case AdmxElementKind::enumeration: {
            if (e.items.empty()) return "the enum has no items";
            const AdmxEnumItem* pick = &e.items.front();
            if (one == nullptr) out.origin = "first item";
            if (!given.empty()) {
                pick = nullptr;
                for (const auto& it : e.items) {
                    if (iequals(it.display_name, *one)) pick = &it;
                }
                for (const auto& it : e.items) {
                    if (pick == nullptr && item_data(it) == *one) pick = &it;
                }
                if (pick == nullptr) {
                    std::vector<std::string> names;
                    for (const auto& it : e.items) {
                        names.push_back(it.display_name.empty() ? item_data(it).value_or("")
                                                                : it.display_name);
                    }
                    return "`" + *one + "` is not an item (" + quoted_list(names) + ")";
                }
            } else if (dflt != nullptr) {
                auto idx = parse_unsigned(*dflt);
                if (!idx || *idx >= e.items.size()) {
                    return "defaultItem `" + *dflt + "` is not an item index below " +
                           std::to_string(e.items.size());
                }
                pick = &e.items[*idx];
            }
            auto d = item_data(*pick);
            if (!d) return "item `" + pick->display_name + "` has no value to send";
            out.data = xml_attr(*d);
            out.shown = pick->display_name.empty() ? *d : pick->display_name + " (" + *d + ")";
            return {};
        }
        case AdmxElementKind::multi_text:
        case AdmxElementKind::list:
            break;
    }
    return {};
}

/// Encodes a multiText or list element into `out`; returns the problem, empty when fine.
std::string encode_entries(const AdmxElement& e, const std::vector<std::string>& given,
                           ElementOut& out) {
    out.origin = given.empty() ? "empty" : "";
    std::vector<std::pair<std::string, std::string>> pairs;  // list: name, data
    std::set<std::string> names;
    for (const auto& g : given) {
        if (g.empty()) return "empty entry";
        if (auto p = text_problem(g, true); !p.empty()) return "`" + g + "` " + p;
        if (e.kind == AdmxElementKind::multi_text) {
            if (code_points(g) > e.max_length) {
                return "`" + g + "` is " + std::to_string(code_points(g)) +
                       " characters, more than maxLength " + std::to_string(e.max_length);
            }
            continue;
        }
        std::pair<std::string, std::string> nd{g, g};
        if (e.explicit_value) {
            auto eq = g.find('=');
            if (eq == 0 || eq == std::string::npos) {
                return "entry `" + g + "` is not NAME=DATA (the list has explicitValue)";
            }
            nd = {g.substr(0, eq), g.substr(eq + 1)};
            if (nd.second.empty()) return "entry `" + g + "` has no DATA";
        } else if (e.has_value_prefix) {
            nd.first = e.value_prefix + std::to_string(pairs.size() + 1);
        }
        if (!names.insert(ascii_lower(nd.first)).second) {
            return "value name `" + nd.first + "` given twice";
        }
        pairs.push_back(std::move(nd));
    }
    if (e.kind == AdmxElementKind::multi_text && e.max_strings > 0 &&
        given.size() > e.max_strings) {
        return std::to_string(given.size()) + " strings, more than maxStrings " +
               std::to_string(e.max_strings);
    }
    std::string shown;
    auto add = [&](const std::string& s) {
        if (!out.data.empty()) out.data += kSeparator;
        out.data += xml_attr(s);
    };
    if (e.kind == AdmxElementKind::multi_text) {
        for (const auto& g : given) {
            add(g);
            shown += (shown.empty() ? "" : ", ") + g;
        }
    } else {
        for (const auto& [n, d] : pairs) {  // name, data, name, data...
            add(n);
            add(d);
            shown += (shown.empty() ? "" : ", ") + (n == d ? d : n + "=" + d);
        }
    }
    out.shown = given.empty() ? "(empty list)" : shown;
    return {};
}

}  // namespace

PolicyData enabled_data(const AdmxPolicy& policy, const ElementValues& given) {
    PolicyData out;
    out.value = "<enabled/>";
    static const std::vector<std::string> kNone;
    for (const auto& e : policy.elements) {
        auto g = given.find(e.id);
        const auto& values = g == given.end() ? kNone : g->second;
        const std::string* dflt = e.has_default ? &e.default_text : nullptr;
        ElementOut eo;
        std::string problem;
        if (e.kind == AdmxElementKind::list || e.kind == AdmxElementKind::multi_text) {
            problem = encode_entries(e, values, eo);
        } else {
            problem = encode_element(e, values, dflt, eo);
        }
        if (!problem.empty() && values.empty() && dflt != nullptr) {
            out.notes.push_back("policy `" + policy.name + "`: element `" + e.id +
                                "`: dialog default ignored: " + problem);
            eo = ElementOut{};
            problem = encode_element(e, values, nullptr, eo);
        }
        if (!problem.empty()) {
            out.status = AdmxIngestStatus::bad_value;
            out.message = "policy `" + policy.name + "`: element `" + e.id + "`: " + problem;
            return out;
        }
        if (eo.origin == "empty") {
            out.notes.push_back("policy `" + policy.name + "`: element `" + e.id +
                                "` is empty: add entries with `" + policy.name + "." + e.id +
                                "=VALUE` (repeat it)");
        }
        if (eo.origin == "no default" && e.required && e.kind == AdmxElementKind::text) {
            out.notes.push_back("policy `" + policy.name + "`: element `" + e.id +
                                "` is required and has no dialog default: set it with `" +
                                policy.name + "." + e.id + "=VALUE`");
        }
        out.value += "<data id=\"" + xml_attr(e.id) + "\" value=\"" + eo.data + "\"/>";
        if (!out.description.empty()) out.description += "; ";
        out.description += e.id + " = " + eo.shown;
        if (!eo.origin.empty() && eo.origin != "empty") out.description += " (" + eo.origin + ")";
    }
    return out;
}

}  // namespace comredir::policy::detail
