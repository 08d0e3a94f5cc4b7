#pragma once
// A daemon's log: one line per event on stderr (the journal under systemd), thread-safe.
// Lines are `<time> <level>: <message>`; the time is left out when stderr is the journal,
// which stamps lines itself. Messages follow the project's style (lowercase, values in
// backticks) and never carry a password.

#include <string_view>

namespace comredir::host {

enum class LogLevel { error, warning, info, debug };

/// Debug lines are dropped unless verbose.
void set_log_verbose(bool verbose);
bool log_verbose();

void log(LogLevel level, std::string_view message);
inline void log_error(std::string_view m) {
    log(LogLevel::error, m);
}
inline void log_warning(std::string_view m) {
    log(LogLevel::warning, m);
}
inline void log_info(std::string_view m) {
    log(LogLevel::info, m);
}
inline void log_debug(std::string_view m) {
    log(LogLevel::debug, m);
}

}  // namespace comredir::host
