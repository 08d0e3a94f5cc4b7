#pragma once
// A minimal QMP client (QEMU Machine Protocol: JSON objects over a unix socket, one per
// line). Connects, reads the greeting, leaves capabilities negotiation with
// `qmp_capabilities`, runs one command and returns its answer; events that arrive in
// between are skipped. Blocking, with a timeout for each read: run it on a worker thread.

#include <chrono>
#include <string>

namespace comredir::console::daemon {

struct QmpResult {
    bool ok = false;
    std::string error;  ///< one line: the socket's or QEMU's own error (`desc`)
};

QmpResult qmp_execute(const std::string& socket_path, const std::string& command,
                      std::chrono::seconds timeout);

}  // namespace comredir::console::daemon
