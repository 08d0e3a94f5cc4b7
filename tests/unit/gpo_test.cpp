#include <doctest/doctest.h>
#include <unistd.h>

#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <filesystem>
#include <fstream>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;
using comredir::test::shared_data;
using comredir::test::test_data;

namespace {

namespace fs = std::filesystem;

const std::string kT0x01Backup = "{40144D25-C0AB-42E5-B1FB-D89261259A27}";

/// A fresh, empty folder under the temp dir, removed at scope exit.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() /
               ("comredir_gpo_test_" + std::to_string(::getpid()) + "_" + name)) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((path / rel).parent_path());
        std::ofstream(path / rel, std::ios::binary) << text;
    }
};

struct Expected {
    const char* backup_id;
    const char* name;
    const char* guid;
    bool machine;
    bool user;
};

}  // namespace

TEST_CASE("gpmc backup: one backup folder") {
    const std::string dir = shared_data("gpo/t0x01/" + kT0x01Backup);
    auto r = find_gpos(dir);
    REQUIRE(r.ok());
    CHECK(r.message.empty());
    REQUIRE(r.gpos.size() == 1);
    const auto& g = r.gpos[0];
    CHECK(g.path == dir);
    CHECK(g.layout == GpoLayout::gpmc_backup);
    CHECK(to_string(g.layout) == "gpmc_backup");
    CHECK(g.name == "Remote Desktop Service");
    CHECK(g.guid == "{39D5A6AA-3C00-4A7A-B932-CBAA0099455F}");  // GPOGuid, not the backup ID
    CHECK(g.machine_pol == dir + "/DomainSysvol/GPO/Machine/registry.pol");
    CHECK(g.user_pol.empty());
    CHECK(read_pol(g.machine_pol).file.entries.size() == 24);
}

TEST_CASE("gpmc backup: folder holding one backup, no manifest") {
    const std::string dir = shared_data("gpo/t0x01");
    auto r = find_gpos(dir);
    REQUIRE(r.ok());
    REQUIRE(r.gpos.size() == 1);
    CHECK(r.gpos[0].path == dir + "/" + kT0x01Backup);
    CHECK(r.gpos[0].name == "Remote Desktop Service");
}

TEST_CASE("gpmc backup set: manifest order, names from bkupInfo.xml") {
    const std::string dir = shared_data("gpo/msft-win11-24h2-baseline");
    auto r = find_gpos(dir);
    REQUIRE(r.ok());
    const Expected expected[] = {
        {"{DAD42DA1-8499-42FE-A1CD-9E39196D8B98}", "MSFT Windows 11 24H2 - Computer",
         "{1B6AAB4D-20DC-4956-9439-DD15694E2B6A}", true, false},
        {"{C4FCE0A9-BC29-4589-A63D-144E8CD991CE}", "MSFT Windows 11 24H2 - User",
         "{83A5E982-986A-4447-A8A1-7945B71C18B3}", false, true},
        {"{3C4158A9-6823-4577-8AAE-197181A6E6AD}", "MSFT Windows 11 24H2 - Credential Guard",
         "{3459AD93-6648-423E-9777-0C82975217D5}", true, false},
        {"{DD32F334-CB07-4579-96E3-06F27B6B5FAB}", "MSFT Windows 11 24H2 - Defender Antivirus",
         "{048EDF92-475E-4360-A38B-025342E2D833}", true, false},
        {"{04602802-38C4-4900-87CD-B126DA8875ED}", "MSFT Windows 11 24H2 - Domain Security",
         "{E9F1D4BF-D7C0-4358-B1CD-6B1F7E1754D3}", false, false},
        {"{9DD51389-33D0-4D19-8274-F9C19C54AACB}", "MSFT Windows 11 24H2 - BitLocker",
         "{F9CA6C42-3A57-4D81-88BF-6CD8289FD1F5}", true, false},
        {"{BF76B495-48DD-4A15-AFFF-E9E20A6C9AAB}", "MSFT Internet Explorer 11 - User",
         "{582D31BD-8974-43C8-B88B-FC18B4254E87}", false, true},
        {"{BB10D67B-FBEA-4CD0-8E5F-09AC67C07670}", "MSFT Internet Explorer 11 - Computer",
         "{D5398278-ABE5-4648-921E-D68A15AF59E9}", true, false},
    };
    REQUIRE(r.gpos.size() == 8);
    for (std::size_t i = 0; i < 8; ++i) {
        const auto& g = r.gpos[i];
        const auto& e = expected[i];
        CAPTURE(e.name);
        const std::string path = dir + "/" + e.backup_id;
        CHECK(g.path == path);
        CHECK(g.layout == GpoLayout::gpmc_backup);
        CHECK(g.name == e.name);
        CHECK(g.guid == e.guid);
        CHECK(g.machine_pol ==
              (e.machine ? path + "/DomainSysvol/GPO/Machine/registry.pol" : std::string()));
        CHECK(g.user_pol ==
              (e.user ? path + "/DomainSysvol/GPO/User/registry.pol" : std::string()));
    }
}

TEST_CASE("sysvol: Policies folder, gpt.ini display name, mixed-case names") {
    const std::string ddp = "{31B2F340-016D-11D2-945F-00C04FB984F9}";
    const std::string dcp = "{6AC1786C-016F-11D2-945F-00C04fB984F9}";
    for (const std::string rel : {"gpo-layouts/sysvol/Policies", "gpo-layouts/sysvol"}) {
        CAPTURE(rel);
        auto r = find_gpos(test_data(rel));
        REQUIRE(r.ok());
        REQUIRE(r.gpos.size() == 2);
        const std::string policies = test_data("gpo-layouts/sysvol/Policies");
        CHECK(r.gpos[0].path == policies + "/" + ddp);
        CHECK(r.gpos[0].layout == GpoLayout::sysvol);
        CHECK(r.gpos[0].name == "Default Domain Policy");
        CHECK(r.gpos[0].guid == ddp);
        CHECK(r.gpos[0].machine_pol == policies + "/" + ddp + "/Machine/Registry.pol");
        CHECK(r.gpos[0].user_pol.empty());
        CHECK(r.gpos[1].layout == GpoLayout::sysvol);
        CHECK(r.gpos[1].name == dcp);  // no displayName in GPT.INI
        CHECK(r.gpos[1].guid == dcp);
        CHECK(r.gpos[1].machine_pol.empty());
        CHECK(r.gpos[1].user_pol == policies + "/" + dcp + "/user/REGISTRY.pol");
    }
    auto one = find_gpos(test_data("gpo-layouts/sysvol/Policies/" + ddp));
    REQUIRE(one.ok());
    REQUIRE(one.gpos.size() == 1);
    CHECK(one.gpos[0].path == test_data("gpo-layouts/sysvol/Policies/" + ddp));
    CHECK(one.gpos[0].name == "Default Domain Policy");
}

TEST_CASE("describe_gpos names what a folder holds: display name and GUID, else what there is") {
    auto r = find_gpos(test_data("gpo-layouts/sysvol/Policies"));
    REQUIRE(r.ok());
    CHECK(describe_gpos(r.gpos) ==
          "2 GPOs (`Default Domain Policy` {31B2F340-016D-11D2-945F-00C04FB984F9}, "
          "{6AC1786C-016F-11D2-945F-00C04fB984F9})");
    auto local = find_gpos(test_data("gpo-layouts/local/GroupPolicy"));
    REQUIRE(local.ok());
    CHECK(describe_gpos(local.gpos) ==
          "1 GPO (`Local Group Policy` in `" + test_data("gpo-layouts/local/GroupPolicy") + "`)");
}

TEST_CASE("samba gpo cache: found from the root, the realm, POLICIES or the GPO") {
    const std::string guid = "{7E1C3C0A-5B8F-4A8E-9C21-2D4B6F1A0C11}";
    const std::string gpo = test_data("gpo-layouts/samba/gpo_cache/EXAMPLE.TEST/POLICIES/" + guid);
    for (const std::string& rel : std::vector<std::string>{
             "gpo-layouts/samba/gpo_cache", "gpo-layouts/samba/gpo_cache/EXAMPLE.TEST",
             "gpo-layouts/samba/gpo_cache/EXAMPLE.TEST/POLICIES",
             "gpo-layouts/samba/gpo_cache/EXAMPLE.TEST/POLICIES/" + guid}) {
        CAPTURE(rel);
        auto r = find_gpos(test_data(rel));
        REQUIRE(r.ok());
        REQUIRE(r.gpos.size() == 1);
        const auto& g = r.gpos[0];
        CHECK(g.path == gpo);
        CHECK(g.layout == GpoLayout::samba_cache);
        CHECK(g.name == "Credential Guard (samba)");
        CHECK(g.guid == guid);
        CHECK(g.machine_pol == gpo + "/MACHINE/REGISTRY.POL");
        CHECK(g.user_pol.empty());
        CHECK(read_pol(g.machine_pol).file.entries.size() == 8);
    }
}

TEST_CASE("local gpo") {
    const std::string dir = test_data("gpo-layouts/local/GroupPolicy");
    for (const std::string rel : {"gpo-layouts/local/GroupPolicy", "gpo-layouts/local"}) {
        CAPTURE(rel);
        auto r = find_gpos(test_data(rel));
        REQUIRE(r.ok());
        REQUIRE(r.gpos.size() == 1);
        const auto& g = r.gpos[0];
        CHECK(g.path == dir);
        CHECK(g.layout == GpoLayout::local);
        CHECK(g.name == "Local Group Policy");
        CHECK(g.guid.empty());
        CHECK(g.machine_pol == dir + "/Machine/Registry.pol");
        CHECK(g.user_pol == dir + "/User/Registry.pol");
    }
}

TEST_CASE("a trailing slash is accepted") {
    auto r = find_gpos(test_data("gpo-layouts/local/GroupPolicy/"));
    REQUIRE(r.ok());
    REQUIRE(r.gpos.size() == 1);
    CHECK(r.gpos[0].machine_pol == test_data("gpo-layouts/local/GroupPolicy/Machine/Registry.pol"));
}

TEST_CASE("errors: not found, not a gpo, bad backup xml") {
    auto missing = find_gpos("/nonexistent/gpo");
    CHECK(missing.status == GpoStatus::not_found);
    CHECK(missing.message == "/nonexistent/gpo: not found");

    const std::string file = test_data("gpo-layouts/README.md");
    auto not_dir = find_gpos(file);
    CHECK(not_dir.status == GpoStatus::not_a_gpo);
    CHECK(not_dir.message.rfind(file + ": not a folder", 0) == 0);

    TempDir empty("empty");
    auto none = find_gpos(empty.path.string());
    CHECK(none.status == GpoStatus::not_a_gpo);
    CHECK(to_string(none.status) == "not_a_gpo");
    CHECK(none.gpos.empty());

    TempDir bad("bad_xml");
    bad.write("bkupInfo.xml", "<BackupInst><GPOGuid>x</GPOGuid></Backup>");
    auto malformed = find_gpos(bad.path.string());
    CHECK(malformed.status == GpoStatus::bad_backup_xml);
    CHECK(malformed.offset == 34);  // the name in `</Backup>`
    CHECK(malformed.message ==
          (bad.path / "bkupInfo.xml").string() + ": offset 0x22: xml: start-end tags mismatch");

    TempDir noguid("no_guid");
    noguid.write("bkupInfo.xml", "<BackupInst><GPODisplayName>n</GPODisplayName></BackupInst>");
    auto missing_guid = find_gpos(noguid.path.string());
    CHECK(missing_guid.status == GpoStatus::bad_backup_xml);
    CHECK(missing_guid.message == (noguid.path / "bkupInfo.xml").string() + ": no `GPOGuid`");

    TempDir set("manifest");
    set.write("manifest.xml",
              "<Backups><BackupInst><ID><![CDATA[{11111111-2222-3333-4444-555555555555}]]></ID>"
              "</BackupInst></Backups>");
    auto missing_folder = find_gpos(set.path.string());
    CHECK(missing_folder.status == GpoStatus::bad_backup_xml);
    CHECK(missing_folder.message ==
          (set.path / "manifest.xml").string() +
              ": backup `{11111111-2222-3333-4444-555555555555}` has no folder");
}

TEST_CASE("backup folder names match case-insensitively") {
    TempDir t("case");
    t.write("{AAAAAAAA-0000-0000-0000-000000000000}/BKUPINFO.XML",
            "<BackupInst><GPOGuid>{B}</GPOGuid><GPODisplayName>N</GPODisplayName></BackupInst>");
    t.write("{AAAAAAAA-0000-0000-0000-000000000000}/domainsysvol/gpo/MACHINE/Registry.POL", "PReg");
    t.write("manifest.XML",
            "<Backups><BackupInst><ID>{aaaaaaaa-0000-0000-0000-000000000000}</ID></BackupInst>"
            "</Backups>");
    auto r = find_gpos(t.path.string());
    REQUIRE(r.ok());
    REQUIRE(r.gpos.size() == 1);
    CHECK(r.gpos[0].name == "N");
    CHECK(r.gpos[0].guid == "{B}");
    CHECK(r.gpos[0].machine_pol ==
          (t.path / "{AAAAAAAA-0000-0000-0000-000000000000}/domainsysvol/gpo/MACHINE/Registry.POL")
              .string());
}

TEST_CASE("a malformed or unreadable gpt.ini is a warning naming the file, not silence") {
    struct Case {
        std::string ini;
        std::string name;     // the GPO's name as found
        std::string problem;  // after `<path>: `; empty: no warning
    };
    const std::string guid = "{CCCCCCCC-0000-0000-0000-000000000000}";
    const std::vector<Case> cases = {
        {"[General]\r\nVersion=65537\r\ndisplayName=Lockdown\r\n", "Lockdown", ""},
        {"; made by hand\r\n[General]\r\n\r\nVersion=3\r\ndisplayName=Lockdown", "Lockdown", ""},
        {std::string("\xFF\xFE", 2) + std::string("[\0G\0e\0n\0e\0r\0a\0l\0]\0", 18), guid, ""},
        {"[General]\r\nVersion=abc\r\ndisplayName=Lockdown\r\n", guid,
         "line 2: version `abc` is not a decimal 32-bit number"},
        {"[General]\r\nVersion=4294967296\r\n", guid,
         "line 2: version `4294967296` is not a decimal 32-bit number"},
        {"[General]\r\nVersion=\r\n", guid, "line 2: version `` is not a decimal 32-bit number"},
        {"[General]\r\ngarbage\x01 here\r\n", guid,
         "line 2: `garbage? here`: neither `[section]` nor `key=value`"},
        {"[General\r\nVersion=1\r\n", guid, "line 1: `[General`: section without `]`"},
        {"Version=1\r\ndisplayName=Lockdown\r\n", guid, "no `[General]` section"},
        {"", guid, "no `[General]` section"},
        {std::string("[General]\r\n\0\0\0", 14), guid, "a nul character: not a text file"},
        {std::string("\xFF\xFE[\0", 5), guid, "utf-16 text (after the bom) that does not decode"},
        {std::string("\xFF\xFE\x00\xDC", 4), guid,
         "utf-16 text (after the bom) that does not decode"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.ini);
        TempDir t("gptini");
        t.write(guid + "/Machine/Registry.pol", "PReg\x01\x00\x00\x00");
        t.write(guid + "/gpt.ini", c.ini);
        auto r = find_gpos((t.path / guid).string());
        REQUIRE_MESSAGE(r.ok(), r.message);
        REQUIRE(r.gpos.size() == 1);
        CHECK(r.gpos[0].name == c.name);
        if (c.problem.empty()) {
            CHECK(r.gpos[0].warnings.empty());
        } else {
            CHECK(
                r.gpos[0].warnings ==
                std::vector<std::string>{(t.path / guid / "gpt.ini").string() + ": " + c.problem});
        }
    }
    SUBCASE("a gpt.ini that is a folder; the local GPO's gpt.ini is checked too") {
        TempDir t("gptini_dir");
        t.write(guid + "/Machine/Registry.pol", "PReg\x01\x00\x00\x00");
        fs::create_directories(t.path / guid / "gpt.ini");
        auto r = find_gpos((t.path / guid).string());
        REQUIRE(r.ok());
        CHECK(r.gpos[0].name == guid);
        CHECK(r.gpos[0].warnings == std::vector<std::string>{(t.path / guid / "gpt.ini").string() +
                                                             ": not a regular file (a folder)"});
        t.write("GroupPolicy/Machine/Registry.pol", "PReg\x01\x00\x00\x00");
        t.write("GroupPolicy/gpt.ini", "[General]\r\nVersion=x\r\n");
        auto local = find_gpos((t.path / "GroupPolicy").string());
        REQUIRE(local.ok());
        REQUIRE(local.gpos.size() == 1);
        CHECK(local.gpos[0].layout == GpoLayout::local);
        CHECK(local.gpos[0].name == "Local Group Policy");
        CHECK(local.gpos[0].warnings ==
              std::vector<std::string>{(t.path / "GroupPolicy/gpt.ini").string() +
                                       ": line 2: version `x` is not a decimal 32-bit number"});
    }
}
