#pragma once
// A test handler (`serve --capture DIR`) until the session layer exists: it answers the
// rdpdr handshake with fixed server PDUs, so a real client goes as far as announcing its
// devices, and writes every client message to `DIR/<connection>/<NNN>.bin` (plus
// `DIR/<connection>/connection.json`: who the client is, no secrets). These files are the
// golden vectors of the codec's tests. It decodes nothing beyond each message's header.
// With an empty DIR it only answers the handshake (the daemon's default until the session
// layer replaces it).
//
// Server side, in order ([MS-RDPEFS] 3.1.5): Server Announce (on open); after the Client
// Name: Server Core Capability Request (general v2 with the user-logged-on PDU, port) and
// Server Client ID Confirm; after the Client Capability Response: Server User Logged On.

#include <memory>
#include <string>

#include "channel_handler.hpp"

namespace comredir::redirector::daemon {

std::unique_ptr<ChannelHandler> make_capture_handler(const std::string& dir,
                                                     const ConnectionInfo& info);

}  // namespace comredir::redirector::daemon
