#include "io/module_load.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

#ifndef COMREDIR_MODULE_RELDIR
#error "COMREDIR_MODULE_RELDIR: the installed module folder relative to the programs' folder"
#endif
#ifndef COMREDIR_MODULE_FULLDIR
#error "COMREDIR_MODULE_FULLDIR: the installed module folder (absolute)"
#endif

namespace comredir::policy::detail {

namespace {

std::string dl_error() {
    const char* e = ::dlerror();
    return e != nullptr ? e : "unknown error";
}

std::string parent(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

/// The folder of the running program (`/usr/bin`), empty if unknown.
std::string program_dir() {
    std::array<char, 4096> buf{};
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) return {};
    return parent(std::string(buf.data(), static_cast<std::size_t>(n)));
}

bool is_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// Where `file` may be, in order: COMREDIR_MODULE_DIR alone when set; else the installed
/// folder relative to the program (`/usr/bin/../lib/<arch>/comredir`), then a build tree's
/// `modules/` beside the program's folder or above it (build/cli, build/redirector/daemon),
/// then the installed folder itself (a program of another package linking libpolicy).
std::vector<std::string> candidates(const std::string& file) {
    const char* dir = std::getenv("COMREDIR_MODULE_DIR");  // NOLINT(concurrency-mt-unsafe)
    if (dir != nullptr && *dir != '\0') return {std::string(dir) + "/" + file};
    std::vector<std::string> out;
    std::string d = program_dir();
    if (!d.empty()) {
        out.push_back(d + "/" COMREDIR_MODULE_RELDIR "/" + file);
        for (int up = 0; up < 3 && d != "/"; ++up, d = parent(d))
            out.push_back(d + "/modules/" + file);
    }
    out.push_back(COMREDIR_MODULE_FULLDIR "/" + file);
    return out;
}

}  // namespace

void* module_symbol(const char* file, const char* symbol, std::string& error) {
    static std::mutex mutex;
    static std::map<std::string, void*> handles;  // never closed: objects of theirs live on
    const std::lock_guard lock(mutex);
    void*& handle = handles[file];
    if (handle == nullptr) {
        const std::vector<std::string> paths = candidates(file);
        std::string why = "not found";
        for (const std::string& path : paths) {
            if (!is_file(path)) continue;
            handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (handle != nullptr) break;
            why = dl_error();
        }
        if (handle == nullptr) {
            std::string looked;
            for (const std::string& p : paths) looked += (looked.empty() ? "" : ", ") + p;
            error = "comredir module `" + std::string(file) + "` not loaded: " + why +
                    " (looked for " + (looked.empty() ? "nothing: no program path" : looked) + ")";
            return nullptr;
        }
    }
    void* sym = ::dlsym(handle, symbol);
    if (sym == nullptr) {
        error =
            "comredir module `" + std::string(file) + "` has no `" + symbol + "`: " + dl_error();
    }
    return sym;
}

}  // namespace comredir::policy::detail
