#include <algorithm>
#include <comredir/console/seat.hpp>

namespace comredir::console {

std::string_view to_string(Seat s) {
    return s == Seat::writer ? "writer" : "spectator";
}

std::string_view to_string(SeatEventKind k) {
    switch (k) {
        case SeatEventKind::attached:
            return "attached";
        case SeatEventKind::refused_write:
            return "refused_write";
        case SeatEventKind::took_over:
            return "took_over";
        case SeatEventKind::lost_seat:
            return "lost_seat";
        case SeatEventKind::disconnect:
            return "disconnect";
        case SeatEventKind::released:
            return "released";
        case SeatEventKind::detached:
            return "detached";
        case SeatEventKind::logout_due:
            return "logout_due";
    }
    return "?";
}

namespace {

SeatEvent event(SeatEventKind kind, ClientId client, std::string user, Clock::time_point now) {
    SeatEvent e;
    e.kind = kind;
    e.client = client;
    e.user = std::move(user);
    e.time = now;
    return e;
}

}  // namespace

const SeatArbiter::Client* SeatArbiter::find(ClientId id) const {
    auto it =
        std::find_if(clients_.begin(), clients_.end(), [&](const Client& c) { return c.id == id; });
    return it == clients_.end() ? nullptr : &*it;
}

std::optional<Seat> SeatArbiter::seat_of(ClientId client) const {
    if (find(client) == nullptr) return std::nullopt;
    return can_write(client) ? Seat::writer : Seat::spectator;
}

std::vector<SeatEvent> SeatArbiter::claim(const Client& c, bool takeover, Clock::time_point now) {
    std::vector<SeatEvent> out;
    if (c.role == Role::reader) {
        auto e = event(SeatEventKind::refused_write, c.id, c.user, now);
        e.reason = "role `reader` is read-only";
        out.push_back(std::move(e));
        return out;
    }
    if (!writer_) {
        writer_ = c.id;
        return out;
    }
    if (*writer_ == c.id) return out;
    const Client holder = *find(*writer_);  // a copy: a disconnect below removes it
    if (!takeover || !rules_.allow_takeover) {
        auto e = event(SeatEventKind::refused_write, c.id, c.user, now);
        e.other = holder.id;
        e.other_user = holder.user;
        e.reason = !takeover ? "the seat is held by `" + holder.user + "`: ask with takeover"
                             : "the seat is held by `" + holder.user +
                                   "` and takeover is off (policy `AllowTakeover`)";
        out.push_back(std::move(e));
        return out;
    }
    writer_ = c.id;
    auto took = event(SeatEventKind::took_over, c.id, c.user, now);
    took.other = holder.id;
    took.other_user = holder.user;
    out.push_back(std::move(took));
    if (rules_.on_takeover == OnTakeover::spectate) {
        auto lost = event(SeatEventKind::lost_seat, holder.id, holder.user, now);
        lost.other = c.id;
        lost.other_user = c.user;
        out.push_back(std::move(lost));
    } else {
        auto gone = event(SeatEventKind::disconnect, holder.id, holder.user, now);
        gone.other = c.id;
        gone.other_user = c.user;
        gone.reason = "the seat was taken over by `" + c.user + "`";
        out.push_back(std::move(gone));
        std::erase_if(clients_, [&](const Client& x) { return x.id == holder.id; });
    }
    auto logout = event(SeatEventKind::logout_due, c.id, c.user, now);
    logout.reason = "the seat passed from `" + holder.user + "` to `" + c.user + "`";
    out.push_back(std::move(logout));
    return out;
}

std::optional<std::vector<SeatEvent>> SeatArbiter::attach(const AttachRequest& req,
                                                          Clock::time_point now) {
    if (find(req.client) != nullptr) return std::nullopt;
    clients_.push_back({req.client, req.user, req.role});
    const Client c = clients_.back();
    std::vector<SeatEvent> rest;
    if (req.want_write) rest = claim(c, req.takeover, now);
    auto attached = event(SeatEventKind::attached, c.id, c.user, now);
    attached.seat = can_write(c.id) ? Seat::writer : Seat::spectator;
    std::vector<SeatEvent> out{std::move(attached)};
    out.insert(out.end(), std::make_move_iterator(rest.begin()),
               std::make_move_iterator(rest.end()));
    return out;
}

std::vector<SeatEvent> SeatArbiter::request_write(ClientId client, bool takeover,
                                                  Clock::time_point now) {
    const Client* c = find(client);
    if (c == nullptr) return {};
    return claim(Client(*c), takeover, now);
}

std::vector<SeatEvent> SeatArbiter::release(ClientId client, Clock::time_point now) {
    if (!can_write(client)) return {};
    const Client c = *find(client);
    writer_.reset();
    std::vector<SeatEvent> out;
    out.push_back(event(SeatEventKind::released, c.id, c.user, now));
    auto logout = event(SeatEventKind::logout_due, c.id, c.user, now);
    logout.reason = "`" + c.user + "` released the seat";
    out.push_back(std::move(logout));
    return out;
}

std::vector<SeatEvent> SeatArbiter::detach(ClientId client, std::string_view reason,
                                           Clock::time_point now) {
    const Client* found = find(client);
    if (found == nullptr) return {};
    const Client c = *found;
    const bool was_writer = can_write(client);
    std::erase_if(clients_, [&](const Client& x) { return x.id == client; });
    std::vector<SeatEvent> out;
    auto left = event(SeatEventKind::detached, c.id, c.user, now);
    left.reason = std::string(reason);
    out.push_back(std::move(left));
    if (was_writer) {
        writer_.reset();
        auto logout = event(SeatEventKind::logout_due, c.id, c.user, now);
        logout.reason = "`" + c.user + "` left the seat (" + std::string(reason) + ")";
        out.push_back(std::move(logout));
    }
    return out;
}

}  // namespace comredir::console
