#pragma once
// One RDP connection: FreeRDP peer settings (TLS only), login check, the `rdpdr` channel and
// its handler, on a thread of its own.

#include <memory>

#include "freerdp_fwd.hpp"
#include "server.hpp"

namespace comredir::redirector::daemon {

/// On the listener thread, for each accepted socket: sets the peer up and starts its
/// thread, which owns and frees it. Always takes ownership of `peer`; `slot` is filled in
/// (id, address, thread) for the listener's bookkeeping.
void start_connection(freerdp_peer* peer, ServerContext& server,
                      const std::shared_ptr<PeerSlot>& slot);

}  // namespace comredir::redirector::daemon
