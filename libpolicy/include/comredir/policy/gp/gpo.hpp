#pragma once
// Finding Group Policy Objects and their Registry.pol files in the folder
// layouts that hold them: GPMC backups, SYSVOL, Samba's gpo cache and the
// local GPO. Path components match case-insensitively in every layout.
//
// When a folder holds several GPOs, all are returned: in manifest.xml order
// for a GPMC backup set, otherwise sorted by folder path. That order is NOT
// link order, which no folder records (it lives in the links of sites,
// domains and OUs in AD): when precedence matters (Local, site, domain, OU;
// later wins), the caller must get the order elsewhere and pass the GPOs to
// apply_pol one by one in it. `effective` refuses such a folder.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

enum class GpoLayout {
    gpmc_backup,  ///< `{backup-id}/bkupInfo.xml`, pols under
                  ///< `DomainSysvol/GPO/{Machine,User}/registry.pol`
    sysvol,       ///< `Policies/{GUID}/{Machine,User}/Registry.pol`, optional `gpt.ini`
    samba_cache,  ///< `gpo_cache/<realm>/POLICIES/{GUID}/MACHINE/REGISTRY.POL` (samba-gpupdate)
    local,        ///< a non-`{GUID}` folder with `Machine/Registry.pol` and/or `User/Registry.pol`
};

/// `gpmc_backup`, `sysvol`, `samba_cache`, `local`.
std::string_view to_string(GpoLayout layout);

struct Gpo {
    std::string path;  ///< the GPO's folder
    GpoLayout layout = GpoLayout::local;
    std::string
        name;  ///< display name (bkupInfo.xml, gpt.ini), else the GUID; `Local Group Policy`
    std::string
        guid;  ///< `{...}` GPO GUID (for backups: GPOGuid, not the backup ID); empty for local
    std::string machine_pol;  ///< path of the Machine Registry.pol, empty when absent
    std::string user_pol;     ///< path of the User Registry.pol, empty when absent
    /// One line each, starting with the file: a gpt.ini that cannot be read or is malformed
    /// (detail::gpt_ini_problem); its display name is then not used (the GUID names the GPO).
    std::vector<std::string> warnings;
};

enum class GpoStatus {
    ok,
    not_found,       ///< the folder does not exist or cannot be read
    not_a_gpo,       ///< neither a GPO nor a folder holding GPOs
    bad_backup_xml,  ///< bkupInfo.xml / manifest.xml unreadable, malformed or incomplete
};

/// `not_found`, ... (the enumerator's name).
std::string_view to_string(GpoStatus status);

struct GpoResult {
    GpoStatus status = GpoStatus::ok;
    std::uint64_t offset = 0;  ///< byte offset of an XML error
    std::uint32_t line = 0;    ///< always 0
    std::string message;       ///< one line, starts with the offending path
    std::vector<Gpo> gpos;     ///< what was found (on error: found before the problem)
    bool ok() const { return status == GpoStatus::ok; }
};

/// Finds the GPO at `dir`, or every GPO in it: a GPMC backup folder or backup
/// set (`manifest.xml`), a GPO `{GUID}` folder, a `Policies` / `POLICIES`
/// folder, a Samba realm folder or `gpo_cache` root, or a local GPO folder
/// (searched up to three folder levels deep).
GpoResult find_gpos(const std::string& dir);

/// `2 GPOs (`Contoso - RDS device lockdown` {3F6C...}, `Contoso - Serial lab` {8B2E...})`:
/// what find_gpos found, for a message that asks for their link order. A GPO without a display
/// name shows its GUID only, a local GPO its folder.
std::string describe_gpos(const std::vector<Gpo>& gpos);

}  // namespace comredir::policy
