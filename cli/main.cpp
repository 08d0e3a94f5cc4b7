// comredir-policy: reads the three layers that decide RDP device redirection
// and explains which one wins.

#include <iostream>

#include "command.hpp"

namespace comredir::cli {

void print_error(const std::string& message) {
    std::cerr << "comredir-policy: " << message << '\n';
}

}  // namespace comredir::cli

namespace {

constexpr const char* kFooter = R"(exit codes:
  0  decision computed (or command done)
  1  internal error (a bug: please report it)
  2  usage error
  3  unreadable or invalid input (the message names the file and the offset or line)
  4  with --fail-on-deny: at least one feature is denied

examples:
  comredir-policy effective --config examples/comredir.json --host pool1
  comredir-policy effective --pol registry.pol --rdp client.rdp --product avd --feature com_ports --json
  comredir-policy matrix --feature com_ports
  comredir-policy gp dump --pol registry.pol --json
  comredir-policy admx install --central-store PolicyDefinitions)";

}  // namespace

int main(int argc, char** argv) {
    using namespace comredir::cli;
    CLI::App app{
        "comredir-policy: will this device be redirected into this remote session, and if not, "
        "which "
        "setting in which layer (OS policy, host pool, client .rdp) stops it?",
        "comredir-policy"};
    app.footer(kFooter);
    app.require_subcommand(1);
    app.set_version_flag("--version", "comredir-policy 0.1.0");
    app.set_help_all_flag("--help-all", "print help for every subcommand");

    std::vector<Command> commands;
    for (auto add :
         {add_effective, add_matrix, add_gp, add_admx, add_intune, add_hostpool, add_rdp}) {
        auto cs = add(app);
        commands.insert(commands.end(), cs.begin(), cs.end());
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);  // help goes to stdout
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_error(e.what() + std::string(" (run with --help for usage)"));
        return exit_usage;
    }

    try {
        for (const auto& c : commands) {
            if (c.app->parsed()) return c.run();
        }
    } catch (const std::bad_alloc&) {
        print_error("out of memory");
        return exit_internal;
    } catch (const std::exception& e) {
        print_error(std::string("internal error: ") + e.what());
        return exit_internal;
    }
    print_error("no command given (run with --help for usage)");
    return exit_usage;
}
