// Several PolicyDefinitions folders as one ADMX set (a central store plus comredir's own
// templates): the first folder to define a namespace wins.
#include <algorithm>
#include <comredir/policy/admx/admx.hpp>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "admx/admx_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

bool is_ref_error(AdmxErrorKind k) {
    return k == AdmxErrorKind::unknown_prefix || k == AdmxErrorKind::unknown_reference;
}

/// `en-US/TerminalServer.adml` -> `terminalserver`, `TerminalServer.admx` -> same.
std::string stem_of(const std::string& file) {
    auto slash = file.find_last_of('/');
    std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
    auto dot = name.find_last_of('.');
    return detail::ascii_lower(dot == std::string::npos ? name : name.substr(0, dot));
}

template <typename T>
void append_if(std::vector<T>& to, std::vector<T>& from,
               const std::unordered_set<std::string>& skipped) {
    for (auto& x : from) {
        if (skipped.count(x.ns) == 0) to.push_back(std::move(x));
    }
}

}  // namespace

AdmxLoadResult load_admx_folders(const std::vector<std::string>& dirs,
                                 const std::string& language) {
    AdmxLoadResult out;
    std::unordered_set<std::string> loaded_ns;
    for (const auto& dir : dirs) {
        AdmxLoadResult one = load_admx_folder(dir, language);
        std::unordered_set<std::string> skipped_ns;
        std::unordered_set<std::string> skipped_files;
        for (const auto& f : one.set.files) {
            if (loaded_ns.count(f.ns) != 0) {
                skipped_ns.insert(f.ns);
                skipped_files.insert(stem_of(f.admx));
                auto first = std::find_if(out.set.files.begin(), out.set.files.end(),
                                          [&](const AdmxFile& g) { return g.ns == f.ns; });
                out.notes.push_back(dir + "/" + f.admx + ": skipped: namespace `" + f.ns +
                                    "` already loaded from `" + first->folder + "/" + first->admx +
                                    "`");
            }
        }
        for (auto& f : one.set.files) {
            if (skipped_files.count(stem_of(f.admx)) == 0) out.set.files.push_back(std::move(f));
        }
        append_if(out.set.categories, one.set.categories, skipped_ns);
        append_if(out.set.supported_on, one.set.supported_on, skipped_ns);
        append_if(out.set.policies, one.set.policies, skipped_ns);
        for (auto& e : one.errors) {
            // Cross-file references are checked again over the whole set below.
            if (is_ref_error(e.kind) || skipped_files.count(stem_of(e.file)) != 0) continue;
            bool is_folder = e.kind == AdmxErrorKind::io_error && e.file == dir;
            if (!is_folder) {
                e.file = dir + "/" + e.file;
                e.message = dir + "/" + e.message;
            }
            out.errors.push_back(std::move(e));
        }
        for (const auto& f : out.set.files) loaded_ns.insert(f.ns);
    }
    out.set.reindex();
    std::vector<AdmxError> refs;
    detail::check_admx_refs(out.set, refs);
    for (auto& e : refs) {
        auto f = std::find_if(out.set.files.begin(), out.set.files.end(),
                              [&](const AdmxFile& g) { return g.admx == e.file; });
        if (f != out.set.files.end() && !f->folder.empty()) {
            e.file = f->folder + "/" + e.file;
            e.message = f->folder + "/" + e.message;
        }
        out.errors.push_back(std::move(e));
    }
    return out;
}

}  // namespace comredir::policy
