// Estate loading, OS layer: GPO folders, Registry.pol files, .reg exports, Intune exports.
#include <algorithm>
#include <comredir/policy/gp/gpo.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/resolve/estate.hpp>

#include "resolve/estate_internal.hpp"

namespace comredir::policy::detail {

namespace {

void os_error(Estate& e, SourceReport rep, const std::string& message) {
    rep.ok = false;
    rep.message = message;
    e.os.errors.push_back(message);
    e.input_errors.push_back({message, LayerId::os_policy, {}});
    e.sources.push_back(std::move(rep));
}

void load_pol(Estate& e, const std::string& path, std::string_view hive, const Provenance& base,
              SourceReport rep) {
    auto r = read_pol(path);
    if (!r.ok()) {
        os_error(e, std::move(rep), r.message);
        return;
    }
    for (const auto& w : r.file.warnings) e.notes.push_back(path + ": " + w);
    apply_pol(r.file, hive, base, e.os.registry);
    e.sources.push_back(std::move(rep));
}

void load_gpo_dir(Estate& e, const std::string& dir, const GpoResult& found) {
    if (!found.ok()) {
        os_error(e, SourceReport{LayerId::os_policy, "gpo", dir, "", "", false, ""}, found.message);
        return;
    }
    // Link order decides between GPOs, and no folder records it: each GPO is its own source.
    if (found.gpos.size() > 1) {
        os_error(e, SourceReport{LayerId::os_policy, "gpo", dir, "", "", false, ""},
                 dir + ": holds " + describe_gpos(found.gpos) +
                     ", and Group Policy applies GPOs in link order, which a folder does not "
                     "record: give each GPO's folder as its own source, lowest precedence first");
        return;
    }
    for (const auto& g : found.gpos) {
        for (const auto& w : g.warnings) e.notes.push_back(w);
        Provenance base;
        base.source = "gpo";
        base.gpo_name = g.name;
        base.gpo_guid = g.guid;
        if (g.machine_pol.empty() && g.user_pol.empty()) {
            e.notes.push_back("GPO `" + g.name + "` (" + g.path +
                              ") has no Registry.pol: nothing to apply");
        }
        for (const auto& [pol, hive] :
             {std::pair{g.machine_pol, "HKLM"}, std::pair{g.user_pol, "HKCU"}}) {
            if (pol.empty()) continue;
            base.file = pol;
            load_pol(e, pol, hive, base,
                     SourceReport{LayerId::os_policy, "gpo", pol, g.name, g.guid, true, ""});
        }
    }
}

void load_intune(Estate& e, const std::string& path) {
    auto r = read_intune(path);
    SourceReport rep{LayerId::os_policy, "intune", path, "", "", true, ""};
    if (!r.ok()) {
        os_error(e, std::move(rep), r.message);
        return;
    }
    for (const auto& p : r.file.policies) {
        if (!rep.name.empty()) rep.name += ", ";
        rep.name += p.name;
        for (const auto& s : p.settings) {
            IntuneValue v;
            v.definition_id = s.definition_id;
            v.value = s.value;
            v.parent_definition_id = s.parent_definition_id;
            v.where.source = "intune";
            v.where.file = path;
            v.where.intune_setting = s.definition_id;
            v.where.detail = "policy `" + p.name + "` " + s.json_pointer;
            e.os.intune.push_back(std::move(v));
        }
    }
    e.sources.push_back(std::move(rep));
}

}  // namespace

void load_os_sources(Estate& e, const std::vector<OsSourceSpec>& specs) {
    // GPO folders are looked at once; the local GPO then goes first whatever the order given.
    struct Step {
        const OsSourceSpec* spec;
        GpoResult gpos;  // gpo sources only
    };
    std::vector<Step> steps;
    steps.reserve(specs.size());
    for (const auto& s : specs) {
        steps.push_back({&s, s.kind == OsSourceKind::gpo ? find_gpos(s.path) : GpoResult{}});
    }
    std::stable_partition(steps.begin(), steps.end(), [](const Step& st) {
        return st.spec->kind == OsSourceKind::gpo && st.gpos.ok() && st.gpos.gpos.size() == 1 &&
               st.gpos.gpos[0].layout == GpoLayout::local;
    });
    for (const auto& st : steps) {
        const OsSourceSpec& s = *st.spec;
        switch (s.kind) {
            case OsSourceKind::gpo:
                load_gpo_dir(e, s.path, st.gpos);
                break;
            case OsSourceKind::pol: {
                Provenance base;
                base.source = "registry.pol";
                base.file = s.path;
                load_pol(
                    e, s.path, "HKLM", base,
                    SourceReport{LayerId::os_policy, "registry.pol", s.path, "", "", true, ""});
                break;
            }
            case OsSourceKind::reg: {
                auto r = read_regfile(s.path);
                SourceReport rep{LayerId::os_policy, "reg", s.path, "", "", true, ""};
                if (!r.ok()) {
                    os_error(e, std::move(rep), r.message);
                    break;
                }
                Provenance base;
                base.source = "reg";
                base.file = s.path;
                apply_regfile(r.file, base, e.os.registry);
                e.sources.push_back(std::move(rep));
                break;
            }
            case OsSourceKind::intune:
                load_intune(e, s.path);
                break;
        }
    }
}

}  // namespace comredir::policy::detail
