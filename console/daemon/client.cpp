#include "client.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <comredir/console/keys.hpp>
#include <comredir/console/protocol.hpp>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>

#include "beast.hpp"
#include "exit_codes.hpp"

namespace comredir::console::daemon {

namespace {

constexpr unsigned char kEscapeKey = 0x1d;  // Ctrl+]

void say(const std::string& line) {
    std::cerr << "comredir-console: " << line << '\n';
}

struct Url {
    std::string host;
    std::string port = "443";
};

std::optional<Url> parse_url(const std::string& text, std::string& error) {
    constexpr std::string_view kScheme = "https://";
    std::string_view s(text);
    if (!s.starts_with(kScheme)) {
        error = "url `" + text + "`: use https://HOST[:PORT]";
        return std::nullopt;
    }
    s.remove_prefix(kScheme.size());
    s = s.substr(0, s.find('/'));
    Url u;
    if (s.starts_with('[')) {
        const auto close = s.find(']');
        if (close == std::string_view::npos) {
            error = "url `" + text + "`: unclosed `[`";
            return std::nullopt;
        }
        u.host = std::string(s.substr(1, close - 1));
        if (close + 1 < s.size() && s[close + 1] == ':') u.port = std::string(s.substr(close + 2));
    } else {
        const auto colon = s.rfind(':');
        u.host = std::string(s.substr(0, colon));
        if (colon != std::string_view::npos) u.port = std::string(s.substr(colon + 1));
    }
    if (u.host.empty() || u.port.empty()) {
        error = "url `" + text + "`: no host or port";
        return std::nullopt;
    }
    return u;
}

/// `AB:CD:...` of a certificate's DER, as the gateway logs it.
std::string fingerprint_of(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return {};
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned i = 0; i < n; ++i) {
        if (i) out += ':';
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

std::string upper_hex(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

/// A TLS connection to the gateway, its certificate checked as the options say.
class Connection {
  public:
    Connection(asio::io_context& loop, const ClientOptions& o, Url url)
        : loop_(loop), o_(o), url_(std::move(url)), tls_(ssl::context::tls_client) {}

    bool open(beast::ssl_stream<beast::tcp_stream>& stream, std::string& error) {
        // SNI (SSL_set_tlsext_host_name, without its C cast).
        SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(url_.host.c_str()));
        if (!o_.fingerprint.empty()) {
            const std::string want = upper_hex(o_.fingerprint);
            stream.set_verify_mode(ssl::verify_peer);
            stream.set_verify_callback([want](bool, ssl::verify_context& ctx) {
                X509* cert = X509_STORE_CTX_get_current_cert(ctx.native_handle());
                // The chain above the pinned certificate does not matter; the leaf must match.
                if (X509_STORE_CTX_get_error_depth(ctx.native_handle()) > 0) return true;
                return fingerprint_of(cert) == want;
            });
        } else if (!o_.insecure) {
            stream.set_verify_mode(ssl::verify_peer);
            stream.set_verify_callback(ssl::host_name_verification(url_.host));
        }
        error_code ec;
        tcp::resolver resolver(loop_);
        const auto found = resolver.resolve(url_.host, url_.port, ec);
        if (ec) {
            error = "cannot resolve `" + url_.host + "`: " + ec.message();
            return false;
        }
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
        beast::get_lowest_layer(stream).connect(found, ec);
        if (ec) {
            error = "cannot connect to `" + url_.host + ":" + url_.port + "`: " + ec.message();
            return false;
        }
        stream.handshake(ssl::stream_base::client, ec);
        if (ec) {
            error = "tls with `" + url_.host + ":" + url_.port + "` failed: " + ec.message() +
                    (o_.fingerprint.empty()
                         ? std::string(" (check the certificate, or pin it with --fingerprint)")
                         : std::string(" (the certificate does not match --fingerprint)"));
            return false;
        }
        beast::get_lowest_layer(stream).expires_never();
        return true;
    }

    bool setup(std::string& error) {
        SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
        error_code ec;
        if (!o_.ca_file.empty()) {
            tls_.load_verify_file(o_.ca_file, ec);
            if (ec) {
                error = o_.ca_file + ": " + ec.message();
                return false;
            }
        } else {
            tls_.set_default_verify_paths(ec);
        }
        if (o_.insecure) say("warning: --insecure: the gateway's certificate is not checked");
        return true;
    }

    http::response<http::string_body> request(http::verb verb, const std::string& path,
                                              const std::string& body, const std::string& cookie,
                                              const std::string& csrf, std::string& error) {
        http::response<http::string_body> res;
        beast::ssl_stream<beast::tcp_stream> stream(loop_, tls_);
        if (!open(stream, error)) return res;
        http::request<http::string_body> req{verb, path, 11};
        req.set(http::field::host, host_header());
        req.set(http::field::user_agent, "comredir-console");
        if (!cookie.empty()) req.set(http::field::cookie, cookie);
        if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
        if (!body.empty()) {
            req.set(http::field::content_type, "application/json");
            req.body() = body;
        }
        req.prepare_payload();
        error_code ec;
        http::write(stream, req, ec);
        beast::flat_buffer buf;
        if (!ec) http::read(stream, buf, res, ec);
        if (ec) error = "`" + path + "`: " + ec.message();
        stream.shutdown(ec);
        return res;
    }

    std::string host_header() const {
        const bool v6 = url_.host.find(':') != std::string::npos;
        return (v6 ? "[" + url_.host + "]" : url_.host) + ":" + url_.port;
    }
    ssl::context& tls() { return tls_; }
    const Url& url() const { return url_; }

  private:
    asio::io_context& loop_;
    const ClientOptions& o_;
    Url url_;
    ssl::context tls_;
};

/// The password: from the file's first line, or asked on the terminal without echo.
bool read_password(const ClientOptions& o, std::string& out, std::string& error) {
    if (!o.password_file.empty()) {
        std::ifstream in(o.password_file);
        if (!in || !std::getline(in, out)) {
            error = o.password_file + ": cannot read the password";
            return false;
        }
        return true;
    }
    const int fd = ::isatty(0) ? 0 : -1;
    if (fd < 0) {
        error = "no terminal to ask for the password: use --password-file";
        return false;
    }
    termios saved{};
    tcgetattr(fd, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    // Echo off first, then the prompt: whatever is typed after the prompt is never shown.
    tcsetattr(fd, TCSAFLUSH, &quiet);
    std::cerr << "password for " << o.user << ": " << std::flush;
    std::getline(std::cin, out);
    tcsetattr(fd, TCSAFLUSH, &saved);
    std::cerr << '\n';
    return true;
}

struct Login {
    std::string cookie;  ///< `comredir_session=...`
    std::string csrf;
};

/// Logs in; returns an exit code (kExitOk on success).
int login(Connection& c, const ClientOptions& o, Login& out) {
    std::string password;
    std::string error;
    if (!read_password(o, password, error)) {
        say(error);
        return kExitConnect;
    }
    const std::string body = json{{"user", o.user}, {"password", password}}.dump();
    std::fill(password.begin(), password.end(), '\0');
    auto res = c.request(http::verb::post, "/login", body, "", "", error);
    if (!error.empty()) {
        say(error);
        return kExitConnect;
    }
    const auto j = json::parse(res.body(), nullptr, false);
    if (res.result() != http::status::ok) {
        say("login as `" + o.user + "`: " +
            (j.is_object() ? j.value("error", std::string("refused")) : std::string("refused")) +
            " (HTTP " + std::to_string(res.result_int()) + ")");
        return kExitConnect;
    }
    const auto cookie = res[http::field::set_cookie];
    out.cookie = std::string(cookie.substr(0, cookie.find(';')));
    out.csrf = j.is_object() ? j.value("csrf", std::string()) : std::string();
    return kExitOk;
}

/// Raw mode on the terminal while connected; the saved mode comes back on every exit path
/// (the destructor, and SIGTERM/SIGHUP through the session's signal set).
class RawTerminal {
  public:
    RawTerminal() {
        if (::isatty(0) && tcgetattr(0, &saved_) == 0) {
            termios raw = saved_;
            cfmakeraw(&raw);
            if (tcsetattr(0, TCSAFLUSH, &raw) == 0) active_ = true;
        }
    }
    ~RawTerminal() { restore(); }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;
    void restore() {
        if (active_) tcsetattr(0, TCSAFLUSH, &saved_);
        active_ = false;
    }

  private:
    termios saved_{};
    bool active_ = false;
};

void write_all(int fd, const void* data, std::size_t n) {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}

/// One interactive attach: the WebSocket's frames to the terminal, the keyboard to the
/// WebSocket, Ctrl+] for the menu.
class Session {
  public:
    Session(asio::io_context& loop, websocket::stream<beast::ssl_stream<beast::tcp_stream>>& ws,
            std::string target)
        : loop_(loop),
          ws_(ws),
          input_(loop, ::dup(0)),
          signals_(loop, SIGTERM, SIGHUP),
          target_(std::move(target)) {}

    int run() {
        signals_.async_wait([this](error_code ec, int) {
            if (ec) return;
            status("signal: closing");
            quit();
        });
        read_ws();
        read_keys();
        loop_.run();
        return exit_code_;
    }

  private:
    void status(const std::string& line) {
        const std::string s = "\r\n[console] " + line + "\r\n";
        write_all(2, s.data(), s.size());
    }

    void read_ws() {
        ws_.async_read(buffer_, [this](error_code ec, std::size_t) {
            if (ec) return closed(ec);
            const auto data = buffer_.cdata();
            const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
            if (ws_.got_text())
                on_control(bytes);
            else
                write_all(1, bytes.data(), bytes.size());
            buffer_.consume(buffer_.size());
            read_ws();
        });
    }

    void on_control(std::string_view text) {
        const auto j = json::parse(text, nullptr, false);
        if (!j.is_object()) return;
        const std::string type = j.value("type", "");
        if (type == "hello") {
            sac_ = j["target"].value("windowsSac", false);
            status("attached to `" + target_ + "` as `" + j.value("role", "") + "`, " +
                   j.value("seat", "") +
                   (j["writer"].is_object() && j.value("seat", "") != "writer"
                        ? " (`" + j["writer"].value("user", "") + "` writes)"
                        : "") +
                   "; Ctrl+] for the menu" + (sac_ ? "; function keys go as EMS sequences" : ""));
        } else if (type == "notice") {
            status(j.value("text", ""));
            const std::string code = j.value("code", "");
            if (code == "refused" || code == "no_role" || code == "off" || code == "policy") {
                if (!attached_) exit_code_ = kExitRuntime;
            }
        } else if (type == "pause") {
            paused_ = true;
        } else if (type == "resume") {
            paused_ = false;
            read_keys();
        }
        if (type == "hello") attached_ = true;
    }

    void read_keys() {
        if (reading_keys_ || paused_ || done_) return;
        reading_keys_ = true;
        input_.async_read_some(asio::buffer(keys_), [this](error_code ec, std::size_t n) {
            reading_keys_ = false;
            if (ec) {
                if (ec == asio::error::eof) return quit();  // stdin closed: leave
                return;
            }
            on_keys(std::string_view(reinterpret_cast<const char*>(keys_.data()), n));
            read_keys();
        });
    }

    void send_bytes(std::string_view bytes) {
        if (bytes.empty()) return;
        const std::string out = sac_ ? ems_translate(bytes) : std::string(bytes);
        queue_.push_back({false, out});
        pump();
    }

    void send_control(const json& j) {
        queue_.push_back({true, j.dump()});
        pump();
    }

    void pump() {
        if (writing_ || queue_.empty()) return;
        writing_ = true;
        ws_.text(queue_.front().first);
        ws_.async_write(asio::buffer(queue_.front().second), [this](error_code ec, std::size_t) {
            writing_ = false;
            queue_.pop_front();
            if (ec) return;
            pump();
        });
    }

    void on_keys(std::string_view keys) {
        std::size_t start = 0;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const auto c = static_cast<unsigned char>(keys[i]);
            if (menu_) {
                send_bytes(keys.substr(start, i - start));
                start = i + 1;
                menu(c);
                continue;
            }
            if (c == kEscapeKey) {
                send_bytes(keys.substr(start, i - start));
                start = i + 1;
                menu_ = true;
                status(
                    "menu: t take over, w ask for the seat, r release, b send Break, n NMI, "
                    "R restart, s SAC channel switch (Esc Tab), q quit, Ctrl+] a literal "
                    "Ctrl+]; any other key: back");
            }
        }
        send_bytes(keys.substr(start));
    }

    void menu(unsigned char c) {
        if (confirm_) {
            const std::string what = *confirm_;
            confirm_.reset();
            menu_ = false;
            if (c == 'y' || c == 'Y')
                send_control({{"type", what}});
            else
                status(what + ": not sent");
            return;
        }
        menu_ = false;
        // Menu keys that send one control message at once.
        static constexpr std::pair<unsigned char, const char*> kDirect[] = {
            {'t', "takeover"}, {'w', "request"}, {'r', "release"}, {'b', "break"}};
        for (const auto& [key, type] : kDirect) {
            if (c == key) return send_control({{"type", type}});
        }
        switch (c) {
            case 'n':
            case 'R':
                confirm_ = c == 'n' ? "nmi" : "restart";
                menu_ = true;
                status(std::string(c == 'n' ? "send an NMI to `" : "restart `") + target_ +
                       "`? y to confirm, any other key to cancel");
                break;
            case 's':
                send_bytes(kSacChannelSwitch);
                break;
            case 'q':
                quit();
                break;
            case kEscapeKey:
                queue_.push_back({false, std::string(1, static_cast<char>(kEscapeKey))});
                pump();
                break;
            default:
                status("menu closed");
        }
    }

    void quit() {
        if (done_) return;
        done_ = true;
        error_code ignored;
        input_.cancel(ignored);
        signals_.cancel(ignored);
        ws_.async_close(websocket::close_code::normal, [](error_code) {});
    }

    void closed(error_code ec) {
        const bool by_user = done_;
        done_ = true;
        error_code ignored;
        input_.cancel(ignored);
        input_.close(ignored);
        signals_.cancel(ignored);
        const auto reason = ws_.reason();
        if (ec == websocket::error::closed) {
            const std::string why(reason.reason.data(), reason.reason.size());
            status(why.empty() ? std::string("closed") : "closed: " + why);
            if (!by_user && reason.code != websocket::close_code::normal &&
                reason.code != websocket::close_code::going_away)
                exit_code_ = kExitRuntime;
        } else if (!by_user) {
            status("connection lost: " + ec.message());
            exit_code_ = kExitRuntime;
        }
    }

    asio::io_context& loop_;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>>& ws_;
    asio::posix::stream_descriptor input_;
    asio::signal_set signals_;
    std::string target_;
    beast::flat_buffer buffer_;
    std::array<std::uint8_t, 4096> keys_{};
    std::deque<std::pair<bool, std::string>> queue_;
    std::optional<std::string> confirm_;
    bool writing_ = false;
    bool reading_keys_ = false;
    bool paused_ = false;
    bool menu_ = false;
    bool sac_ = false;
    bool done_ = false;
    bool attached_ = false;
    int exit_code_ = kExitOk;
};

/// What every client command starts with: the URL, the TLS settings, the login.
struct Opened {
    int code = kExitOk;
    std::unique_ptr<Connection> connection;
    Login login;
};

Opened open_and_login(asio::io_context& loop, const ClientOptions& o) {
    Opened r;
    std::string error;
    auto url = parse_url(o.url, error);
    if (!url) {
        say(error);
        r.code = kExitUsage;
        return r;
    }
    r.connection = std::make_unique<Connection>(loop, o, *url);
    if (!r.connection->setup(error)) {
        say(error);
        r.code = kExitConnect;
        return r;
    }
    r.code = login(*r.connection, o, r.login);
    return r;
}

}  // namespace

int run_connect(const ClientOptions& o, const ConnectOptions& opts) {
    asio::io_context loop;
    Opened opened = open_and_login(loop, o);
    if (opened.code != kExitOk) return opened.code;
    Connection& c = *opened.connection;
    const Login& l = opened.login;
    std::string error;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(loop, c.tls());
    if (!c.open(ws.next_layer(), error)) {
        say(error);
        return kExitConnect;
    }
    ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
        req.set(http::field::cookie, l.cookie);
        req.set(http::field::sec_websocket_protocol,
                std::string(kSubprotocol) + ", " + std::string(kCsrfPrefix) + l.csrf);
        req.set(http::field::user_agent, "comredir-console");
    }));
    ws.read_message_max(std::size_t{4} * 1024 * 1024);
    std::string path =
        "/api/targets/" + opts.target + "/ws?mode=" + (opts.read_only ? "read" : "write");
    if (opts.takeover) path += "&takeover=1";
    websocket::response_type res;
    error_code ec;
    ws.handshake(res, c.host_header(), path, ec);
    if (ec) {
        say("attach to `" + opts.target + "`: " +
            (res.result_int() != 0
                 ? "HTTP " + std::to_string(res.result_int()) + " " + std::string(res.reason())
                 : ec.message()));
        return kExitRuntime;
    }
    RawTerminal raw;
    Session s(loop, ws, opts.target);
    const int rc = s.run();
    raw.restore();
    return rc;
}

int run_list(const ClientOptions& o, bool as_json) {
    asio::io_context loop;
    Opened opened = open_and_login(loop, o);
    if (opened.code != kExitOk) return opened.code;
    Connection& c = *opened.connection;
    const Login& l = opened.login;
    std::string error;
    auto res = c.request(http::verb::get, "/api/targets", "", l.cookie, "", error);
    if (!error.empty()) {
        say(error);
        return kExitConnect;
    }
    const auto j = json::parse(res.body(), nullptr, false);
    if (res.result() != http::status::ok || !j.is_object()) {
        say("list: HTTP " + std::to_string(res.result_int()));
        return kExitRuntime;
    }
    if (as_json) {
        std::cout << j["targets"].dump(2) << '\n';
        return kExitOk;
    }
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (const auto& t : j["targets"]) {
        std::string state =
            t.value("enabled", false) ? (t.value("open", false) ? "up" : "closed") : "off";
        std::cout << t.value("name", "") << "  " << t.value("type", "") << "  " << state
                  << "  role " << (t["role"].is_string() ? t["role"].get<std::string>() : "-");
        if (t["writer"].is_object())
            std::cout << "  writer " << t["writer"].value("user", "") << " for "
                      << (now_ms - t["writer"].value("since", now_ms)) / 1000 << " s";
        std::cout << '\n';
        if (t.contains("offReason")) std::cout << "    off: " << t.value("offReason", "") << '\n';
        for (const auto& m : t["attached"])
            std::cout << "    " << m.value("user", "") << "  " << m.value("seat", "") << "  "
                      << m.value("role", "") << "  from " << m.value("address", "") << "  idle "
                      << m.value("idleSeconds", 0) << " s\n";
    }
    return kExitOk;
}

int run_switch(const ClientOptions& o, const std::string& target, bool on) {
    asio::io_context loop;
    Opened opened = open_and_login(loop, o);
    if (opened.code != kExitOk) return opened.code;
    Connection& c = *opened.connection;
    const Login& l = opened.login;
    std::string error;
    auto res = c.request(http::verb::post, "/api/targets/" + target + (on ? "/enable" : "/disable"),
                         "", l.cookie, l.csrf, error);
    if (!error.empty()) {
        say(error);
        return kExitConnect;
    }
    const auto j = json::parse(res.body(), nullptr, false);
    const std::string text =
        j.is_object()
            ? j.value(res.result() == http::status::ok ? "message" : "error", std::string())
            : std::string();
    if (res.result() != http::status::ok) {
        say(text.empty() ? "HTTP " + std::to_string(res.result_int()) : text);
        return kExitRuntime;
    }
    std::cout << text << '\n';
    return kExitOk;
}

}  // namespace comredir::console::daemon
