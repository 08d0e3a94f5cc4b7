#pragma once
// One console target's room: everyone attached to it, glued to the parts of this folder —
// the writer seat (seat.hpp), the writer's paced input (input.hpp), each user's idle timer
// (idle.hpp), the replay and the per-client output queues (output.hpp) — and turned into
// what the daemon must do: control messages and terminal bytes for each client, bytes for
// the target, target commands (NMI, restart, Break), disconnects and audit records.
// I/O-free: the daemon calls in with the time, then drains (`take_*`). The messages are the
// protocol's (docs/console-protocol.md).

#include <chrono>
#include <comredir/console/idle.hpp>
#include <comredir/console/input.hpp>
#include <comredir/console/output.hpp>
#include <comredir/console/protocol.hpp>
#include <comredir/console/roles.hpp>
#include <comredir/console/seat.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::console {

/// The time, twice: `mono` drives timers and pacing, `wall` is what people are told.
struct Now {
    std::chrono::steady_clock::time_point mono;
    Clock::time_point wall;
};

struct RoomSettings {
    std::string target;  ///< its name in the config
    std::string type;    ///< `serial`, `qemu`, `redirected`
    bool windows_sac = false;
    SeatRules seat;
    std::uint32_t baud = 0;  ///< 0: no pacing (a pty or a socket)
    std::uint32_t paste_limit = 2048;
    std::chrono::seconds idle_timeout{30 * 60};                ///< 0: off
    std::string idle_setting = "policy `IdleTimeoutMinutes`";  ///< what set it, for notices
    std::size_t replay_bytes = kDefaultReplayBytes;
    std::size_t client_queue = kDefaultClientQueue;
    std::string logout_sequence;  ///< sent when the seat changes hands or is left; empty: none
    bool nmi = false;             ///< the target can take an NMI
    bool restart = false;         ///< the target can be reset
    bool brk = true;              ///< the target can send a Break
};

struct Attendee {
    ClientId id = 0;
    std::string user;
    std::string address;
    Role role = Role::reader;
    bool want_write = true;
    bool takeover = false;
};

/// An audit record without its time (the daemon stamps it and writes the line).
struct RoomAudit {
    std::string event;  ///< `console_attach`, `console_takeover`, ...
    std::string user;
    std::string address;
    std::string reason;
    nlohmann::json detail = nlohmann::json::object();
};

struct Disconnect {
    ClientId client = 0;
    std::string code;                 ///< `taken_over`, `idle`, `slow`, `shutdown`, `policy`
    std::vector<std::string> finals;  ///< control messages to send before closing
    std::string text;                 ///< one line: the close frame's reason
};

enum class CommandKind { nmi, restart, send_break };
std::string_view to_string(CommandKind k);

struct TargetCommand {
    CommandKind kind = CommandKind::send_break;
    ClientId client = 0;
    std::string user;
    std::uint32_t ms = 0;  ///< send_break
};

struct MemberStatus {
    std::string user;
    std::string address;
    Role role = Role::reader;
    Seat seat = Seat::spectator;
    std::int64_t attached_ms = 0;  ///< since the epoch
    std::int64_t idle_seconds = 0;
};

class Room {
  public:
    explicit Room(RoomSettings settings);

    /// A client joins: `hello`, then the replay, then whatever the seat says. False (no
    /// change) when the id is already attached.
    bool attach(const Attendee& who, Now now);
    /// A client went away (`reason`: `left`, ...). Nothing for it is sent any more.
    void detach(ClientId client, std::string_view reason, Now now);
    /// Terminal bytes from a client (one binary frame).
    void input(ClientId client, std::span<const std::uint8_t> bytes, Now now);
    void control(ClientId client, const ControlMessage& message, Now now);
    /// A text frame that did not parse: a notice to its sender, who stays.
    void bad_control(ClientId client, std::string_view error, Now now);
    /// Bytes from the target.
    void output(std::span<const std::uint8_t> bytes, Now now);
    /// Idle timers: warnings and disconnects due by now.
    void tick(Now now);
    /// A target command finished (`ok` false: `text` says why).
    void command_done(const TargetCommand& command, bool ok, std::string_view text, Now now);
    /// A notice for everyone attached (`target_closed`, `target_open`, ...).
    void broadcast(std::string_view code, std::string_view level, std::string_view text);
    /// The policy's current values: for everyone who attaches from now on (and the seat
    /// rules and paste limit at once for everyone).
    void set_policy(SeatRules seat, std::uint32_t paste_limit, std::chrono::seconds idle_timeout,
                    std::string idle_setting);
    /// Everyone leaves (`code` `shutdown` or `policy`), each told `text`.
    void evict_all(std::string_view code, std::string_view text, Now now);

    /// Control messages for `client`, in order (send them before its output).
    std::vector<std::string> take_texts(ClientId client);
    /// Up to `max` bytes of output for `client` (none while it has paused).
    std::vector<std::uint8_t> take_output(ClientId client, std::size_t max);
    /// Bytes for the target that the line may take now.
    std::vector<std::uint8_t> take_target_input(Now now);
    std::vector<Disconnect> take_disconnects();
    std::vector<TargetCommand> take_commands();
    std::vector<RoomAudit> take_audit();
    /// When to call tick / take_target_input next; nullopt: nothing pending.
    std::optional<std::chrono::steady_clock::time_point> next_wakeup(Now now) const;

    bool has_pending(ClientId client) const;
    std::vector<ClientId> members() const;
    std::vector<MemberStatus> status(Now now) const;
    std::optional<std::string> writer_user() const;
    std::int64_t writer_since_ms() const;
    const RoomSettings& settings() const { return settings_; }

  private:
    struct Member {
        Attendee who;
        IdleTimer idle;
        Clock::time_point attached;
        std::chrono::steady_clock::time_point last_input;
        bool paste_next = false;
        bool paused = false;
        std::optional<std::chrono::steady_clock::time_point> last_read_only_notice;
        std::vector<std::string> texts;
    };
    Member* find(ClientId id);
    const Member* find(ClientId id) const;
    void notice(ClientId client, std::string_view code, std::string_view level,
                std::string_view text, nlohmann::json extra = nlohmann::json::object());
    void audit(std::string event, const Attendee& who, std::string reason,
               nlohmann::json detail = nlohmann::json::object());
    void apply(const std::vector<SeatEvent>& events, Now now);
    void after_seat_change(std::optional<ClientId> before, Now now);
    void remove(ClientId client, std::string_view code, std::string_view text, Now now,
                bool seat_already_gone = false);
    void flow_to_writer();
    nlohmann::json seat_json(ClientId client) const;
    nlohmann::json hello(const Member& m) const;

    RoomSettings settings_;
    SeatArbiter arbiter_;
    InputPacer pacer_;
    ReplayBuffer replay_;
    Fanout fanout_;
    std::map<ClientId, Member> members_;
    Clock::time_point writer_since_{};
    bool writer_paused_ = false;
    std::vector<Disconnect> disconnects_;
    std::vector<TargetCommand> commands_;
    std::vector<RoomAudit> audit_;
};

}  // namespace comredir::console
