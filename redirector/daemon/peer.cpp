#include "peer.hpp"

#include <freerdp/channels/wtsvc.h>
#include <freerdp/freerdp.h>
#include <freerdp/peer.h>
#include <freerdp/settings.h>
#include <string.h>  // explicit_bzero
#include <unistd.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <comredir/host/log.hpp>
#include <cstring>
#include <string>
#include <system_error>

#include "channel_pump.hpp"

namespace comredir::redirector::daemon {

namespace {

std::string text_or_empty(const char* s) {
    return s != nullptr ? std::string(s) : std::string();
}

class Connection final : public ChannelSender {
  public:
    Connection(freerdp_peer* peer, ServerContext& server, std::shared_ptr<PeerSlot> slot)
        : peer_(peer), server_(server), slot_(std::move(slot)) {
        info_.id = slot_->id;
        info_.peer_address = slot_->address;
        info_.run_dir = server.config.run_dir;
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() override = default;

    bool setup(std::string& error);
    void run();
    /// Frees the FreeRDP side (channels, manager, context, peer and its socket).
    void teardown();

    bool send(std::span<const std::uint8_t> message) override {
        return !closing_ && pump_ && pump_->write(message);
    }
    void disconnect(std::string_view reason) override {
        if (end_reason_.empty()) end_reason_ = std::string(reason);
    }

  private:
    static Connection& of(freerdp_peer* p) { return *static_cast<Connection*>(p->ContextExtra); }
    static BOOL on_capabilities(freerdp_peer* p) { return of(p).authenticate() ? TRUE : FALSE; }
    static BOOL on_post_connect(freerdp_peer* p) { return of(p).post_connect() ? TRUE : FALSE; }
    static BOOL on_activate(freerdp_peer* p) { return of(p).authenticated_ ? TRUE : FALSE; }

    bool authenticate();
    bool post_connect();
    bool turn(std::string& reason);
    void end(const std::string& reason);
    std::string who() const {
        return "connection " + std::to_string(info_.id) + " from `" + info_.peer_address + "`";
    }

    freerdp_peer* peer_;
    ServerContext& server_;
    std::shared_ptr<PeerSlot> slot_;
    ConnectionInfo info_;
    HANDLE vcm_ = nullptr;
    std::unique_ptr<ChannelPump> pump_;
    std::unique_ptr<ChannelHandler> handler_;
    bool authenticated_ = false;
    bool handler_opened_ = false;
    bool closing_ = false;
    std::string end_reason_;  ///< set when the server side decided to end
};

bool Connection::setup(std::string& error) {
    peer_->ContextExtra = this;
    if (freerdp_peer_context_new(peer_) == 0) {
        error = "cannot create the rdp context";
        return false;
    }
    slot_->set_socket(peer_->sockfd);  // the transport owns it from here
    rdpSettings* s = peer_->settings;
    bool ok = freerdp_settings_set_string(s, FreeRDP_CertificateFile,
                                          server_.tls.certificate.c_str()) != 0 &&
              freerdp_settings_set_string(s, FreeRDP_PrivateKeyFile, server_.tls.key.c_str()) != 0;
    // TLS security only: RDP's own encryption is weak, and NLA (CredSSP/NTLM) needs the NT
    // hash of the password on the server, which neither crypt(3) files nor PAM can give.
    ok = ok && freerdp_settings_set_bool(s, FreeRDP_RdpSecurity, FALSE) != 0 &&
         freerdp_settings_set_bool(s, FreeRDP_TlsSecurity, TRUE) != 0 &&
         freerdp_settings_set_bool(s, FreeRDP_NlaSecurity, FALSE) != 0 &&
         freerdp_settings_set_bool(s, FreeRDP_ExtSecurity, FALSE) != 0 &&
         freerdp_settings_set_bool(s, FreeRDP_UseRdpSecurityLayer, FALSE) != 0;
    if (!ok) {
        error = "cannot apply the rdp settings";
        return false;
    }
    peer_->Capabilities = on_capabilities;
    peer_->PostConnect = on_post_connect;
    peer_->Activate = on_activate;
    if (peer_->Initialize(peer_) == 0) {
        error = "cannot initialize the rdp peer";
        return false;
    }
    // The manager (WTSOpenServerA takes the context in place of a server name) is made on
    // the listener thread: FreeRDP numbers managers with an unguarded counter.
    vcm_ = WTSOpenServerA(reinterpret_cast<LPSTR>(peer_->context));
    if (vcm_ == nullptr || vcm_ == INVALID_HANDLE_VALUE) {
        vcm_ = nullptr;
        error = "cannot create the channel manager";
        return false;
    }
    pump_ = std::make_unique<ChannelPump>(vcm_);
    return true;
}

// Capabilities runs after the Client Info PDU (user, domain, password) and before the
// server's Demand Active: the earliest point with credentials, and before anything else is
// offered. A false return drops the connection.
bool Connection::authenticate() {
    if (authenticated_) return true;  // a reactivation
    rdpSettings* s = peer_->settings;
    info_.user = text_or_empty(freerdp_settings_get_string(s, FreeRDP_Username));
    info_.domain = text_or_empty(freerdp_settings_get_string(s, FreeRDP_Domain));
    info_.client_name = text_or_empty(freerdp_settings_get_string(s, FreeRDP_ClientHostname));
    info_.client_address = text_or_empty(freerdp_settings_get_string(s, FreeRDP_ClientAddress));
    info_.client_build = freerdp_settings_get_uint32(s, FreeRDP_ClientBuild);
    char* password = s->Password;  // FreeRDP keeps it in the settings until freed
    const std::string_view pw = password != nullptr ? std::string_view(password) : "";
    host::AuthResult r = server_.auth->authenticate(info_.user, pw, info_.peer_address);
    if (password != nullptr) explicit_bzero(password, std::strlen(password));
    freerdp_settings_set_string(s, FreeRDP_Password, nullptr);
    if (!r.ok()) {
        host::log_warning(
            who() + ": login refused for user `" + info_.user + "`" +
            (info_.domain.empty() ? std::string() : " (domain `" + info_.domain + "`)") + ": " +
            r.reason);
        end_reason_ = "login refused";
        if (server_.login_refused) server_.login_refused(info_, r.reason);
        return false;
    }
    authenticated_ = true;
    slot_->authenticated.store(true);
    host::log_info(who() + ": user `" + info_.user + "` authenticated by " +
                   server_.auth->describe() + "; client `" + info_.client_name + "` build `" +
                   std::to_string(info_.client_build) + "`");
    return true;
}

// After the client's Confirm Active (its OS type is known) and the Font Map; before any
// further client PDU is read, so the channels are open before the client can use them.
bool Connection::post_connect() {
    if (!authenticated_) return false;  // cannot happen: Capabilities comes first
    rdpSettings* s = peer_->settings;
    info_.os_major_type = freerdp_settings_get_uint32(s, FreeRDP_OsMajorType);
    info_.os_minor_type = freerdp_settings_get_uint32(s, FreeRDP_OsMinorType);
    host::log_info(who() + ": client os `" +
                   text_or_empty(freerdp_peer_os_major_type_string(peer_)) + "` / `" +
                   text_or_empty(freerdp_peer_os_minor_type_string(peer_)) +
                   "`; no desktop: this endpoint only carries device redirection");
    std::string error;
    if (!pump_->open(peer_, error)) {
        host::log_error(who() + ": " + error);
        end_reason_ = "channel setup failed";
        return false;
    }
    host::log_info(who() + ": channels open: " + pump_->channel_names());
    if (!pump_->has_rdpdr()) {
        host::log_warning(who() + ": the client joined no `rdpdr` channel: nothing to redirect");
        end_reason_ = "no rdpdr channel";
        return false;
    }
    handler_ = server_.factory ? server_.factory(info_) : nullptr;
    if (!handler_) {
        end_reason_ = "refused by the session layer";
        return false;
    }
    return true;
}

// One turn of the loop: wait, let FreeRDP read, hand over rdpdr messages, send.
bool Connection::turn(std::string& reason) {
    std::vector<pollfd> fds;
    fds.push_back({server_.stop_fd, POLLIN, 0});
    std::array<HANDLE, 32> handles{};
    DWORD n = peer_->GetEventHandles(peer_, handles.data(), handles.size());
    for (DWORD i = 0; i < n; ++i) {
        int fd = GetEventFileDescriptor(handles[i]);
        if (fd >= 0) fds.push_back({fd, POLLIN, 0});
    }
    pump_->fds(fds);
    const std::size_t own = fds.size();
    PollRequest extra = handler_ ? handler_->poll_request() : PollRequest{};
    fds.insert(fds.end(), extra.fds.begin(), extra.fds.end());
    int timeout = -1;
    if (extra.deadline) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*extra.deadline -
                                                                 std::chrono::steady_clock::now());
        timeout = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 60000));
    }
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
        reason = std::string("poll failed: ") + std::strerror(errno);
        return false;
    }
    if ((fds[0].revents & POLLIN) != 0) {
        reason = "daemon shutting down";
        return false;
    }
    if (peer_->CheckFileDescriptor(peer_) == 0) {
        reason = end_reason_.empty() ? "client disconnected" : end_reason_;
        return false;
    }
    if (handler_ && !handler_opened_ && pump_->has_rdpdr()) {
        handler_opened_ = true;
        host::log_info(who() + ": `rdpdr` channel open");
        handler_->on_open(*this);
    }
    std::string error;
    if (handler_opened_ &&
        !pump_->pump([this](std::span<const std::uint8_t> m) { handler_->on_message(m); }, error)) {
        reason = error;
        return false;
    }
    if (handler_) handler_->on_poll(std::span<const pollfd>(fds).subspan(own));
    if (!pump_->flush()) {
        reason = "sending channel data failed";
        return false;
    }
    if (!end_reason_.empty()) {
        reason = end_reason_;
        return false;
    }
    return true;
}

void Connection::run() {
    std::string reason;
    while (turn(reason)) {
    }
    // A client leaving is the normal end of a session.
    const bool clean =
        reason == "daemon shutting down" || reason == "client disconnected" || !end_reason_.empty();
    (clean ? host::log_info : host::log_warning)(who() + ": closed: " + reason);
    end(reason);
}

// Ends the connection: the handler first (it may not send any more), then a polite
// Deactivate All + Disconnect Provider Ultimatum when the client got that far.
void Connection::end(const std::string& reason) {
    if (handler_) {
        closing_ = true;
        handler_->on_close(reason);
        handler_.reset();
    }
    if (peer_->connected != 0 && pump_) {
        pump_->flush();
        peer_->Close(peer_);
        for (int i = 0; i < 50 && peer_->IsWriteBlocked(peer_) != 0; ++i) {
            if (peer_->DrainOutputBuffer(peer_) < 0) break;
            pollfd p{peer_->sockfd, POLLOUT, 0};
            ::poll(&p, 1, 20);
        }
    }
}

void Connection::teardown() {
    pump_.reset();
    if (vcm_ != nullptr) WTSCloseServer(vcm_);
    vcm_ = nullptr;
    slot_->forget_socket();
    if (peer_->context != nullptr) {
        peer_->Disconnect(peer_);
        freerdp_peer_context_free(peer_);  // closes the socket
    } else {
        ::close(peer_->sockfd);
    }
    freerdp_peer_free(peer_);
    peer_ = nullptr;
}

}  // namespace

void start_connection(freerdp_peer* peer, ServerContext& server,
                      const std::shared_ptr<PeerSlot>& slot) {
    slot->id = server.next_id.fetch_add(1);
    slot->address = peer->hostname;
    auto conn = std::make_unique<Connection>(peer, server, slot);
    host::log_info("connection " + std::to_string(slot->id) + " from `" + slot->address +
                   "`: accepted");
    std::string error;
    if (!conn->setup(error)) {
        host::log_error("connection " + std::to_string(slot->id) + ": " + error);
        conn->teardown();
        slot->finished.store(true);
        return;
    }
    try {
        slot->thread = std::thread([c = conn.get(), slot] {
            std::unique_ptr<Connection> owned(c);
            owned->run();
            owned->teardown();
            slot->finished.store(true);
        });
        static_cast<void>(conn.release());  // the thread owns it now
    } catch (const std::system_error& e) {
        host::log_error("connection " + std::to_string(slot->id) +
                        ": cannot start a thread: " + e.what());
        conn->teardown();
        slot->finished.store(true);
    }
}

}  // namespace comredir::redirector::daemon
