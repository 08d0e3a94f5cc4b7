#include <algorithm>
#include <cctype>
#include <comredir/policy/resolve/list_value.hpp>

#include "io/text.hpp"

namespace comredir::policy {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) <
               std::tolower(static_cast<unsigned char>(y));
    });
}

bool ListValue::operator==(const ListValue& o) const {
    auto same = [](const NameSet& a, const NameSet& b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin(),
                          [](const auto& x, const auto& y) { return detail::iequals(x, y); });
    };
    return all == o.all && same(items, o.items) && same(excluded, o.excluded);
}

ListValue ListValue::parse(std::string_view text) {
    ListValue out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(';', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = detail::trim(text.substr(start, end - start));
        if (item == "*") {
            out.all = true;
        } else if (item.size() > 1 && item.front() == '-') {
            out.excluded.insert(std::string(item.substr(1)));
        } else if (!item.empty()) {
            out.items.insert(std::string(item));
        }
        start = end + 1;
    }
    // An exclusion list without `*` means "everything but these" (camerastoredirect: `-x`).
    if (!out.all && out.items.empty() && !out.excluded.empty()) out.all = true;
    if (out.all) out.items.clear();
    return out;
}

std::string ListValue::to_string() const {
    std::string out;
    auto add = [&](const std::string& s) {
        if (!out.empty()) out += ';';
        out += s;
    };
    if (all) add("*");
    for (const auto& i : items) {
        if (!excluded.contains(i)) add(i);
    }
    for (const auto& e : excluded) add("-" + e);
    return out;
}

ListValue intersect(const ListValue& a, const ListValue& b) {
    ListValue out;
    out.excluded = a.excluded;
    out.excluded.insert(b.excluded.begin(), b.excluded.end());
    if (a.all && b.all) {
        out.all = true;
        return out;
    }
    const NameSet* pick = nullptr;
    if (a.all) {
        pick = &b.items;
    } else if (b.all) {
        pick = &a.items;
    }
    if (pick != nullptr) {
        for (const auto& i : *pick) {
            if (!out.excluded.contains(i)) out.items.insert(i);
        }
    } else {
        for (const auto& i : a.items) {
            if (b.items.contains(i) && !out.excluded.contains(i)) out.items.insert(i);
        }
    }
    // Exclusions only matter next to `*`; a finite list already has them applied.
    out.excluded.clear();
    return out;
}

}  // namespace comredir::policy
