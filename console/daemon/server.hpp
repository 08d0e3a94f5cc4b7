#pragma once
// comredir-console's HTTPS + WebSocket server (Boost.Beast over OpenSSL), TLS 1.2 or later
// only. Routes (docs/console-protocol.md):
//
//   GET  / and the page's files       the browser page (console/web), no login needed
//   POST /login                       {"user","password"} -> session cookie + CSRF token
//   POST /logout                      (cookie + X-CSRF-Token)
//   GET  /api/session                 who is logged in, and the CSRF token
//   GET  /api/targets                 the targets the user holds a role on, with their state
//   POST /api/targets/NAME/disable    owner: switch the target off (X-CSRF-Token)
//   POST /api/targets/NAME/enable     owner: switch it on again
//   GET  /api/targets/NAME/ws         WebSocket upgrade (subprotocols comredir.console.v1 and
//                                     csrf.TOKEN; query mode=read|write, takeover=1)
//
// Authentication is the cookie only: a token in a URL is never read. Every response carries
// HSTS, nosniff, a strict CSP, no framing, no caching.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "gateway.hpp"
#include "web_assets.hpp"

namespace comredir::console::daemon {

class Server {
  public:
    /// `web`: the browser page (may be empty); it must outlive the server.
    Server(boost::asio::io_context& loop, Gateway& gateway, const WebAssets& web);
    ~Server();
    /// Loads the certificate and key and starts accepting; false with `error`.
    bool listen(const std::string& host, std::uint16_t port, const std::string& certificate,
                const std::string& key, std::string& error);
    /// Stops accepting (open connections go on until the gateway closes them).
    void stop();
    std::uint16_t port() const;
    /// WebSocket connections still open (closing ones included).
    static std::size_t websockets();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace comredir::console::daemon
