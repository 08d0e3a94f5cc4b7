// comredir's own policy values: each value absent / set / deleted / badly typed / out of range,
// the documented defaults, list elements, port-name patterns, the table against
// admx/comredir.admx, and how the resolver honours them for com_ports.
#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/resolve/comredir_settings.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/policy/resolve/layers.hpp>
#include <comredir/policy/resolve/resolver.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "test_util.hpp"

using namespace comredir::policy;

namespace {

const std::string kRedir = "Software\\Policies\\comredir\\Redirection";
const std::string kPorts = kRedir + "\\AllowedPorts";
const std::string kConsole = "Software\\Policies\\comredir\\SerialConsole";
const std::string kRoot = "Software\\Policies\\comredir";
const std::string kTs = "Software\\Policies\\Microsoft\\Windows NT\\Terminal Services";

// Registry.pol entries, placed at offsets 0x8, 0x108, 0x208, ...
struct Pol {
    std::vector<PolEntry> entries;
    Pol& dw(const std::string& key, const std::string& value, std::uint32_t v) {
        return add(
            key, value, 4,
            {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)});
    }
    Pol& sz(const std::string& key, const std::string& value, const std::string& text) {
        std::vector<std::uint8_t> d;
        for (char c : text) d.insert(d.end(), {std::uint8_t(c), 0});
        d.insert(d.end(), {0, 0});
        return add(key, value, 1, d);
    }
    Pol& add(const std::string& key, const std::string& value, std::uint32_t type,
             std::vector<std::uint8_t> data) {
        PolEntry e;
        e.key = key;
        e.value = value;
        e.type = type;
        e.size = static_cast<std::uint32_t>(data.size());
        e.data = std::move(data);
        e.offset = 8 + 0x100 * entries.size();
        entries.push_back(std::move(e));
        return *this;
    }
    void apply(RegistryState& reg, const std::string& file = "a.pol",
               const std::string& gpo = "comredir baseline") const {
        Provenance base;
        base.source = "gpo";
        base.file = file;
        base.gpo_name = gpo;
        apply_pol(PolFile{entries, {}}, "HKLM", base, reg);
    }
    ComredirSettings read() const {
        RegistryState reg;
        apply(reg);
        return read_comredir_settings(reg);
    }
};

// One scalar field, rendered as text (`1`/`0` for flags).
struct View {
    bool configured;
    std::string value;  // get(): configured or default
    std::string error;
    const Provenance* where;
    std::size_t overridden;
    std::optional<std::uint64_t> deleted_at;
};
template <typename T>
View view(const ComredirValue<T>& v) {
    std::string text;
    if constexpr (std::is_same_v<T, bool>) {
        text = v.get() ? "1" : "0";
    } else if constexpr (std::is_same_v<T, std::string>) {
        text = v.get();
    } else {
        text = std::to_string(v.get());
    }
    return View{v.configured(),
                text,
                v.error,
                &v.where,
                v.overridden.size(),
                v.deleted_by ? v.deleted_by->offset : std::nullopt};
}
View field(const ComredirSettings& p, const std::string& name) {
    if (name == "AuditLogPath") return view(p.audit_log_path);
    if (name == "DisableComPortRedirection") return view(p.deny_com_redirection);
    if (name == "RestrictPortNames") return view(p.restrict_port_names);
    if (name == "AllowNonWindowsClients") return view(p.allow_non_windows_clients);
    if (name == "OneSessionPerPort") return view(p.one_session_per_port);
    if (name == "LatencyWarningMs") return view(p.latency_warning_ms);
    if (name == "Enabled") return view(p.serial_console_enabled);
    if (name == "AllowTakeover") return view(p.allow_takeover);
    if (name == "RestrictAttachRoles") return view(p.restrict_attach_roles);
    if (name == "IdleTimeoutMinutes") return view(p.idle_timeout_minutes);
    if (name == "PasteLimitChars") return view(p.paste_limit_chars);
    FAIL("no field for ", name);
    return {};
}

struct Scalar {
    const char* key;
    const char* value;
    const char* fallback;  // the documented default, literally
    const char* policy;
};
const Scalar kScalars[] = {
    {"Software\\Policies\\comredir", "AuditLogPath", "/var/log/comredir/audit.jsonl",
     "AuditLogLocation"},
    {"Software\\Policies\\comredir\\Redirection", "DisableComPortRedirection", "0",
     "DenyComRedirection"},
    {"Software\\Policies\\comredir\\Redirection", "RestrictPortNames", "0", "AllowedPortNames"},
    {"Software\\Policies\\comredir\\Redirection", "AllowNonWindowsClients", "1",
     "AllowNonWindowsClients"},
    {"Software\\Policies\\comredir\\Redirection", "OneSessionPerPort", "1", "OneSessionPerPort"},
    {"Software\\Policies\\comredir\\Redirection", "LatencyWarningMs", "20", "LatencyWarning"},
    {"Software\\Policies\\comredir\\SerialConsole", "Enabled", "1", "SerialConsoleEnabled"},
    {"Software\\Policies\\comredir\\SerialConsole", "AllowTakeover", "1", "SerialConsoleEnabled"},
    {"Software\\Policies\\comredir\\SerialConsole", "RestrictAttachRoles", "0",
     "SerialConsoleRoles"},
    {"Software\\Policies\\comredir\\SerialConsole", "IdleTimeoutMinutes", "30",
     "SerialConsoleIdleTimeout"},
    {"Software\\Policies\\comredir\\SerialConsole", "PasteLimitChars", "2048",
     "SerialConsolePasteLimit"},
};

}  // namespace

TEST_CASE("absent: the documented default, cited as such") {
    ComredirSettings p = Pol{}.read();
    for (const auto& s : kScalars) {
        INFO(s.value);
        View v = field(p, s.value);
        CHECK_FALSE(v.configured);
        CHECK(v.value == s.fallback);
        CHECK(v.error.empty());
        CHECK(v.where->source == "default");
        CHECK(v.where->admx_policy == s.policy);
        CHECK(v.where->registry_key == "HKLM\\" + std::string(s.key).replace(0, 8, "SOFTWARE"));
        CHECK(v.where->raw == s.fallback);
    }
    CHECK(p.allowed_ports.items.empty());
    CHECK(p.attach_roles.items.empty());
    CHECK(p.errors().empty());
    CHECK(kComredirDefaults.paste_limit_chars == 2048);
    CHECK(kComredirDefaults.one_session_per_port);
    CHECK(p.deny_com_redirection.where.detail ==
          "not configured: `0` (admx/en-US/comredir.adml DenyComRedirection_Help)");
}

TEST_CASE("set: enabled, disabled and range bounds, with the write's provenance") {
    struct Case {
        const char* key;
        const char* value;
        std::uint32_t data;
        const char* text;  // for REG_SZ values (data unused)
        const char* want;
    };
    const Case cases[] = {
        {kRedir.c_str(), "DisableComPortRedirection", 1, nullptr, "1"},
        {kRedir.c_str(), "DisableComPortRedirection", 0, nullptr, "0"},
        {kRedir.c_str(), "RestrictPortNames", 1, nullptr, "1"},
        {kRedir.c_str(), "AllowNonWindowsClients", 0, nullptr, "0"},
        {kRedir.c_str(), "OneSessionPerPort", 0, nullptr, "0"},
        {kRedir.c_str(), "LatencyWarningMs", 0, nullptr, "0"},
        {kRedir.c_str(), "LatencyWarningMs", 60000, nullptr, "60000"},
        {kConsole.c_str(), "Enabled", 0, nullptr, "0"},
        {kConsole.c_str(), "AllowTakeover", 0, nullptr, "0"},
        {kConsole.c_str(), "RestrictAttachRoles", 1, nullptr, "1"},
        {kConsole.c_str(), "IdleTimeoutMinutes", 1440, nullptr, "1440"},
        {kConsole.c_str(), "PasteLimitChars", 0, nullptr, "0"},
        {kConsole.c_str(), "PasteLimitChars", 65536, nullptr, "65536"},
        {kRoot.c_str(), "AuditLogPath", 0, "/srv/comredir/audit.jsonl",
         "/srv/comredir/audit.jsonl"},
        {kRoot.c_str(), "AuditLogPath", 0, "C:\\ProgramData\\comredir\\audit.jsonl",
         "C:\\ProgramData\\comredir\\audit.jsonl"},
    };
    for (const auto& c : cases) {
        INFO(c.value, " ", c.want);
        Pol pol;
        if (c.text != nullptr) {
            pol.sz(c.key, c.value, c.text);
        } else {
            pol.dw(c.key, c.value, c.data);
        }
        ComredirSettings p = pol.read();
        View v = field(p, c.value);
        CHECK(v.configured);
        CHECK(v.value == c.want);
        CHECK(v.error.empty());
        CHECK(v.where->source == "gpo");
        CHECK(v.where->file == "a.pol");
        CHECK(v.where->offset == 8u);
        CHECK(v.where->gpo_name == "comredir baseline");
        CHECK(v.where->raw == c.want);
        CHECK(find_comredir_value(v.where->admx_policy, c.value) != nullptr);
        CHECK(p.errors().empty());
    }
}

TEST_CASE("deleted with **del.: not configured, the default applies, the deletion is kept") {
    for (const auto& s : kScalars) {
        INFO(s.value);
        Pol pol;
        if (std::string(s.value) == "AuditLogPath") {
            pol.sz(s.key, s.value, "/tmp/a.jsonl");
        } else {
            pol.dw(s.key, s.value, 0);
        }
        pol.sz(s.key, std::string("**del.") + s.value, " ");
        ComredirSettings p = pol.read();
        View v = field(p, s.value);
        CHECK_FALSE(v.configured);
        CHECK(v.value == s.fallback);
        CHECK(v.error.empty());
        CHECK(v.where->source == "default");
        CHECK(v.deleted_at == 0x108u);
        CHECK(v.overridden == 1);
    }
}

TEST_CASE("bad values are errors naming file, offset and value; the default is not used") {
    struct Case {
        const char* key;
        const char* value;
        std::uint32_t type;
        std::vector<std::uint8_t> data;
        const char* error;
    };
    auto u32 = [](std::uint32_t v) {
        return std::vector<std::uint8_t>{std::uint8_t(v), std::uint8_t(v >> 8),
                                         std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
    };
    auto utf16 = [](const std::string& s) {
        std::vector<std::uint8_t> d;
        for (char c : s) d.insert(d.end(), {std::uint8_t(c), 0});
        d.insert(d.end(), {0, 0});
        return d;
    };
    const Case cases[] = {
        {kRedir.c_str(), "DisableComPortRedirection", 4, u32(2),
         "a.pol: offset 0x8: `DisableComPortRedirection` = `2` is neither `1` (enabled) nor `0` "
         "(disabled)"},
        {kRedir.c_str(), "DisableComPortRedirection", 1, utf16("1"),
         "a.pol: offset 0x8: `DisableComPortRedirection` is REG_SZ of 4 bytes, expected a 4-byte "
         "REG_DWORD"},
        {kRedir.c_str(), "RestrictPortNames", 11, std::vector<std::uint8_t>(8, 0),
         "a.pol: offset 0x8: `RestrictPortNames` is REG_QWORD of 8 bytes, expected a 4-byte "
         "REG_DWORD"},
        {kRedir.c_str(), "AllowNonWindowsClients", 4, u32(0xffffffff),
         "a.pol: offset 0x8: `AllowNonWindowsClients` = `4294967295` is neither `1` (enabled) nor "
         "`0` (disabled)"},
        {kRedir.c_str(),
         "OneSessionPerPort",
         4,
         {1, 0},
         "a.pol: offset 0x8: `OneSessionPerPort` is REG_DWORD of 2 bytes, expected a 4-byte "
         "REG_DWORD"},
        {kRedir.c_str(), "LatencyWarningMs", 4, u32(60001),
         "a.pol: offset 0x8: `LatencyWarningMs` = `60001` is out of range 0-60000"},
        {kConsole.c_str(),
         "Enabled",
         3,
         {1},
         "a.pol: offset 0x8: `Enabled` is REG_BINARY of 1 bytes, expected a 4-byte REG_DWORD"},
        {kConsole.c_str(), "AllowTakeover", 4, u32(3),
         "a.pol: offset 0x8: `AllowTakeover` = `3` is neither `1` (enabled) nor `0` (disabled)"},
        {kConsole.c_str(), "RestrictAttachRoles", 4, u32(2),
         "a.pol: offset 0x8: `RestrictAttachRoles` = `2` is neither `1` (enabled) nor `0` "
         "(disabled)"},
        {kConsole.c_str(), "IdleTimeoutMinutes", 4, u32(1441),
         "a.pol: offset 0x8: `IdleTimeoutMinutes` = `1441` is out of range 0-1440"},
        {kConsole.c_str(), "PasteLimitChars", 4, u32(65537),
         "a.pol: offset 0x8: `PasteLimitChars` = `65537` is out of range 0-65536"},
        {kRoot.c_str(), "AuditLogPath", 4, u32(1),
         "a.pol: offset 0x8: `AuditLogPath` is REG_DWORD of 4 bytes, expected REG_SZ"},
        {kRoot.c_str(), "AuditLogPath", 1, utf16("logs/audit.jsonl"),
         "a.pol: offset 0x8: `AuditLogPath` = `logs/audit.jsonl` is not an absolute path"},
        {kRoot.c_str(), "AuditLogPath", 1, utf16(" "),
         "a.pol: offset 0x8: `AuditLogPath` is empty"},
        {kRoot.c_str(), "AuditLogPath", 1, utf16("/" + std::string(1023, 'a')),
         "a.pol: offset 0x8: `AuditLogPath` is 1024 characters long, more than 1023"},
    };
    for (const auto& c : cases) {
        INFO(c.value, " ", c.error);
        ComredirSettings p = Pol{}.add(c.key, c.value, c.type, c.data).read();
        View v = field(p, c.value);
        CHECK_FALSE(v.configured);
        CHECK(v.error == c.error);
        CHECK(v.where->offset == 8u);  // the bad write, for the decision to cite
        CHECK(p.errors() == std::vector<std::string>{c.error});
        CHECK_FALSE(p.ok());
    }
}

TEST_CASE("list elements: every value of the key is an item, **delvals. clears") {
    Pol pol;
    pol.sz(kPorts, "**delvals.", " ").sz(kPorts, "1", "COM1").sz(kPorts, "2", "COM*");
    for (int i = 3; i <= 10; ++i) pol.sz(kPorts, std::to_string(i), "P" + std::to_string(i));
    ComredirSettings p = pol.read();
    REQUIRE(p.allowed_ports.items.size() == 10);
    CHECK(p.allowed_ports.items[1].text == "COM*");
    CHECK(p.allowed_ports.items[1].where.offset == 0x208u);
    CHECK(p.allowed_ports.items[1].where.registry_value == "2");
    CHECK(p.allowed_ports.items[1].where.admx_policy == "AllowedPortNames");
    CHECK(p.allowed_ports.items[9].text == "P10");  // `10` after `9`, not after `1`

    // A later GPO's list replaces an earlier one's: its **delvals. removes the old items.
    RegistryState reg;
    pol.apply(reg);
    Pol later;
    later.sz(kPorts, "**delvals.", " ").sz(kPorts, "1", "ttyUSB0");
    later.apply(reg, "b.pol", "override");
    p = read_comredir_settings(reg);
    REQUIRE(p.allowed_ports.items.size() == 1);
    CHECK(p.allowed_ports.items[0].text == "ttyUSB0");
    CHECK(p.allowed_ports.items[0].where.gpo_name == "override");

    // Disabled: only **delvals., no items.
    p = Pol{}.dw(kRedir, "RestrictPortNames", 0).sz(kPorts, "**delvals.", " ").read();
    CHECK(p.allowed_ports.items.empty());
    CHECK(p.allowed_ports.ok());

    p = Pol{}.sz(kPorts, "1", "COM1").dw(kPorts, "2", 7).read();
    CHECK(p.allowed_ports.items.empty());
    CHECK(p.allowed_ports.error ==
          "a.pol: offset 0x108: list `AllowedPorts` item `2` is REG_DWORD of 4 bytes, expected "
          "REG_SZ");
    p = Pol{}.sz(kConsole + "\\AttachRoles", "1", "").read();
    CHECK(p.attach_roles.error == "a.pol: offset 0x8: list `AttachRoles` item `1` is empty");
    p = Pol{}.sz(kConsole + "\\AttachRoles", "1", "Virtual Machine Contributor").read();
    REQUIRE(p.attach_roles.items.size() == 1);
    CHECK(p.attach_roles.items[0].text == "Virtual Machine Contributor");
}

TEST_CASE("port-name patterns: whole name, ASCII case ignored, * and ?") {
    struct Case {
        const char* pattern;
        const char* port;
        bool match;
    };
    const Case cases[] = {
        {"COM1", "COM1", true},
        {"COM1", "com1", true},
        {"COM1", "COM10", false},
        {"COM1", "COM", false},
        {"COM*", "COM", true},
        {"COM*", "com12", true},
        {"COM*", "XCOM1", false},
        {"COM?", "COM9", true},
        {"COM?", "COM10", false},
        {"COM?", "COM", false},
        {"*", "", true},
        {"*", "anything", true},
        {"", "", true},
        {"", "COM1", false},
        {"*USB*", "ttyUSB0", true},
        {"*USB?", "ttyUSB0", true},
        {"*USB?", "ttyUSB", false},
        {"a*b*c", "aXbYbZc", true},
        {"a*b*c", "aXbYc-", false},
        {"?", "\xc3\xa9", true},
        {"COM[1]", "COM1", false},
        {"COM[1]", "com[1]", true},
        {"**COM*?", "COM1", true},
        {"É*", "é1", false},
    };
    for (const auto& c : cases) {
        INFO(c.pattern, " ", c.port);
        CHECK(port_pattern_match(c.pattern, c.port) == c.match);
    }
}

TEST_CASE("port_name_allowed: the matching item, or why none does") {
    ComredirSettings none = Pol{}.read();
    PortNameCheck c = port_name_allowed(none, "COM3");
    CHECK(c.allowed);
    CHECK(c.reason == "not configured: every port name is allowed");
    CHECK(c.where.source == "default");

    Pol on;
    on.dw(kRedir, "RestrictPortNames", 1)
        .sz(kPorts, "**delvals.", " ")
        .sz(kPorts, "1", "COM1")
        .sz(kPorts, "2", "ttyUSB?");
    ComredirSettings p = on.read();
    c = port_name_allowed(p, "ttyusb3");
    CHECK(c.allowed);
    CHECK(c.reason == "`ttyusb3` matches `ttyUSB?`");
    CHECK(c.where.offset == 0x308u);
    c = port_name_allowed(p, "COM3");
    CHECK_FALSE(c.allowed);
    CHECK(c.reason == "`COM3` matches none of `COM1`, `ttyUSB?`");
    CHECK(c.where.offset == 8u);  // RestrictPortNames

    c = port_name_allowed(Pol{}.dw(kRedir, "RestrictPortNames", 1).read(), "COM1");
    CHECK_FALSE(c.allowed);
    CHECK(c.reason == "the list is empty: no port is redirected");
    c = port_name_allowed(Pol{}.dw(kRedir, "RestrictPortNames", 0).read(), "COM1");
    CHECK(c.allowed);
    CHECK(c.reason == "disabled: every port name is allowed");

    // Fail closed: a bad RestrictPortNames, or a bad list while the policy is enabled.
    c = port_name_allowed(Pol{}.dw(kRedir, "RestrictPortNames", 9).read(), "COM1");
    CHECK_FALSE(c.allowed);
    CHECK(c.reason ==
          "a.pol: offset 0x8: `RestrictPortNames` = `9` is neither `1` (enabled) nor `0` "
          "(disabled)");
    c = port_name_allowed(Pol{}.dw(kRedir, "RestrictPortNames", 1).dw(kPorts, "1", 1).read(),
                          "COM1");
    CHECK_FALSE(c.allowed);
    CHECK(c.reason ==
          "a.pol: offset 0x108: list `AllowedPorts` item `1` is REG_DWORD of 4 bytes, expected "
          "REG_SZ");
    c = port_name_allowed(Pol{}.dw(kRedir, "RestrictPortNames", 0).dw(kPorts, "1", 1).read(),
                          "COM1");
    CHECK(c.allowed);
}

TEST_CASE("the value table matches admx/comredir.admx, and the explain texts state the defaults") {
    auto loaded = load_admx_files(comredir::test::source_dir("admx/comredir.admx"),
                                  comredir::test::source_dir("admx/en-US/comredir.adml"));
    REQUIRE(loaded.ok());
    std::size_t admx_values = 0;
    for (const auto& pol : loaded.set.policies) {
        admx_values += (pol.value_name.empty() ? 0 : 1) + pol.elements.size();
    }
    CHECK(comredir_values().size() == admx_values);
    for (const auto& v : comredir_values()) {
        INFO(v.admx_policy, " ", v.value_name);
        const AdmxPolicy* pol = loaded.set.find_policy(v.admx_policy);
        REQUIRE(pol != nullptr);
        CHECK(pol->display_name == v.display_name);
        CHECK(pol->explain_text.empty() == false);
        if (v.policy_value) {
            CHECK(pol->key == v.key);
            CHECK(pol->value_name == v.value_name);
            CHECK(pol->enabled_value.number == 1);
            CHECK(pol->disabled_value.number == 0);
            continue;
        }
        const AdmxElement* el = nullptr;
        for (const auto& e : pol->elements) {
            bool list = e.kind == AdmxElementKind::list;
            if (list == (v.kind == ComredirValueKind::list) &&
                (list ? e.key == v.key : e.value_name == v.value_name))
                el = &e;
        }
        REQUIRE(el != nullptr);
        CHECK(el->key == v.key);
        if (v.kind == ComredirValueKind::number) {
            CHECK(el->min_value == v.min);
            CHECK(el->max_value == v.max);
        }
        if (v.kind == ComredirValueKind::text) CHECK(el->max_length == v.max_length);
    }
    auto explains = [&](const char* policy, const std::string& text) {
        INFO(policy, " ", text);
        CHECK(loaded.set.find_policy(policy)->explain_text.find(text) != std::string::npos);
    };
    const auto& d = kComredirDefaults;
    explains("AuditLogLocation",
             "do not configure it, comredir writes to " + std::string(d.audit_log_path));
    explains("LatencyWarning",
             "the threshold is " + std::to_string(d.latency_warning_ms) + " milliseconds");
    explains("SerialConsoleIdleTimeout",
             "the idle timeout is " + std::to_string(d.idle_timeout_minutes) + " minutes");
    explains("SerialConsolePasteLimit",
             "the limit is " + std::to_string(d.paste_limit_chars) + " characters");
    explains("OneSessionPerPort", "This is on by default");
    explains("AllowNonWindowsClients", "Not configured is the default");
}

// ---- the resolver honours them (com_ports only) ------------------------------------------

namespace {

Decision decide_com(const Pol& pol, Product p, ClientOs os,
                    std::optional<std::string> port = std::nullopt,
                    std::vector<IntuneValue> intune = {}) {
    OsSources src;
    pol.apply(src.registry);
    src.port_name = std::move(port);
    src.intune = std::move(intune);
    const Feature& com = *find_feature("com_ports");
    return resolve(com, p, os, read_layers(com, src, PropertySources{}, PropertySources{}));
}

}  // namespace

TEST_CASE("DenyComRedirection is one more OS-layer source: the most restrictive wins") {
    // TS_CLIENT_COM allows, comredir denies: denied, citing comredir; TS is overridden.
    Pol pol;
    pol.dw(kTs, "fDisableCcm", 0).dw(kRedir, "DisableComPortRedirection", 1);
    Decision d = decide_com(pol, Product::avd, ClientOs::windows);
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::os_policy);
    const LayerOutcome& os = d.layers[0];
    CHECK(os.where.admx_policy == "DenyComRedirection");
    CHECK(os.where.offset == 0x108u);
    REQUIRE(os.overridden.size() == 1);
    CHECK(os.overridden[0].admx_policy == "TS_CLIENT_COM");
    CHECK(os.overridden[0].offset == 8u);
    CHECK(reason(d) ==
          "GPO `comredir baseline`: `Do not allow COM port redirection to comredir hosts` "
          "(DenyComRedirection) Enabled: DisableComPortRedirection = 1 (a.pol offset 0x108)");

    // Both deny: Windows' own policy is cited first, comredir's listed beside it.
    d = decide_com(Pol{}.dw(kTs, "fDisableCcm", 1).dw(kRedir, "DisableComPortRedirection", 1),
                   Product::avd, ClientOs::windows);
    CHECK(d.effective == State::deny);
    CHECK(d.layers[0].where.admx_policy == "TS_CLIENT_COM");
    REQUIRE(d.layers[0].overridden.size() == 1);
    CHECK(d.layers[0].overridden[0].admx_policy == "DenyComRedirection");

    // Intune allows, comredir denies.
    const std::string id = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com";
    IntuneValue iv{id, id + "_0", "", {}};
    iv.where.source = "intune";
    iv.where.file = "cpc.json";
    d = decide_com(Pol{}.dw(kRedir, "DisableComPortRedirection", 1), Product::w365,
                   ClientOs::windows, std::nullopt, {iv});
    CHECK(d.effective == State::deny);
    CHECK(d.layers[0].where.admx_policy == "DenyComRedirection");
    REQUIRE(d.layers[0].overridden.size() == 1);
    CHECK(d.layers[0].overridden[0].source == "intune");

    // Disabled: an explicit allow that decides nothing against a deny elsewhere.
    d = decide_com(Pol{}.dw(kRedir, "DisableComPortRedirection", 0), Product::avd,
                   ClientOs::windows);
    CHECK(d.effective == State::allow);
    CHECK_FALSE(d.decided_by_default);
    CHECK(d.layers[0].where.admx_policy == "DenyComRedirection");
}

TEST_CASE("a comredir reader error fails the decision closed and says why") {
    Decision d =
        decide_com(Pol{}.dw(kTs, "fDisableCcm", 0).sz(kRedir, "DisableComPortRedirection", "0"),
                   Product::avd, ClientOs::windows);
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::os_policy);
    CHECK(d.layers[0].configured == State::error);
    CHECK(d.errors == std::vector<std::string>{
                          "os_policy: a.pol: offset 0x108: `DisableComPortRedirection` is REG_SZ "
                          "of 4 bytes, expected a 4-byte REG_DWORD"});
    d = decide_com(Pol{}.dw(kRedir, "RestrictPortNames", 7), Product::avd, ClientOs::windows);
    CHECK(d.effective == State::deny);
    CHECK(d.errors.size() == 1);

    // A bad value the decision does not use is a note, not a denial.
    d = decide_com(Pol{}.dw(kConsole, "PasteLimitChars", 70000), Product::avd, ClientOs::windows);
    CHECK(d.effective == State::allow);
    CHECK(d.errors.empty());
    CHECK(d.notes == std::vector<std::string>{
                         "comredir policy (not used here): a.pol: offset 0x8: `PasteLimitChars` = "
                         "`70000` is out of range 0-65536"});
}

TEST_CASE("AllowNonWindowsClients disabled: non-Windows clients are denied by the platform") {
    Pol off;
    off.dw(kRedir, "AllowNonWindowsClients", 0);
    Decision d = decide_com(off, Product::linux_host, ClientOs::linux_client);
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::platform);
    const LayerOutcome& pl = d.layers[3];
    CHECK(pl.configured == State::deny);
    CHECK_FALSE(pl.from_default);
    CHECK(pl.where.admx_policy == "AllowNonWindowsClients");
    CHECK(pl.where.offset == 8u);
    CHECK(reason(d) ==
          "GPO `comredir baseline`: `Allow non-Windows clients to redirect serial ports` "
          "(AllowNonWindowsClients) Disabled: AllowNonWindowsClients = 0 (a.pol offset 0x8): "
          "refused for a `linux` client");
    d = decide_com(off, Product::linux_host, ClientOs::windows);
    CHECK(d.effective == State::allow);
    CHECK(d.layers[3].from_default);

    // Where Microsoft's clients cannot anyway, the catalog stays the reason.
    d = decide_com(off, Product::avd, ClientOs::macos);
    CHECK(d.decided_by == LayerId::platform);
    CHECK(d.layers[3].where.source == "platform");
    REQUIRE(d.layers[3].overridden.size() == 1);
    CHECK(d.layers[3].overridden[0].admx_policy == "AllowNonWindowsClients");

    // Enabled: cited as the explicit allow.
    d = decide_com(Pol{}.dw(kRedir, "AllowNonWindowsClients", 1), Product::linux_host,
                   ClientOs::macos);
    CHECK(d.effective == State::allow);
    CHECK(d.decided_by == LayerId::platform);

    // A bad value denies non-Windows clients (fail closed); Windows clients do not need it.
    Pol bad;
    bad.dw(kRedir, "AllowNonWindowsClients", 2);
    d = decide_com(bad, Product::linux_host, ClientOs::android);
    CHECK(d.effective == State::deny);
    CHECK(d.layers[3].configured == State::error);
    CHECK(d.errors == std::vector<std::string>{
                          "platform: a.pol: offset 0x8: `AllowNonWindowsClients` = `2` is neither "
                          "`1` (enabled) nor `0` (disabled)"});
    d = decide_com(bad, Product::linux_host, ClientOs::windows);
    CHECK(d.effective == State::allow);
    CHECK(d.errors.empty());
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].rfind("platform policy not used for a Windows client: a.pol", 0) == 0);
}

TEST_CASE("AllowedPortNames with and without a port") {
    Pol pol;
    pol.dw(kRedir, "RestrictPortNames", 1).sz(kPorts, "**delvals.", " ").sz(kPorts, "1", "COM1");
    Decision d = decide_com(pol, Product::avd, ClientOs::windows, "com1");
    CHECK(d.effective == State::allow);
    CHECK(d.layers[0].where.offset == 0x208u);
    CHECK(d.layers[0].where.detail == "port `com1` matches `COM1`");
    d = decide_com(pol, Product::avd, ClientOs::windows, "COM2");
    CHECK(d.effective == State::deny);
    CHECK(d.layers[0].where.offset == 8u);
    CHECK(d.layers[0].where.detail == "port `COM2` matches none of `COM1`");
    d = decide_com(pol, Product::avd, ClientOs::windows);
    CHECK(d.effective == State::allow);
    CHECK(d.notes == std::vector<std::string>{"AllowedPortNames: only ports named `COM1` are "
                                              "redirected (give a port name to check one)"});
    // Enabled with an empty list: no port at all.
    d = decide_com(Pol{}.dw(kRedir, "RestrictPortNames", 1), Product::avd, ClientOs::windows);
    CHECK(d.effective == State::deny);
    CHECK(d.layers[0].where.detail == "enabled with an empty list: no port is redirected");
    // Not configured: a port is only noted.
    d = decide_com(Pol{}, Product::avd, ClientOs::windows, "COM7");
    CHECK(d.effective == State::allow);
    CHECK(d.decided_by_default);
    CHECK(d.notes ==
          std::vector<std::string>{
              "port `COM7`: every port name is allowed (AllowedPortNames not configured)"});
}
