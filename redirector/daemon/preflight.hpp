#pragma once
// The start-up check: everything a user would otherwise find only at the first connection,
// checked before the daemon listens. It reads the policy config (and `host` in its `hosts`),
// resolves `com_ports` for this host once with libpolicy (the client layer is decided per
// connection), opens the audit log, reads the users file and checks the state directory can
// take a generated certificate. Nothing is generated or cleaned here.
//
// A fatal problem makes a daemon that cannot serve anyone as configured: exit 3 before
// listening. A policy that denies (a Registry.pol that cannot be read fails closed) is a
// warning that says every port will be denied: the daemon runs, as policy says.

#include <optional>
#include <string>
#include <vector>

#include "daemon_config.hpp"

namespace comredir::redirector::daemon {

struct PreflightLine {
    bool warning = false;
    std::string text;  ///< `preflight: ...`, one line
};

struct PreflightResult {
    std::vector<PreflightLine> lines;  ///< in the order checked
    /// The first fatal problem: one line naming the file and the setting.
    std::optional<std::string> fatal;
    bool ok() const { return !fatal.has_value(); }
};

PreflightResult run_preflight(const DaemonConfig& config);

}  // namespace comredir::redirector::daemon
