#include "policy_view.hpp"

#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>

namespace comredir::console::daemon {

ConsolePolicy read_console_policy(const ConsoleConfig& config) {
    ConsolePolicy p;
    policy::EstateRequest req;
    req.config_path = config.path;
    if (!config.host.empty()) req.host = config.host;
    req.product = policy::Product::linux_host;
    auto loaded = policy::load_estate(req);
    if (!loaded.ok()) {
        p.enabled = false;
        p.reason =
            "the serial console is off: policy could not be read (fails closed): " + loaded.message;
        return p;
    }
    // The `serial_console` feature of the catalog: the same decision, with the same
    // provenance, as `comredir-policy effective --feature serial_console` (an unreadable OS
    // source fails it closed there too).
    const policy::Feature* feature = policy::find_feature("serial_console");
    const auto picked = feature == nullptr
                            ? std::vector<policy::Decision>{}
                            : policy::pick_decisions(std::move(loaded.decisions), {feature});
    if (picked.size() != 1) {
        p.enabled = false;
        p.reason = "the serial console is off: the policy catalog has no `serial_console` feature";
        return p;
    }
    const policy::Decision& d = picked.front();
    p.enabled = d.effective == policy::State::allow;
    p.reason = std::string("the serial console is ") + (p.enabled ? "on" : "off") + ": " +
               policy::reason(d);
    const auto s = policy::read_comredir_settings(loaded.estate.os.registry);
    const auto note = [&](const auto& v) {
        if (!v.ok()) p.notes.push_back(v.error + " (the default applies)");
    };
    note(s.allow_takeover);
    note(s.restrict_attach_roles);
    note(s.idle_timeout_minutes);
    note(s.paste_limit_chars);
    note(s.audit_log_path);
    p.seat.allow_takeover = s.allow_takeover.get();
    p.roles.restrict = s.restrict_attach_roles.get();
    if (!s.attach_roles.ok()) {
        // A bad list under an enabled restriction allows nobody (fail closed).
        p.notes.push_back(s.attach_roles.error + " (nobody may attach while it is enabled)");
    } else {
        for (const auto& item : s.attach_roles.items) p.roles.allowed.push_back(item.text);
    }
    p.idle_timeout = std::chrono::minutes(s.idle_timeout_minutes.get());
    p.paste_limit = s.paste_limit_chars.get();
    if (s.audit_log_path.configured()) p.audit_log = s.audit_log_path.get();
    return p;
}

}  // namespace comredir::console::daemon
