// AdmxSet: references across files (categories, supportedOn), category paths, and the
// lookup by registry value (by policy name: admx_lookup.cpp).
#include <algorithm>
#include <functional>
#include <tuple>

#include "admx/admx_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy {

std::string_view to_string(AdmxValue::Kind kind) {
    switch (kind) {
        case AdmxValue::Kind::absent:
            return "absent";
        case AdmxValue::Kind::decimal:
            return "decimal";
        case AdmxValue::Kind::long_decimal:
            return "long_decimal";
        case AdmxValue::Kind::string:
            return "string";
        case AdmxValue::Kind::del:
            return "delete";
    }
    return "?";
}

std::string_view to_string(AdmxElementKind kind) {
    switch (kind) {
        case AdmxElementKind::boolean:
            return "boolean";
        case AdmxElementKind::decimal:
            return "decimal";
        case AdmxElementKind::long_decimal:
            return "longDecimal";
        case AdmxElementKind::text:
            return "text";
        case AdmxElementKind::multi_text:
            return "multiText";
        case AdmxElementKind::enumeration:
            return "enum";
        case AdmxElementKind::list:
            return "list";
    }
    return "?";
}

std::string_view to_string(AdmxClass cls) {
    switch (cls) {
        case AdmxClass::machine:
            return "Machine";
        case AdmxClass::user:
            return "User";
        case AdmxClass::both:
            return "Both";
    }
    return "?";
}

std::string_view to_string(AdmxValueRole role) {
    switch (role) {
        case AdmxValueRole::main:
            return "main";
        case AdmxValueRole::enabled_list:
            return "enabled_list";
        case AdmxValueRole::disabled_list:
            return "disabled_list";
        case AdmxValueRole::element:
            return "element";
        case AdmxValueRole::element_list:
            return "element_list";
        case AdmxValueRole::list_element:
            return "list_element";
    }
    return "?";
}

std::string_view to_string(AdmxErrorKind kind) {
    switch (kind) {
        case AdmxErrorKind::io_error:
            return "io_error";
        case AdmxErrorKind::xml:
            return "xml";
        case AdmxErrorKind::not_admx:
            return "not_admx";
        case AdmxErrorKind::not_adml:
            return "not_adml";
        case AdmxErrorKind::missing_adml:
            return "missing_adml";
        case AdmxErrorKind::missing_string:
            return "missing_string";
        case AdmxErrorKind::missing_presentation:
            return "missing_presentation";
        case AdmxErrorKind::bad_attribute:
            return "bad_attribute";
        case AdmxErrorKind::bad_number:
            return "bad_number";
        case AdmxErrorKind::unknown_prefix:
            return "unknown_prefix";
        case AdmxErrorKind::unknown_reference:
            return "unknown_reference";
    }
    return "?";
}

namespace {

constexpr std::string_view kWindowsNs = "Microsoft.Policies.Windows";

/// Roots from Windows.admx that Microsoft's other files hang their categories on.
std::string_view known_windows_root(std::string_view name) {
    if (name == "WindowsComponents") return "Windows Components";
    if (name == "System") return "System";
    if (name == "Network") return "Network";
    return {};
}

/// `ns '\0' name` into `buf` (reused between lookups to save allocations).
const std::string& qualified(std::string& buf, std::string_view ns, std::string_view name) {
    buf.assign(ns);
    buf += '\0';
    buf += name;
    return buf;
}

std::string qualified(std::string_view ns, std::string_view name) {
    std::string k;
    qualified(k, ns, name);
    return k;
}

/// `lower(key) '\0' lower(value)`, the key of AdmxSet::by_value_.
std::string value_key(std::string_view key, std::string_view value) {
    std::string k;
    k.reserve(key.size() + 1 + value.size());
    auto lower = [&](std::string_view s) {
        for (char c : s) k += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    lower(key);
    k += '\0';
    lower(value);
    return k;
}

}  // namespace

namespace detail {

/// Lookups over the indexes AdmxSet::reindex() builds. `buf` is scratch space for keys.
struct AdmxSetIndex {
    static AdmxRef resolve(const AdmxSet& set, std::string_view ns, std::string_view ref,
                           std::string& buf) {
        AdmxRef out;
        auto colon = ref.find(':');
        if (colon == std::string_view::npos) {
            out.ns = ns;
            out.name = ref;
            return out;
        }
        out.name = ref.substr(colon + 1);
        auto it = set.prefix_ns_.find(qualified(buf, ns, ref.substr(0, colon)));
        if (it == set.prefix_ns_.end()) {
            out.prefix_known = false;
        } else {
            out.ns = it->second;
        }
        return out;
    }

    static bool ns_loaded(const AdmxSet& set, std::string_view ns, std::string& buf) {
        buf.assign(ns);
        return set.loaded_ns_.count(buf) != 0;
    }

    static const AdmxCategory* find_category(const AdmxSet& set, const AdmxRef& r,
                                             std::string& buf) {
        if (!r.prefix_known) return nullptr;
        auto it = set.category_by_name_.find(qualified(buf, r.ns, r.name));
        if (it == set.category_by_name_.end() || it->second >= set.categories.size()) {
            return nullptr;
        }
        return &set.categories[it->second];
    }

    /// Matches on (ns, name) even when the prefix is unknown (ns empty), as a scan would.
    static const AdmxSupportedOn* find_supported_on(const AdmxSet& set, const AdmxRef& r,
                                                    std::string& buf) {
        auto it = set.supported_on_by_name_.find(qualified(buf, r.ns, r.name));
        if (it == set.supported_on_by_name_.end() || it->second >= set.supported_on.size()) {
            return nullptr;
        }
        return &set.supported_on[it->second];
    }
};

void check_admx_refs(const AdmxSet& set, std::vector<AdmxError>& errors) {
    std::string buf;
    // `owner_kind` `owner` (`policy` `P1`), built into a message only for a bad ref.
    auto check = [&](const AdmxSource& at, std::string_view ns, std::string_view owner_kind,
                     const std::string& owner, std::string_view what, const std::string& ref,
                     bool is_category) {
        if (ref.empty()) return;
        auto r = AdmxSetIndex::resolve(set, ns, ref, buf);
        std::string problem;
        AdmxErrorKind kind = AdmxErrorKind::unknown_prefix;
        if (!r.prefix_known) {
            problem = "prefix of `" + ref + "` is not declared";
        } else if (AdmxSetIndex::ns_loaded(set, r.ns, buf)) {
            bool found = is_category ? AdmxSetIndex::find_category(set, r, buf) != nullptr
                                     : AdmxSetIndex::find_supported_on(set, r, buf) != nullptr;
            if (found) return;
            kind = AdmxErrorKind::unknown_reference;
            problem = std::string(what) + " `" + ref + "` not found";
        } else {
            return;  // a namespace that was not loaded: kept as written
        }
        errors.push_back(AdmxError{kind, at.file, at.line, 0,
                                   at.file + ": line " + std::to_string(at.line) + ": " +
                                       std::string(owner_kind) + " `" + owner + "`: " + problem});
    };
    for (const auto& c : set.categories) {
        check(c.source, c.ns, "category", c.name, "category", c.parent, true);
    }
    for (const auto& p : set.policies) {
        check(p.source, p.ns, "policy", p.name, "category", p.category, true);
        check(p.source, p.ns, "policy", p.name, "supportedOn", p.supported_on, false);
    }
}

}  // namespace detail

const AdmxCategory* AdmxSet::find_category(std::string_view ns, std::string_view name) const {
    auto it = category_by_name_.find(qualified(ns, name));
    if (it == category_by_name_.end() || it->second >= categories.size()) return nullptr;
    return &categories[it->second];
}

void AdmxSet::reindex() {
    using detail::AdmxSetIndex;
    policy_by_name_.clear();
    category_by_name_.clear();
    supported_on_by_name_.clear();
    prefix_ns_.clear();
    loaded_ns_.clear();
    by_value_.clear();
    by_key_.clear();
    std::string buf;
    // Namespaces and prefixes, in file order: the first file of a namespace to declare a
    // prefix decides it (its target prefix before its `using`s).
    for (const auto& f : files) {
        loaded_ns_.insert(f.ns);
        prefix_ns_.emplace(qualified(f.ns, f.prefix), f.ns);
        for (const auto& [prefix, ns] : f.usings) prefix_ns_.emplace(qualified(f.ns, prefix), ns);
    }
    category_by_name_.reserve(categories.size());
    for (std::uint32_t i = 0; i < categories.size(); ++i) {
        category_by_name_.emplace(qualified(categories[i].ns, categories[i].name), i);
    }
    supported_on_by_name_.reserve(supported_on.size());
    for (std::uint32_t i = 0; i < supported_on.size(); ++i) {
        supported_on_by_name_.emplace(qualified(supported_on[i].ns, supported_on[i].name), i);
    }
    // Category paths: parents first, with a guard against cycles.
    std::vector<int> state(categories.size(), 0);  // 0 new, 1 in progress, 2 done
    std::function<void(std::size_t)> path_of = [&](std::size_t i) {
        auto& c = categories[i];
        if (state[i] != 0) return;
        state[i] = 1;
        const std::string& own = c.display_name.empty() ? c.name : c.display_name;
        c.path = own;
        c.unresolved_root.clear();
        if (!c.parent.empty()) {
            auto r = AdmxSetIndex::resolve(*this, c.ns, c.parent, buf);
            const AdmxCategory* parent = AdmxSetIndex::find_category(*this, r, buf);
            if (parent != nullptr) {
                auto pi = static_cast<std::size_t>(parent - categories.data());
                path_of(pi);
                if (state[pi] == 2) {
                    c.path = parent->path + "/" + own;
                    c.unresolved_root = parent->unresolved_root;
                }
            } else {
                c.unresolved_root = c.parent;
                auto root = r.ns == kWindowsNs ? known_windows_root(r.name) : std::string_view{};
                if (!root.empty()) c.path = std::string(root) + "/" + own;
            }
        }
        state[i] = 2;
    };
    for (std::size_t i = 0; i < categories.size(); ++i) path_of(i);

    auto add = [&](std::string_view key, std::string_view value, Slot slot) {
        by_value_.emplace(value_key(key, value), slot);
    };
    policy_by_name_.reserve(policies.size());
    for (std::uint32_t i = 0; i < policies.size(); ++i) {
        auto& p = policies[i];
        policy_by_name_.emplace(p.name, i);
        auto cat = AdmxSetIndex::resolve(*this, p.ns, p.category, buf);
        const AdmxCategory* c = AdmxSetIndex::find_category(*this, cat, buf);
        p.category_display_name = c != nullptr ? c->display_name : "";
        p.category_path = c != nullptr ? c->path : "";
        if (c == nullptr && cat.ns == kWindowsNs) {
            p.category_path = std::string(known_windows_root(cat.name));
        }
        p.supported_on_text.clear();
        if (!p.supported_on.empty()) {
            auto so = AdmxSetIndex::resolve(*this, p.ns, p.supported_on, buf);
            if (const auto* s = AdmxSetIndex::find_supported_on(*this, so, buf)) {
                p.supported_on_text = s->display_name;
            }
        }
        if (!p.value_name.empty()) add(p.key, p.value_name, Slot{i, -1, AdmxValueRole::main});
        for (const auto& it : p.enabled_list.items) {
            add(it.key, it.value_name, Slot{i, -1, AdmxValueRole::enabled_list});
        }
        for (const auto& it : p.disabled_list.items) {
            add(it.key, it.value_name, Slot{i, -1, AdmxValueRole::disabled_list});
        }
        for (std::int32_t j = 0; j < static_cast<std::int32_t>(p.elements.size()); ++j) {
            const auto& el = p.elements[static_cast<std::size_t>(j)];
            if (el.kind == AdmxElementKind::list) {
                by_key_.emplace(detail::ascii_lower(el.key),
                                Slot{i, j, AdmxValueRole::list_element});
                continue;
            }
            add(el.key, el.value_name, Slot{i, j, AdmxValueRole::element});
            auto add_list = [&](const AdmxValueList& l) {
                for (const auto& it : l.items) {
                    add(it.key, it.value_name, Slot{i, j, AdmxValueRole::element_list});
                }
            };
            add_list(el.true_list);
            add_list(el.false_list);
            for (const auto& item : el.items) add_list(item.value_list);
        }
    }
}

std::vector<AdmxValueRef> AdmxSet::policies_for_value(std::string_view hive, std::string_view key,
                                                      std::string_view value_name) const {
    bool machine = detail::iequals(hive, "HKLM") || detail::iequals(hive, "HKEY_LOCAL_MACHINE");
    bool user = detail::iequals(hive, "HKCU") || detail::iequals(hive, "HKEY_CURRENT_USER");
    std::vector<Slot> slots;
    auto collect = [&](const std::unordered_multimap<std::string, Slot>& map,
                       const std::string& k) {
        auto [b, e] = map.equal_range(k);
        for (auto it = b; it != e; ++it) {
            if (it->second.policy >= policies.size()) continue;
            AdmxClass cls = policies[it->second.policy].cls;
            bool fits = cls == AdmxClass::both || (cls == AdmxClass::machine && machine) ||
                        (cls == AdmxClass::user && user);
            if (fits) slots.push_back(it->second);
        }
    };
    collect(by_value_, value_key(key, value_name));
    collect(by_key_, detail::ascii_lower(key));
    auto order = [](const Slot& a, const Slot& b) {
        return std::tie(a.policy, a.element, a.role) < std::tie(b.policy, b.element, b.role);
    };
    std::sort(slots.begin(), slots.end(), order);
    std::vector<AdmxValueRef> out;
    for (std::size_t k = 0; k < slots.size(); ++k) {
        if (k > 0 && !order(slots[k - 1], slots[k])) continue;  // duplicate
        const auto& p = policies[slots[k].policy];
        const AdmxElement* el = nullptr;
        if (slots[k].element >= 0 &&
            static_cast<std::size_t>(slots[k].element) < p.elements.size()) {
            el = &p.elements[static_cast<std::size_t>(slots[k].element)];
        }
        out.push_back(AdmxValueRef{&p, el, slots[k].role});
    }
    return out;
}

}  // namespace comredir::policy
