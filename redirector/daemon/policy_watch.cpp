#include "policy_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <comredir/host/log.hpp>
#include <cstring>
#include <set>

#include "daemon_config.hpp"
#include "debounce.hpp"

namespace comredir::redirector::daemon {

namespace {

constexpr std::uint32_t kDirEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                     IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF |
                                     IN_MOVE_SELF | IN_ONLYDIR;

std::string errno_text() {
    return std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
}

}  // namespace

PolicyWatch::PolicyWatch(std::string config_path, std::string host, PolicyChanges& changes,
                         PolicyWatchOptions options)
    : config_path_(std::move(config_path)),
      host_(std::move(host)),
      changes_(changes),
      options_(options) {}

PolicyWatch::~PolicyWatch() {
    stop();
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    if (stop_fd_ >= 0) ::close(stop_fd_);
}

bool PolicyWatch::start(std::string& error) {
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (inotify_fd_ < 0 || stop_fd_ < 0) {
        error = "cannot watch the policy sources: " + errno_text();
        return false;
    }
    arm();
    thread_ = std::thread([this] { run(); });
    return true;
}

void PolicyWatch::stop() {
    if (!thread_.joinable()) return;
    const std::uint64_t one = 1;
    if (::write(stop_fd_, &one, sizeof one) != sizeof one)
        host::log_error("policy watch: cannot signal the watcher to stop");
    thread_.join();
}

std::vector<std::string> PolicyWatch::folders() const {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [wd, t] : by_wd_) out.push_back(t.dir);
    std::sort(out.begin(), out.end());
    return out;
}

// New watches first, then the stale ones go: a change in between is never missed.
void PolicyWatch::arm() {
    std::map<int, WatchTarget> next;
    for (auto& t : policy_watch_targets(config_path_, host_)) {
        const int wd = ::inotify_add_watch(inotify_fd_, t.dir.c_str(), kDirEvents);
        if (wd < 0) {
            host::log_warning("policy watch: cannot watch `" + t.dir + "`: " + errno_text());
            continue;
        }
        next[wd] = std::move(t);
    }
    const std::lock_guard lock(mutex_);
    for (const auto& [wd, t] : by_wd_) {
        if (next.count(wd) == 0) ::inotify_rm_watch(inotify_fd_, wd);
    }
    by_wd_ = std::move(next);
}

bool PolicyWatch::relevant(const inotify_event& ev, std::string& what) const {
    if ((ev.mask & IN_Q_OVERFLOW) != 0) {
        what = "(too many events to tell)";
        return true;
    }
    const std::lock_guard lock(mutex_);
    const auto it = by_wd_.find(ev.wd);
    if (it == by_wd_.end()) return false;  // a watch removed by arm()
    const WatchTarget& t = it->second;
    if ((ev.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
        what = t.dir;
        return true;
    }
    if (ev.len == 0) return false;
    const std::string name(ev.name);  // NUL-padded to ev.len
    if (!t.matches(name)) return false;
    what = t.dir + "/" + name;
    return true;
}

void PolicyWatch::read_events(Debounce& debounce, std::string& first) {
    alignas(inotify_event) std::array<char, 16384> buf{};
    for (;;) {
        const ssize_t n = ::read(inotify_fd_, buf.data(), buf.size());
        if (n <= 0) return;  // EAGAIN: drained
        for (ssize_t off = 0; off < n;) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buf.data() + off);
            std::string what;
            if (relevant(*ev, what)) {
                if (!debounce.pending()) first = what;
                debounce.touch(Debounce::Clock::now());
            }
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        }
    }
}

void PolicyWatch::run() {
    Debounce debounce(options_.quiet, options_.max_wait);
    std::string first;
    for (;;) {
        std::array<pollfd, 2> fds{{{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}}};
        int timeout = -1;
        if (const auto due = debounce.due()) {
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(*due - Debounce::Clock::now());
            timeout = static_cast<int>(std::max<std::int64_t>(left.count(), 0));
        }
        if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
            host::log_error("policy watch: poll failed: " + errno_text());
            return;
        }
        if ((fds[0].revents & POLLIN) != 0) return;
        if ((fds[1].revents & POLLIN) != 0) read_events(debounce, first);
        if (debounce.fire(Debounce::Clock::now())) {
            arm();
            const std::size_t n = changes_.notify();
            host::log_info("policy source `" + first + "` changed: re-evaluating `" +
                           std::to_string(n) + "` session(s)");
        }
    }
}

std::unique_ptr<PolicyWatch> start_policy_watch(const DaemonConfig& config,
                                                PolicyChanges& changes) {
    if (!config.revoke_on_policy_change) {
        host::log_info("policy is read once per session (revokeOnPolicyChange is off)");
        return nullptr;
    }
    auto watch = std::make_unique<PolicyWatch>(config.path, config.host, changes);
    std::string error;
    if (!watch->start(error)) {
        host::log_warning(error + ": policy is read once per session");
        return nullptr;
    }
    changes.set_active(true);
    const auto folders = watch->folders();
    host::log_info(
        "watching `" + std::to_string(folders.size()) +
        "` policy folder(s): open sessions are re-evaluated when a policy source changes");
    for (const auto& f : folders) host::log_debug("policy watch: `" + f + "`");
    return watch;
}

}  // namespace comredir::redirector::daemon
