#pragma once
// The seam between the FreeRDP transport (this folder) and the rdpdr session layer: the
// daemon owns the connection, authentication and the `rdpdr` static channel; a
// ChannelHandler (one per connection) owns everything said on that channel.
//
// Threading: every call on a handler, and every call it makes on its ChannelSender, happens
// on its connection's own thread. Handlers of different connections run concurrently.
//
// Order: poll_request()/on_poll() may run at any time after construction; on_open() once
// when the channel is open; on_message() for each message after that; on_close() exactly
// once at the end (also when the channel never opened), after which nothing else is called.

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector::daemon {

/// Who is on the other end, for the policy gate and the audit log. Everything except `id`,
/// `user` and `peer_address` is the client's own claim.
struct ConnectionInfo {
    std::uint64_t id = 0;             ///< daemon-unique, counts up from 1
    std::string user;                 ///< authenticated user name (as verified)
    std::string domain;               ///< domain the client sent (not verified; may be empty)
    std::string peer_address;         ///< socket peer address (IPv4/IPv6 text)
    std::string client_name;          ///< [MS-RDPBCGR] 2.2.1.3.2 clientName (GCC core data)
    std::string client_address;       ///< 2.2.1.11.1.1.1 clientAddress (extended info; claim)
    std::uint32_t client_build = 0;   ///< 2.2.1.3.2 clientBuild
    std::uint32_t os_major_type = 0;  ///< 2.2.7.1.1 osMajorType (general capability set)
    std::uint32_t os_minor_type = 0;  ///< 2.2.7.1.1 osMinorType
    std::string run_dir;              ///< where per-session files (pty links) go
};

/// The handler's way back to the client. Messages are queued and sent by the connection's
/// loop after the current callback returns, in the order given.
class ChannelSender {
  public:
    virtual ~ChannelSender() = default;
    /// Queues one whole rdpdr message (the daemon splits it into channel chunks). False when
    /// the channel is gone or the message could not be queued.
    virtual bool send(std::span<const std::uint8_t> message) = 0;
    /// Ends the connection after the queued messages went out; `reason` is logged (one line,
    /// no secrets). on_close() follows.
    virtual void disconnect(std::string_view reason) = 0;
};

/// Extra things for the connection's loop to wait on: the session layer's pty fds and its
/// next timer. Asked before every wait.
struct PollRequest {
    std::vector<pollfd> fds;  ///< `revents` is ignored here
    std::optional<std::chrono::steady_clock::time_point> deadline;
};

class ChannelHandler {
  public:
    virtual ~ChannelHandler() = default;
    /// The `rdpdr` channel is open: the server speaks first (Server Announce).
    virtual void on_open(ChannelSender& sender) = 0;
    /// One reassembled rdpdr message from the client (peer data: check every length).
    virtual void on_message(std::span<const std::uint8_t> message) = 0;
    /// The connection ends; `reason` is the one the daemon logs for it (`client
    /// disconnected`, `daemon shutting down`, an error), one line.
    virtual void on_close(std::string_view reason) = 0;

    virtual PollRequest poll_request() { return {}; }
    /// After every wait: the fds of the last poll_request() with `revents` filled in (same
    /// order). Called when a deadline passed too, so check the clock.
    virtual void on_poll(std::span<const pollfd> fds) { (void)fds; }
};

/// Makes the handler of a newly authenticated connection; called on that connection's
/// thread. Returning nullptr refuses the connection.
using HandlerFactory = std::function<std::unique_ptr<ChannelHandler>(const ConnectionInfo&)>;

}  // namespace comredir::redirector::daemon
