// comredir-redirector: the RDP endpoint of comredir's serial redirection. It accepts RDP
// clients (FreeRDP server library, TLS), checks their logins, and carries the `rdpdr`
// channel to the session layer.

#include <freerdp/channels/channels.h>
#include <signal.h>
#include <winpr/ssl.h>
#include <winpr/wlog.h>
#include <winpr/wtsapi.h>

#include <CLI/CLI.hpp>
#include <comredir/host/log.hpp>
#include <comredir/host/logins.hpp>
#include <comredir/host/run_dir.hpp>
#include <comredir/host/tls_cert.hpp>
#include <comredir/version.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "cmd_ports.hpp"
#include "daemon_config.hpp"
#include "exit_codes.hpp"
#include "listener.hpp"
#include "login_audit.hpp"
#include "policy_watch.hpp"
#include "preflight.hpp"
#include "server.hpp"
#include "session_handler.hpp"

namespace {

using namespace comredir::redirector::daemon;
namespace fs = std::filesystem;
namespace host = comredir::host;

constexpr const char* kFooter = R"(exit codes:
  0  stopped cleanly (SIGTERM or SIGINT)
  1  runtime failure after start (the event loop failed, internal error)
  2  usage error
  3  invalid configuration or environment, found at start before listening: the config
     file, `host` not in `hosts`, run dir, state dir, audit log, users file, TLS files,
     the listen address (the message names the file and the setting); nothing generated
     is left behind

At start a preflight logs one `preflight:` line per check: the `com_ports` decision for
this host with each layer's source, the audit log, the logins. A policy that denies
(or cannot be read, so fails closed) is a warning: the daemon runs and denies every port.

examples:
  comredir-redirector serve --config /etc/comredir/comredir.json --listen 0.0.0.0:3389
  comredir-redirector ports --run-dir /run/comredir --json

Clients connect with any RDP client that redirects serial ports, e.g.
  xfreerdp /v:HOST /u:USER /p:PASSWORD /sec:tls /serial:COM1,/dev/ttyUSB0
Each port policy allows becomes <run-dir>/<session>/<PORT> on this host (see `ports`).
This endpoint carries device redirection only: there is no desktop.)";

struct ServeOptions {
    std::string config;
    std::optional<std::string> listen;
    std::optional<std::string> run_dir;
    std::optional<std::string> capture;
    bool verbose = false;
};

void fail(const std::string& message) {
    std::cerr << "comredir-redirector: " << message << '\n';
}

// Everything that can fail before listening, reported on stderr with the config's path;
// nothing is generated until everything else is known to be right.
int prepare(const ServeOptions& o, ServerContext& server,
            std::unique_ptr<host::Authenticator>& auth) {
    // Absolute, so relative paths in it (resolved against its folder) are absolute too.
    std::error_code abs_ec;
    auto r = read_daemon_config(fs::absolute(o.config, abs_ec).lexically_normal().string());
    if (!r.ok()) {
        fail(r.message);
        return kExitConfig;
    }
    server.config = r.config;
    auto& c = server.config;
    if (o.listen) {
        std::string error;
        if (!parse_listen(*o.listen, c.listen_host, c.listen_port, error)) {
            fail("--listen: " + error);
            return kExitUsage;
        }
    }
    if (o.run_dir) c.run_dir = fs::absolute(*o.run_dir, abs_ec).lexically_normal().string();
    const PreflightResult pre = run_preflight(c);
    for (const auto& line : pre.lines) {
        if (line.warning) {
            host::log_warning(line.text);
        } else {
            host::log_info(line.text);
        }
    }
    if (!pre.ok()) {
        fail(*pre.fatal);
        return kExitConfig;
    }
    auth = c.auth == AuthMethod::file ? host::make_file_authenticator(c.credentials_file)
                                      : host::make_pam_authenticator(c.pam_service);
    server.auth = auth.get();
    std::string run_error;
    if (!host::prepare_run_dir(c.run_dir, run_error)) {
        fail(c.path + ": /redirector/runDir: " + run_error);
        return kExitConfig;
    }
    server.tls = host::prepare_tls(tls_settings(c));  // last: it may generate a pair
    if (!server.tls.ok) {
        fail(c.path + ": /redirector/" + (c.certificate.empty() ? "stateDir" : "tls") +
             ": tls: " + server.tls.message);
        return kExitConfig;
    }
    if (server.tls.generated) {
        host::log_info("generated a self-signed certificate `" + server.tls.certificate +
                       "` (key `" + server.tls.key + "`), sha256 fingerprint `" +
                       server.tls.fingerprint +
                       "`: clients warn until they trust it; configure /redirector/tls to use your "
                       "own");
    } else {
        host::log_info("tls certificate `" + server.tls.certificate + "` (" + server.tls.subject +
                       "), sha256 fingerprint `" + server.tls.fingerprint + "`");
    }
    host::log_info("logins checked by " + auth->describe() +
                   "; tls only (nla and rdp security off)");
    return kExitOk;
}

int run_serve(const ServeOptions& o) {
    host::set_log_verbose(o.verbose);
    // SIGTERM/SIGINT are taken by the listener's signalfd: block them before any thread
    // starts so every thread inherits the mask. A client that vanishes must not kill us.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    // FreeRDP logs through WLog; keep it to errors (warnings with --verbose) unless the
    // operator asked otherwise with WLOG_LEVEL. Never debug: it can print PDUs.
    if (std::getenv("WLOG_LEVEL") == nullptr)
        WLog_SetLogLevel(WLog_GetRoot(), o.verbose ? WLOG_WARN : WLOG_ERROR);

    ServerContext server;
    std::unique_ptr<host::Authenticator> auth;
    if (int rc = prepare(o, server, auth); rc != kExitOk) return rc;
    SessionShared shared;
    shared.gate.policy_config = server.config.path;
    if (!server.config.host.empty()) shared.gate.host = server.config.host;
    shared.audit_fallback = server.config.audit_log;
    if (o.capture) {
        shared.capture_dir = *o.capture;
        host::log_info("recording every client rdpdr message under `" + *o.capture +
                       "/<connection>/NNN.bin` (diagnostics)");
    }
    host::log_info("policy: config `" + server.config.path + "`" +
                   (server.config.host.empty() ? std::string(" (no host entry)")
                                               : ", host `" + server.config.host + "`") +
                   "; ports appear under `" + server.config.run_dir + "`");
    server.factory = [&shared](const ConnectionInfo& info) {
        return make_session_handler(shared, info);
    };
    server.login_refused = [&shared](const ConnectionInfo& info, std::string_view reason) {
        audit_login_failed(shared, info, reason);
    };
    const auto policy_watch = start_policy_watch(server.config, shared.policy_changes);
    winpr_InitializeSSL(WINPR_SSL_INIT_DEFAULT);
    WTSRegisterWtsApiFunctionTable(FreeRDP_InitWtsApi());
    const int rc = serve(server);
    // Could not listen: a certificate made for this start must not outlive it.
    if (rc == kExitConfig) host::discard_generated_tls(server.tls);
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"comredir-redirector: the RDP endpoint of comredir's serial port redirection",
                 "comredir-redirector"};
    app.footer(kFooter);
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("comredir-redirector ") + comredir::kVersion);
    ServeOptions o;
    auto* serve_cmd = app.add_subcommand("serve", "accept RDP clients until SIGTERM");
    serve_cmd->add_option("--config", o.config, "comredir config file (its `redirector` section)")
        ->required();
    serve_cmd->add_option("--listen", o.listen, "ADDR:PORT to listen on (overrides the config)");
    serve_cmd->add_option("--run-dir", o.run_dir, "per-session files (overrides the config)");
    serve_cmd->add_option("--capture", o.capture,
                          "diagnostics: also record every client rdpdr message as "
                          "DIR/<connection>/NNN.bin");
    serve_cmd->add_flag("--verbose", o.verbose, "debug lines in the log, with the rdpdr PDU flow");
    std::string ports_run_dir = "/run/comredir";
    std::optional<std::string> ports_config;
    bool ports_json = false;
    auto* ports_cmd = app.add_subcommand(
        "ports", "list every redirected port: session, client, user, port name, local path");
    ports_cmd->add_option("--run-dir", ports_run_dir, "the daemon's run directory")
        ->capture_default_str();
    ports_cmd->add_option("--config", ports_config, "take the run directory from this config");
    ports_cmd->add_flag("--json", ports_json, "machine-readable output");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fail(e.what() + std::string(" (run with --help for usage)"));
        return kExitUsage;
    }
    try {
        if (ports_cmd->parsed()) {
            std::string dir = ports_run_dir;
            if (ports_config && ports_cmd->count("--run-dir") == 0) {
                auto r = read_daemon_config(*ports_config);
                if (!r.ok()) {
                    fail(r.message);
                    return kExitConfig;
                }
                dir = r.config.run_dir;
            }
            return list_ports_command(dir, ports_json);
        }
        return run_serve(o);
    } catch (const std::exception& e) {
        fail(std::string("internal error: ") + e.what());
        return kExitRuntime;
    }
}
