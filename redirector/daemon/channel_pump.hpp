#pragma once
// The static virtual channels of one connection, through FreeRDP's WTS API: `rdpdr` is read
// message by message for the handler and written to; every other static channel the client
// joined is opened too and drained (FreeRDP drops a connection that sends data on a joined
// channel nobody opened). `drdynvc` stays with FreeRDP's channel manager.
//
// Writes only queue: flush() (the manager's CheckFileDescriptor) sends them, and the
// manager's event fd, part of fds(), says when there is something to send.

#include <poll.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "freerdp_fwd.hpp"

namespace comredir::redirector::daemon {

/// The largest rdpdr message accepted from a client; a larger one ends the connection.
inline constexpr std::uint32_t kMaxRdpdrMessage = 1u << 20;

class ChannelPump {
  public:
    explicit ChannelPump(void* vcm) : vcm_(vcm) {}
    ChannelPump(const ChannelPump&) = delete;
    ChannelPump& operator=(const ChannelPump&) = delete;
    ~ChannelPump() { close(); }

    /// Opens the joined static channels (once; later calls do nothing). False with `error`
    /// when a joined channel could not be opened.
    bool open(freerdp_peer* peer, std::string& error);
    bool has_rdpdr() const { return rdpdr_ != nullptr; }
    /// Names of the channels opened, for the log (`rdpdr`, `cliprdr`, ...).
    std::string channel_names() const;

    /// The fds to wait on: the manager's send queue and each channel's receive queue.
    void fds(std::vector<pollfd>& out) const;
    /// Hands every queued rdpdr message to `sink` and drops data of the other channels.
    /// False with `error` when a message could not be read or was too large.
    bool pump(const std::function<void(std::span<const std::uint8_t>)>& sink, std::string& error);
    /// Queues one rdpdr message.
    bool write(std::span<const std::uint8_t> message);
    /// Sends what is queued; false when the connection failed.
    bool flush();
    void close();

  private:
    struct Channel {
        std::string name;
        void* handle = nullptr;
        int fd = -1;
        std::uint64_t dropped_bytes = 0;
    };
    bool read_one(Channel& c, bool& got, std::vector<std::uint8_t>& out, std::string& error);

    void* vcm_;
    bool opened_ = false;
    std::vector<Channel> channels_;
    void* rdpdr_ = nullptr;
    std::vector<std::uint8_t> buffer_;
};

}  // namespace comredir::redirector::daemon
