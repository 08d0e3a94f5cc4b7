#pragma once
// The target's output on its way to the attached clients. I/O-free.
//
// - Replay: the last `capacity` bytes (default 64 KiB) are kept and sent to everyone who
//   attaches, spectators too. A replay starts at a character boundary (leading UTF-8
//   continuation bytes are skipped); it may start inside an escape sequence, as any
//   terminal joining a running stream may.
// - Fan-out: each client has its own queue, bounded (`max_queued`, default 256 KiB). A
//   client that falls that far behind is dropped (the daemon disconnects it with a notice)
//   instead of holding the others, the writer or the target back.

#include <comredir/console/seat.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <vector>

namespace comredir::console {

inline constexpr std::size_t kDefaultReplayBytes = std::size_t{64} * 1024;
inline constexpr std::size_t kDefaultClientQueue = std::size_t{256} * 1024;

class ReplayBuffer {
  public:
    explicit ReplayBuffer(std::size_t capacity = kDefaultReplayBytes) : capacity_(capacity) {}
    void append(std::span<const std::uint8_t> bytes);
    /// What a client that attaches now is sent first.
    std::vector<std::uint8_t> snapshot() const;
    std::size_t size() const { return bytes_.size(); }

  private:
    std::size_t capacity_;
    std::deque<std::uint8_t> bytes_;
};

class Fanout {
  public:
    explicit Fanout(std::size_t max_queued = kDefaultClientQueue) : max_(max_queued) {}
    /// A client joins with `first` queued (its replay).
    void add(ClientId client, std::span<const std::uint8_t> first = {});
    void remove(ClientId client);
    /// Queues `bytes` for every client; returns the clients that went over the bound now
    /// (they are removed: the daemon disconnects them).
    std::vector<ClientId> push(std::span<const std::uint8_t> bytes);
    /// Up to `max` bytes for `client`'s socket, in order (removed from its queue).
    std::vector<std::uint8_t> take(ClientId client, std::size_t max);
    std::size_t queued(ClientId client) const;
    std::size_t clients() const { return queues_.size(); }

  private:
    std::size_t max_;
    std::map<ClientId, std::deque<std::uint8_t>> queues_;
};

}  // namespace comredir::console
