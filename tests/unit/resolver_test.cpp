// The precedence rules, exhaustively: every feature x product x client platform x
// combination of layer states (allow / deny / not configured / error), checked
// against the rule as Microsoft states it, plus hand-written cases with literal outcomes.
#include <doctest/doctest.h>

#include <array>
#include <comredir/policy/resolve/resolver.hpp>
#include <utility>

using namespace comredir::policy;

namespace {

constexpr std::array<State, 4> kStates{State::allow, State::deny, State::not_configured,
                                       State::error};

LayerReading reading(const Feature& f, State s) {
    LayerReading r;
    r.state = s;
    r.where.source = "test";
    if (s == State::error) r.error = "broken";
    if (f.kind == ValueKind::list && (s == State::allow || s == State::deny)) {
        r.list = s == State::allow ? ListValue::everything() : ListValue::nothing();
    }
    if (f.kind == ValueKind::level && (s == State::allow || s == State::deny))
        r.level = s == State::allow ? 4 : 0;
    return r;
}

// What a layer amounts to, straight from the rule: errors deny, silence takes the default.
bool denies(State s, Default def) {
    if (s == State::error || s == State::deny) return true;
    if (s == State::allow) return false;
    return def == Default::deny;
}

}  // namespace

TEST_CASE("exhaustive precedence matrix: effective value and deciding layer") {
    int cases = 0;
    for (const auto& f : features()) {
        for (Product p : kAllProducts) {
            const auto& defs = defaults_for(f, p);
            bool has_props = f.rdp.semantics != RdpSemantics::none;
            bool hp_exists = has_host_pool_layer(p) && has_props;
            for (ClientOs os : kAllClientOs) {
                // comredir's own feature (the serial console): denied off its product, and no
                // client platform where it exists (a not-applicable layer denies nothing).
                bool platform_ok = !applies_to(f, p)          ? false
                                   : !f.only_on.empty()       ? true
                                   : p == Product::linux_host ? f.comredir_linux_host
                                                              : platform_supported(f, p, os);
                for (State so : kStates) {
                    for (State sh : kStates) {
                        for (State sc : kStates) {
                            Decision d = resolve(
                                f, p, os,
                                FeatureInputs{reading(f, so), reading(f, sh), reading(f, sc)});
                            ++cases;
                            // Layers in precedence order, with whether they exist and deny.
                            struct L {
                                LayerId id;
                                bool exists;
                                bool deny;
                                bool explicit_allow;
                            };
                            std::array<L, 4> ls{{
                                {LayerId::os_policy, true, denies(so, f.os.windows_default),
                                 so == State::allow},
                                {LayerId::host_pool, hp_exists, denies(sh, defs.host_pool),
                                 sh == State::allow},
                                {LayerId::client, has_props, denies(sc, defs.client),
                                 sc == State::allow},
                                {LayerId::platform, true, !platform_ok, false},
                            }};
                            // list defaults of "" mean nothing is redirected
                            if (f.kind == ValueKind::list && defs.list_default.empty()) {
                                if (sh == State::not_configured) ls[1].deny = true;
                                if (sc == State::not_configured) ls[2].deny = true;
                            }
                            const L* first_deny = nullptr;
                            const L* first_allow = nullptr;
                            for (const auto& l : ls) {
                                if (!l.exists) continue;
                                if (l.deny && first_deny == nullptr) first_deny = &l;
                                if (l.explicit_allow && first_allow == nullptr) first_allow = &l;
                            }
                            State want = first_deny != nullptr ? State::deny : State::allow;
                            LayerId want_by = first_deny != nullptr    ? first_deny->id
                                              : first_allow != nullptr ? first_allow->id
                                                                       : LayerId::os_policy;
                            INFO(f.id, " ", to_string(p), " ", to_string(os), " os=", to_string(so),
                                 " hp=", to_string(sh), " client=", to_string(sc));
                            REQUIRE(d.effective == want);
                            REQUIRE(d.decided_by == want_by);
                            REQUIRE(d.layers.size() == 4);
                            CHECK(d.layers[1].applied ==
                                  (hp_exists ? d.layers[1].applied : State::not_applicable));
                            // every error is reported
                            int errors = (so == State::error) + (hp_exists && sh == State::error) +
                                         (has_props && sc == State::error);
                            CHECK(static_cast<int>(d.errors.size()) == errors);
                        }
                    }
                }
            }
        }
    }
    CHECK(cases == 18 * 5 * 6 * 64);
}

TEST_CASE("literal cases for COM ports") {
    const Feature& com = *find_feature("com_ports");
    auto in = [&](State o, State h, State c) {
        return FeatureInputs{reading(com, o), reading(com, h), reading(com, c)};
    };

    // Microsoft's example: GP disables it, the host pool enables it -> disabled, by GP.
    Decision d = resolve(com, Product::avd, ClientOs::windows,
                         in(State::deny, State::allow, State::not_configured));
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::os_policy);
    CHECK(d.overrode == std::vector<LayerId>{LayerId::host_pool});
    CHECK_FALSE(d.decided_by_default);

    // Nothing configured on AVD: redirected by default.
    d = resolve(com, Product::avd, ClientOs::windows,
                in(State::not_configured, State::not_configured, State::not_configured));
    CHECK(d.effective == State::allow);
    CHECK(d.decided_by == LayerId::os_policy);
    CHECK(d.decided_by_default);

    // mstsc does not redirect ports unless asked: RDS with a silent client denies, by the client
    // default.
    d = resolve(com, Product::rds, ClientOs::windows,
                in(State::not_configured, State::not_configured, State::not_configured));
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::client);
    CHECK(d.decided_by_default);

    // Windows 365 has no host-pool layer: a host-pool deny is ignored, with a note.
    d = resolve(com, Product::w365, ClientOs::windows,
                in(State::not_configured, State::deny, State::allow));
    CHECK(d.effective == State::allow);
    CHECK(d.decided_by == LayerId::client);
    CHECK(d.layers[1].applied == State::not_applicable);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0] == "host-pool setting ignored: product `w365` has no host-pool layer");

    // Microsoft clients redirect COM ports only from Windows; comredir's Linux host serves FreeRDP
    // anywhere.
    d = resolve(com, Product::avd, ClientOs::macos, in(State::allow, State::allow, State::allow));
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::platform);
    CHECK(d.overrode ==
          std::vector<LayerId>{LayerId::os_policy, LayerId::host_pool, LayerId::client});
    d = resolve(com, Product::linux_host, ClientOs::macos,
                in(State::allow, State::allow, State::allow));
    CHECK(d.effective == State::allow);

    // An unreadable OS source fails closed and says so.
    d = resolve(com, Product::avd, ClientOs::windows, in(State::error, State::allow, State::allow));
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::os_policy);
    CHECK(d.errors == std::vector<std::string>{"os_policy: broken"});
}

TEST_CASE("lists intersect, levels take the minimum") {
    const Feature& drives = *find_feature("drives");
    FeatureInputs in{reading(drives, State::not_configured), reading(drives, State::allow),
                     reading(drives, State::allow)};
    in.host_pool.list = ListValue::parse("C:\\;E:\\;");
    in.client.list = ListValue::parse("e:\\;F:\\");
    Decision d = resolve(drives, Product::avd, ClientOs::windows, in);
    CHECK(d.effective == State::allow);
    REQUIRE(d.list.has_value());
    CHECK(d.list->to_string() == "E:\\");
    CHECK(d.decided_by == LayerId::host_pool);

    in.client.list = ListValue::parse("F:\\");
    d = resolve(drives, Product::avd, ClientOs::windows, in);
    CHECK(d.effective == State::deny);
    CHECK(d.list->to_string() == "");

    const Feature& sc = *find_feature("clipboard_server_to_client");
    FeatureInputs lv{reading(sc, State::allow), {}, {}};
    lv.os.level = 2;
    d = resolve(sc, Product::avd, ClientOs::windows, lv);
    CHECK(d.effective == State::allow);
    CHECK(d.level == 2);
    CHECK(d.decided_by == LayerId::os_policy);
    d = resolve(sc, Product::avd, ClientOs::windows, FeatureInputs{});
    CHECK(d.level == kUnrestrictedLevel);
    CHECK(d.decided_by_default);
}

TEST_CASE("a Feature that is a caller's copy, not a catalog row, resolves the same") {
    Feature copy = *find_feature("com_ports");
    FeatureInputs in{reading(copy, State::not_configured), reading(copy, State::allow), {}};
    Decision a = resolve(copy, Product::avd, ClientOs::macos, in);
    Decision b = resolve(*find_feature("com_ports"), Product::avd, ClientOs::macos, in);
    CHECK(a.effective == b.effective);
    CHECK(a.decided_by == b.decided_by);
    CHECK(a.layers[0].where.detail == b.layers[0].where.detail);
    CHECK(a.layers[3].where.detail == b.layers[3].where.detail);
}

TEST_CASE(
    "exhaustive: the platform policy (AllowNonWindowsClients) speaks for non-Windows "
    "clients only") {
    int cases = 0;
    for (const auto& f : features()) {
        for (Product p : kAllProducts) {
            const auto& defs = defaults_for(f, p);
            bool has_props = f.rdp.semantics != RdpSemantics::none;
            bool hp_exists = has_host_pool_layer(p) && has_props;
            for (ClientOs os : kAllClientOs) {
                // comredir's own feature (the serial console): denied off its product, and no
                // client platform where it exists (a not-applicable layer denies nothing).
                bool platform_ok = !applies_to(f, p)          ? false
                                   : !f.only_on.empty()       ? true
                                   : p == Product::linux_host ? f.comredir_linux_host
                                                              : platform_supported(f, p, os);
                // ... and no platform policy: it is about RDP clients.
                bool applies = os != ClientOs::windows && f.only_on.empty();
                for (State sp : kStates) {
                    for (State so : kStates) {
                        for (State sc : kStates) {
                            State sh = sc == State::error ? State::allow : so;  // fewer combos
                            FeatureInputs in{reading(f, so), reading(f, sh), reading(f, sc),
                                             reading(f, sp)};
                            in.platform->list.reset();
                            in.platform->level.reset();
                            Decision d = resolve(f, p, os, in);
                            ++cases;
                            bool pl_deny = !platform_ok ||
                                           (applies && (sp == State::deny || sp == State::error));
                            bool pl_allow = applies && platform_ok && sp == State::allow;
                            struct L {
                                LayerId id;
                                bool exists, deny, explicit_allow;
                            };
                            std::array<L, 4> ls{{
                                {LayerId::os_policy, true, denies(so, f.os.windows_default),
                                 so == State::allow},
                                {LayerId::host_pool, hp_exists, denies(sh, defs.host_pool),
                                 sh == State::allow},
                                {LayerId::client, has_props, denies(sc, defs.client),
                                 sc == State::allow},
                                {LayerId::platform, true, pl_deny, pl_allow},
                            }};
                            if (f.kind == ValueKind::list && defs.list_default.empty()) {
                                if (sh == State::not_configured) ls[1].deny = true;
                                if (sc == State::not_configured) ls[2].deny = true;
                            }
                            const L* first_deny = nullptr;
                            const L* first_allow = nullptr;
                            for (const auto& l : ls) {
                                if (!l.exists) continue;
                                if (l.deny && first_deny == nullptr) first_deny = &l;
                                if (l.explicit_allow && first_allow == nullptr) first_allow = &l;
                            }
                            INFO(f.id, " ", to_string(p), " ", to_string(os),
                                 " platform=", to_string(sp), " os=", to_string(so),
                                 " hp=", to_string(sh), " client=", to_string(sc));
                            REQUIRE(d.effective ==
                                    (first_deny != nullptr ? State::deny : State::allow));
                            REQUIRE(d.decided_by == (first_deny != nullptr ? first_deny->id
                                                     : first_allow != nullptr
                                                         ? first_allow->id
                                                         : LayerId::os_policy));
                            int errors = (so == State::error) + (hp_exists && sh == State::error) +
                                         (has_props && sc == State::error) +
                                         (applies && sp == State::error);
                            CHECK(static_cast<int>(d.errors.size()) == errors);
                            // The policy is cited where it decides the layer: an error always,
                            // an allow or deny unless the catalog already denies.
                            bool cited = applies && sp != State::not_configured &&
                                         (platform_ok || sp == State::error);
                            CHECK((d.layers[3].where.source == "test") == cited);
                            CHECK(d.layers[3].configured == (cited ? sp : State::not_applicable));
                        }
                    }
                }
            }
        }
    }
    CHECK(cases == 18 * 5 * 6 * 64);
}

TEST_CASE("platform policy: literal cases, and moved inputs resolve like copied ones") {
    const Feature& com = *find_feature("com_ports");
    FeatureInputs in{{}, {}, {}, reading(com, State::deny)};
    in.platform->where.admx_policy = "AllowNonWindowsClients";
    Decision d = resolve(com, Product::linux_host, ClientOs::macos, in);
    CHECK(d.effective == State::deny);
    CHECK(d.decided_by == LayerId::platform);
    CHECK(d.layers[3].where.detail == "refused for a `macos` client");
    CHECK(d.layers[3].where.admx_policy == "AllowNonWindowsClients");
    Decision moved = resolve(com, Product::linux_host, ClientOs::macos, FeatureInputs(in));
    CHECK(moved.layers[3].where.admx_policy == "AllowNonWindowsClients");
    CHECK(moved.layers[3].configured == State::deny);

    // Microsoft's clients cannot redirect COM ports from macOS anyway: the catalog decides.
    d = resolve(com, Product::avd, ClientOs::macos, in);
    CHECK(d.layers[3].where.source == "platform");
    CHECK(d.layers[3].configured == State::not_applicable);
    REQUIRE(d.layers[3].overridden.size() == 1);
    CHECK(d.layers[3].overridden[0].admx_policy == "AllowNonWindowsClients");

    in.platform = reading(com, State::error);
    d = resolve(com, Product::linux_host, ClientOs::windows, in);
    CHECK(d.effective == State::allow);
    CHECK(d.errors.empty());
    CHECK(d.notes == std::vector<std::string>{"platform policy not used for a Windows client: "
                                              "broken"});
    d = resolve(com, Product::linux_host, ClientOs::web, std::move(in));
    CHECK(d.effective == State::deny);
    CHECK(d.errors == std::vector<std::string>{"platform: broken"});
}
