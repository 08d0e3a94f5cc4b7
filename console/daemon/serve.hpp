#pragma once
// `comredir-console serve`: the gateway until SIGTERM.

#include <optional>
#include <string>

namespace comredir::console::daemon {

struct ServeOptions {
    std::string config;
    std::optional<std::string> listen;
    std::string port_file;  ///< write the bound port here (for `--listen 127.0.0.1:0`)
    bool verbose = false;
};

int run_serve(const ServeOptions& o);

}  // namespace comredir::console::daemon
