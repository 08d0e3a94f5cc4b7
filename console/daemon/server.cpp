#include "server.hpp"

#include <openssl/ssl.h>

#include <atomic>
#include <comredir/console/protocol.hpp>
#include <comredir/host/log.hpp>
#include <deque>
#include <variant>

#include "beast.hpp"
#include "http_util.hpp"

namespace comredir::console::daemon {

namespace {

/// Largest WebSocket message: a paste at the policy's maximum (65,536 characters of up
/// to 4 bytes) fits; more is closed with 1009 (message too big).
constexpr std::size_t kMaxMessage = std::size_t{512} * 1024;
constexpr std::size_t kMaxHeader = std::size_t{8} * 1024;
constexpr std::size_t kMaxBody = std::size_t{16} * 1024;
constexpr auto kHttpTimeout = std::chrono::seconds(30);
/// Output is sent in frames of at most this many bytes.
constexpr std::size_t kOutputFrame = std::size_t{16} * 1024;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

std::string remote_of(const TlsStream& s) {
    error_code ec;
    const auto ep = beast::get_lowest_layer(s).socket().remote_endpoint(ec);
    return ec ? std::string("unknown") : ep.address().to_string();
}

/// Every response, the WebSocket handshake's too.
template <class Fields>
void set_security_headers(Fields& f) {
    f.set(http::field::server, "comredir-console");
    f.set(http::field::strict_transport_security, "max-age=31536000");
    f.set("X-Content-Type-Options", "nosniff");
    f.set("Content-Security-Policy", std::string(kContentSecurityPolicy));
    f.set("X-Frame-Options", "DENY");
    f.set(http::field::cache_control, "no-store");
    f.set("Referrer-Policy", "no-referrer");
}

template <class Field>
std::string_view header(const Request& req, Field f) {
    const auto it = req.find(f);
    return it == req.end() ? std::string_view{}
                           : std::string_view(it->value().data(), it->value().size());
}

Response make_response(const Request& req, http::status status, const json& body) {
    Response res{status, req.version()};
    set_security_headers(res.base());
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    res.prepare_payload();
    return res;
}

Response error_response(const Request& req, http::status status, const std::string& message) {
    return make_response(req, status, json{{"error", message}});
}

class WsSession;

Response asset_response(const Request& req, const WebAsset& asset) {
    Response res{http::status::ok, req.version()};
    set_security_headers(res.base());
    res.set(http::field::content_type, asset.type);
    res.keep_alive(req.keep_alive());
    res.body() = req.method() == http::verb::head ? std::string() : asset.body;
    res.prepare_payload();
    if (req.method() == http::verb::head) res.content_length(asset.body.size());
    return res;
}

/// Live WebSocket sessions: SIGTERM waits for them to send their notices and close.
std::atomic<std::size_t> g_websockets{0};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(tcp::socket socket, ssl::context& tls, Gateway& gateway, const WebAssets& web)
        : stream_(std::move(socket), tls), gateway_(gateway), web_(web) {}

    void run() {
        remote_ = remote_of(stream_);
        beast::get_lowest_layer(stream_).expires_after(kHttpTimeout);
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](error_code ec) {
                                    if (ec) {
                                        host::log_debug("tls handshake from `" + self->remote_ +
                                                        "` failed: " + ec.message());
                                        return;
                                    }
                                    self->read();
                                });
    }

  private:
    void read() {
        parser_.emplace();
        parser_->header_limit(kMaxHeader);
        parser_->body_limit(kMaxBody);
        beast::get_lowest_layer(stream_).expires_after(kHttpTimeout);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (ec == http::error::end_of_stream) return close();
        if (ec) {
            if (ec == http::error::header_limit || ec == http::error::body_limit) {
                Request dummy;
                dummy.version(11);
                dummy.keep_alive(false);
                return send(
                    error_response(dummy, http::status::payload_too_large, "request too large"));
            }
            return;  // timeout, reset, bad TLS: nothing to answer
        }
        Request req = parser_->release();
        if (websocket::is_upgrade(req)) return upgrade(req);
        route(std::move(req));
    }

    void route(Request req) {
        const auto target = split_target(std::string(req.target()));
        const std::string& path = target.path;
        const auto method = req.method();
        if (path == "/login") {
            if (method != http::verb::post)
                return send(error_response(req, http::status::method_not_allowed, "use POST"));
            return login(std::move(req));
        }
        const bool reading = method == http::verb::get || method == http::verb::head;
        if (const WebAsset* asset = reading ? web_.find(path) : nullptr)
            return send(asset_response(req, *asset));
        if (path == "/" && reading) {
            Response res{http::status::ok, req.version()};
            set_security_headers(res.base());
            res.set(http::field::content_type, "text/plain; charset=utf-8");
            res.keep_alive(req.keep_alive());
            res.body() = kRootText;
            res.prepare_payload();
            return send(std::move(res));
        }
        // Everything else needs a login.
        const auto who = current_session(req);
        if (!who)
            return send(
                error_response(req, http::status::unauthorized, "log in first: POST /login"));
        if (path == "/api/session" && method == http::verb::get)
            return send(make_response(req, http::status::ok,
                                      {{"user", who->user},
                                       {"groups", who->groups},
                                       {"csrf", who->csrf},
                                       {"expires", epoch_ms(who->expires)}}));
        if (method != http::verb::get && !csrf_ok(req, *who))
            return send(error_response(req, http::status::forbidden,
                                       "missing or wrong `X-CSRF-Token` header"));
        if (path == "/logout" && method == http::verb::post) {
            gateway_.logout(cookie_value(header(req, http::field::cookie), kCookieName), *who,
                            remote_);
            Response res = make_response(req, http::status::ok, {{"ok", true}});
            res.set(http::field::set_cookie, expired_cookie());
            return send(std::move(res));
        }
        if (path == "/api/targets" && method == http::verb::get)
            return send(make_response(req, http::status::ok, {{"targets", gateway_.list(*who)}}));
        const auto parts = api_target_path(path);
        if (parts && (parts->action == "disable" || parts->action == "enable")) {
            if (method != http::verb::post)
                return send(error_response(req, http::status::method_not_allowed, "use POST"));
            const auto r =
                gateway_.set_switch(*who, parts->target, parts->action == "enable", remote_);
            if (r.status != 200)
                return send(error_response(req, static_cast<http::status>(r.status), r.message));
            return send(
                make_response(req, http::status::ok, {{"ok", true}, {"message", r.message}}));
        }
        if (parts && parts->action == "ws") {
            // Without the upgrade: the same checks as the upgrade's, the CSRF token in
            // `X-CSRF-Token`. A browser cannot read why a WebSocket handshake failed; the
            // page asks here and shows the answer.
            if (auto refused =
                    attach_refusal(req, *who, *parts, header(req, "X-CSRF-Token"), false))
                return send(std::move(*refused));
            return send(error_response(req, http::status::upgrade_required,
                                       "this is a WebSocket endpoint; the checks pass"));
        }
        send(error_response(req, http::status::not_found, "no such endpoint `" + path + "`"));
    }

    std::optional<LoginSession> current_session(const Request& req) {
        return gateway_.session(cookie_value(header(req, http::field::cookie), kCookieName));
    }

    static bool csrf_ok(const Request& req, const LoginSession& who) {
        return same_secret(header(req, "X-CSRF-Token"), who.csrf);
    }

    void login(Request req) {
        const auto creds = parse_login_body(req.body(), header(req, http::field::content_type));
        if (!creds.ok) return send(error_response(req, http::status::bad_request, creds.error));
        auto self = shared_from_this();
        gateway_.login(
            creds.user, creds.password, remote_, [self, req = std::move(req)](LoginReply r) {
                if (r.status != 200) {
                    Response res =
                        error_response(req, static_cast<http::status>(r.status), r.error);
                    if (r.status == 429)
                        res.set(http::field::retry_after, std::to_string(r.retry_after.count()));
                    return self->send(std::move(res));
                }
                Response res = make_response(req, http::status::ok,
                                             {{"user", r.user},
                                              {"csrf", r.session.csrf},
                                              {"expires", epoch_ms(r.session.expires)}});
                res.set(http::field::set_cookie,
                        session_cookie(r.session.token, r.session.expires));
                self->send(std::move(res));
            });
    }

    void upgrade(const Request& req);
    /// Why an attach by `who` with `csrf` would be refused before the upgrade, or nothing;
    /// `audit`: record a refusal (the upgrade does; the page's question afterwards does not).
    std::optional<Response> attach_refusal(const Request& req, const LoginSession& who,
                                           const TargetPath& target, std::string_view csrf,
                                           bool audit);

    void send(Response res) {
        auto sp = std::make_shared<Response>(std::move(res));
        const bool close_after = !sp->keep_alive();
        beast::get_lowest_layer(stream_).expires_after(kHttpTimeout);
        http::async_write(stream_, *sp,
                          [self = shared_from_this(), sp, close_after](error_code ec, std::size_t) {
                              if (ec) return;
                              if (close_after) return self->close();
                              self->read();
                          });
    }

    void close() {
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
        stream_.async_shutdown([self = shared_from_this()](error_code) {});
    }

    TlsStream stream_;
    Gateway& gateway_;
    const WebAssets& web_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::string remote_;
};

class WsSession : public ClientLink, public std::enable_shared_from_this<WsSession> {
  public:
    WsSession(TlsStream stream, Gateway& gateway, LoginSession who, std::string target,
              std::string remote, AttachOptions options)
        : ws_(std::move(stream)),
          gateway_(gateway),
          who_(std::move(who)),
          target_(std::move(target)),
          remote_(std::move(remote)),
          options_(options) {
        ++g_websockets;
    }
    ~WsSession() override { --g_websockets; }
    WsSession(const WsSession&) = delete;
    WsSession& operator=(const WsSession&) = delete;

    void run(const Request& req) {
        beast::get_lowest_layer(ws_).expires_never();
        auto t = websocket::stream_base::timeout::suggested(beast::role_type::server);
        t.idle_timeout = std::chrono::seconds(60);  // with pings: finds dead peers only
        ws_.set_option(t);
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
            res.set(http::field::sec_websocket_protocol, std::string(kSubprotocol));
            set_security_headers(res);
        }));
        ws_.read_message_max(kMaxMessage);
        ws_.auto_fragment(false);
        ws_.async_accept(req, [self = shared_from_this()](error_code ec) {
            if (ec) return;
            self->on_accept();
        });
    }

    void kick() override {
        if (writing_) return;
        if (out_.empty() && id_ != 0) {
            for (auto& t : gateway_.take_texts(target_, id_)) out_.emplace_back(std::move(t));
            if (out_.empty()) {
                auto bytes = gateway_.take_output(target_, id_, kOutputFrame);
                if (!bytes.empty()) out_.emplace_back(std::move(bytes));
            }
        }
        if (out_.empty()) {
            if (closing_) close_now();
            return;
        }
        writing_ = true;
        auto frame = std::make_shared<Frame>(std::move(out_.front()));
        out_.pop_front();
        const bool text = std::holds_alternative<std::string>(*frame);
        ws_.text(text);
        const auto buf = text ? asio::buffer(std::get<std::string>(*frame))
                              : asio::buffer(std::get<std::vector<std::uint8_t>>(*frame));
        ws_.async_write(buf, [self = shared_from_this(), frame](error_code ec, std::size_t) {
            self->writing_ = false;
            if (ec) return self->gone("left");
            self->kick();
        });
    }

    void finish(const Disconnect& d) override {
        id_ = 0;  // the room has let it go
        for (const auto& t : d.finals) out_.emplace_back(t);
        closing_ = true;
        close_code_ = d.code == "shutdown" ? websocket::close_code::going_away
                      : d.code == "slow"   ? websocket::close_code::try_again_later
                                           : websocket::close_code::policy_error;
        close_text_ = d.text;
        kick();
    }

  private:
    using Frame = std::variant<std::string, std::vector<std::uint8_t>>;

    void on_accept() {
        const auto r = gateway_.attach(who_, target_, remote_, options_, this);
        if (!r.ok) {
            out_.emplace_back(json{{"type", "notice"},
                                   {"code", r.code},
                                   {"level", "error"},
                                   {"text", "attach refused: " + r.refusal}}
                                  .dump(-1, ' ', false, json::error_handler_t::replace));
            closing_ = true;
            close_code_ = websocket::close_code::policy_error;
            close_text_ = "attach refused: " + r.refusal;
            kick();
            read();  // to see the close handshake through
            return;
        }
        id_ = r.id;
        kick();
        read();
    }

    void read() {
        ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
            if (ec) {
                const bool big = ec == websocket::error::message_too_big;
                if (big)
                    host::log_info("console: `" + self->who_.user + "` sent a message over " +
                                   std::to_string(kMaxMessage) + " bytes: closed (1009)");
                return self->gone(big ? "message too big" : "left");
            }
            self->on_message();
        });
    }

    void on_message() {
        const auto data = buffer_.cdata();
        if (id_ != 0) {
            if (ws_.got_text()) {
                gateway_.control(
                    target_, id_,
                    std::string_view(static_cast<const char*>(data.data()), data.size()));
            } else {
                gateway_.input(target_, id_,
                               {static_cast<const std::uint8_t*>(data.data()), data.size()});
            }
        }
        buffer_.consume(buffer_.size());
        read();
    }

    void gone(std::string_view reason) {
        if (id_ != 0) {
            const ClientId id = id_;
            id_ = 0;
            gateway_.detach(target_, id, reason);
        }
    }

    void close_now() {
        if (close_sent_) return;
        close_sent_ = true;
        std::string text = close_text_;
        if (text.size() > 120) text = text.substr(0, 117) + "...";  // a close reason fits 123
        ws_.async_close(websocket::close_reason(close_code_, text),
                        [self = shared_from_this()](error_code) {});
    }

    websocket::stream<TlsStream> ws_;
    Gateway& gateway_;
    LoginSession who_;
    std::string target_;
    std::string remote_;
    AttachOptions options_;
    ClientId id_ = 0;
    beast::flat_buffer buffer_;
    std::deque<Frame> out_;
    bool writing_ = false;
    bool closing_ = false;
    bool close_sent_ = false;
    websocket::close_code close_code_ = websocket::close_code::normal;
    std::string close_text_;
};

void HttpSession::upgrade(const Request& req) {
    const auto target = split_target(std::string(req.target()));
    const auto parts = api_target_path(target.path);
    if (!parts || parts->action != "ws")
        return send(
            error_response(req, http::status::not_found, "no WebSocket at `" + target.path + "`"));
    const auto who = current_session(req);
    if (!who)
        return send(error_response(req, http::status::unauthorized, "log in first: POST /login"));
    const auto offered = parse_subprotocols(header(req, http::field::sec_websocket_protocol));
    if (!offered.has_console)
        return send(error_response(req, http::status::bad_request,
                                   "offer the subprotocol `" + std::string(kSubprotocol) + "`"));
    if (auto refused = attach_refusal(req, *who, *parts, offered.csrf, true))
        return send(std::move(*refused));
    AttachOptions options;
    options.want_write = query_value(target.query, "mode") != "read";
    options.takeover = query_value(target.query, "takeover") == "1";
    parser_.reset();
    std::make_shared<WsSession>(std::move(stream_), gateway_, *who, parts->target, remote_, options)
        ->run(req);
}

std::optional<Response> HttpSession::attach_refusal(const Request& req, const LoginSession& who,
                                                    const TargetPath& target, std::string_view csrf,
                                                    bool audit) {
    if (!same_secret(csrf, who.csrf)) {
        if (audit)
            gateway_.audit("console_refused", who.user, remote_,
                           "websocket without the right CSRF token",
                           {{"target", target.target}, {"cause", "csrf"}});
        return error_response(req, http::status::forbidden,
                              "missing or wrong CSRF token (subprotocol `csrf.<token>`)");
    }
    if (!same_origin(header(req, http::field::origin), header(req, http::field::host))) {
        if (audit)
            gateway_.audit("console_refused", who.user, remote_,
                           "cross-origin websocket from `" +
                               std::string(header(req, http::field::origin)) + "`",
                           {{"target", target.target}, {"cause", "origin"}});
        return error_response(req, http::status::forbidden,
                              "cross-origin WebSocket refused: the page's origin `" +
                                  std::string(header(req, http::field::origin)) +
                                  "` is not this gateway's `" +
                                  std::string(header(req, http::field::host)) + "`");
    }
    if (!gateway_.has_target(target.target))
        return error_response(req, http::status::not_found,
                              "no target is named `" + target.target + "`");
    return std::nullopt;
}

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    Listener(asio::io_context& loop, ssl::context& tls, Gateway& gateway, const WebAssets& web)
        : tls_(tls), gateway_(gateway), web_(web), acceptor_(loop) {}

    bool open(const tcp::endpoint& ep, std::string& error) {
        error_code ec;
        acceptor_.open(ep.protocol(), ec);
        if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(ep, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            error = "listen on `" + ep.address().to_string() + ":" + std::to_string(ep.port()) +
                    "`: " + ec.message();
            return false;
        }
        return true;
    }
    void accept() {
        acceptor_.async_accept([self = shared_from_this()](error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) {
                s.set_option(tcp::no_delay(true), ec);
                std::make_shared<HttpSession>(std::move(s), self->tls_, self->gateway_, self->web_)
                    ->run();
            }
            self->accept();
        });
    }
    void stop() {
        error_code ec;
        acceptor_.close(ec);
    }
    std::uint16_t port() const {
        error_code ec;
        return acceptor_.local_endpoint(ec).port();
    }

  private:
    ssl::context& tls_;
    Gateway& gateway_;
    const WebAssets& web_;
    tcp::acceptor acceptor_;
};

}  // namespace

struct Server::Impl {
    Impl(asio::io_context& l, Gateway& g, const WebAssets& w) : loop(l), gateway(g), web(w) {}
    asio::io_context& loop;
    Gateway& gateway;
    const WebAssets& web;
    ssl::context tls{ssl::context::tls_server};
    std::shared_ptr<Listener> listener;
};

Server::Server(asio::io_context& loop, Gateway& gateway, const WebAssets& web)
    : impl_(std::make_unique<Impl>(loop, gateway, web)) {}

Server::~Server() = default;

bool Server::listen(const std::string& host, std::uint16_t port, const std::string& certificate,
                    const std::string& key, std::string& error) {
    auto& tls = impl_->tls;
    // TLS 1.2 or later only (as Azure Serial Console); no compression, no renegotiation.
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                    ssl::context::no_compression | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_options(tls.native_handle(), SSL_OP_NO_RENEGOTIATION);
    error_code ec;
    tls.use_certificate_chain_file(certificate, ec);
    if (ec) {
        error = certificate + ": " + ec.message();
        return false;
    }
    tls.use_private_key_file(key, ssl::context::pem, ec);
    if (ec) {
        error = key + ": " + ec.message();
        return false;
    }
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
        error = "listen address `" + host + "`: " + ec.message();
        return false;
    }
    impl_->listener = std::make_shared<Listener>(impl_->loop, tls, impl_->gateway, impl_->web);
    if (!impl_->listener->open({address, port}, error)) return false;
    impl_->listener->accept();
    return true;
}

void Server::stop() {
    if (impl_->listener) impl_->listener->stop();
}

std::size_t Server::websockets() {
    return g_websockets.load();
}

std::uint16_t Server::port() const {
    return impl_->listener ? impl_->listener->port() : 0;
}

}  // namespace comredir::console::daemon
