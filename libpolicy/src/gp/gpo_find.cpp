// Finds GPOs and their Registry.pol files in GPMC backups, SYSVOL, Samba's gpo
// cache and local GPO folders. Never throws on what it finds on disk.

#include <algorithm>
#include <comredir/policy/gp/gpo.hpp>
#include <filesystem>
#include <optional>

#include "gp/gpo_meta.hpp"
#include "io/file_io.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 3;  // gpo_cache/<realm>/POLICIES/{GUID}
constexpr std::uint64_t kMaxXmlBytes = 16u << 20;

bool is_guid(std::string_view s) {
    if (s.size() != 38 || s.front() != '{' || s.back() != '}') return false;
    for (std::size_t i = 1; i < 37; ++i) {
        char c = s[i];
        if (i == 9 || i == 14 || i == 19 || i == 24) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

/// The last component of `p`, ignoring a trailing separator.
std::string folder_name(const fs::path& p) {
    fs::path n = p.lexically_normal();
    if (n.filename().empty()) n = n.parent_path();
    return n.filename().string();
}

/// Entries of `dir` sorted by name; `dirs` selects folders or regular files.
std::vector<fs::path> list(const fs::path& dir, bool dirs) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return out;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        std::error_code ec2;
        bool ok = dirs ? it->is_directory(ec2) : it->is_regular_file(ec2);
        if (ok && !ec2) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    return out;
}

/// The child of `dir` named `name` case-insensitively (first in name order).
std::optional<fs::path> child(const fs::path& dir, std::string_view name, bool want_dir) {
    for (const auto& p : list(dir, want_dir)) {
        if (detail::iequals(p.filename().string(), name)) return p;
    }
    return std::nullopt;
}

/// Follows `names` down from `dir`, all folders but the last, which is a file.
std::optional<fs::path> find_file(const fs::path& dir,
                                  std::initializer_list<std::string_view> names) {
    fs::path cur = dir;
    std::size_t i = 0;
    for (auto n : names) {
        bool last = ++i == names.size();
        auto next = child(cur, n, !last);
        if (!next) return std::nullopt;
        cur = *next;
    }
    return cur;
}

std::string path_or_empty(const std::optional<fs::path>& p) {
    return p ? p->string() : std::string();
}

/// `displayName=` from the GPO's gpt.ini; empty when absent, unreadable or malformed (then
/// with a warning naming the file).
std::string gpt_display_name(const fs::path& gpo_dir, std::vector<std::string>& warnings) {
    auto ini = child(gpo_dir, "gpt.ini", false);
    if (!ini) {  // none, or not a regular file (a folder, a fifo): say which
        std::error_code ec;
        for (fs::directory_iterator it(gpo_dir, ec); !ec && it != fs::directory_iterator();
             it.increment(ec)) {
            if (detail::iequals(it->path().filename().string(), "gpt.ini")) {
                ini = it->path();
                break;
            }
        }
        if (!ini) return {};
    }
    auto fb = detail::read_file_bytes(ini->string(), 1u << 20);
    if (!fb.ok) {
        warnings.push_back(fb.error);
        return {};
    }
    if (auto problem = detail::gpt_ini_problem(fb.bytes); !problem.empty()) {
        warnings.push_back(ini->string() + ": " + problem);
        return {};
    }
    return detail::gpt_ini_display_name(fb.bytes);
}

class Finder {
  public:
    GpoResult result;

    bool fail(GpoStatus status, std::string message, std::uint64_t offset = 0) {
        result.status = status;
        result.offset = offset;
        result.message = std::move(message);
        return false;
    }

    /// Reads an XML metadata file and parses it with `parse`; reports failures with the path.
    template <typename Parse>
    bool load_meta(const fs::path& file, Parse parse, detail::GpoMeta& meta) {
        auto fb = detail::read_file_bytes(file.string(), kMaxXmlBytes);
        if (!fb.ok) return fail(GpoStatus::bad_backup_xml, fb.error);
        meta = parse(fb.bytes);
        if (!meta.ok)
            return fail(GpoStatus::bad_backup_xml, file.string() + ": " + meta.message,
                        meta.offset);
        return true;
    }

    /// A GPMC backup folder (holds bkupInfo.xml).
    bool backup(const fs::path& dir, const fs::path& info) {
        detail::GpoMeta meta;
        if (!load_meta(info, detail::parse_bkupinfo, meta)) return false;
        Gpo g;
        g.path = dir.string();
        g.layout = GpoLayout::gpmc_backup;
        g.guid = std::move(meta.guid);
        g.name = std::move(meta.name);
        g.machine_pol =
            path_or_empty(find_file(dir, {"DomainSysvol", "GPO", "Machine", "registry.pol"}));
        g.user_pol = path_or_empty(find_file(dir, {"DomainSysvol", "GPO", "User", "registry.pol"}));
        result.gpos.push_back(std::move(g));
        return true;
    }

    /// Tries `dir` as one GPO; sets `found`. Returns false on error.
    bool single(const fs::path& dir, bool& found) {
        found = false;
        if (auto info = child(dir, "bkupInfo.xml", false)) {
            found = true;
            return backup(dir, *info);
        }
        auto machine_dir = child(dir, "Machine", true);
        auto user_dir = child(dir, "User", true);
        auto machine = find_file(dir, {"Machine", "Registry.pol"});
        auto user = find_file(dir, {"User", "Registry.pol"});
        std::string name = folder_name(dir);
        Gpo g;
        g.path = dir.string();
        g.machine_pol = path_or_empty(machine);
        g.user_pol = path_or_empty(user);
        if (is_guid(name)) {
            if (!machine_dir && !user_dir && !child(dir, "gpt.ini", false)) return true;
            g.layout =
                is_samba(dir, machine_dir, user_dir) ? GpoLayout::samba_cache : GpoLayout::sysvol;
            g.guid = name;
            g.name = gpt_display_name(dir, g.warnings);
            if (g.name.empty()) g.name = g.guid;
        } else {
            if (!machine && !user) return true;
            g.layout = GpoLayout::local;
            g.name = "Local Group Policy";
            gpt_display_name(dir, g.warnings);  // checked only: the local GPO has no name there
        }
        found = true;
        result.gpos.push_back(std::move(g));
        return true;
    }

    /// samba-gpupdate's cache: under `gpo_cache/<realm>/POLICIES/`, or spelled in upper case.
    static bool is_samba(const fs::path& dir, const std::optional<fs::path>& machine_dir,
                         const std::optional<fs::path>& user_dir) {
        std::error_code ec;
        fs::path abs = fs::absolute(dir, ec).lexically_normal();
        if (ec) abs = dir.lexically_normal();
        if (abs.filename().empty()) abs = abs.parent_path();
        fs::path policies = abs.parent_path();
        if (detail::iequals(policies.parent_path().parent_path().filename().string(),
                            "gpo_cache")) {
            return true;
        }
        bool upper_sub = (machine_dir && machine_dir->filename() == "MACHINE") ||
                         (user_dir && user_dir->filename() == "USER");
        return policies.filename() == "POLICIES" && upper_sub;
    }

    /// A GPMC backup set: the folders manifest.xml lists, in its order.
    bool manifest(const fs::path& dir, const fs::path& file) {
        detail::GpoMeta meta;
        if (!load_meta(file, detail::parse_manifest, meta)) return false;
        for (const std::string& id : meta.backup_ids) {
            auto sub = id.empty() ? std::nullopt : child(dir, id, true);
            if (!sub) {
                return fail(GpoStatus::bad_backup_xml,
                            file.string() + ": backup `" + id + "` has no folder");
            }
            auto info = child(*sub, "bkupInfo.xml", false);
            if (!info) {
                return fail(GpoStatus::bad_backup_xml,
                            sub->string() + ": no `bkupInfo.xml` for the manifest's backup");
            }
            if (!backup(*sub, *info)) return false;
        }
        return true;
    }

    /// A folder holding GPOs: manifest order, else every GPO below it in name order.
    bool container(const fs::path& dir, int depth) {
        if (auto m = child(dir, "manifest.xml", false)) return manifest(dir, *m);
        for (const auto& sub : list(dir, true)) {
            bool found = false;
            if (!single(sub, found)) return false;
            if (!found && depth + 1 < kMaxDepth && !container(sub, depth + 1)) return false;
        }
        return true;
    }
};

}  // namespace

std::string_view to_string(GpoLayout layout) {
    switch (layout) {
        case GpoLayout::gpmc_backup:
            return "gpmc_backup";
        case GpoLayout::sysvol:
            return "sysvol";
        case GpoLayout::samba_cache:
            return "samba_cache";
        case GpoLayout::local:
            return "local";
    }
    return "unknown";
}

std::string_view to_string(GpoStatus status) {
    switch (status) {
        case GpoStatus::ok:
            return "ok";
        case GpoStatus::not_found:
            return "not_found";
        case GpoStatus::not_a_gpo:
            return "not_a_gpo";
        case GpoStatus::bad_backup_xml:
            return "bad_backup_xml";
    }
    return "unknown";
}

GpoResult find_gpos(const std::string& dir) {
    Finder f;
    fs::path p(dir);
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
        f.fail(GpoStatus::not_found, dir + ": not found");
        return std::move(f.result);
    }
    if (!fs::is_directory(st)) {
        f.fail(GpoStatus::not_a_gpo, dir + ": not a folder (pass the GPO's folder, not a file)");
        return std::move(f.result);
    }
    bool found = false;
    if (!f.single(p, found)) return std::move(f.result);
    if (!found && !f.container(p, 0)) return std::move(f.result);
    if (f.result.gpos.empty()) {
        f.fail(GpoStatus::not_a_gpo,
               dir +
                   ": no gpo found (looked for `bkupInfo.xml`, `manifest.xml`, `{GUID}` folders "
                   "and `Machine/Registry.pol`, three levels deep)");
    }
    return std::move(f.result);
}

std::string describe_gpos(const std::vector<Gpo>& gpos) {
    std::string out = std::to_string(gpos.size()) + (gpos.size() == 1 ? " GPO (" : " GPOs (");
    for (std::size_t i = 0; i < gpos.size(); ++i) {
        const Gpo& g = gpos[i];
        if (i > 0) out += ", ";
        if (g.layout == GpoLayout::local) {
            out += "`" + g.name + "` in `" + g.path + "`";
        } else if (g.name.empty() || g.name == g.guid) {
            out += g.guid;
        } else {
            out += "`" + g.name + "` " + g.guid;
        }
    }
    return out + ")";
}

}  // namespace comredir::policy
