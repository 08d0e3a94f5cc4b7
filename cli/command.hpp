#pragma once
// The CLI's command contract: each verb lives in its own file and registers
// itself on the root app; main() runs the one that was parsed.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace comredir::cli {

/// Documented exit codes (see `comredir-policy --help` and README).
enum ExitCode : int {
    exit_ok = 0,        ///< decision computed / command done
    exit_internal = 1,  ///< unexpected internal failure (a bug: please report)
    exit_usage = 2,     ///< bad command line
    exit_input = 3,     ///< unreadable or invalid input file (message names file and offset/line)
    exit_denied = 4,    ///< with --fail-on-deny: at least one decision is deny
    exit_not_set =
        5,  ///< `rdp get`, `intune get`, `hostpool get`: the file reads, NAME is not in it
};

/// A registered verb: `app` is its CLI11 node, `run` is called when it was parsed.
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

/// Error line on stderr: `comredir-policy: <message>` (message already lowercase, values in
/// backticks).
void print_error(const std::string& message);

std::vector<Command> add_effective(CLI::App& root);
std::vector<Command> add_matrix(CLI::App& root);
std::vector<Command> add_report(CLI::App& root);
std::vector<Command> add_gp(CLI::App& root);
std::vector<Command> add_admx(CLI::App& root);
std::vector<Command> add_intune(CLI::App& root);
std::vector<Command> add_rdp(CLI::App& root);
std::vector<Command> add_hostpool(CLI::App& root);
/// The `intune` group (created on first call, then returned): intune verbs attach to it.
CLI::App* intune_group(CLI::App& root);
/// `intune get|set|unset|export` (cmd_intune_edit.cpp), attached to the intune group.
std::vector<Command> add_intune_edit(CLI::App& intune);

}  // namespace comredir::cli
