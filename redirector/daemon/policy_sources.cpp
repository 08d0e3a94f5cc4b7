#include "policy_sources.hpp"

#include <comredir/policy/resolve/config.hpp>
#include <filesystem>
#include <map>
#include <system_error>

namespace comredir::redirector::daemon {

namespace {

namespace fs = std::filesystem;

constexpr int kGpoDepth = 6;          // GPO backups nest Registry.pol 4 folders down
constexpr std::size_t kGpoDirs = 64;  // folders watched below one GPO folder

class Targets {
  public:
    /// `path` (a file, or a folder seen as an entry of its parent).
    void entry(const fs::path& path) {
        fs::path p = fs::absolute(path).lexically_normal();
        if (p.filename().empty()) p = p.parent_path();  // a trailing `/`
        fs::path dir = p.parent_path();
        fs::path name = p.filename();
        std::error_code ec;
        while (!dir.empty() && dir != dir.root_path() && !fs::is_directory(dir, ec)) {
            name = dir.filename();  // the first missing folder is the entry that matters
            dir = dir.parent_path();
        }
        if (dir.empty()) return;
        by_dir_[dir.string()].names.insert(name.string());
    }
    /// Every folder from `dir` down (bounded), any entry mattering.
    void tree(const fs::path& dir) {
        entry(dir);
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) return;
        const fs::path root = fs::absolute(dir).lexically_normal();
        by_dir_[root.string()].any = true;
        std::size_t count = 1;
        for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it.depth() >= kGpoDepth) it.disable_recursion_pending();
            std::error_code tec;
            if (!it->is_directory(tec) || it->is_symlink(tec)) continue;
            if (++count > kGpoDirs) break;
            by_dir_[it->path().string()].any = true;
        }
    }
    std::vector<WatchTarget> take() {
        std::vector<WatchTarget> out;
        for (auto& [dir, t] : by_dir_) {
            t.dir = dir;
            out.push_back(std::move(t));
        }
        return out;
    }

  private:
    std::map<std::string, WatchTarget> by_dir_;
};

}  // namespace

std::vector<WatchTarget> policy_watch_targets(const std::string& config_path,
                                              const std::string& host) {
    Targets t;
    t.entry(config_path);
    const auto cfg = policy::read_config(config_path);
    if (cfg.ok()) {
        const auto& c = cfg.config;
        if (!c.hostpool_store.empty()) t.entry(c.hostpool_store);
        const auto it = host.empty() ? c.hosts.end() : c.hosts.find(host);
        if (it != c.hosts.end()) {
            for (const auto& s : it->second.os) {
                if (s.kind == policy::OsSourceKind::gpo) {
                    t.tree(s.path);
                } else {
                    t.entry(s.path);
                }
            }
        }
    }
    return t.take();
}

}  // namespace comredir::redirector::daemon
