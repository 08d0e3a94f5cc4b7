#pragma once
// Who may attach to a console target, and with which role. Grants name a user (`alice`) or
// a Unix group (`@wheel`) at one of two scopes: the whole gateway (no target) or one target.
// A user's role on a target is the highest role of every grant that matches them at
// either scope; no matching grant: no access. I/O-free: the daemon looks the user's groups
// up and passes them in.
//
// The OS policy `Roles allowed to attach to the serial console` (SerialConsoleRoles in
// comredir.admx: RestrictAttachRoles and the AttachRoles list) narrows this: when it is
// enabled, only a user whose role is listed may attach (an empty list: nobody), as its
// explain text says ("only users holding one of the listed roles"); an owner is not a
// listed contributor. List entries name a role ignoring ASCII case, by comredir's name or
// Azure's built-in role of the same rights: `reader` / `Reader`, `contributor` /
// `Contributor` / `Virtual Machine Contributor`, `owner` / `Owner`. An entry that names
// none of these matches nobody and is reported.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::console {

/// Ordered: each role can do what the ones before it can.
enum class Role { reader, contributor, owner };
std::string_view to_string(Role r);

/// `reader`, `contributor`, `owner` or one of Azure's names above (ASCII case ignored).
std::optional<Role> parse_role(std::string_view name);

struct Grant {
    std::string principal;  ///< `alice`, or `@group` for a Unix group
    Role role = Role::reader;
    std::optional<std::string> target;  ///< nullopt: every target of the gateway
};

struct Identity {
    std::string user;
    std::vector<std::string> groups;  ///< the user's Unix groups (names)
};

struct AttachRolePolicy {
    bool restrict = false;             ///< RestrictAttachRoles
    std::vector<std::string> allowed;  ///< AttachRoles entries, as written
};

struct RoleDecision {
    std::optional<Role> role;        ///< nullopt: may not attach
    std::optional<Role> granted;     ///< the highest grant, before the policy narrowed it
    std::string reason;              ///< one line: the grant that decided, or why not
    std::vector<std::string> notes;  ///< policy entries that name no role
};

/// The user's role on `target`, narrowed by the policy.
RoleDecision decide_role(const std::vector<Grant>& grants, const Identity& who,
                         std::string_view target, const AttachRolePolicy& policy);

}  // namespace comredir::console
