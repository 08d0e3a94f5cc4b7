// Files `gp set` reads and writes (see gp_set_files.hpp).
#include "gp_set_files.hpp"

#include <comredir/policy/gp/registry.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "command.hpp"
#include "options.hpp"

namespace comredir::cli {

namespace fs = std::filesystem;
namespace pol = comredir::policy;

std::vector<std::string> decoded(const pol::PolFile& f) {
    std::vector<std::string> out;
    for (const auto& e : f.entries) {
        out.push_back("[" + e.key + "] " + e.value + " = " + pol::reg_type_name(e.type) + " " +
                      pol::pol_raw_text(e));
    }
    return out;
}

std::string gpo_pol_path(const pol::Gpo& g, bool user) {
    const std::string& existing = user ? g.user_pol : g.machine_pol;
    if (!existing.empty()) return existing;
    fs::path p(g.path);
    switch (g.layout) {
        case pol::GpoLayout::gpmc_backup:
            return (p / "DomainSysvol" / "GPO" / (user ? "User" : "Machine") / "registry.pol")
                .string();
        case pol::GpoLayout::samba_cache:
            return (p / (user ? "USER" : "MACHINE") / "REGISTRY.POL").string();
        case pol::GpoLayout::sysvol:
        case pol::GpoLayout::local:
            break;
    }
    return (p / (user ? "User" : "Machine") / "Registry.pol").string();
}

std::string gpt_ini_path(const pol::Gpo& g) {
    if (g.layout == pol::GpoLayout::gpmc_backup) return {};
    std::error_code ec;
    for (fs::directory_iterator it(g.path, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        if (iequals(it->path().filename().string(), "gpt.ini")) return it->path().string();
    }
    return (fs::path(g.path) / (g.layout == pol::GpoLayout::samba_cache ? "GPT.INI" : "gpt.ini"))
        .string();
}

bool write_or_fail(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    auto w = pol::write_file_atomic(path, bytes, 0644);
    if (!w.ok) print_error(w.message);
    return w.ok;
}

std::vector<std::string> decoded(const pol::RegFile& f) {
    std::vector<std::string> out;
    for (const auto& e : f.entries) {
        switch (e.kind) {
            case pol::RegFileEntry::Kind::set_value: {
                pol::PolEntry p;
                p.type = e.data.type;
                p.data = e.data.data;
                p.size = static_cast<std::uint32_t>(p.data.size());
                out.push_back("[" + e.key + "] " + (e.value.empty() ? "@" : e.value) + " = " +
                              pol::reg_type_name(e.data.type) + " " + pol::pol_raw_text(p));
                break;
            }
            case pol::RegFileEntry::Kind::delete_value:
                out.push_back("[" + e.key + "] " + e.value + " = delete");
                break;
            case pol::RegFileEntry::Kind::delete_key:
                out.push_back("[-" + e.key + "]");
                break;
            case pol::RegFileEntry::Kind::key:
                out.push_back("[" + e.key + "]");
                break;
        }
    }
    return out;
}

pol::PolFile pol_view(const pol::RegFile& f, const std::string& hive) {
    pol::PolFile out;
    for (const auto& e : f.entries) {
        if (e.key.size() <= hive.size() || e.key[hive.size()] != '\\') continue;
        if (!iequals(std::string_view(e.key).substr(0, hive.size()), hive)) continue;
        pol::PolEntry p;
        p.key = e.key.substr(hive.size() + 1);
        if (e.kind == pol::RegFileEntry::Kind::set_value) {
            p.value = e.value;
            p.type = e.data.type;
            p.data = e.data.data;
        } else if (e.kind == pol::RegFileEntry::Kind::delete_value) {
            p.value = "**del." + e.value;
            p.type = 1;
        } else {
            continue;
        }
        p.size = static_cast<std::uint32_t>(p.data.size());
        out.entries.push_back(std::move(p));
    }
    return out;
}

}  // namespace comredir::cli
