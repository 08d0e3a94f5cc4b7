// comredir-policy: reads the three layers that decide RDP device redirection
// and explains which one wins.

#include <comredir/version.hpp>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

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
  5  rdp get, intune get, hostpool get: the input reads, but the setting asked for
     is not set in it

examples:
  comredir-policy effective --config examples/comredir.json --host pool1
  comredir-policy effective --pol registry.pol --rdp client.rdp --product avd --feature com_ports --json
  comredir-policy matrix --feature com_ports
  comredir-policy gp dump --pol registry.pol --json
  comredir-policy admx install --central-store PolicyDefinitions)";

/// `a, b, c`: the subcommands of `app`; empty when it has none.
std::string subcommand_names(CLI::App& app) {
    std::string known;
    for (CLI::App* s : app.get_subcommands([](CLI::App*) { return true; })) {
        known += (known.empty() ? "" : ", ") + s->get_name();
    }
    return known;
}

/// When the command line names a subcommand that does not exist (`comredir-policy bogus`,
/// `comredir-policy rdp bogus`) or stops before one (`comredir-policy rdp`): the message for
/// it; empty otherwise. Walks the words before the first option down the subcommand tree.
std::string subcommand_problem(CLI::App& root, int argc, char** argv) {
    CLI::App* cur = &root;
    std::string path;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.empty() || word[0] == '-') break;
        const std::string known = subcommand_names(*cur);
        if (known.empty()) break;
        CLI::App* next = nullptr;
        for (CLI::App* s : cur->get_subcommands([](CLI::App*) { return true; })) {
            if (s->check_name(word)) next = s;
        }
        if (next == nullptr) {
            return (path.empty() ? "" : path + ": ") + "unknown subcommand `" + word +
                   "` (expected one of: " + known + "; run with --help for usage)";
        }
        path += (path.empty() ? "" : " ") + next->get_name();
        cur = next;
    }
    if (i == argc && !subcommand_names(*cur).empty()) {
        return (path.empty() ? "" : path + ": ") +
               "missing subcommand (expected one of: " + subcommand_names(*cur) +
               "; run with --help for usage)";
    }
    return "";
}

/// The top-level commands, each with the function that registers its whole subtree.
struct TopCommand {
    const char* name;
    std::vector<comredir::cli::Command> (*add)(CLI::App& root);
};
constexpr TopCommand kTopCommands[] = {
    {"effective", comredir::cli::add_effective}, {"matrix", comredir::cli::add_matrix},
    {"report", comredir::cli::add_report},       {"gp", comredir::cli::add_gp},
    {"admx", comredir::cli::add_admx},           {"intune", comredir::cli::add_intune},
    {"hostpool", comredir::cli::add_hostpool},   {"rdp", comredir::cli::add_rdp}};

/// The command the line names (`effective` in `comredir-policy effective --host pool1`), or
/// nullptr when it names none (`--help`, `--version`, no word, an unknown word): then every
/// command is registered. Registering one subtree instead of all seven is most of a short
/// command's start-up (bench/README.md, `effective --host pool1`).
const TopCommand* named_command(int argc, char** argv) {
    if (argc < 2) return nullptr;
    const std::string_view word = argv[1];
    for (const TopCommand& c : kTopCommands) {
        if (word == c.name) return &c;
    }
    return nullptr;
}

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
    app.set_version_flag("--version", std::string("comredir-policy ") + comredir::kVersion);
    app.set_help_all_flag("--help-all", "print help for every subcommand");

    std::vector<Command> commands;
    const TopCommand* named = named_command(argc, argv);
    for (const TopCommand& c : kTopCommands) {
        if (named != nullptr && named != &c) continue;
        auto cs = c.add(app);
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
        const std::string unknown = subcommand_problem(app, argc, argv);
        print_error(!unknown.empty() ? unknown
                                     : e.what() + std::string(" (run with --help for usage)"));
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
