#include <algorithm>
#include <array>
#include <comredir/console/roles.hpp>
#include <utility>

namespace comredir::console {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) {
                   return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
               };
               return lower(x) == lower(y);
           });
}

bool matches(const Grant& g, const Identity& who) {
    if (g.principal.starts_with('@')) {
        const std::string_view group = std::string_view(g.principal).substr(1);
        return std::find(who.groups.begin(), who.groups.end(), group) != who.groups.end();
    }
    return g.principal == who.user;
}

std::string describe(const Grant& g) {
    return "`" + g.principal + "` is " + std::string(to_string(g.role)) +
           (g.target ? " on target `" + *g.target + "`" : " on every target");
}

}  // namespace

std::string_view to_string(Role r) {
    switch (r) {
        case Role::reader:
            return "reader";
        case Role::contributor:
            return "contributor";
        case Role::owner:
            return "owner";
    }
    return "?";
}

std::optional<Role> parse_role(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, Role>, 4> kNames{{
        {"reader", Role::reader},
        {"contributor", Role::contributor},
        {"owner", Role::owner},
        {"virtual machine contributor", Role::contributor},
    }};
    for (const auto& [n, r] : kNames) {
        if (iequals(n, name)) return r;
    }
    return std::nullopt;
}

RoleDecision decide_role(const std::vector<Grant>& grants, const Identity& who,
                         std::string_view target, const AttachRolePolicy& policy) {
    RoleDecision out;
    const Grant* best = nullptr;
    for (const Grant& g : grants) {
        if (g.target && *g.target != target) continue;
        if (!matches(g, who)) continue;
        if (best == nullptr || g.role > best->role) best = &g;
    }
    if (best == nullptr) {
        out.reason = "user `" + who.user + "` has no role on target `" + std::string(target) + "`";
        return out;
    }
    out.granted = best->role;
    if (policy.restrict) {
        bool listed = false;
        for (const std::string& entry : policy.allowed) {
            const auto r = parse_role(entry);
            if (!r) {
                out.notes.push_back("policy `SerialConsoleRoles` names `" + entry +
                                    "`, which is no role (reader, contributor, owner)");
            } else if (*r == best->role) {
                listed = true;
            }
        }
        if (!listed) {
            out.reason = "role `" + std::string(to_string(best->role)) +
                         "` is not among the roles allowed to attach (policy "
                         "`SerialConsoleRoles`)";
            return out;
        }
    }
    out.role = best->role;
    out.reason = describe(*best);
    return out;
}

}  // namespace comredir::console
