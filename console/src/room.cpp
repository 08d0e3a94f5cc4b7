#include <algorithm>
#include <comredir/console/room.hpp>
#include <cstdio>

namespace comredir::console {

using json = nlohmann::json;
using Mono = std::chrono::steady_clock;

std::string_view to_string(CommandKind k) {
    switch (k) {
        case CommandKind::nmi:
            return "nmi";
        case CommandKind::restart:
            return "restart";
        case CommandKind::send_break:
            return "break";
    }
    return "?";
}

namespace {

/// Input notices for a spectator come at most this often.
constexpr std::chrono::seconds kReadOnlyNoticeEvery{5};

std::int64_t epoch_ms(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

/// `12:00:05 UTC`: the time of day people are told in notices (the date is in `at`).
std::string time_of_day(Clock::time_point t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d UTC", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string q(std::string_view s) {
    return "`" + std::string(s) + "`";
}

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Room::Room(RoomSettings settings)
    : settings_(std::move(settings)),
      arbiter_(settings_.seat),
      pacer_(settings_.baud, settings_.paste_limit),
      replay_(settings_.replay_bytes),
      fanout_(settings_.client_queue) {}

Room::Member* Room::find(ClientId id) {
    auto it = members_.find(id);
    return it == members_.end() ? nullptr : &it->second;
}

const Room::Member* Room::find(ClientId id) const {
    auto it = members_.find(id);
    return it == members_.end() ? nullptr : &it->second;
}

void Room::notice(ClientId client, std::string_view code, std::string_view level,
                  std::string_view text, json extra) {
    Member* m = find(client);
    if (m == nullptr) return;
    json j = {{"type", "notice"}, {"code", code}, {"level", level}, {"text", text}};
    for (auto& [k, v] : extra.items()) j[k] = v;
    m->texts.push_back(dump(j));
}

void Room::audit(std::string event, const Attendee& who, std::string reason, json detail) {
    RoomAudit a;
    a.event = std::move(event);
    a.user = who.user;
    a.address = who.address;
    a.reason = std::move(reason);
    a.detail = std::move(detail);
    a.detail["target"] = settings_.target;
    audit_.push_back(std::move(a));
}

json Room::seat_json(ClientId client) const {
    json writer = nullptr;
    if (auto w = arbiter_.writer()) {
        const Member* m = find(*w);
        if (m != nullptr) writer = {{"user", m->who.user}, {"since", epoch_ms(writer_since_)}};
    }
    const std::size_t spectators = members_.size() - (arbiter_.writer() ? 1 : 0);
    return {{"type", "seat"},
            {"seat", to_string(arbiter_.can_write(client) ? Seat::writer : Seat::spectator)},
            {"writer", writer},
            {"spectators", spectators}};
}

json Room::hello(const Member& m) const {
    const bool can_write = m.who.role != Role::reader;
    const bool owner = m.who.role == Role::owner;
    json j = seat_json(m.who.id);
    j["type"] = "hello";
    j["protocol"] = 1;
    j["target"] = {{"name", settings_.target},
                   {"type", settings_.type},
                   {"windowsSac", settings_.windows_sac}};
    j["user"] = m.who.user;
    j["role"] = to_string(m.who.role);
    j["limits"] = {{"pasteChars", settings_.paste_limit},
                   {"idleSeconds", settings_.idle_timeout.count()},
                   {"idleWarnSeconds", m.idle.warn_before().count()},
                   {"baud", settings_.baud},
                   {"replayBytes", settings_.replay_bytes}};
    j["can"] = {{"write", can_write},
                {"takeover", can_write && settings_.seat.allow_takeover},
                {"nmi", owner && settings_.nmi},
                {"restart", owner && settings_.restart},
                {"break", can_write && settings_.brk}};
    return j;
}

bool Room::attach(const Attendee& who, Now now) {
    if (members_.count(who.id) != 0) return false;
    const auto before = arbiter_.writer();
    Member m{who, IdleTimer(settings_.idle_timeout, now.mono), now.wall, now.mono, {}, {}, {}, {}};
    members_.emplace(who.id, std::move(m));
    fanout_.add(who.id, replay_.snapshot());
    const auto events =
        arbiter_.attach({who.id, who.user, who.role, who.want_write, who.takeover}, now.wall);
    if (!events) return false;  // not reached: the member map and the arbiter agree
    if (arbiter_.can_write(who.id)) writer_since_ = now.wall;
    // `hello` first, then what the seat events say.
    find(who.id)->texts.push_back(dump(hello(*find(who.id))));
    apply(*events, now);
    after_seat_change(before, now);
    return true;
}

void Room::apply(const std::vector<SeatEvent>& events, Now now) {
    for (const SeatEvent& e : events) {
        Member* m = find(e.client);
        switch (e.kind) {
            case SeatEventKind::attached:
                if (m != nullptr)
                    audit("console_attach", m->who, "",
                          {{"role", to_string(m->who.role)}, {"seat", to_string(e.seat)}});
                break;
            case SeatEventKind::refused_write:
                notice(e.client, "seat_refused", "info", "you are a spectator: " + e.reason);
                break;
            case SeatEventKind::took_over:
                writer_since_ = now.wall;
                notice(e.client, "took_over", "info",
                       "you took over the console from " + q(e.other_user),
                       {{"from", e.other_user}});
                if (m != nullptr)
                    audit("console_takeover", m->who, "", {{"from", e.other_user}, {"to", e.user}});
                break;
            case SeatEventKind::lost_seat:
                notice(e.client, "taken_over", "warning",
                       q(e.other_user) + " took over the console at " + time_of_day(e.time) +
                           "; you are now a spectator",
                       {{"by", e.other_user}, {"at", epoch_ms(e.time)}});
                break;
            case SeatEventKind::disconnect:
                if (m != nullptr) {
                    notice(e.client, "taken_over", "warning",
                           q(e.other_user) + " took over the console at " + time_of_day(e.time) +
                               "; you are disconnected (onTakeover `disconnect`)",
                           {{"by", e.other_user}, {"at", epoch_ms(e.time)}});
                    remove(e.client, "taken_over", e.reason, now, true);
                }
                break;
            case SeatEventKind::released:
                notice(e.client, "released", "info", "you released the seat; you are a spectator");
                if (m != nullptr) audit("console_release", m->who, "");
                break;
            case SeatEventKind::detached:
                break;  // the caller audits a detach with its reason
            case SeatEventKind::logout_due:
                if (!settings_.logout_sequence.empty()) {
                    const auto* p =
                        reinterpret_cast<const std::uint8_t*>(settings_.logout_sequence.data());
                    pacer_.enqueue({p, settings_.logout_sequence.size()}, now.mono);
                    RoomAudit a;
                    a.event = "console_logout_sent";
                    a.reason = e.reason;
                    a.detail = {{"target", settings_.target},
                                {"bytes", settings_.logout_sequence.size()}};
                    audit_.push_back(std::move(a));
                }
                break;
        }
    }
}

void Room::after_seat_change(std::optional<ClientId> before, Now now) {
    const auto after = arbiter_.writer();
    if (after && after != before) writer_since_ = now.wall;
    for (auto& [id, m] : members_) m.texts.push_back(dump(seat_json(id)));
}

void Room::remove(ClientId client, std::string_view code, std::string_view text, Now now,
                  bool seat_already_gone) {
    Member* m = find(client);
    if (m == nullptr) return;
    const auto before = arbiter_.writer();
    if (!seat_already_gone) apply(arbiter_.detach(client, code, now.wall), now);
    m = find(client);  // apply() may have queued texts for it: it is still a member
    Disconnect d;
    d.client = client;
    d.code = std::string(code);
    d.text = std::string(text);
    d.finals = std::move(m->texts);
    audit("console_detach", m->who, std::string(text), {{"cause", code}});
    fanout_.remove(client);
    members_.erase(client);
    disconnects_.push_back(std::move(d));
    // A takeover's caller tells everyone once, after all of its events.
    if (!seat_already_gone) after_seat_change(before, now);
}

void Room::detach(ClientId client, std::string_view reason, Now now) {
    Member* m = find(client);
    if (m == nullptr) return;
    const auto before = arbiter_.writer();
    apply(arbiter_.detach(client, reason, now.wall), now);
    m = find(client);
    audit("console_detach", m->who, "", {{"cause", reason}});
    fanout_.remove(client);
    members_.erase(client);
    after_seat_change(before, now);
}

void Room::input(ClientId client, std::span<const std::uint8_t> bytes, Now now) {
    Member* m = find(client);
    if (m == nullptr || bytes.empty()) return;
    m->idle.input(now.mono);
    m->last_input = now.mono;
    const bool paste = m->paste_next;
    m->paste_next = false;
    if (!arbiter_.can_write(client)) {
        if (!m->last_read_only_notice ||
            now.mono - *m->last_read_only_notice >= kReadOnlyNoticeEvery) {
            m->last_read_only_notice = now.mono;
            const auto w = writer_user();
            notice(client, "read_only", "info",
                   m->who.role == Role::reader
                       ? std::string("input dropped: role `reader` is read-only")
                       : "input dropped: you are a spectator" +
                             (w ? "; " + q(*w) + " holds the seat (take over to type)"
                                : std::string("; the seat is free (request it to type)")));
        }
        return;
    }
    const InputOffer offer = pacer_.offer(bytes, paste, now.mono);
    switch (offer.verdict) {
        case InputVerdict::accepted:
            break;
        case InputVerdict::too_long:
        case InputVerdict::paste_off:
            notice(client, "paste_refused", "warning", offer.notice,
                   {{"chars", offer.chars}, {"limit", settings_.paste_limit}});
            audit("console_paste_refused", m->who, offer.notice,
                  {{"chars", offer.chars}, {"limit", settings_.paste_limit}});
            return;
        case InputVerdict::busy:
            notice(client, "busy", "warning", offer.notice, {{"chars", offer.chars}});
            return;
    }
    flow_to_writer();
}

void Room::flow_to_writer() {
    const auto w = arbiter_.writer();
    if (!w) return;
    const std::size_t q = pacer_.queued();
    if (!writer_paused_ && q >= kMaxQueued / 2) {
        writer_paused_ = true;
        if (Member* m = find(*w)) m->texts.push_back(dump({{"type", "pause"}, {"queued", q}}));
    } else if (writer_paused_ && q <= kMaxQueued / 4) {
        writer_paused_ = false;
        if (Member* m = find(*w)) m->texts.push_back(dump({{"type", "resume"}, {"queued", q}}));
    }
}

void Room::control(ClientId client, const ControlMessage& message, Now now) {
    Member* m = find(client);
    if (m == nullptr) return;
    const bool owner = m->who.role == Role::owner;
    switch (message.type) {
        case ControlType::takeover:
        case ControlType::request: {
            m->idle.input(now.mono);
            if (m->who.role == Role::reader) {
                notice(client, "seat_refused", "info",
                       "you are a spectator: role `reader` is read-only");
                return;
            }
            if (arbiter_.can_write(client)) {
                notice(client, "seat_granted", "info", "you already hold the seat");
                return;
            }
            const auto before = arbiter_.writer();
            apply(arbiter_.request_write(client, message.type == ControlType::takeover, now.wall),
                  now);
            if (arbiter_.can_write(client) && !before)
                notice(client, "seat_granted", "info",
                       "you hold the seat: your input goes to the target");
            if (arbiter_.writer() != before) after_seat_change(before, now);
            return;
        }
        case ControlType::release: {
            m->idle.input(now.mono);
            if (!arbiter_.can_write(client)) {
                notice(client, "not_writer", "info", "you do not hold the seat");
                return;
            }
            const auto before = arbiter_.writer();
            apply(arbiter_.release(client, now.wall), now);
            after_seat_change(before, now);
            return;
        }
        case ControlType::paste:
            m->paste_next = true;
            return;
        case ControlType::nmi:
        case ControlType::restart: {
            m->idle.input(now.mono);
            const bool nmi = message.type == ControlType::nmi;
            const std::string what = nmi ? "nmi" : "restart";
            const bool supported = nmi ? settings_.nmi : settings_.restart;
            std::string refusal;
            if (!owner)
                refusal = what + " refused: role " + q(to_string(m->who.role)) + " (only `owner`)";
            else if (!supported)
                refusal = what + " refused: target " + q(settings_.target) + " (" + settings_.type +
                          ") has no " + (nmi ? "NMI" : "reset") + " (only `qemu` targets)";
            if (!refusal.empty()) {
                notice(client, "refused", "warning", refusal, {{"request", what}});
                audit(nmi ? "console_nmi" : "console_restart", m->who, refusal, {{"ok", false}});
                return;
            }
            commands_.push_back(
                {nmi ? CommandKind::nmi : CommandKind::restart, client, m->who.user, 0});
            return;
        }
        case ControlType::brk:
            m->idle.input(now.mono);
            if (!arbiter_.can_write(client)) {
                notice(client, "refused", "info",
                       "break refused: only the seat's holder may send one",
                       {{"request", "break"}});
                return;
            }
            if (!settings_.brk) {
                notice(client, "refused", "info",
                       "break refused: target " + q(settings_.target) + " cannot send one",
                       {{"request", "break"}});
                return;
            }
            commands_.push_back({CommandKind::send_break, client, m->who.user, message.ms});
            return;
        case ControlType::pause:
            m->paused = true;
            return;
        case ControlType::resume:
            m->paused = false;
            return;
    }
}

void Room::bad_control(ClientId client, std::string_view error, Now /*now*/) {
    notice(client, "bad_message", "warning", std::string(error) + "; it was ignored");
}

void Room::output(std::span<const std::uint8_t> bytes, Now now) {
    if (bytes.empty()) return;
    replay_.append(bytes);
    const auto dropped = fanout_.push(bytes);
    for (ClientId c : dropped) {
        const std::string text = "dropped: more than " +
                                 std::to_string(settings_.client_queue / 1024) +
                                 " KiB of output were waiting for this connection";
        notice(c, "slow", "error", text);
        // fanout_ already forgot it; remove() forgets it again harmlessly.
        remove(c, "slow", text, now);
    }
}

void Room::tick(Now now) {
    std::vector<ClientId> expired;
    for (auto& [id, m] : members_) {
        switch (m.idle.poll(now.mono)) {
            case IdleState::active:
                break;
            case IdleState::warn: {
                const auto left = m.idle.warn_before().count();
                m.texts.push_back(
                    dump({{"type", "notice"},
                          {"code", "idle_warning"},
                          {"level", "warning"},
                          {"seconds", left},
                          {"text", "no input for a while: disconnecting in " +
                                       std::to_string(left) + " s unless you type"}}));
                break;
            }
            case IdleState::expired:
                expired.push_back(id);
                break;
        }
    }
    for (ClientId id : expired) {
        const std::string text = "disconnected: no input for " +
                                 std::to_string(settings_.idle_timeout.count()) + " s (" +
                                 settings_.idle_setting + ")";
        notice(id, "idle", "warning", text);
        remove(id, "idle", text, now);
    }
}

void Room::command_done(const TargetCommand& command, bool ok, std::string_view text, Now /*now*/) {
    const std::string what(to_string(command.kind));
    if (Member* m = find(command.client)) {
        notice(command.client, ok ? "done" : "failed", ok ? "info" : "error", text,
               {{"request", what}});
        if (command.kind != CommandKind::send_break)
            audit("console_" + what, m->who, ok ? "" : std::string(text), {{"ok", ok}});
        else
            audit("console_break", m->who, ok ? "" : std::string(text),
                  {{"ok", ok}, {"ms", command.ms}});
    }
}

void Room::broadcast(std::string_view code, std::string_view level, std::string_view text) {
    for (auto& [id, m] : members_) notice(id, code, level, text);
}

void Room::set_policy(SeatRules seat, std::uint32_t paste_limit, std::chrono::seconds idle_timeout,
                      std::string idle_setting) {
    settings_.idle_setting = std::move(idle_setting);
    settings_.seat = seat;
    settings_.paste_limit = paste_limit;
    settings_.idle_timeout = idle_timeout;
    arbiter_.set_rules(seat);
    pacer_.set_paste_limit(paste_limit);
}

void Room::evict_all(std::string_view code, std::string_view text, Now now) {
    std::vector<ClientId> ids;
    for (const auto& [id, m] : members_) ids.push_back(id);
    for (ClientId id : ids) {
        notice(id, code, "error", text);
        remove(id, code, text, now);
    }
}

std::vector<std::string> Room::take_texts(ClientId client) {
    Member* m = find(client);
    if (m == nullptr) return {};
    return std::exchange(m->texts, {});
}

std::vector<std::uint8_t> Room::take_output(ClientId client, std::size_t max) {
    const Member* m = find(client);
    if (m == nullptr || m->paused) return {};
    return fanout_.take(client, max);
}

std::vector<std::uint8_t> Room::take_target_input(Now now) {
    auto bytes = pacer_.take(now.mono);
    if (!bytes.empty()) flow_to_writer();
    return bytes;
}

std::vector<Disconnect> Room::take_disconnects() {
    return std::exchange(disconnects_, {});
}

std::vector<TargetCommand> Room::take_commands() {
    return std::exchange(commands_, {});
}

std::vector<RoomAudit> Room::take_audit() {
    return std::exchange(audit_, {});
}

std::optional<Mono::time_point> Room::next_wakeup(Now now) const {
    std::optional<Mono::time_point> out = pacer_.next_due(now.mono);
    for (const auto& [id, m] : members_) {
        if (auto t = m.idle.next_check()) out = out ? std::min(*out, *t) : *t;
    }
    return out;
}

bool Room::has_pending(ClientId client) const {
    const Member* m = find(client);
    if (m == nullptr) return false;
    return !m->texts.empty() || (!m->paused && fanout_.queued(client) > 0);
}

std::vector<ClientId> Room::members() const {
    std::vector<ClientId> out;
    for (const auto& [id, m] : members_) out.push_back(id);
    return out;
}

std::vector<MemberStatus> Room::status(Now now) const {
    std::vector<MemberStatus> out;
    for (const auto& [id, m] : members_) {
        MemberStatus s;
        s.user = m.who.user;
        s.address = m.who.address;
        s.role = m.who.role;
        s.seat = arbiter_.can_write(id) ? Seat::writer : Seat::spectator;
        s.attached_ms = epoch_ms(m.attached);
        s.idle_seconds =
            std::chrono::duration_cast<std::chrono::seconds>(now.mono - m.last_input).count();
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<std::string> Room::writer_user() const {
    if (auto w = arbiter_.writer()) {
        if (const Member* m = find(*w)) return m->who.user;
    }
    return std::nullopt;
}

std::int64_t Room::writer_since_ms() const {
    return arbiter_.writer() ? epoch_ms(writer_since_) : 0;
}

}  // namespace comredir::console
