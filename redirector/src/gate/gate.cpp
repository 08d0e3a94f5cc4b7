#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/redirector/gate.hpp>

namespace comredir::redirector {

policy::ClientOs client_os_from_major_type(std::uint32_t os_major_type) {
    switch (os_major_type) {
        case 1:
            return policy::ClientOs::windows;  // OSMAJORTYPE_WINDOWS
        case 3:                                // OSMAJORTYPE_MACINTOSH
        case 6:
            return policy::ClientOs::macos;  // OSMAJORTYPE_OSX
        case 5:
            return policy::ClientOs::ios;  // OSMAJORTYPE_IOS
        case 7:
            return policy::ClientOs::android;  // OSMAJORTYPE_ANDROID
        default:
            return policy::ClientOs::linux_client;  // UNIX 4, CHROME_OS 8, unspecified, unknown
    }
}

SessionGate SessionGate::open(const GateConfig& config, const ClientInfo& client) {
    SessionGate g;
    policy::EstateRequest req;
    req.config_path = config.policy_config;
    req.host = config.host;
    req.store_path = config.store;
    req.os = config.os;
    req.product = policy::Product::linux_host;
    req.client_os = client.os;
    // The client layer: the client announced its port over rdpdr, so it chose to redirect
    // ports.
    req.client_announce = "redirectcomports:i:1";
    auto loaded = policy::load_estate(req);
    if (!loaded.ok()) {
        g.failure_ = "policy could not be read: " + loaded.message;
        g.comredir_ = policy::read_comredir_settings({});
        return g;
    }
    g.comredir_ = policy::read_comredir_settings(loaded.estate.os.registry);
    g.estate_ = std::make_shared<policy::Estate>(std::move(loaded.estate));
    return g;
}

PortVerdict SessionGate::check(std::string_view port) {
    PortVerdict v;
    if (!estate_) {
        v.reason = failure_;
        return v;
    }
    const policy::Feature* com = policy::find_feature("com_ports");
    if (com == nullptr) {
        v.reason = "policy could not be read: the catalog has no `com_ports` feature";
        return v;
    }
    estate_->os.port_name = std::string(port);
    estate_->client_src.base.detail = "port `" + std::string(port) + "` over rdpdr";
    const auto decisions = policy::decide(*estate_, {com});
    if (decisions.size() != 1) {
        v.reason = "policy could not be read: no decision for `com_ports`";
        return v;
    }
    const auto& d = decisions.front();
    v.allowed = d.effective == policy::State::allow;
    v.reason = policy::reason(d);
    v.decision = policy::to_json(d);
    return v;
}

PortVerdict SessionGate::in_use(std::string_view client, std::string_view port,
                                const std::string& holder, const PortVerdict& allowed) const {
    PortVerdict v;
    v.reason = "port `" + std::string(port) + "` of client `" + std::string(client) +
               "` is in use by session `" + holder + "` (OneSessionPerPort" +
               (comredir_.one_session_per_port.configured()
                    ? ": " + policy::describe(comredir_.one_session_per_port.where)
                    : std::string(", on by default")) +
               ")";
    v.decision = {{"feature", "com_ports"},
                  {"effective", "deny"},
                  {"decidedBy", "comredir"},
                  {"rule", "OneSessionPerPort"},
                  {"heldBy", holder},
                  {"reason", v.reason},
                  {"provenance", policy::to_json(comredir_.one_session_per_port.where)},
                  {"policyDecision", allowed.decision}};
    return v;
}

std::uint32_t SessionGate::latency_warning_ms() const {
    return comredir_.latency_warning_ms.get();
}
bool SessionGate::one_session_per_port() const {
    return comredir_.one_session_per_port.get();
}
bool SessionGate::audit_log_configured() const {
    return comredir_.audit_log_path.configured();
}
std::string SessionGate::audit_log_path() const {
    return comredir_.audit_log_path.get();
}

}  // namespace comredir::redirector
