#pragma once
// State shared by the listener thread and the connection threads.

#include <atomic>
#include <chrono>
#include <comredir/host/logins.hpp>
#include <comredir/host/tls_cert.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "channel_handler.hpp"
#include "daemon_config.hpp"

namespace comredir::redirector::daemon {

/// Read-only after startup, except `next_id`.
struct ServerContext {
    DaemonConfig config;
    host::TlsFiles tls;
    host::Authenticator* auth = nullptr;
    HandlerFactory factory;
    /// A login was refused (`reason` from the Authenticator: never the password); called on
    /// the connection's thread. May be empty.
    std::function<void(const ConnectionInfo&, std::string_view reason)> login_refused;
    int stop_fd = -1;  ///< eventfd: readable once shutdown began (never read, only polled)
    std::atomic<std::uint64_t> next_id{1};
};

/// The listener's handle on one connection thread. The thread sets `authenticated` and
/// `finished`; the listener may cut the socket (handshake timeout, shutdown) while the
/// thread still owns it, so the fd is only touched under `mutex`.
struct PeerSlot {
    std::uint64_t id = 0;
    std::string address;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::atomic<bool> authenticated{false};
    std::atomic<bool> finished{false};
    std::thread thread;
    bool timed_out = false;  ///< listener thread only: the handshake timeout cut it

    /// Called by the connection thread before its socket is closed.
    void forget_socket() {
        std::lock_guard lock(mutex_);
        fd_ = -1;
    }
    void set_socket(int fd) {
        std::lock_guard lock(mutex_);
        fd_ = fd;
    }
    /// Wakes a thread blocked on the socket (even inside the TLS handshake): reads and
    /// writes fail from now on, and the connection ends. True if there was a socket.
    bool cut();

  private:
    std::mutex mutex_;
    int fd_ = -1;
};

}  // namespace comredir::redirector::daemon
