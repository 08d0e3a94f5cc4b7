#include "listener.hpp"

#include <arpa/inet.h>
#include <freerdp/listener.h>
#include <freerdp/peer.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <comredir/host/log.hpp>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "exit_codes.hpp"
#include "peer.hpp"

namespace comredir::redirector::daemon {

bool PeerSlot::cut() {
    std::lock_guard lock(mutex_);
    if (fd_ < 0) return false;
    ::shutdown(fd_, SHUT_RDWR);
    return true;
}

namespace {

using Slots = std::vector<std::shared_ptr<PeerSlot>>;

struct AcceptState {
    ServerContext* server = nullptr;
    Slots* slots = nullptr;
};

std::size_t open_count(const Slots& slots) {
    return static_cast<std::size_t>(
        std::count_if(slots.begin(), slots.end(), [](const auto& s) { return !s->finished; }));
}

BOOL on_peer_accepted(freerdp_listener* listener, freerdp_peer* peer) {
    auto* st = static_cast<AcceptState*>(listener->param1);
    if (open_count(*st->slots) >= st->server->config.max_connections) {
        host::log_warning(std::string("refusing connection from `") + peer->hostname + "`: `" +
                          std::to_string(st->server->config.max_connections) +
                          "` connections open (maxConnections)");
        return FALSE;  // FreeRDP closes the socket and frees the peer
    }
    auto slot = std::make_shared<PeerSlot>();
    start_connection(peer, *st->server, slot);
    st->slots->push_back(std::move(slot));
    return TRUE;
}

std::string socket_name(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "?";
    std::array<char, INET6_ADDRSTRLEN> host{};
    if (ss.ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
        ::inet_ntop(AF_INET, &a->sin_addr, host.data(), host.size());
        return std::string(host.data()) + ":" + std::to_string(ntohs(a->sin_port));
    }
    if (ss.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
        ::inet_ntop(AF_INET6, &a->sin6_addr, host.data(), host.size());
        return "[" + std::string(host.data()) + "]:" + std::to_string(ntohs(a->sin6_port));
    }
    return "?";
}

std::vector<int> listener_fds(freerdp_listener* l) {
    std::array<void*, 32> raw{};
    int count = 0;
    std::vector<int> out;
    if (l->GetFileDescriptor(l, raw.data(), &count) == 0) return out;
    for (int i = 0; i < count && i < static_cast<int>(raw.size()); ++i)
        out.push_back(static_cast<int>(reinterpret_cast<std::intptr_t>(raw[i])));
    return out;
}

void reap(Slots& slots) {
    for (auto& s : slots) {
        if (s->finished && s->thread.joinable()) s->thread.join();
    }
    std::erase_if(slots, [](const auto& s) { return s->finished && !s->thread.joinable(); });
}

void enforce_handshake_timeout(Slots& slots, unsigned seconds) {
    const auto now = std::chrono::steady_clock::now();
    for (auto& s : slots) {
        if (s->finished || s->authenticated || s->timed_out) continue;
        if (now - s->started < std::chrono::seconds(seconds)) continue;
        s->timed_out = true;
        if (s->cut())
            host::log_warning("connection " + std::to_string(s->id) + " from `" + s->address +
                              "`: not authenticated within " + std::to_string(seconds) +
                              " s: closing");
    }
}

// Ends every connection: asks politely (stop_fd), then cuts the sockets of those that do
// not end within `grace` (a thread inside a TLS handshake never looks at stop_fd).
void stop_all(ServerContext& server, Slots& slots, std::chrono::milliseconds grace) {
    const std::uint64_t one = 1;
    if (::write(server.stop_fd, &one, sizeof one) != sizeof one)
        host::log_error("cannot signal the connections to stop");
    const auto until = std::chrono::steady_clock::now() + grace;
    while (open_count(slots) > 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (auto& s : slots) {
        if (!s->finished) s->cut();
    }
    for (auto& s : slots) {
        if (s->thread.joinable()) s->thread.join();
    }
    slots.clear();
}

}  // namespace

int serve(ServerContext& server) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    const int sig_fd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    server.stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    std::unique_ptr<freerdp_listener, void (*)(freerdp_listener*)> listener(freerdp_listener_new(),
                                                                            freerdp_listener_free);
    if (sig_fd < 0 || server.stop_fd < 0 || !listener) {
        host::log_error(std::string("cannot set up the event loop: ") + std::strerror(errno));
        return kExitRuntime;
    }
    Slots slots;
    AcceptState state{&server, &slots};
    freerdp_listener* l = listener.get();
    l->param1 = &state;
    l->PeerAccepted = on_peer_accepted;
    const auto& c = server.config;
    if (l->Open(l, c.listen_host.c_str(), c.listen_port) == 0) {
        host::log_error("cannot listen on `" + c.listen_host + ":" + std::to_string(c.listen_port) +
                        "`: the address is in use, not this host's, or needs privileges");
        return kExitConfig;
    }
    const std::vector<int> lfds = listener_fds(l);
    for (int fd : lfds) host::log_info("listening on `" + socket_name(fd) + "`");

    for (;;) {
        std::vector<pollfd> fds{{sig_fd, POLLIN, 0}};
        for (int fd : lfds) fds.push_back({fd, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) {
            host::log_error(std::string("poll failed: ") + std::strerror(errno));
            break;
        }
        if ((fds[0].revents & POLLIN) != 0) {
            signalfd_siginfo info{};
            if (::read(sig_fd, &info, sizeof info) == sizeof info)
                host::log_info(std::string("received `SIG") +
                               sigabbrev_np(static_cast<int>(info.ssi_signo)) + "`: stopping");
            break;
        }
        const bool incoming =
            std::any_of(fds.begin() + 1, fds.end(), [](const pollfd& p) { return p.revents != 0; });
        if (incoming && l->CheckFileDescriptor(l) == 0) {
            host::log_warning(std::string("accepting a connection failed: ") +
                              std::strerror(errno));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // e.g. out of fds
        }
        reap(slots);
        enforce_handshake_timeout(slots, c.handshake_timeout_seconds);
    }
    l->Close(l);
    const std::size_t open = open_count(slots);
    if (open > 0) host::log_info("closing " + std::to_string(open) + " connection(s)");
    stop_all(server, slots, std::chrono::seconds(5));
    ::close(server.stop_fd);
    ::close(sig_fd);
    host::log_info("stopped");
    return kExitOk;
}

}  // namespace comredir::redirector::daemon
