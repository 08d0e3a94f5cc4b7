#include "serve.hpp"

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <comredir/host/log.hpp>
#include <comredir/host/tls_cert.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "config.hpp"
#include "exit_codes.hpp"
#include "gateway.hpp"
#include "policy_view.hpp"
#include "server.hpp"
#include "web_assets.hpp"

namespace comredir::console::daemon {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

void fail(const std::string& message) {
    std::cerr << "comredir-console: " << message << '\n';
}

/// After SIGTERM: clients get their notices and close frames, then the loop ends (at most
/// a few seconds later, however slow a client is).
void wind_down(asio::io_context& loop, Gateway& gateway, asio::steady_timer& timer, int left) {
    if ((gateway.clients() == 0 && Server::websockets() == 0) || left == 0) {
        loop.stop();
        return;
    }
    timer.expires_after(std::chrono::milliseconds(50));
    timer.async_wait([&loop, &gateway, &timer, left](boost::system::error_code) {
        wind_down(loop, gateway, timer, left - 1);
    });
}

/// The config's `webRoot` (an error if it cannot be read), else the first default folder
/// that holds the page, else none (`/` then serves a text note).
std::optional<WebAssets> load_page(const ConsoleConfig& c, std::string& error) {
    if (!c.web_root.empty()) {
        auto r = load_web_assets(c.web_root);
        if (!r.ok) {
            error = c.path + ": /console/webRoot: " + r.error;
            return std::nullopt;
        }
        return std::move(r.assets);
    }
    for (const auto& root : default_web_roots()) {
        auto r = load_web_assets(root);
        if (r.ok) return std::move(r.assets);
    }
    return WebAssets{};
}

}  // namespace

int run_serve(const ServeOptions& o) {
    host::set_log_verbose(o.verbose);
    ::signal(SIGPIPE, SIG_IGN);
    std::error_code abs_ec;
    auto r = read_console_config(fs::absolute(o.config, abs_ec).lexically_normal().string());
    if (!r.ok()) {
        fail(r.message);
        return kExitConfig;
    }
    ConsoleConfig c = std::move(r.config);
    if (o.listen) {
        std::string error;
        if (!host::parse_listen(*o.listen, c.listen_host, c.listen_port, error, true)) {
            fail("--listen: " + error);
            return kExitUsage;
        }
    }
    std::string error;
    const auto web = load_page(c, error);
    if (!web) {
        fail(error);
        return kExitConfig;
    }
    const ConsolePolicy policy = read_console_policy(c);
    host::log_info("policy: " + policy.reason);
    for (const auto& note : policy.notes) host::log_warning("policy: " + note);
    const std::string audit_path = policy.audit_log.empty() ? c.audit_log : policy.audit_log;
    auto auth = c.auth.method == host::AuthMethod::file
                    ? host::make_file_authenticator(c.auth.credentials_file)
                    : host::make_pam_authenticator(c.auth.pam_service);
    const std::string auth_text = auth->describe();

    asio::io_context loop(1);
    Gateway gateway(c, loop, std::move(auth), audit_path);
    if (!gateway.start(error)) {
        fail(c.path + ": audit log: " + error);
        return kExitConfig;
    }
    const host::TlsFiles tls = host::prepare_tls(tls_settings(c));  // last: it may generate
    if (!tls.ok) {
        fail(c.path + ": /console/" + (c.certificate.empty() ? "stateDir" : "tls") +
             ": tls: " + tls.message);
        return kExitConfig;
    }
    Server server(loop, gateway, *web);
    if (!server.listen(c.listen_host, c.listen_port, tls.certificate, tls.key, error)) {
        host::discard_generated_tls(tls);
        fail(c.path + ": " + error);
        return kExitConfig;
    }
    host::log_info(
        std::string(tls.generated ? "generated a self-signed certificate `" : "tls certificate `") +
        tls.certificate + "`, sha256 fingerprint `" + tls.fingerprint + "`; tls 1.2 or later only");
    host::log_info(web->root.empty()
                       ? std::string("no web page found (config `webRoot`); `/` serves a text note")
                       : "web page from `" + web->root + "`");
    host::log_info("logins checked by " + auth_text + "; audit log `" + audit_path + "`");
    host::log_info("listening on `" + c.listen_host + ":" + std::to_string(server.port()) +
                   "` for " + std::to_string(c.targets.size()) + " target(s)");
    if (!o.port_file.empty()) {
        // For tests and supervisors that start it on port 0: the port actually bound.
        std::ofstream(o.port_file) << server.port() << '\n';
    }

    asio::signal_set signals(loop, SIGINT, SIGTERM);
    asio::steady_timer grace(loop);
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec) return;
        host::log_info(std::string("stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                       ": telling everyone attached");
        server.stop();
        gateway.shutdown();
        wind_down(loop, gateway, grace, 100);
    });
    try {
        loop.run();
    } catch (const std::exception& e) {
        fail(std::string("event loop: ") + e.what());
        return kExitRuntime;
    }
    host::log_info("stopped");
    return kExitOk;
}

}  // namespace comredir::console::daemon
