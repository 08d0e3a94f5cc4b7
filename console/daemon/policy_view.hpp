#pragma once
// What the host's OS policy says about the serial console, read through libpolicy from the
// sources the config gives this host (Registry.pol, GPO folders, .reg, Intune exports) —
// the same sources `comredir-policy effective --host HOST` reads. Read at every attach, so
// a policy change applies to the next one. A source that cannot be read, or a bad
// SerialConsoleEnabled value, switches the console off (fail closed) and says why.

#include <chrono>
#include <comredir/console/roles.hpp>
#include <comredir/console/seat.hpp>
#include <cstdint>
#include <string>

#include "config.hpp"

namespace comredir::console::daemon {

struct ConsolePolicy {
    bool enabled = true;
    std::string reason;  ///< one line: why on or off, with the deciding setting's source
    SeatRules seat;
    AttachRolePolicy roles;
    std::chrono::seconds idle_timeout{30 * 60};
    std::uint32_t paste_limit = 2048;
    std::string audit_log;           ///< AuditLogPath when configured, else empty
    std::vector<std::string> notes;  ///< bad values that fell back to their defaults
};

ConsolePolicy read_console_policy(const ConsoleConfig& config);

}  // namespace comredir::console::daemon
