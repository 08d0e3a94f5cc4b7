#pragma once
// Tells every session that policy changed. Each session subscribes and gets an eventfd of
// its own, which its connection thread polls with its other fds: the news arrives on the
// session's own thread, between two turns of its loop, and never interrupts one.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace comredir::redirector::daemon {

class PolicyChanges {
  public:
    class Subscription {
      public:
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;
        ~Subscription();
        /// Readable after notify(); poll it for POLLIN.
        int fd() const { return fd_; }
        /// Clears the readiness; true when there was news since the last call.
        bool take();

      private:
        friend class PolicyChanges;
        Subscription(PolicyChanges& owner, int fd) : owner_(owner), fd_(fd) {}
        PolicyChanges& owner_;
        int fd_;
    };

    PolicyChanges() = default;
    PolicyChanges(const PolicyChanges&) = delete;
    PolicyChanges& operator=(const PolicyChanges&) = delete;

    /// Whether anything announces changes (a watcher runs); sessions subscribe only then.
    bool active() const { return active_.load(); }
    void set_active(bool on) { active_.store(on); }

    /// nullptr with `error` set when no eventfd can be made.
    std::unique_ptr<Subscription> subscribe(std::string& error);
    /// Wakes every subscriber; returns how many there are.
    std::size_t notify();
    std::size_t subscribers() const;

  private:
    void forget(int fd);
    mutable std::mutex mutex_;
    std::set<int> fds_;
    std::atomic<bool> active_{false};
};

}  // namespace comredir::redirector::daemon
