#pragma once
// Watches the files a host's policy is read from (policy_sources.hpp) with inotify, on a
// thread of its own, and tells every session when they changed (policy_changes.hpp): a
// burst of changes (an editor's save, `comredir-policy gp set`) is announced once, `quiet`
// after its last event and at most `max_wait` after its first. After each change the
// folders are worked out again, so a config that now names other sources is followed.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "policy_changes.hpp"
#include "policy_sources.hpp"

struct inotify_event;

namespace comredir::redirector::daemon {

struct DaemonConfig;
class Debounce;

struct PolicyWatchOptions {
    std::chrono::milliseconds quiet{150};
    std::chrono::milliseconds max_wait{1000};
};

class PolicyWatch {
  public:
    PolicyWatch(std::string config_path, std::string host, PolicyChanges& changes,
                PolicyWatchOptions options = {});
    PolicyWatch(const PolicyWatch&) = delete;
    PolicyWatch& operator=(const PolicyWatch&) = delete;
    ~PolicyWatch();

    /// Sets the watches and starts the thread. False with `error` when inotify fails.
    bool start(std::string& error);
    /// Ends the thread (the destructor does too).
    void stop();
    /// The folders watched now (for the log and tests).
    std::vector<std::string> folders() const;

  private:
    void run();
    void arm();
    bool relevant(const ::inotify_event& ev, std::string& what) const;
    void read_events(Debounce& debounce, std::string& first);

    std::string config_path_;
    std::string host_;
    PolicyChanges& changes_;
    PolicyWatchOptions options_;
    int inotify_fd_ = -1;
    int stop_fd_ = -1;
    std::thread thread_;
    mutable std::mutex mutex_;  ///< guards by_wd_ for folders()
    std::map<int, WatchTarget> by_wd_;
};

/// The daemon's watcher: started when the config's `revokeOnPolicyChange` is on (the
/// default), which also makes `changes` active; nullptr (policy read once per session) when
/// it is off or inotify fails (logged).
std::unique_ptr<PolicyWatch> start_policy_watch(const DaemonConfig& config, PolicyChanges& changes);

}  // namespace comredir::redirector::daemon
