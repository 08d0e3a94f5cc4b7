#pragma once
// comredir-console's exit codes (also in `--help` and the README).

namespace comredir::console::daemon {

inline constexpr int kExitOk = 0;       ///< stopped cleanly; a client command succeeded
inline constexpr int kExitRuntime = 1;  ///< serve: the loop failed; client: the gateway said no
inline constexpr int kExitUsage = 2;    ///< command line
/// serve: invalid configuration or environment found before listening (config file, audit
/// log, TLS files, listen address); nothing generated is left behind.
inline constexpr int kExitConfig = 3;
/// client: the gateway could not be reached, or TLS or the login failed.
inline constexpr int kExitConnect = 4;

}  // namespace comredir::console::daemon
