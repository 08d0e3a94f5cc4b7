// Checks across the ADMX files of one `admx validate` run (a PolicyDefinitions folder):
// target namespaces defined twice, and references into another file's namespace.
#include <comredir/policy/admx/admx_validate.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "admx/admx_internal.hpp"
#include "admx/admx_validate_doc.hpp"

namespace comredir::policy {

namespace {

using detail::child_element;
using detail::descendants;
using detail::local_name;

/// A `prefix:name` reference to a category or supportedOn definition.
struct Ref {
    std::uint32_t line = 0;
    std::string owner;  ///< ``policy `P` `` / ``category `C` ``
    bool supported_on = false;
    std::string ref;
};

/// What one ADMX file defines and references.
struct FileNames {
    std::string path;
    std::string target_prefix;
    std::string target_ns;
    std::uint32_t target_line = 0;
    std::map<std::string, std::string> using_ns;  ///< prefix -> namespace
    std::set<std::string> categories;
    std::set<std::string> definitions;
    std::vector<Ref> refs;
};

bool read_names(const std::string& path, FileNames& f) {
    detail::ValidatedDoc d;
    std::vector<AdmxFinding> ignored;  // reported by check_admx_semantics
    if (!detail::load_validated_doc(path, d, ignored)) return false;
    auto root = d.xml.document_element();
    if (local_name(root) != "policyDefinitions") return false;
    f.path = path;
    for (const auto& n : descendants(root, "target")) {
        f.target_prefix = n.attribute("prefix").value();
        f.target_ns = n.attribute("namespace").value();
        f.target_line = d.line_of(n);
    }
    for (const auto& n : descendants(root, "using")) {
        f.using_ns[n.attribute("prefix").value()] = n.attribute("namespace").value();
    }
    for (const auto& n : descendants(root, "category")) {
        f.categories.insert(n.attribute("name").value());
        if (auto p = child_element(n, "parentCategory")) {
            f.refs.push_back(Ref{d.line_of(p),
                                 "category `" + std::string(n.attribute("name").value()) + "`",
                                 false, p.attribute("ref").value()});
        }
    }
    for (const auto& n : descendants(root, "definition")) {
        f.definitions.insert(n.attribute("name").value());
    }
    for (const auto& n : descendants(root, "policy")) {
        std::string owner = "policy `" + std::string(n.attribute("name").value()) + "`";
        if (auto p = child_element(n, "parentCategory")) {
            f.refs.push_back(Ref{d.line_of(p), owner, false, p.attribute("ref").value()});
        }
        if (auto s = child_element(n, "supportedOn")) {
            f.refs.push_back(Ref{d.line_of(s), owner, true, s.attribute("ref").value()});
        }
    }
    return true;
}

}  // namespace

std::vector<AdmxFinding> check_admx_set(const std::vector<std::string>& admx_paths) {
    std::vector<AdmxFinding> out;
    std::vector<FileNames> files;
    std::map<std::string, std::size_t> by_ns;  // target namespace -> first file defining it
    for (const auto& path : admx_paths) {
        FileNames f;
        if (!read_names(path, f)) continue;
        if (!f.target_ns.empty()) {
            auto [it, fresh] = by_ns.emplace(f.target_ns, files.size());
            if (!fresh) {
                out.push_back(make_admx_finding("duplicate-namespace", path, f.target_line,
                                                "target namespace `" + f.target_ns +
                                                    "` is already the target of `" +
                                                    files[it->second].path + "`"));
            }
        }
        files.push_back(std::move(f));
    }
    for (const auto& f : files) {
        for (const auto& r : f.refs) {
            auto colon = r.ref.find(':');
            if (colon == std::string::npos) continue;  // own namespace: check_admx_semantics
            auto prefix = r.ref.substr(0, colon);
            if (prefix == f.target_prefix) continue;
            auto u = f.using_ns.find(prefix);
            if (u == f.using_ns.end()) continue;  // undeclared: check_admx_semantics
            auto other = by_ns.find(u->second);
            if (other == by_ns.end()) continue;  // a namespace none of the files defines
            const auto& there = files[other->second];
            const auto& names = r.supported_on ? there.definitions : there.categories;
            if (names.count(r.ref.substr(colon + 1)) != 0) continue;
            out.push_back(make_admx_finding(
                r.supported_on ? "unknown-supported-on" : "unknown-category", f.path, r.line,
                r.owner + ": " + (r.supported_on ? "supportedOn" : "parentCategory") + " `" +
                    r.ref + "` does not exist in `" + there.path + "`"));
        }
    }
    return out;
}

}  // namespace comredir::policy
