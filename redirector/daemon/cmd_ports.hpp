#pragma once
// `comredir-redirector ports`: every redirected port, like Windows' chgport.

#include <string>

namespace comredir::redirector::daemon {

/// Prints the ports under `run_dir` (a table, or JSON); returns the exit code.
int list_ports_command(const std::string& run_dir, bool json);

}  // namespace comredir::redirector::daemon
