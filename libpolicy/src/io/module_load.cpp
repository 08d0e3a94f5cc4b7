#include "io/module_load.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <mutex>

namespace comredir::policy::detail {

namespace {

std::string dl_error() {
    const char* e = ::dlerror();
    return e != nullptr ? e : "unknown error";
}

}  // namespace

void* module_symbol(const char* file, const char* symbol, std::string& error) {
    static std::mutex mutex;
    static std::map<std::string, void*> handles;  // never closed: objects of theirs live on
    const std::lock_guard lock(mutex);
    void*& handle = handles[file];
    if (handle == nullptr) {
        std::string path = file;
        const char* dir = std::getenv("COMREDIR_MODULE_DIR");  // NOLINT(concurrency-mt-unsafe)
        if (dir != nullptr && *dir != '\0') path = std::string(dir) + "/" + file;
        handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            error = "comredir module `" + std::string(file) + "` not loaded: " + dl_error();
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
