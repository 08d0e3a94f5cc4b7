// The embedded host-pool store as a HostPoolSource: reads with read_hostpool_store; each
// change under the store folder's lock: read, edit (hostpool_store_edit.hpp), read back,
// diff or atomic replace.
#include <chrono>
#include <comredir/policy/hostpool/hostpool_store_edit.hpp>
#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/io/file_read.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <sstream>

#include "diff.hpp"
#include "hostpool_commands.hpp"

namespace comredir::cli {

namespace {

namespace fs = std::filesystem;
namespace pol = comredir::policy;

constexpr auto kLockTimeout = std::chrono::seconds(30);

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// The whole file; nullopt with `error` set when it cannot be read (`missing` if absent).
std::optional<std::string> slurp(const std::string& path, std::string& error, bool& missing) {
    std::error_code ec;
    missing = !fs::exists(path, ec) && !ec;
    auto r = pol::read_regular_file(path);
    if (!r.ok) {
        error = r.message;
        return std::nullopt;
    }
    return std::string(r.bytes.begin(), r.bytes.end());
}

ChangeOutcome failed(ChangeOutcome out, int exit, std::string error) {
    out.exit = exit;
    out.error = std::move(error);
    return out;
}

int exit_for(pol::HostPoolEditStatus s) {
    switch (s) {
        case pol::HostPoolEditStatus::ok:
            return exit_ok;
        case pol::HostPoolEditStatus::bad_pool:
            return exit_usage;
        case pol::HostPoolEditStatus::internal:
            return exit_internal;
        case pol::HostPoolEditStatus::bad_store:
        case pol::HostPoolEditStatus::not_found:
        case pol::HostPoolEditStatus::exists:
            break;
    }
    return exit_input;
}

bool write(const std::string& path, const std::string& text, std::string& error) {
    auto w = pol::write_file_atomic(
        path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0644);
    if (!w.ok) error = w.message;
    return w.ok;
}

class EmbeddedStore final : public HostPoolSource {
  public:
    explicit EmbeddedStore(std::string path) : path_(std::move(path)) {}

    std::string target() const override { return path_; }

    std::optional<std::vector<pol::HostPool>> read() override {
        auto r = pol::read_hostpool_store(path_);
        if (!r.ok()) {
            print_error(r.message);
            return std::nullopt;
        }
        return std::move(r.store.pools);
    }

    ChangeOutcome apply(const PoolChange& change, const WriteFlags& flags) override {
        ChangeOutcome out;
        out.target = path_;
        out.pool = change.pool;
        pol::FolderLockResult lock;
        if (!flags.dry_run) {
            if (change.kind == PoolChange::Kind::create) {
                std::error_code ec;
                fs::create_directories(fs::path(path_).parent_path(), ec);
            }
            lock = pol::lock_folder_of(path_, kLockTimeout);
            if (!lock.ok()) return failed(std::move(out), exit_input, lock.message);
        }
        std::string error;
        bool missing = false;
        auto before = slurp(path_, error, missing);
        if (!before && !(missing && change.kind == PoolChange::Kind::create)) {
            return failed(std::move(out), exit_input, error);
        }
        const std::string base = before ? *before : pol::empty_hostpool_store_text();

        pol::HostPoolEditResult edited;
        if (change.kind == PoolChange::Kind::properties) {
            auto store = pol::parse_hostpool_store(base);
            if (!store.ok())
                return failed(std::move(out), exit_input, path_ + ": " + store.message);
            const pol::HostPool* pool = store.store.find(change.pool);
            if (pool == nullptr) {
                return failed(std::move(out), exit_input,
                              path_ + ": host pool `" + change.pool + "` not found");
            }
            out.pool = pool->name;
            out.before = pool->custom_rdp_property;
            out.edit = change.edit(out.before);
            if (!out.edit.ok()) return edit_failed(std::move(out));
            out.after = out.edit.text;
            edited = pol::set_hostpool_member(base, pool->name, "customRdpProperty", out.after);
        } else if (change.kind == PoolChange::Kind::create) {
            out.pool = change.created.name;
            out.after = change.created.custom_rdp_property;
            edited = pol::add_hostpool(base, change.created);
        } else {
            auto store = pol::parse_hostpool_store(base);
            if (const pol::HostPool* pool = store.ok() ? store.store.find(change.pool) : nullptr) {
                out.pool = pool->name;
                out.before = pool->custom_rdp_property;
            }
            edited = pol::remove_hostpool(base, change.pool);
        }
        if (!edited.ok()) {
            return failed(std::move(out), exit_for(edited.status), path_ + ": " + edited.message);
        }
        if (!verify(change, out, edited.text, error)) {
            return failed(std::move(out), exit_internal, error);
        }
        out.changed = edited.changed || !before;
        if (flags.dry_run) {
            out.diff = unified_diff(lines_of(before.value_or("")), lines_of(edited.text), path_,
                                    path_ + " (after)");
            return out;
        }
        if (!out.changed) return out;
        if (flags.backup && before) {
            out.backup = path_ + ".bak";
            if (!write(out.backup, *before, error))
                return failed(std::move(out), exit_input, error);
        }
        if (!write(path_, edited.text, error)) return failed(std::move(out), exit_input, error);
        // Read the file back: it must hold exactly what was written.
        bool gone = false;
        auto now = slurp(path_, error, gone);
        if (!now || *now != edited.text) {
            return failed(std::move(out), exit_internal,
                          "internal: " + path_ + " does not read back as written");
        }
        return out;
    }

  private:
    std::string path_;

    ChangeOutcome edit_failed(ChangeOutcome out) const {
        const std::string where = path_ + ": host pool `" + out.pool + "`: ";
        int exit = exit_usage;
        std::string message = out.edit.message;
        if (out.edit.status == pol::RdpPropsEditStatus::bad_string) {
            exit = exit_input;
            message = where + "customRdpProperty does not parse: " + message +
                      " (replace the whole string with --raw)";
        } else if (out.edit.status == pol::RdpPropsEditStatus::internal) {
            exit = exit_internal;
            message = where + message;
        }
        return failed(std::move(out), exit, std::move(message));
    }

    /// The edited text must read as a store in which the pool shows the intended change.
    bool verify(const PoolChange& change, const ChangeOutcome& out, const std::string& text,
                std::string& error) const {
        auto back = pol::parse_hostpool_store(text);
        const pol::HostPool* pool = back.ok() ? back.store.find(out.pool) : nullptr;
        bool good = back.ok();
        if (change.kind == PoolChange::Kind::remove) {
            good = good && pool == nullptr;
        } else {
            good = good && pool != nullptr && pool->custom_rdp_property == out.after;
        }
        if (!good) {
            error = "internal: " + path_ + ": host pool `" + out.pool +
                    "` would not read back as intended; nothing written";
        }
        return good;
    }
};

}  // namespace

std::unique_ptr<HostPoolSource> embedded_store(std::string path) {
    return std::make_unique<EmbeddedStore>(std::move(path));
}

}  // namespace comredir::cli
