#include "session_handler.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <comredir/host/log.hpp>
#include <comredir/redirector/codec/ntstatus.hpp>
#include <comredir/redirector/port/open_watch.hpp>
#include <comredir/redirector/port/port_paths.hpp>
#include <comredir/redirector/port/pty.hpp>
#include <comredir/redirector/port/pty_packet.hpp>
#include <comredir/redirector/session/session.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace comredir::redirector::daemon {

AuditLog* AuditLogs::get(const std::string& path, std::string& error) {
    std::lock_guard lock(mutex_);
    auto it = logs_.find(path);
    if (it != logs_.end()) return it->second.get();
    auto log = std::make_unique<AuditLog>();
    if (!log->open(path, error)) return nullptr;
    return logs_.emplace(path, std::move(log)).first->second.get();
}

namespace {

namespace pt = comredir::redirector::port;
namespace ss = comredir::redirector::session;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBacklogPause = 65536;             // client bytes waiting for the program
constexpr std::size_t kMasterRead = 4096;                // one read of the pty master
constexpr std::chrono::milliseconds kSettingsPoll{250};  // EXTPROC can be cleared by programs

struct Account {
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
};

Account local_account(const std::string& user) {
    Account a;
    if (user.empty()) return a;
    std::array<char, 4096> buf{};
    passwd pw{};
    passwd* found = nullptr;
    if (::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
        a.uid = pw.pw_uid;
        a.gid = pw.pw_gid;
    }
    return a;
}

struct HostPort {
    std::uint32_t device_id = 0;
    std::string name;
    bool opened = false;  ///< pty made and published
    pt::Pty pty;
    pt::OpenWatch watch;
    pt::PortRecord record;
    pt::SerialSettings settings;
    std::vector<std::uint8_t> backlog;  ///< from the client, not yet taken by the master
    bool paused = false;
    bool latency_warned = false;
    std::uint64_t bytes_in = 0, bytes_out = 0;
};

class SessionHandler final : public ChannelHandler, public ss::SessionHost {
  public:
    SessionHandler(SessionShared& shared, ConnectionInfo info)
        : shared_(shared),
          info_(std::move(info)),
          id_("s" + std::to_string(info_.id)),
          account_(local_account(info_.user)),
          session_(config_for(info_), *this) {}

    // ChannelHandler
    void on_open(ChannelSender& sender) override;
    void on_message(std::span<const std::uint8_t> message) override;
    void on_close(std::string_view reason) override;
    PollRequest poll_request() override;
    void on_poll(std::span<const pollfd> fds) override;

    // SessionHost
    void send(std::vector<std::uint8_t> message) override;
    void log(ss::LogLevel level, std::string_view message) override;
    void client_named(std::string_view name) override;
    ss::PortAnswer port_announced(const ss::AnnouncedDevice& device) override;
    void device_refused(const ss::AnnouncedDevice& device, std::uint32_t status) override;
    bool port_opened(std::uint32_t device_id) override;
    void port_data(std::uint32_t device_id, std::span<const std::uint8_t> data) override;
    void port_closed(std::uint32_t device_id, ss::PortEnd why, std::string_view reason) override;
    void round_trip(std::uint32_t device_id, std::chrono::microseconds rtt) override;

  private:
    static ss::SessionConfig config_for(const ConnectionInfo& info) {
        ss::SessionConfig c;
        c.client_id = static_cast<std::uint32_t>(info.id);
        return c;
    }
    std::string who() const { return "session `" + id_ + "` (user `" + info_.user + "`)"; }
    AuditRecord record(AuditEvent e, std::string port = {}, std::string reason = {}) const;
    void audit(const AuditRecord& r);
    void deny(const ss::AnnouncedDevice& d, const std::string& reason,
              nlohmann::json decision = nullptr);
    ClientInfo client_info() const {
        return {info_.client_name, info_.user, info_.peer_address,
                client_os_from_major_type(info_.os_major_type)};
    }
    void policy_changed();
    void drain(HostPort& p);
    void read_master(HostPort& p);
    void check_settings(HostPort& p);
    void record_message(std::span<const std::uint8_t> message);
    HostPort* find(std::uint32_t device_id) {
        auto it = ports_.find(device_id);
        return it == ports_.end() ? nullptr : &it->second;
    }

    SessionShared& shared_;
    ConnectionInfo info_;
    std::string id_;
    Account account_;
    ss::Session session_;
    ChannelSender* sender_ = nullptr;
    std::optional<SessionGate> gate_;
    std::unique_ptr<PolicyChanges::Subscription> policy_news_;  ///< null: read once
    AuditLog* audit_ = nullptr;
    std::string audit_error_;
    std::map<std::uint32_t, HostPort> ports_;
    Clock::time_point next_settings_poll_{};
    bool ended_ = false;
    std::size_t recorded_ = 0;
};

// --capture: <dir>/<connection>/NNN.bin, at most 10,000 per connection.
void SessionHandler::record_message(std::span<const std::uint8_t> message) {
    constexpr std::size_t kMaxFiles = 10000;
    if (++recorded_ > kMaxFiles) return;
    const auto dir = std::filesystem::path(shared_.capture_dir) / std::to_string(info_.id);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::array<char, 16> name{};
    std::snprintf(name.data(), name.size(), "%03zu.bin", recorded_);
    std::ofstream out(dir / name.data(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(message.data()),
              static_cast<std::streamsize>(message.size()));
    if (!out) host::log_error(who() + ": cannot record to `" + (dir / name.data()).string() + "`");
}

AuditRecord SessionHandler::record(AuditEvent e, std::string port, std::string reason) const {
    AuditRecord r;
    r.time = std::chrono::system_clock::now();
    r.event = e;
    r.session = id_;
    r.client = session_.client_name().empty() ? info_.client_name : session_.client_name();
    r.user = info_.user;
    r.client_address = info_.peer_address;
    r.port = std::move(port);
    r.reason = std::move(reason);
    return r;
}

void SessionHandler::audit(const AuditRecord& r) {
    if (audit_ == nullptr) return;
    std::string error;
    if (!audit_->append(to_json_line(r), error)) host::log_error(who() + ": audit log: " + error);
}

void SessionHandler::on_open(ChannelSender& sender) {
    sender_ = &sender;
    // Policy is read when the session starts, and again whenever its sources change
    // (subscribed first, so that no change is missed in between).
    if (shared_.policy_changes.active()) {
        std::string error;
        policy_news_ = shared_.policy_changes.subscribe(error);
        if (!policy_news_)
            host::log_error(who() + ": policy changes will not reach this session: " + error);
    }
    gate_ = SessionGate::open(shared_.gate, client_info());
    if (!gate_->failure().empty())
        host::log_warning(who() + ": every port will be denied: " + gate_->failure());
    const std::string path =
        gate_->audit_log_configured() ? gate_->audit_log_path() : shared_.audit_fallback;
    audit_ = shared_.audits.get(path, audit_error_);
    if (audit_ == nullptr)
        host::log_error(who() + ": every port will be denied: audit log: " + audit_error_);
    auto r = record(AuditEvent::session_start);
    r.detail = {{"client_build", info_.client_build}, {"os_major_type", info_.os_major_type}};
    audit(r);
    host::log_info(who() + ": started for client `" + info_.client_name + "`");
    session_.start(Clock::now());
}

void SessionHandler::on_message(std::span<const std::uint8_t> message) {
    if (!shared_.capture_dir.empty()) record_message(message);
    if (host::log_verbose() && message.size() >= 4) {
        const auto packet = static_cast<std::uint16_t>(message[2] | (message[3] << 8));
        host::log_debug(who() + ": <- " + std::string(codec::pdu_name(packet, true)) + ", " +
                        std::to_string(message.size()) + " bytes");
    }
    if (!session_.receive(message, Clock::now()) && sender_ != nullptr)
        sender_->disconnect("rdpdr session ended");
}

void SessionHandler::on_close(std::string_view reason) {
    if (ended_) return;
    ended_ = true;
    policy_news_.reset();
    session_.end(reason);
    sender_ = nullptr;
    shared_.claims.release_all(id_);
    auto r = record(AuditEvent::session_end, {}, std::string(reason));
    r.detail = {{"dropped_pdus", session_.stats().dropped_pdus},
                {"bytes_to_client", session_.stats().bytes_to_client},
                {"bytes_from_client", session_.stats().bytes_from_client}};
    audit(r);
    host::log_info(who() + ": ended");
}

void SessionHandler::send(std::vector<std::uint8_t> message) {
    if (host::log_verbose() && message.size() >= 4) {
        const auto packet = static_cast<std::uint16_t>(message[2] | (message[3] << 8));
        host::log_debug(who() + ": -> " + std::string(codec::pdu_name(packet, false)) + ", " +
                        std::to_string(message.size()) + " bytes");
    }
    if (sender_ != nullptr && !sender_->send(message))
        host::log_warning(who() + ": cannot queue a message for the client");
}

void SessionHandler::log(ss::LogLevel level, std::string_view message) {
    const std::string line = who() + ": " + std::string(message);
    switch (level) {
        case ss::LogLevel::error:
            return host::log_error(line);
        case ss::LogLevel::warning:
            return host::log_warning(line);
        case ss::LogLevel::info:
            return host::log_info(line);
        case ss::LogLevel::debug:
            return host::log_debug(line);
    }
}

void SessionHandler::client_named(std::string_view name) {
    if (name != info_.client_name)
        host::log_info(who() + ": the client calls itself `" + std::string(name) + "` in rdpdr (`" +
                       info_.client_name + "` at connection)");
}

void SessionHandler::deny(const ss::AnnouncedDevice& d, const std::string& reason,
                          nlohmann::json decision) {
    host::log_warning(who() + ": port `" + d.name + "` denied: " + reason);
    auto r = record(AuditEvent::port_denied, d.name, reason);
    r.decision = std::move(decision);
    audit(r);
}

ss::PortAnswer SessionHandler::port_announced(const ss::AnnouncedDevice& d) {
    const ss::PortAnswer refused{false, codec::ntstatus::access_denied};
    if (!pt::valid_port_name(d.name)) {
        deny(d, "the port name is not 1-8 characters of [A-Za-z0-9_-]");
        return refused;
    }
    if (audit_ == nullptr) {
        deny(d, "the audit log cannot be written: " + audit_error_);
        return refused;
    }
    PortVerdict v = gate_->check(d.name);
    if (!v.allowed) {
        deny(d, v.reason, std::move(v.decision));
        return refused;
    }
    const std::string client = info_.client_name;
    if (gate_->one_session_per_port()) {
        if (auto holder = shared_.claims.claim(client, d.name, id_)) {
            PortVerdict busy = gate_->in_use(client, d.name, *holder, v);
            deny(d, busy.reason, std::move(busy.decision));
            return refused;
        }
    }
    HostPort& p = ports_[d.device_id];
    p.device_id = d.device_id;
    p.name = d.name;
    p.record.session = id_;
    p.record.client = client;
    p.record.user = info_.user;
    p.record.client_address = info_.peer_address;
    p.record.port = d.name;
    host::log_info(who() + ": port `" + d.name + "` allowed: " + v.reason);
    return {true, 0};
}

void SessionHandler::device_refused(const ss::AnnouncedDevice& d, std::uint32_t status) {
    host::log_info(who() + ": device `" + d.name + "` of type `" + std::to_string(d.device_type) +
                   "` refused with status `" + codec::hex(status) +
                   "`: only serial ports are served");
}

bool SessionHandler::port_opened(std::uint32_t device_id) {
    HostPort* p = find(device_id);
    if (p == nullptr) return false;
    pt::PtyOptions opt;
    opt.owner = account_.uid;
    opt.group = account_.gid;
    auto made = pt::open_pty(opt);
    std::string error = made.error;
    if (made.pty.valid() && !p->watch.start(made.pty, error)) made.pty.hangup();
    if (!made.pty.valid()) {
        host::log_error(who() + ": port `" + p->name + "`: " + error);
        return false;
    }
    p->pty = std::move(made.pty);
    p->record.device = p->pty.slave_path();
    p->record.since = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    auto pub = pt::publish_port(info_.run_dir, p->record, account_.uid);
    if (!pub.ok) {
        host::log_error(who() + ": port `" + p->name + "`: " + pub.error);
        p->pty.hangup();
        return false;
    }
    p->record = pub.record;
    p->opened = true;
    std::string serr;
    p->settings = p->pty.settings(serr).value_or(pt::SerialSettings{.baud = 9600});
    auto r = record(AuditEvent::port_accepted, p->name);
    r.detail = {{"path", p->record.path}, {"device", p->record.device}, {"alias", p->record.alias}};
    if (gate_) r.decision = gate_->check(p->name).decision;
    audit(r);
    host::log_info(who() + ": port `" + p->name + "` is `" + p->record.path + "` (`" +
                   p->record.device + "`)");
    return true;
}

void SessionHandler::port_data(std::uint32_t device_id, std::span<const std::uint8_t> data) {
    HostPort* p = find(device_id);
    if (p == nullptr || !p->opened) return;
    p->bytes_in += data.size();
    p->backlog.insert(p->backlog.end(), data.begin(), data.end());
    drain(*p);
}

// Client bytes into the pty master; a program that does not read backs them up, and then
// the session stops asking the client for more (the client's device buffers, or its flow
// control holds the far end).
void SessionHandler::drain(HostPort& p) {
    while (!p.backlog.empty()) {
        const ssize_t n = ::write(p.pty.master(), p.backlog.data(), p.backlog.size());
        if (n <= 0) break;  // EAGAIN: the pty is full
        p.backlog.erase(p.backlog.begin(), p.backlog.begin() + n);
    }
    const bool pause = p.backlog.size() >= kBacklogPause;
    if (pause != p.paused) {
        p.paused = pause;
        session_.pause_reads(p.device_id, pause, Clock::now());
    }
}

void SessionHandler::read_master(HostPort& p) {
    const std::size_t room = session_.tx_room(p.device_id);
    if (room == 0) return;
    std::array<std::uint8_t, kMasterRead + 1> buf{};
    const std::size_t want = std::min(room, kMasterRead) + 1;  // + the packet-mode byte
    const ssize_t n = ::read(p.pty.master(), buf.data(), want);
    if (n <= 0) return;
    const auto pkt =
        pt::decode_packet(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
    const auto now = Clock::now();
    if (!pkt.data.empty()) {
        p.bytes_out += pkt.data.size();
        session_.write(p.device_id, pkt.data, now);
    }
    if (const std::uint32_t mask = pt::purge_mask(pkt); mask != 0) {
        session_.purge(p.device_id, mask, now);
        if ((mask & codec::serial::purge_rxclear) != 0) p.backlog.clear();
    }
    if (pkt.settings) check_settings(p);
}

void SessionHandler::check_settings(HostPort& p) {
    std::string error;
    auto now_settings = p.pty.settings(error);
    if (!now_settings || *now_settings == p.settings) return;
    host::log_info(who() + ": port `" + p.name + "`: " + pt::describe(p.settings) + " -> " +
                   pt::describe(*now_settings));
    session_.apply_settings(p.device_id, p.settings, *now_settings, Clock::now());
    p.settings = *now_settings;
}

void SessionHandler::port_closed(std::uint32_t device_id, ss::PortEnd why,
                                 std::string_view reason) {
    auto it = ports_.find(device_id);
    if (it == ports_.end()) return;
    HostPort& p = it->second;
    if (p.opened) {
        pt::unpublish_port(info_.run_dir, p.record);
        p.pty.hangup();
    }
    shared_.claims.release(p.record.client, p.name, id_);
    auto r = record(AuditEvent::port_closed, p.name, std::string(reason));
    r.detail = {{"why", std::string(ss::to_string(why))},
                {"bytes_from_client", p.bytes_in},
                {"bytes_to_client", p.bytes_out}};
    audit(r);
    host::log_info(who() + ": port `" + p.name + "` closed: " + std::string(reason));
    ports_.erase(it);
}

void SessionHandler::round_trip(std::uint32_t device_id, std::chrono::microseconds rtt) {
    HostPort* p = find(device_id);
    if (p == nullptr || p->latency_warned || !gate_) return;
    const std::uint32_t limit_ms = gate_->latency_warning_ms();
    if (limit_ms == 0 || rtt < std::chrono::milliseconds(limit_ms)) return;
    p->latency_warned = true;
    const std::string reason = "a request took `" + std::to_string(rtt.count() / 1000) +
                               "` ms to complete (LatencyWarningMs `" + std::to_string(limit_ms) +
                               "`): serial redirection is designed for LAN latency";
    host::log_warning(who() + ": port `" + p->name + "`: " + reason);
    auto r = record(AuditEvent::latency_warning, p->name, reason);
    r.detail = {{"round_trip_us", rtt.count()}, {"threshold_ms", limit_ms}};
    audit(r);
}

// Policy sources changed (on this session's thread, between two turns of its loop): read
// policy again; every port it now denies is closed on both sides (the program's pty is hung
// up, the client's device gets its CLOSE) and audited with the new reason. Ports still
// allowed are untouched; ports announced from now on are checked against the new policy.
void SessionHandler::policy_changed() {
    if (ended_ || !gate_) return;
    gate_ = SessionGate::open(shared_.gate, client_info());
    if (!gate_->failure().empty())
        host::log_warning(who() +
                          ": policy changed: every port will be denied: " + gate_->failure());
    std::vector<std::pair<std::uint32_t, PortVerdict>> revoked;
    for (auto& [id, p] : ports_) {
        PortVerdict v = gate_->check(p.name);
        if (!v.allowed) revoked.emplace_back(id, std::move(v));
    }
    host::log_debug(who() + ": policy re-read: `" + std::to_string(ports_.size() - revoked.size()) +
                    "` port(s) still allowed, `" + std::to_string(revoked.size()) + "` revoked");
    for (auto& [id, v] : revoked) {
        HostPort* p = find(id);
        if (p == nullptr) continue;
        host::log_warning(who() + ": port `" + p->name +
                          "` revoked: policy now denies it: " + v.reason);
        auto r = record(AuditEvent::port_revoked, p->name, v.reason);
        r.decision = std::move(v.decision);
        if (p->opened) r.detail = {{"path", p->record.path}, {"device", p->record.device}};
        audit(r);
        session_.close_port(id, "policy now denies it: " + r.reason, Clock::now());
    }
}

PollRequest SessionHandler::poll_request() {
    PollRequest req;
    bool any_open = false;
    for (auto& [id, p] : ports_) {
        if (!p.opened) continue;
        any_open = true;
        short events = 0;
        if (session_.tx_room(id) > 0) events |= POLLIN;
        if (!p.backlog.empty()) events |= POLLOUT;
        req.fds.push_back({p.pty.master(), events, 0});
        req.fds.push_back({p.watch.fd(), POLLIN, 0});
    }
    if (policy_news_) req.fds.push_back({policy_news_->fd(), POLLIN, 0});
    req.deadline = session_.next_deadline();
    if (any_open) {
        if (next_settings_poll_ == Clock::time_point{})
            next_settings_poll_ = Clock::now() + kSettingsPoll;
        if (!req.deadline || next_settings_poll_ < *req.deadline)
            req.deadline = next_settings_poll_;
    }
    return req;
}

void SessionHandler::on_poll(std::span<const pollfd> fds) {
    for (const pollfd& f : fds) {
        if (f.revents == 0) continue;
        if (policy_news_ && f.fd == policy_news_->fd()) {
            if (policy_news_->take()) policy_changed();
            continue;
        }
        // Ports can close while this loop runs: find by fd each time.
        for (auto& [id, p] : ports_) {
            if (!p.opened) continue;
            if (f.fd == p.watch.fd()) {
                p.watch.update(p.pty);
            } else if (f.fd == p.pty.master()) {
                if ((f.revents & POLLOUT) != 0) drain(p);
                if ((f.revents & POLLIN) != 0) read_master(p);
            } else {
                continue;
            }
            break;
        }
    }
    const auto now = Clock::now();
    session_.tick(now);
    if (next_settings_poll_ != Clock::time_point{} && now >= next_settings_poll_) {
        next_settings_poll_ = now + kSettingsPoll;
        for (auto& [id, p] : ports_) {
            if (p.opened) check_settings(p);
        }
    }
}

}  // namespace

std::unique_ptr<ChannelHandler> make_session_handler(SessionShared& shared,
                                                     const ConnectionInfo& info) {
    return std::make_unique<SessionHandler>(shared, info);
}

}  // namespace comredir::redirector::daemon
