#pragma once
// The per-target off switches an owner sets (`comredir-console disable TARGET`, or the
// gateway's `POST /api/targets/NAME/disable`): `<stateDir>/console-switches.json`,
//
//   {"version": 1, "off": {"ttyS0": {"by": "olga", "at": "2026-12-07T18:00:00.000Z"}}}
//
// Written safely (the folder locked against concurrent writers, a temporary file, fsync,
// rename; 0600), read at every attach. No file: every target is on. A file that cannot be
// read switches every target off (fail closed) and says why.

#include <chrono>
#include <map>
#include <string>

namespace comredir::console::daemon {

struct SwitchOff {
    std::string by;  ///< the owner who switched it off
    std::string at;  ///< RFC 3339 UTC
};

struct Switches {
    bool ok = true;
    std::string error;  ///< one line naming the file, when not ok
    std::map<std::string, SwitchOff> off;
};

Switches read_switches(const std::string& path);

struct SwitchWrite {
    bool ok = false;
    bool changed = false;  ///< false: it already was so
    std::string message;   ///< one line
};
/// Switches `target` off (`on` false) or on, as `by`.
SwitchWrite write_switch(const std::string& path, const std::string& target, bool on,
                         const std::string& by, std::chrono::system_clock::time_point now);

}  // namespace comredir::console::daemon
