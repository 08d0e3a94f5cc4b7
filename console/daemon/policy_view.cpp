#include "policy_view.hpp"

#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/estate.hpp>
#include <comredir/policy/resolve/explain.hpp>

namespace comredir::console::daemon {

namespace {

template <typename T>
std::string source_of(const policy::ComredirValue<T>& v) {
    return v.configured() ? policy::describe(v.where) : std::string("not configured");
}

}  // namespace

ConsolePolicy read_console_policy(const ConsoleConfig& config) {
    ConsolePolicy p;
    policy::EstateRequest req;
    req.config_path = config.path;
    if (!config.host.empty()) req.host = config.host;
    req.product = policy::Product::linux;
    auto loaded = policy::load_estate(req);
    if (!loaded.ok()) {
        p.enabled = false;
        p.reason =
            "the serial console is off: policy could not be read (fails closed): " + loaded.message;
        return p;
    }
    for (const auto& err : loaded.estate.input_errors) {
        // Unreadable (not one bad value of another feature): the whole layer fails closed.
        if (err.layer != policy::LayerId::os_policy || !err.features.empty()) continue;
        p.enabled = false;
        p.reason =
            "the serial console is off: an OS policy source cannot be read (fails closed): " +
            err.message;
        return p;
    }
    const auto s = policy::read_comredir_settings(loaded.estate.os.registry);
    const auto& on = s.serial_console_enabled;
    if (!on.ok()) {
        p.enabled = false;
        p.reason =
            "the serial console is off: policy `SerialConsoleEnabled` is unreadable "
            "(fails closed): " +
            on.error;
    } else if (!on.get()) {
        p.enabled = false;
        p.reason =
            "the serial console is off by policy `SerialConsoleEnabled` (" + source_of(on) + ")";
    } else {
        p.reason = on.configured() ? "the serial console is on by policy `SerialConsoleEnabled` (" +
                                         source_of(on) + ")"
                                   : "the serial console is on: policy `SerialConsoleEnabled` is "
                                     "not configured (on by default)";
    }
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
