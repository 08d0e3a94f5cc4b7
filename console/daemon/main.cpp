// comredir-console: the serial console gateway (`serve`) and its terminal client
// (`connect`, `list`, `disable`, `enable`).

#include <CLI/CLI.hpp>
#include <iostream>

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

examples:
  comredir-console serve --config /etc/comredir/comredir.json)";

}  // namespace

int main(int argc, char** argv) {
    using namespace comredir::console::daemon;
    CLI::App app{"comredir-console: a serial console gateway with roles, one writer, audit",
                 "comredir-console"};
    app.footer(kFooter);
    app.require_subcommand(1);
    app.set_version_flag("--version", "comredir-console 0.1.0");
    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "serve the configured targets until SIGTERM");
    serve_cmd->add_option("--config", serve.config, "comredir config file (its `console` section)")
        ->required();
    serve_cmd->add_option("--listen", serve.listen,
                          "ADDR:PORT to listen on (overrides the config)");
    serve_cmd->add_option("--port-file", serve.port_file,
                          "write the port bound to this file (useful with port 0)");
    serve_cmd->add_flag("--verbose", serve.verbose, "debug lines in the log");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitUsage;
    }
    if (serve_cmd->parsed()) return run_serve(serve);
    return kExitUsage;
}
