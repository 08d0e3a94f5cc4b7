#pragma once
// Logged-in users of the gateway: `POST /login` makes a session, named by a random token
// the browser keeps in an HttpOnly, Secure, SameSite=Strict cookie, plus a CSRF token the
// client must send back with every state-changing request (in `X-CSRF-Token`, or for the
// WebSocket as the `csrf.<token>` subprotocol). Tokens are 256 random bits (OpenSSL's
// RAND_bytes), base64url. The table is keyed by the SHA-256 of the session token, so a
// lookup's timing says nothing about a token; the CSRF token is compared in constant time.
// Sessions expire `lifetime` after login; logout ends one at once.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::console::daemon {

struct LoginSession {
    std::string user;
    std::vector<std::string> groups;  ///< Unix groups, looked up at login
    std::string csrf;
    std::string address;  ///< where the login came from
    std::chrono::system_clock::time_point created;
    std::chrono::system_clock::time_point expires;
};

struct NewSession {
    std::string token;  ///< for the cookie (never logged)
    std::string csrf;
    std::chrono::system_clock::time_point expires;
};

class LoginSessions {
  public:
    explicit LoginSessions(std::chrono::seconds lifetime) : lifetime_(lifetime) {}
    NewSession create(std::string user, std::vector<std::string> groups, std::string address,
                      std::chrono::system_clock::time_point now);
    /// The session of `token`, unless unknown or expired (expired ones are dropped).
    std::optional<LoginSession> find(std::string_view token,
                                     std::chrono::system_clock::time_point now);
    void end(std::string_view token);
    std::size_t size() const;

  private:
    std::chrono::seconds lifetime_;
    mutable std::mutex mutex_;
    std::map<std::string, LoginSession> by_hash_;
};

/// 32 random bytes as base64url without padding (43 characters).
std::string random_token();
/// Equal, in time that depends only on the lengths.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace comredir::console::daemon
