#pragma once
// The policy gate: at session start the redirector reads this host's policy once (libpolicy's
// estate for product `linux`) and answers, for each serial port the client announces,
// whether it may be redirected, with the decision's reasons for the audit log. A policy
// source that cannot be read denies every port (fail closed) and says why.

#include <comredir/policy/core/product.hpp>
#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/config.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector {

/// What the daemon's config says about policy.
struct GateConfig {
    std::optional<std::string> policy_config;  ///< comredir config file (hosts, store, sources)
    std::optional<std::string> host;           ///< this host (pool) in that config
    std::optional<std::string> store;          ///< host pool store (overrides the config's)
    std::vector<policy::OsSourceSpec> os;      ///< OS policy sources (replace the config's)
};

/// The client as the connection describes it.
struct ClientInfo {
    std::string name;     ///< the client's computer name (rdpdr Client Name / settings)
    std::string user;     ///< authenticated user
    std::string address;  ///< peer address
    policy::ClientOs os = policy::ClientOs::linux_client;
};

/// [MS-RDPBCGR] 2.2.7.1.1 osMajorType -> platform; unknown types count as non-Windows, so
/// AllowNonWindowsClients = Disabled also stops them.
policy::ClientOs client_os_from_major_type(std::uint32_t os_major_type);

inline constexpr std::uint32_t kStatusAccessDenied = 0xC0000022;

struct PortVerdict {
    bool allowed = false;
    std::string reason;       ///< one line: the deciding setting, or why policy failed
    nlohmann::json decision;  ///< libpolicy's decision JSON (null when policy failed)
};

/// One session's view of policy, read when the session starts.
class SessionGate {
  public:
    static SessionGate open(const GateConfig& config, const ClientInfo& client);

    /// `com_ports` for this client and this client port name. The client layer is the
    /// client's announcement of that port (libpolicy source `client-announce`).
    PortVerdict check(std::string_view port);

    /// The refusal when comredir's OneSessionPerPort stops a port that `com_ports` allows
    /// (`allowed`, from check()): the session `holder` holds `client`'s `port`. The decision
    /// names that rule, where it is set and the holder, and keeps the com_ports decision.
    PortVerdict in_use(std::string_view client, std::string_view port, const std::string& holder,
                       const PortVerdict& allowed) const;

    /// comredir's own settings for the redirector (defaults when not configured).
    std::uint32_t latency_warning_ms() const;
    bool one_session_per_port() const;
    std::string audit_log_path() const;
    /// Whether policy set AuditLogPath (else the daemon's own setting applies).
    bool audit_log_configured() const;
    /// Why policy could not be read (every port is then denied); empty when it was.
    const std::string& failure() const { return failure_; }

  private:
    std::shared_ptr<policy::Estate> estate_;  ///< nullptr when loading failed
    policy::ComredirSettings comredir_;
    std::string failure_;
};

}  // namespace comredir::redirector
