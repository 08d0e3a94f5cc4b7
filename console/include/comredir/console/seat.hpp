#pragma once
// The writer seat of one console target: one writer, any number of read-only spectators,
// honest takeover, release. I/O-free: the daemon calls it under its own lock, passes the
// time, and forwards the events it returns (in-band notices, audit records, the target's
// logout sequence). Nothing here reads a clock or a socket.
//
// Rules (docs/console-protocol.md):
// - A reader is always a spectator. A contributor or owner who asks to write gets the seat
//   when it is free.
// - When the seat is held, one who asks with takeover (and takeover is allowed) gets it:
//   the previous writer is told who took over and when, and drops to spectator or is
//   disconnected (`OnTakeover`). Without takeover (or when it is not allowed) the newcomer
//   joins as a spectator and may ask again later.
// - The seat changing hands, or its holder releasing it or leaving, is a `logout_due`
//   event: the daemon sends the target's logout sequence, so nobody inherits a shell.

#include <chrono>
#include <comredir/console/roles.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::console {

using Clock = std::chrono::system_clock;
using ClientId = std::uint64_t;

enum class Seat { writer, spectator };
std::string_view to_string(Seat s);

/// What happens to a writer whose seat is taken over.
enum class OnTakeover { spectate, disconnect };

enum class SeatEventKind {
    attached,       ///< `client` joined with `seat`
    refused_write,  ///< `client` asked to write and got a spectator seat: `reason`
    took_over,      ///< `client` took the seat from `other`
    lost_seat,      ///< `client` lost the seat to `other` and is now a spectator
    disconnect,     ///< the daemon must disconnect `client` (`reason`)
    released,       ///< `client` gave the seat up and is now a spectator
    detached,       ///< `client` left (`reason`)
    logout_due,     ///< the seat changed hands or was left: send the logout sequence
};
std::string_view to_string(SeatEventKind k);

struct SeatEvent {
    SeatEventKind kind = SeatEventKind::attached;
    ClientId client = 0;
    std::string user;
    std::optional<ClientId> other;  ///< took_over / lost_seat: the other side
    std::string other_user;
    Seat seat = Seat::spectator;  ///< attached: the seat given
    std::string reason;           ///< one lowercase line
    Clock::time_point time{};
    bool operator==(const SeatEvent&) const = default;
};

struct SeatRules {
    bool allow_takeover = true;  ///< policy AllowTakeover (comredir.admx), default on
    OnTakeover on_takeover = OnTakeover::spectate;
};

struct AttachRequest {
    ClientId client = 0;
    std::string user;
    Role role = Role::reader;
    bool want_write = true;  ///< false: `--read-only`
    bool takeover = false;   ///< take the seat if someone holds it
};

class SeatArbiter {
  public:
    explicit SeatArbiter(SeatRules rules = {}) : rules_(rules) {}

    /// A client joins. A client id already attached is refused (nullopt and no change).
    std::optional<std::vector<SeatEvent>> attach(const AttachRequest& req, Clock::time_point now);
    /// An attached spectator asks for the seat (with takeover when it is held).
    std::vector<SeatEvent> request_write(ClientId client, bool takeover, Clock::time_point now);
    /// The writer gives the seat up and stays as a spectator; nothing for anyone else.
    std::vector<SeatEvent> release(ClientId client, Clock::time_point now);
    /// A client leaves (`reason`: left, idle, shutdown, policy, ...).
    std::vector<SeatEvent> detach(ClientId client, std::string_view reason, Clock::time_point now);

    bool can_write(ClientId client) const { return writer_ && *writer_ == client; }
    std::optional<ClientId> writer() const { return writer_; }
    std::optional<Seat> seat_of(ClientId client) const;
    std::size_t attached() const { return clients_.size(); }
    const SeatRules& rules() const { return rules_; }
    void set_rules(SeatRules rules) { rules_ = rules; }

  private:
    struct Client {
        ClientId id = 0;
        std::string user;
        Role role = Role::reader;
    };
    const Client* find(ClientId id) const;
    std::vector<SeatEvent> claim(const Client& c, bool takeover, Clock::time_point now);

    SeatRules rules_;
    std::vector<Client> clients_;  ///< in attach order
    std::optional<ClientId> writer_;
};

}  // namespace comredir::console
