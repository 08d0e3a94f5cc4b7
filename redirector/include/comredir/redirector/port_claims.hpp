#pragma once
// One session per client port at a time (comredir's OneSessionPerPort, on by default): a
// client port is the client's computer name and its port name, both compared ignoring
// ASCII case. Shared by every session of the daemon; thread-safe.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace comredir::redirector {

class PortClaims {
  public:
    /// Claims `client`'s `port` for `session`. nullopt: claimed (or already this
    /// session's); otherwise the session that holds it.
    std::optional<std::string> claim(std::string_view client, std::string_view port,
                                     const std::string& session);
    /// Releases one claim of `session` (when the client removes the device).
    void release(std::string_view client, std::string_view port, const std::string& session);
    /// Releases every claim of `session` (session end).
    void release_all(const std::string& session);
    std::size_t size() const;

  private:
    static std::pair<std::string, std::string> key(std::string_view client, std::string_view port);
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::string> held_;  ///< -> session
};

}  // namespace comredir::redirector
