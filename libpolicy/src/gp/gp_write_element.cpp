// An Enabled policy's element values -> records, checked against the ADMX element.
#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gp/gp_write_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

std::optional<std::uint64_t> parse_number(std::string_view s) {
    std::uint64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(std::string_view s) {
    std::string l = detail::ascii_lower(s);
    if (l == "true" || l == "1" || l == "yes" || l == "on" || l == "enabled") return true;
    if (l == "false" || l == "0" || l == "no" || l == "off" || l == "disabled") return false;
    return std::nullopt;
}

/// Number of UTF-16 code units of `utf8` (what maxLength counts).
std::size_t utf16_length(std::string_view utf8) {
    return detail::utf8_to_utf16le(utf8).size() / 2;
}

}  // namespace

bool Writer::fail(const AdmxElement& e, const std::string& what) {
    out_.ok = false;
    out_.message = "policy `" + p_.name + "`: element `" + e.id + "`: " + what;
    return false;
}

std::optional<std::string> Writer::default_value(const AdmxElement& e) {
    if (!e.has_default || e.kind == AdmxElementKind::list || e.kind == AdmxElementKind::multi_text)
        return std::nullopt;
    if (e.kind != AdmxElementKind::enumeration) return e.default_text;
    const auto index = parse_number(e.default_text);  // dropdownList defaultItem
    if (!index || *index >= e.items.size()) return std::nullopt;
    return e.items[*index].display_name;
}

bool Writer::element(const AdmxElement& e, const std::vector<std::string>& given_values) {
    std::vector<std::string> defaulted;
    if (given_values.empty()) {
        if (auto d = default_value(e)) {
            out_.defaults.emplace_back(e.id, *d);
            defaulted.push_back(std::move(*d));
        }
    }
    const std::vector<std::string>& given = defaulted.empty() ? given_values : defaulted;
    auto& r = out_.records;
    bool many = e.kind == AdmxElementKind::list || e.kind == AdmxElementKind::multi_text;
    if (given.size() > 1 && !many) {
        return fail(e, "given " + std::to_string(given.size()) + " times; a " +
                           std::string(to_string(e.kind)) + " takes one value");
    }
    if (given.empty() && e.kind != AdmxElementKind::list && e.kind != AdmxElementKind::boolean &&
        e.kind != AdmxElementKind::multi_text) {
        if (e.required) return fail(e, "is required (--element " + e.id + "=VALUE)");
        return true;
    }
    const std::string v = given.empty() ? std::string() : given[0];
    switch (e.kind) {
        case AdmxElementKind::boolean: {
            auto b = given.empty() ? std::optional<bool>(false) : parse_bool(v);
            if (!b) return fail(e, "`" + v + "` is not true or false");
            const AdmxValue& chosen = *b ? e.true_value : e.false_value;
            if (!e.value_name.empty()) {
                if (chosen.present()) {
                    r.push_back(value_record(e.key, e.value_name, chosen));
                } else if (*b && !e.true_value.present() && !e.false_value.present()) {
                    r.push_back(PolRecord{e.key, e.value_name, kDword, pol_dword(1)});
                } else {
                    // Unchecked without a falseValue (or checked without a trueValue
                    // beside a falseValue): the editor deletes the value.
                    r.push_back(pol_delete_value(e.key, e.value_name));
                }
            }
            add_list(r, *b ? e.true_list : e.false_list);
            return true;
        }
        case AdmxElementKind::decimal:
        case AdmxElementKind::long_decimal: {
            auto n = parse_number(v);
            if (!n || *n < e.min_value || *n > e.max_value) {
                return fail(e, "`" + v + "` is not a number in " + std::to_string(e.min_value) +
                                   ".." + std::to_string(e.max_value));
            }
            if (e.store_as_text) {
                r.push_back(PolRecord{e.key, e.value_name, kSz, pol_sz(std::to_string(*n))});
            } else if (e.kind == AdmxElementKind::decimal) {
                r.push_back(PolRecord{e.key, e.value_name, kDword,
                                      pol_dword(static_cast<std::uint32_t>(*n))});
            } else {
                r.push_back(PolRecord{e.key, e.value_name, kQword, pol_qword(*n)});
            }
            return true;
        }
        case AdmxElementKind::text: {
            if (utf16_length(v) > e.max_length) {
                return fail(e, "is " + std::to_string(utf16_length(v)) +
                                   " characters, longer than maxLength " +
                                   std::to_string(e.max_length));
            }
            r.push_back(PolRecord{e.key, e.value_name, e.expandable ? kExpandSz : kSz, pol_sz(v)});
            return true;
        }
        case AdmxElementKind::multi_text: {
            // The dialog's box holds lines; left empty (or left out, when optional) it
            // writes an empty REG_MULTI_SZ: one NUL, 2 bytes, as GPMC backups hold it.
            if (given.empty() || (given.size() == 1 && given[0].empty())) {
                if (e.required) return fail(e, "is required (--element " + e.id + "=LINE)");
                r.push_back(PolRecord{e.key, e.value_name, kMultiSz, pol_multi_sz({})});
                return true;
            }
            if (e.max_strings > 0 && given.size() > e.max_strings) {
                return fail(e, std::to_string(given.size()) + " strings, more than maxStrings " +
                                   std::to_string(e.max_strings));
            }
            for (const auto& s : given) {
                if (utf16_length(s) > e.max_length) {
                    return fail(
                        e, "`" + s + "` is longer than maxLength " + std::to_string(e.max_length));
                }
            }
            r.push_back(PolRecord{e.key, e.value_name, kMultiSz, pol_multi_sz(given)});
            return true;
        }
        case AdmxElementKind::enumeration: {
            for (const auto& item : e.items) {
                bool by_name = detail::iequals(item.display_name, v);
                bool by_value =
                    (item.value.kind == AdmxValue::Kind::string && item.value.text == v) ||
                    ((item.value.kind == AdmxValue::Kind::decimal ||
                      item.value.kind == AdmxValue::Kind::long_decimal) &&
                     parse_number(v) == item.value.number);
                if (!by_name && !by_value) continue;
                if (item.value.present())
                    r.push_back(value_record(e.key, e.value_name, item.value));
                add_list(r, item.value_list);
                return true;
            }
            std::string names;
            for (const auto& item : e.items) {
                names += (names.empty() ? "" : ", ") + ("`" + item.display_name + "`");
            }
            return fail(e, "`" + v + "` is not one of " + names);
        }
        case AdmxElementKind::list: {
            if (!e.additive) r.push_back(pol_delete_all_values(e.key));
            std::uint32_t type = e.expandable ? kExpandSz : kSz;
            for (std::size_t i = 0; i < given.size(); ++i) {
                std::string name = given[i];
                std::string data = given[i];
                if (e.explicit_value) {
                    auto eq = given[i].find('=');
                    if (eq == std::string::npos || eq == 0) {
                        return fail(e, "item `" + given[i] + "` is not NAME=DATA (explicitValue)");
                    }
                    name = given[i].substr(0, eq);
                    data = given[i].substr(eq + 1);
                } else if (e.has_value_prefix) {
                    name = e.value_prefix + std::to_string(i + 1);
                }
                r.push_back(PolRecord{e.key, name, type, pol_sz(data)});
            }
            return true;
        }
    }
    return true;
}

}  // namespace comredir::policy::detail
