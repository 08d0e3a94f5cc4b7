// comredir-console: the serial console gateway (`serve`) and its terminal client
// (`connect`, `list`, `disable`, `enable`).

#include <CLI/CLI.hpp>
#include <comredir/version.hpp>
#include <cstdlib>
#include <iostream>

#include "client.hpp"
#include "exit_codes.hpp"
#include "serve.hpp"

namespace {

constexpr const char* kFooter = R"(exit codes:
  0  stopped cleanly (serve), or done (client commands)
  1  runtime failure (serve: the event loop failed)
  2  usage error
  3  serve: invalid configuration or environment, found before listening (the config
     file, audit log, TLS files, listen address); the message names the file and setting

The gateway serves targets (`serial` ttys, `qemu` VMs' serial sockets with NMI and reset
over QMP, `redirected` client COM ports of comredir-redirector) over HTTPS and WebSocket,
TLS 1.2 or later. Users log in (PAM or a crypt(3) file), get a role per target (reader,
contributor, owner), and attach: one writer at a time, everyone else watches. Policy
(comredir.admx: SerialConsoleEnabled, SerialConsoleRoles, idle timeout, paste limit) is
read from the host's OS sources at every attach. Protocol: docs/console-protocol.md.

In a browser: https://HOST:PORT/ is the gateway's own web page (login, the target list, a
terminal with the seat, notices and commands); it is read at start from the config's
`webRoot`, else share/comredir/console-web beside the installed binary. docs/console-web.md.

The client commands log in as --user (default: $USER) with a password asked without echo
(or read from --password-file), check the gateway's certificate (system CAs, --ca FILE,
or --fingerprint as the gateway logs it at start) and never put a token in a URL.
In `connect`, Ctrl+] opens a menu: take over, ask for the seat, release, Break, NMI and
restart (each confirmed), the SAC channel switch, quit. The terminal is restored on exit.

examples:
  comredir-console serve --config /etc/comredir/comredir.json
  comredir-console list https://gw.example:7443
  comredir-console connect https://gw.example:7443 ttyS0 --takeover
  comredir-console connect https://gw.example:7443 vm1 --read-only --fingerprint AB:CD:...
  comredir-console disable https://gw.example:7443 ttyS0

client exit codes: 0 done or left, 1 the gateway refused or closed the attach, 2 usage,
4 the gateway could not be reached, TLS failed, or the login was refused)";

}  // namespace

int main(int argc, char** argv) {
    using namespace comredir::console::daemon;
    CLI::App app{"comredir-console: a serial console gateway with roles, one writer, audit",
                 "comredir-console"};
    app.footer(kFooter);
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("comredir-console ") + comredir::kVersion);
    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "serve the configured targets until SIGTERM");
    serve_cmd->add_option("--config", serve.config, "comredir config file (its `console` section)")
        ->required();
    serve_cmd->add_option("--listen", serve.listen,
                          "ADDR:PORT to listen on (overrides the config)");
    serve_cmd->add_option("--port-file", serve.port_file,
                          "write the port bound to this file (useful with port 0)");
    serve_cmd->add_flag("--verbose", serve.verbose, "debug lines in the log");
    ClientOptions client;
    if (const char* u = std::getenv("USER")) client.user = u;
    const auto client_flags = [&client](CLI::App* cmd) {
        cmd->add_option("url", client.url, "the gateway: https://HOST[:PORT]")->required();
        cmd->add_option("--user", client.user, "log in as this user (default: $USER)");
        cmd->add_option("--password-file", client.password_file,
                        "read the password from this file's first line (else: asked, no echo)");
        cmd->add_option("--ca", client.ca_file,
                        "trust the gateway's certificate from this PEM file");
        cmd->add_option("--fingerprint", client.fingerprint,
                        "pin the gateway's certificate by its SHA-256 (AB:CD:...)");
        cmd->add_flag("--insecure", client.insecure, "do not check the certificate (warns)");
    };
    ConnectOptions connect;
    auto* connect_cmd = app.add_subcommand("connect", "an interactive terminal on a target");
    client_flags(connect_cmd);
    connect_cmd->add_option("target", connect.target, "the target's name (see `list`)")->required();
    connect_cmd->add_flag("--read-only", connect.read_only, "watch as a spectator");
    connect_cmd->add_flag("--takeover", connect.takeover,
                          "take the writer seat even if someone holds it (they are told)");
    bool list_json = false;
    auto* list_cmd = app.add_subcommand("list", "targets, who is attached, seats, idle times");
    client_flags(list_cmd);
    list_cmd->add_flag("--json", list_json, "the gateway's JSON");
    std::string switch_target;
    auto* disable_cmd = app.add_subcommand(
        "disable", "owner: switch a target off (everyone on it is told and disconnected)");
    client_flags(disable_cmd);
    disable_cmd->add_option("target", switch_target, "the target's name")->required();
    auto* enable_cmd = app.add_subcommand("enable", "owner: switch a target on again");
    client_flags(enable_cmd);
    enable_cmd->add_option("target", switch_target, "the target's name")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitUsage;
    }
    if (serve_cmd->parsed()) return run_serve(serve);
    if (connect_cmd->parsed()) return run_connect(client, connect);
    if (list_cmd->parsed()) return run_list(client, list_json);
    if (disable_cmd->parsed()) return run_switch(client, switch_target, false);
    if (enable_cmd->parsed()) return run_switch(client, switch_target, true);
    return kExitUsage;
}
