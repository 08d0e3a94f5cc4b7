#include "gateway.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <comredir/host/log.hpp>
#include <comredir/host/rfc3339.hpp>

#include "switches.hpp"

namespace comredir::console::daemon {

namespace asio = boost::asio;
using json = nlohmann::json;
using boost::system::error_code;

std::vector<std::string> unix_groups(const std::string& user) {
    std::vector<std::string> out;
    std::vector<char> buf(16384);
    passwd pw{};
    passwd* found = nullptr;
    if (getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr)
        return out;
    int n = 64;
    std::vector<gid_t> gids(static_cast<std::size_t>(n));
    if (getgrouplist(user.c_str(), pw.pw_gid, gids.data(), &n) < 0) {
        gids.resize(static_cast<std::size_t>(n));
        if (getgrouplist(user.c_str(), pw.pw_gid, gids.data(), &n) < 0) return out;
    }
    gids.resize(static_cast<std::size_t>(n));
    for (gid_t g : gids) {
        group gr{};
        group* got = nullptr;
        std::vector<char> gbuf(16384);
        if (getgrgid_r(g, &gr, gbuf.data(), gbuf.size(), &got) == 0 && got != nullptr)
            out.emplace_back(gr.gr_name);
    }
    return out;
}

struct Gateway::TargetState {
    TargetState(const TargetConfig& c, asio::io_context& loop, asio::thread_pool& workers)
        : config(c), room(RoomSettings{}), wake(loop), reopen(loop), log(c.log) {
        target = make_target(c, loop, workers);
    }
    TargetConfig config;
    Room room;
    std::unique_ptr<Target> target;
    asio::steady_timer wake;
    asio::steady_timer reopen;
    SerialLog log;
    std::map<ClientId, ClientLink*> links;
    std::string closed_reason;  ///< why the device is not open (empty when open)
    bool log_failed = false;
};

Gateway::Gateway(ConsoleConfig config, asio::io_context& loop,
                 std::unique_ptr<host::Authenticator> auth, std::string audit_path)
    : config_(std::move(config)),
      loop_(loop),
      auth_(std::move(auth)),
      audit_path_(std::move(audit_path)),
      sessions_(std::chrono::minutes(config_.session_minutes)) {
    for (const auto& c : config_.targets) {
        auto t = std::make_unique<TargetState>(c, loop_, workers_);
        RoomSettings s;
        s.target = c.name;
        s.type = std::string(to_string(c.type));
        s.windows_sac = c.windows_sac;
        s.seat.on_takeover = config_.on_takeover;
        s.baud = c.type == TargetType::serial ? c.line.baud : 0;
        s.replay_bytes = c.replay_bytes;
        s.logout_sequence = c.logout;
        s.nmi = s.restart = c.type == TargetType::qemu && !c.qmp.empty();
        s.brk = c.type == TargetType::serial;
        t->room = Room(s);
        targets_.emplace(c.name, std::move(t));
    }
}

Gateway::~Gateway() {
    workers_.join();
}

Now Gateway::now() const {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
}

Gateway::TargetState* Gateway::find(std::string_view name) {
    auto it = targets_.find(std::string(name));
    return it == targets_.end() ? nullptr : it->second.get();
}

bool Gateway::has_target(std::string_view name) const {
    return targets_.count(std::string(name)) != 0;
}

std::size_t Gateway::clients() const {
    std::size_t n = 0;
    for (const auto& [name, t] : targets_) n += t->links.size();
    return n;
}

bool Gateway::start(std::string& error) {
    if (!audit_log_.open(audit_path_, error)) return false;
    for (auto& [name, t] : targets_) {
        if (t->log.enabled()) {
            std::string why;
            if (!t->log.open(why)) host::log_warning("target `" + name + "`: serial log: " + why);
        }
        open_target(*t);
    }
    return true;
}

void Gateway::open_target(TargetState& t) {
    if (stopping_) return;
    std::string error;
    TargetState* tp = &t;
    const bool ok = t.target->open(
        [this, tp](std::span<const std::uint8_t> bytes) {
            tp->room.output(bytes, now());
            if (tp->log.enabled() && !tp->log_failed) {
                std::string why;
                if (!tp->log.append(bytes, why)) {
                    tp->log_failed = true;
                    host::log_error("target `" + tp->config.name + "`: serial log stopped: " + why);
                }
            }
            pump(*tp);
        },
        [this, tp](const std::string& reason) {
            tp->closed_reason = reason;
            host::log_warning("target `" + tp->config.name + "` closed: " + reason +
                              "; reopening every 2 s");
            tp->room.broadcast("target_closed", "error",
                               "the target closed (" + reason + "); reconnecting");
            pump(*tp);
            tp->reopen.expires_after(std::chrono::seconds(2));
            tp->reopen.async_wait([this, tp](error_code ec) {
                if (!ec) open_target(*tp);
            });
        },
        error);
    if (ok) {
        const bool was_closed = !t.closed_reason.empty();
        t.closed_reason.clear();
        host::log_info("target `" + t.config.name + "`: " + t.target->describe());
        if (was_closed) {
            t.room.broadcast("target_open", "info", "the target is back");
            pump(t);
        }
        return;
    }
    if (t.closed_reason != error)
        host::log_warning("target `" + t.config.name + "`: " + error + "; retrying every 2 s");
    t.closed_reason = error;
    t.reopen.expires_after(std::chrono::seconds(2));
    t.reopen.async_wait([this, tp](error_code ec) {
        if (!ec) open_target(*tp);
    });
}

void Gateway::schedule(TargetState& t) {
    const auto n = now();
    const auto due = t.room.next_wakeup(n);
    if (!due) return;
    t.wake.expires_at(*due);
    TargetState* tp = &t;
    t.wake.async_wait([this, tp](error_code ec) {
        if (ec) return;
        tp->room.tick(now());
        pump(*tp);
    });
}

void Gateway::pump(TargetState& t) {
    const Now n = now();
    for (const TargetCommand& c : t.room.take_commands()) {
        TargetState* tp = &t;
        t.target->command(c.kind, c.ms, [this, tp, c](bool ok, const std::string& text) {
            tp->room.command_done(c, ok, text, now());
            pump(*tp);
        });
    }
    auto bytes = t.room.take_target_input(n);
    if (!bytes.empty()) t.target->write(std::move(bytes));
    for (const Disconnect& d : t.room.take_disconnects()) {
        auto it = t.links.find(d.client);
        if (it == t.links.end()) continue;
        ClientLink* link = it->second;
        t.links.erase(it);
        link->finish(d);
    }
    for (const RoomAudit& a : t.room.take_audit()) write_audit(a);
    for (auto& [id, link] : t.links) {
        if (t.room.has_pending(id)) link->kick();
    }
    schedule(t);
}

void Gateway::write_audit(const RoomAudit& a) {
    audit(a.event, a.user, a.address, a.reason, a.detail);
}

void Gateway::audit(std::string_view event, std::string_view user, std::string_view address,
                    std::string_view reason, json detail) {
    json j;
    j["time"] = host::rfc3339_utc(std::chrono::system_clock::now());
    j["event"] = event;
    if (detail.contains("target")) {
        j["target"] = detail["target"];
        detail.erase("target");
    }
    if (!user.empty()) j["user"] = user;
    if (!address.empty()) j["client_address"] = address;
    if (!reason.empty()) j["reason"] = reason;
    if (!detail.empty()) j["detail"] = std::move(detail);
    std::string error;
    if (!audit_log_.append(j.dump(-1, ' ', false, json::error_handler_t::replace), error))
        host::log_error("audit: " + error);
}

void Gateway::login(std::string user, std::string password, std::string address,
                    std::function<void(LoginReply)> done) {
    const auto gate = limiter_.check(user, address, std::chrono::steady_clock::now());
    if (!gate.allowed) {
        LoginReply r;
        r.status = 429;
        r.error = "login refused: " + gate.reason;
        r.retry_after = gate.retry_after;
        audit("console_login_failed", user, address, r.error);
        done(std::move(r));
        return;
    }
    asio::post(
        workers_, [this, auth = auth_, user = std::move(user), password = std::move(password),
                   address = std::move(address), done = std::move(done)]() mutable {
            const host::AuthResult result = auth->authenticate(user, password, address);
            // The password leaves memory as soon as it is checked.
            std::fill(password.begin(), password.end(), '\0');
            asio::post(loop_, [this, result, user = std::move(user), address = std::move(address),
                               done = std::move(done)] {
                LoginReply r;
                r.user = user;
                if (result.ok()) {
                    limiter_.succeeded(user);
                    r.session = sessions_.create(user, unix_groups(user), address,
                                                 std::chrono::system_clock::now());
                    audit("console_login", user, address, "");
                } else {
                    r.status = result.outcome == host::AuthOutcome::unavailable ? 503 : 401;
                    r.error = r.status == 503 ? "login failed: the login service is unavailable"
                                              : "login failed: wrong user name or password";
                    if (result.outcome == host::AuthOutcome::rejected)
                        limiter_.failed(user, address, std::chrono::steady_clock::now());
                    audit("console_login_failed", user, address, result.reason);
                }
                done(std::move(r));
            });
        });
}

std::optional<LoginSession> Gateway::session(std::string_view token) {
    return sessions_.find(token, std::chrono::system_clock::now());
}

void Gateway::logout(std::string_view token, const LoginSession& who, const std::string& address) {
    sessions_.end(token);
    audit("console_logout", who.user, address, "");
}

std::optional<std::string> Gateway::off_reason(const TargetState& t, const ConsolePolicy& p) {
    if (!p.enabled) return p.reason;
    if (!t.config.enabled)
        return "target `" + t.config.name + "` is off in " + config_.path + " (`enabled: false`)";
    const Switches s = read_switches(config_.switches_path());
    if (!s.ok) return "every target is off: " + s.error + " (fails closed)";
    if (auto it = s.off.find(t.config.name); it != s.off.end())
        return "target `" + t.config.name + "` was switched off by `" + it->second.by + "` at " +
               it->second.at + " (" + config_.switches_path() + ")";
    return std::nullopt;
}

json Gateway::list(const LoginSession& who) {
    const ConsolePolicy p = read_console_policy(config_);
    const Identity id{who.user, who.groups};
    const Now n = now();
    json out = json::array();
    for (auto& [name, t] : targets_) {
        const RoleDecision role = decide_role(config_.grants, id, name, p.roles);
        // A target the user holds no grant on is not shown; one the policy narrows away is,
        // with the reason (the user may ask an admin).
        if (!role.granted) continue;
        json j = {{"name", name},
                  {"type", to_string(t->config.type)},
                  {"windowsSac", t->config.windows_sac},
                  {"role", role.role ? json(to_string(*role.role)) : json(nullptr)}};
        if (!role.role) j["refusal"] = role.reason;
        const auto off = off_reason(*t, p);
        j["enabled"] = !off.has_value();
        if (off) j["offReason"] = *off;
        j["open"] = t->target->is_open();
        if (!t->closed_reason.empty()) j["closedReason"] = t->closed_reason;
        const auto writer = t->room.writer_user();
        j["writer"] =
            writer ? json{{"user", *writer}, {"since", t->room.writer_since_ms()}} : json(nullptr);
        json members = json::array();
        for (const auto& m : t->room.status(n)) {
            members.push_back({{"user", m.user},
                               {"role", to_string(m.role)},
                               {"seat", to_string(m.seat)},
                               {"address", m.address},
                               {"attached", m.attached_ms},
                               {"idleSeconds", m.idle_seconds}});
        }
        j["attached"] = std::move(members);
        out.push_back(std::move(j));
    }
    return out;
}

SwitchReply Gateway::set_switch(const LoginSession& who, const std::string& target, bool on,
                                const std::string& address) {
    TargetState* t = find(target);
    if (t == nullptr) return {404, "no target is named `" + target + "`"};
    const ConsolePolicy p = read_console_policy(config_);
    const RoleDecision role = decide_role(config_.grants, {who.user, who.groups}, target, p.roles);
    if (role.role != Role::owner) {
        const std::string why = "switching `" + target + "` " + (on ? "on" : "off") +
                                " needs role `owner`: " + role.reason;
        audit(on ? "console_switch_on" : "console_switch_off", who.user, address, why,
              {{"target", target}, {"ok", false}});
        return {403, why};
    }
    const auto w = write_switch(config_.switches_path(), target, on, who.user,
                                std::chrono::system_clock::now());
    if (!w.ok) return {500, w.message};
    if (w.changed)
        audit(on ? "console_switch_on" : "console_switch_off", who.user, address, "",
              {{"target", target}, {"ok", true}});
    if (!on) {
        t->room.evict_all("policy",
                          "target `" + target + "` was switched off by `" + who.user + "`", now());
        pump(*t);
    }
    return {200, w.message};
}

AttachReply Gateway::attach(const LoginSession& who, const std::string& target,
                            const std::string& address, AttachOptions options, ClientLink* link) {
    AttachReply r;
    const auto refuse = [&](std::string code, std::string why) {
        r.code = std::move(code);
        r.refusal = std::move(why);
        audit("console_refused", who.user, address, r.refusal,
              {{"target", target}, {"cause", r.code}});
        return r;
    };
    TargetState* t = find(target);
    if (t == nullptr) return refuse("no_target", "no target is named `" + target + "`");
    if (stopping_) return refuse("shutdown", "the gateway is shutting down");
    const ConsolePolicy p = read_console_policy(config_);
    for (const auto& note : p.notes) host::log_warning("policy: " + note);
    if (auto off = off_reason(*t, p)) return refuse(p.enabled ? "off" : "policy", *off);
    const RoleDecision role = decide_role(config_.grants, {who.user, who.groups}, target, p.roles);
    if (!role.role) return refuse("no_role", role.reason);
    if (clients() >= config_.max_clients)
        return refuse("full", "the gateway serves " + std::to_string(config_.max_clients) +
                                  " connections already (`maxClients`)");
    auto idle = p.idle_timeout;
    std::string idle_setting = "policy `IdleTimeoutMinutes`";
    const std::chrono::seconds mine(t->config.idle_timeout_seconds);
    if (mine.count() > 0 && (idle.count() == 0 || mine < idle)) {
        idle = mine;
        idle_setting = "`idleTimeoutSeconds` of target `" + target + "`";
    }
    t->room.set_policy({p.seat.allow_takeover, config_.on_takeover}, p.paste_limit, idle,
                       std::move(idle_setting));
    Attendee a;
    a.id = next_id_++;
    a.user = who.user;
    a.address = address;
    a.role = *role.role;
    a.want_write = options.want_write;
    a.takeover = options.takeover;
    t->links[a.id] = link;
    t->room.attach(a, now());
    if (!t->closed_reason.empty())
        t->room.broadcast("target_closed", "error", "the target is not open: " + t->closed_reason);
    r.ok = true;
    r.id = a.id;
    pump(*t);
    return r;
}

void Gateway::input(const std::string& target, ClientId id, std::span<const std::uint8_t> bytes) {
    if (TargetState* t = find(target)) {
        t->room.input(id, bytes, now());
        pump(*t);
    }
}

void Gateway::control(const std::string& target, ClientId id, std::string_view text) {
    TargetState* t = find(target);
    if (t == nullptr) return;
    const auto parsed = parse_control(text);
    if (parsed.ok())
        t->room.control(id, parsed.message_value, now());
    else
        t->room.bad_control(id, parsed.message, now());
    pump(*t);
}

void Gateway::detach(const std::string& target, ClientId id, std::string_view reason) {
    TargetState* t = find(target);
    if (t == nullptr) return;
    if (t->links.erase(id) == 0) return;  // the room had already let it go
    t->room.detach(id, reason, now());
    pump(*t);
}

std::vector<std::string> Gateway::take_texts(const std::string& target, ClientId id) {
    TargetState* t = find(target);
    return t == nullptr ? std::vector<std::string>{} : t->room.take_texts(id);
}

std::vector<std::uint8_t> Gateway::take_output(const std::string& target, ClientId id,
                                               std::size_t max) {
    TargetState* t = find(target);
    return t == nullptr ? std::vector<std::uint8_t>{} : t->room.take_output(id, max);
}

void Gateway::shutdown() {
    if (stopping_) return;
    stopping_ = true;
    for (auto& [name, t] : targets_) {
        t->room.evict_all("shutdown", "the gateway is shutting down", now());
        pump(*t);
        // The logout sequences the evictions queued go out unpaced: the loop is ending.
        Now later = now();
        later.mono += std::chrono::hours(1);
        auto rest = t->room.take_target_input(later);
        if (!rest.empty()) t->target->write(std::move(rest));
        t->reopen.cancel();
        t->wake.cancel();
    }
}

}  // namespace comredir::console::daemon
