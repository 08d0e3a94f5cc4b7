#pragma once
// The accept loop: listens, starts a thread per connection, cuts connections that do not
// authenticate in time, and on SIGTERM/SIGINT ends every connection and returns.

#include "server.hpp"

namespace comredir::redirector::daemon {

/// Runs until SIGTERM or SIGINT (which the caller has blocked in every thread). Returns the
/// process exit code: 0 after a clean stop, 1 when listening failed.
int serve(ServerContext& server);

}  // namespace comredir::redirector::daemon
