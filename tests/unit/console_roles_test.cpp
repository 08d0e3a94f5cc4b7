// comredir-console's roles: grants to users and @groups at gateway and target scope, the
// highest wins, the SerialConsoleRoles policy narrows.
#include <doctest/doctest.h>

#include <comredir/console/roles.hpp>
#include <string>
#include <vector>

using namespace comredir::console;

namespace {

const std::vector<Grant> kGrants{
    {"alice", Role::reader, std::nullopt},        // everywhere
    {"alice", Role::owner, std::string("db01")},  // and owner of db01
    {"@ops", Role::contributor, std::nullopt},    // the ops group everywhere
    {"bob", Role::contributor, std::string("web01")},
    {"@audit", Role::reader, std::string("db01")},
};

}  // namespace

TEST_CASE("role names: comredir's and Azure's, case ignored") {
    CHECK(parse_role("reader") == Role::reader);
    CHECK(parse_role("Reader") == Role::reader);
    CHECK(parse_role("CONTRIBUTOR") == Role::contributor);
    CHECK(parse_role("Virtual Machine Contributor") == Role::contributor);
    CHECK(parse_role("owner") == Role::owner);
    CHECK_FALSE(parse_role("Virtual Machine Administrator Login"));
    CHECK_FALSE(parse_role(""));
}

TEST_CASE("the highest matching grant at either scope decides") {
    struct Row {
        Identity who;
        std::string target;
        std::optional<Role> role;
        std::string reason;
    };
    const std::vector<Row> rows{
        {{"alice", {}}, "db01", Role::owner, "`alice` is owner on target `db01`"},
        {{"alice", {}}, "web01", Role::reader, "`alice` is reader on every target"},
        {{"alice", {"ops"}}, "web01", Role::contributor, "`@ops` is contributor on every target"},
        {{"bob", {}}, "web01", Role::contributor, "`bob` is contributor on target `web01`"},
        {{"bob", {}}, "db01", std::nullopt, "user `bob` has no role on target `db01`"},
        {{"carol", {"audit"}}, "db01", Role::reader, "`@audit` is reader on target `db01`"},
        {{"carol", {"audit"}}, "web01", std::nullopt, "user `carol` has no role on target `web01`"},
        // A user named like a group is not the group.
        {{"@ops", {}}, "web01", std::nullopt, "user `@ops` has no role on target `web01`"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.who.user);
        CAPTURE(r.target);
        const RoleDecision d = decide_role(kGrants, r.who, r.target, {});
        CHECK(d.role == r.role);
        CHECK(d.reason == r.reason);
        CHECK(d.notes.empty());
    }
}

TEST_CASE("SerialConsoleRoles: only listed roles attach; empty list: nobody; unknown names noted") {
    const Identity alice{"alice", {}};
    AttachRolePolicy p{true, {"Virtual Machine Contributor", "Owner"}};
    CHECK(decide_role(kGrants, alice, "db01", p).role == Role::owner);
    const RoleDecision reader = decide_role(kGrants, alice, "web01", p);
    CHECK_FALSE(reader.role);
    CHECK(reader.reason ==
          "role `reader` is not among the roles allowed to attach (policy "
          "`SerialConsoleRoles`)");
    p.allowed = {"contributor"};  // an owner is not a listed contributor
    CHECK_FALSE(decide_role(kGrants, alice, "db01", p).role);
    p.allowed = {};
    CHECK_FALSE(decide_role(kGrants, {"bob", {}}, "web01", p).role);
    p.allowed = {"VM Admins", "reader"};
    const RoleDecision noted = decide_role(kGrants, alice, "web01", p);
    CHECK(noted.role == Role::reader);
    CHECK(noted.notes == std::vector<std::string>{
                             "policy `SerialConsoleRoles` names `VM Admins`, which is no role "
                             "(reader, contributor, owner)"});
    // Not restricted: the list is not read.
    p.restrict = false;
    p.allowed = {};
    CHECK(decide_role(kGrants, alice, "db01", p).role == Role::owner);
}
