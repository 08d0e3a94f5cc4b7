#pragma once
// comredir-redirector's exit codes (also in `--help` and redirector/README.md).

namespace comredir::redirector::daemon {

inline constexpr int kExitOk = 0;       ///< stopped cleanly (SIGTERM or SIGINT)
inline constexpr int kExitRuntime = 1;  ///< a failure after start (event loop, internal error)
inline constexpr int kExitUsage = 2;    ///< command line
/// Invalid configuration or environment, found before listening: the config file, `host`,
/// policy sources that cannot be read at all, run dir, state dir, audit log, users file,
/// TLS files, the listen address. Nothing generated is left behind.
inline constexpr int kExitConfig = 3;

}  // namespace comredir::redirector::daemon
