#pragma once
// The gateway's state on its event loop: the targets, each with its room (console core),
// its device and its serial log; the logins; the audit log. The HTTP/WebSocket server
// (server.cpp) calls in and is called back through ClientLink; nothing here knows Beast.
// Everything runs on one thread (the loop); logins are checked on the worker pool.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <comredir/console/login_limit.hpp>
#include <comredir/console/room.hpp>
#include <comredir/host/audit_log.hpp>
#include <comredir/host/logins.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "login_sessions.hpp"
#include "policy_view.hpp"
#include "serial_log.hpp"
#include "target.hpp"

namespace comredir::console::daemon {

/// One attached WebSocket, as the gateway sees it.
class ClientLink {
  public:
    virtual ~ClientLink() = default;
    /// The room has messages or output for this client: send them.
    virtual void kick() = 0;
    /// The room let this client go: send `d.finals`, then close with `d.text`.
    virtual void finish(const Disconnect& d) = 0;
};

struct LoginReply {
    int status = 200;                     ///< HTTP status: 200, 401, 429, 503
    std::string error;                    ///< one line for the client
    std::chrono::seconds retry_after{0};  ///< 429
    NewSession session;                   ///< 200
    std::string user;
};

struct AttachOptions {
    bool want_write = true;
    bool takeover = false;
};

struct AttachReply {
    bool ok = false;
    std::string code;     ///< when refused: `no_role`, `off`, `policy`, `unavailable`, `full`
    std::string refusal;  ///< one line, the deciding setting named
    ClientId id = 0;
};

struct SwitchReply {
    int status = 200;  ///< 200, 403, 404, 500
    std::string message;
};

class Gateway {
  public:
    Gateway(ConsoleConfig config, boost::asio::io_context& loop,
            std::unique_ptr<host::Authenticator> auth, std::string audit_path);
    ~Gateway();
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    /// Opens the audit log and every enabled target (a target that cannot be opened now
    /// is logged and retried). False only when the audit log cannot be opened.
    bool start(std::string& error);
    /// Everyone is told and disconnected; targets close after the logout sequences go.
    void shutdown();

    void login(std::string user, std::string password, std::string address,
               std::function<void(LoginReply)> done);
    std::optional<LoginSession> session(std::string_view token);
    void logout(std::string_view token, const LoginSession& who, const std::string& address);

    /// The targets `who` holds a role on, with their state (for `GET /api/targets`).
    nlohmann::json list(const LoginSession& who);
    SwitchReply set_switch(const LoginSession& who, const std::string& target, bool on,
                           const std::string& address);
    bool has_target(std::string_view name) const;

    AttachReply attach(const LoginSession& who, const std::string& target,
                       const std::string& address, AttachOptions options, ClientLink* link);
    void input(const std::string& target, ClientId id, std::span<const std::uint8_t> bytes);
    void control(const std::string& target, ClientId id, std::string_view text);
    void detach(const std::string& target, ClientId id, std::string_view reason);
    std::vector<std::string> take_texts(const std::string& target, ClientId id);
    std::vector<std::uint8_t> take_output(const std::string& target, ClientId id, std::size_t max);

    /// An audit record (`console_login_failed`, ...): time added here.
    void audit(std::string_view event, std::string_view user, std::string_view address,
               std::string_view reason, nlohmann::json detail = nlohmann::json::object());
    std::size_t clients() const;
    const ConsoleConfig& config() const { return config_; }

  private:
    struct TargetState;
    Now now() const;
    TargetState* find(std::string_view name);
    void open_target(TargetState& t);
    void pump(TargetState& t);
    void schedule(TargetState& t);
    void write_audit(const RoomAudit& a);
    /// Whether `target` is on: the policy, then its config and switch. One line when off.
    std::optional<std::string> off_reason(const TargetState& t, const ConsolePolicy& p);

    ConsoleConfig config_;
    boost::asio::io_context& loop_;
    boost::asio::thread_pool workers_{2};
    std::shared_ptr<host::Authenticator> auth_;
    std::string audit_path_;
    host::AuditLog audit_log_;
    LoginSessions sessions_;
    LoginLimiter limiter_;
    std::map<std::string, std::unique_ptr<TargetState>> targets_;
    ClientId next_id_ = 1;
    bool stopping_ = false;
};

/// The Unix groups of `user` (names), empty when the user has no account here.
std::vector<std::string> unix_groups(const std::string& user);

}  // namespace comredir::console::daemon
