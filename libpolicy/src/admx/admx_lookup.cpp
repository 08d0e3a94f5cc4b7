// AdmxSet: policies by the name a user gives them. Several ADMX files may define the same
// policy name (Office's `L_VBAWarningsPolicy` in access16, excel16, ppt16, ...): a bare name
// is then ambiguous, and `file:Name` (or the file's target prefix or namespace) picks one.
#include <algorithm>
#include <comredir/policy/admx/admx.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

/// `excel16` for `excel16.admx`, `sub/Excel16.ADMX`.
std::string_view file_stem(std::string_view admx) {
    auto slash = admx.find_last_of("/\\");
    if (slash != std::string_view::npos) admx.remove_prefix(slash + 1);
    if (admx.size() > 5 && detail::iequals(admx.substr(admx.size() - 5), ".admx")) {
        admx.remove_suffix(5);
    }
    return admx;
}

/// `Q` of `Q:Name` names this file: its name without `.admx`, target prefix or namespace.
bool qualifies(const AdmxFile& f, std::string_view q) {
    return detail::iequals(q, file_stem(f.admx)) || detail::iequals(q, f.prefix) ||
           detail::iequals(q, f.ns);
}

bool fits(AdmxClass cls, std::string_view hive) {
    bool machine = detail::iequals(hive, "HKLM") || detail::iequals(hive, "HKEY_LOCAL_MACHINE");
    bool user = detail::iequals(hive, "HKCU") || detail::iequals(hive, "HKEY_CURRENT_USER");
    return cls == AdmxClass::both || (cls == AdmxClass::machine && machine) ||
           (cls == AdmxClass::user && user);
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string_view to_string(AdmxLookupStatus status) {
    switch (status) {
        case AdmxLookupStatus::found:
            return "found";
        case AdmxLookupStatus::not_found:
            return "not_found";
        case AdmxLookupStatus::ambiguous:
            return "ambiguous";
    }
    return "?";
}

const AdmxFile* AdmxSet::file_of(const AdmxPolicy& policy) const {
    for (const auto& f : files) {
        if (f.admx == policy.source.file && f.ns == policy.ns) return &f;
    }
    return nullptr;
}

std::string AdmxSet::qualified_name(const AdmxPolicy& policy) const {
    const AdmxFile* own = file_of(policy);
    std::string_view stem = file_stem(own != nullptr ? own->admx : policy.source.file);
    bool shared = std::any_of(files.begin(), files.end(), [&](const AdmxFile& f) {
        return &f != own && f.ns != policy.ns && detail::iequals(file_stem(f.admx), stem);
    });
    return (shared ? policy.ns : std::string(stem)) + ":" + policy.name;
}

std::size_t AdmxSet::policies_named(std::string_view name) const {
    return policy_by_name_.count(std::string(name));
}

const AdmxPolicy* AdmxSet::find_policy(std::string_view name, bool by_display_name) const {
    return lookup_policy(name, AdmxPolicyQuery{by_display_name, {}}).policy();
}

AdmxPolicyLookup AdmxSet::lookup_policy(std::string_view name, const AdmxPolicyQuery& query) const {
    // The policies whose ADMX name (or display name) is `bare`, from the files in `scope`
    // (all files when empty), in policy order.
    auto match = [&](std::string_view bare, const std::vector<const AdmxFile*>& scope,
                     bool display) {
        auto in_scope = [&](const AdmxPolicy& p) {
            return scope.empty() || std::any_of(scope.begin(), scope.end(), [&](const auto* f) {
                       return f->admx == p.source.file && f->ns == p.ns;
                   });
        };
        std::vector<const AdmxPolicy*> out;
        if (!display) {
            auto [b, e] = policy_by_name_.equal_range(std::string(bare));
            std::vector<std::uint32_t> idx;
            for (auto it = b; it != e; ++it) {
                if (it->second < policies.size() && in_scope(policies[it->second])) {
                    idx.push_back(it->second);
                }
            }
            std::sort(idx.begin(), idx.end());
            for (auto i : idx) out.push_back(&policies[i]);
        } else {
            for (const auto& p : policies) {
                if (p.display_name == bare && in_scope(p)) out.push_back(&p);
            }
        }
        return out;
    };

    AdmxPolicyLookup r;
    bool by_display = false;
    std::vector<const AdmxFile*> scope;
    // The whole name first: a name with a colon is not valid ADMX, but may have been loaded.
    r.candidates = match(name, scope, false);
    auto colon = name.find(':');
    std::string_view bare = name;
    if (r.candidates.empty() && colon != std::string_view::npos && colon > 0) {
        std::string_view q = name.substr(0, colon);
        for (const auto& f : files) {
            if (qualifies(f, q)) scope.push_back(&f);
        }
        if (!scope.empty()) {
            bare = name.substr(colon + 1);
            r.candidates = match(bare, scope, false);
            if (r.candidates.empty() && query.by_display_name) {
                r.candidates = match(bare, scope, true);
                by_display = true;
            }
        }
    }
    if (r.candidates.empty() && query.by_display_name) {
        // A display name may itself hold a colon (`Windows Components: X`).
        auto whole = match(name, {}, true);
        if (!whole.empty()) {
            r.candidates = std::move(whole);
            by_display = true;
            scope.clear();
            bare = name;
        }
    }
    if (r.candidates.empty()) {
        if (scope.empty()) {
            r.message = "no policy `" + std::string(name) + "` in the loaded ADMX set";
        } else {
            std::string in;
            for (const auto* f : scope)
                in += std::string(in.empty() ? "" : ", ") + "`" + f->admx + "`";
            r.message = "no policy `" + std::string(bare) + "` in " + in;
        }
        return r;
    }
    if (r.candidates.size() > 1 && !query.hive.empty()) {
        std::vector<const AdmxPolicy*> keep;
        for (const auto* p : r.candidates) {
            (fits(p->cls, query.hive) ? keep : r.set_aside).push_back(p);
        }
        if (keep.empty()) {
            r.set_aside.clear();
        } else {
            r.candidates = std::move(keep);
        }
    }
    if (r.candidates.size() == 1) {
        r.status = AdmxLookupStatus::found;
        return r;
    }
    r.status = AdmxLookupStatus::ambiguous;
    // Candidates by qualified name; one file defining the name twice adds class and line.
    std::vector<std::string> names;
    for (const auto* p : r.candidates) names.push_back(qualified_name(*p));
    std::string list;
    std::set<std::string> files_seen;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto* p = r.candidates[i];
        files_seen.insert(p->ns + '\0' + p->source.file);
        std::string item = "`" + names[i] + "`";
        if (std::count(names.begin(), names.end(), names[i]) > 1) {
            item += " (" + std::string(to_string(p->cls)) + ", line " +
                    std::to_string(p->source.line) + ")";
        }
        list += (i == 0 ? "" : ", ") + item;
    }
    if (by_display) {
        r.message = "display name `" + std::string(bare) + "` names " +
                    plural(names.size(), "policy", "policies") + ": " + list + "; qualify it";
        return r;
    }
    std::size_t total = names.size() + r.set_aside.size();
    for (const auto* p : r.set_aside) files_seen.insert(p->ns + '\0' + p->source.file);
    r.message = "policy `" + std::string(name) + "` is defined " +
                (files_seen.size() == total ? "in " + plural(total, "file", "files")
                                            : plural(total, "time", "times") + " in " +
                                                  plural(files_seen.size(), "file", "files"));
    if (!r.set_aside.empty()) {
        bool machine = fits(AdmxClass::machine, query.hive);
        r.message += ", " + std::to_string(names.size()) + " of them for the " +
                     (machine ? "Machine" : "User") + " class";
    }
    r.message += ": " + list + "; qualify it";
    return r;
}

}  // namespace comredir::policy
