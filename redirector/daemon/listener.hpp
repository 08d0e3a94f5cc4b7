#pragma once
// The accept loop: listens, starts a thread per connection, cuts connections that do not
// authenticate in time, and on SIGTERM/SIGINT ends every connection and returns.

#include "server.hpp"

namespace comredir::redirector::daemon {

/// Runs until SIGTERM or SIGINT (which the caller has blocked in every thread). Returns the
/// process exit code (exit_codes.hpp): 0 after a clean stop, 3 when it cannot listen (the
/// address: environment), 1 when the event loop cannot be set up.
int serve(ServerContext& server);

}  // namespace comredir::redirector::daemon
