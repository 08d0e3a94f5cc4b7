// Azure host pools as a HostPoolSource (`hostpool ... --arm`): list pages through nextLink;
// a change GETs the pool (ETag), edits its customRdpProperty with the same editor as the
// embedded store, and PATCHes only that property with If-Match.
#include <comredir/policy/hostpool/arm.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <iostream>

#include "diff.hpp"
#include "hostpool_commands.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

int exit_for(pol::ArmStatus s) {
    switch (s) {
        case pol::ArmStatus::ok:
            return exit_ok;
        case pol::ArmStatus::usage:
            return exit_usage;
        default:
            return exit_input;
    }
}

class ArmSource final : public HostPoolSource {
  public:
    ArmSource(std::unique_ptr<pol::HttpClient> http, pol::ArmTarget target, std::string token,
              bool verbose, std::chrono::milliseconds timeout)
        : http_(std::move(http)),
          client_(*http_, std::move(target), std::move(token), {},
                  verbose ? std::function<void(const std::string&)>([](const std::string& line) {
                      std::cerr << "arm: " << line << '\n';
                  })
                          : std::function<void(const std::string&)>(),
                  timeout) {}

    std::string target() const override { return client_.collection_url(); }

    std::optional<std::vector<pol::HostPool>> read() override {
        auto r = client_.list();
        if (!r.ok()) {
            print_error(r.message);
            return std::nullopt;
        }
        std::vector<pol::HostPool> out;
        for (auto& p : r.pools) out.push_back(store_shape(p));
        return out;
    }

    bool reads_one() const override { return true; }

    std::optional<pol::HostPool> find(const std::string& name) override {
        auto r = client_.get(name);
        if (!r.ok()) {
            print_error(r.message);
            return std::nullopt;
        }
        return store_shape(r.pools.front());
    }

    ChangeOutcome apply(const PoolChange& change, const WriteFlags& flags) override {
        ChangeOutcome out;
        out.pool = change.pool;
        out.target = client_.pool_url(change.pool);
        if (change.kind != PoolChange::Kind::properties) {
            out.exit = exit_usage;
            out.error =
                "`hostpool create` and `delete` do not work with --arm: a host pool needs its "
                "Azure deployment (portal, az desktopvirtualization, Bicep); comredir edits its "
                "RDP properties";
            return out;
        }
        auto got = client_.get(change.pool);
        if (!got.ok()) return failed(std::move(out), exit_for(got.status), got.message);
        const pol::ArmPool& pool = got.pools.front();
        out.pool = pool.name;
        out.before = pool.custom_rdp_property.value_or("");
        out.edit = change.edit(out.before);
        if (!out.edit.ok()) {
            const bool bad = out.edit.status == pol::RdpPropsEditStatus::bad_string;
            std::string why = "host pool `" + pool.name + "`: " +
                              (bad ? "customRdpProperty does not parse: " + out.edit.message +
                                         " (replace the whole string with --raw)"
                                   : out.edit.message);
            return failed(std::move(out), bad ? exit_input : exit_usage, std::move(why));
        }
        out.after = out.edit.text;
        // A null customRdpProperty set to "" is no change either.
        out.changed = out.after != out.before;
        if (flags.dry_run) {
            if (out.changed)
                out.diff = unified_diff({"customRdpProperty: " + out.before},
                                        {"customRdpProperty: " + out.after}, out.target,
                                        out.target + " (after)");
            return out;
        }
        if (!out.changed) return out;
        if (flags.backup) {
            // The pool as the GET returned it (body as received), in the working folder: ARM
            // keeps no copy of its own. The name is percent-encoded: no `/`, no `..`.
            out.backup = pol::url_segment(pool.name) + ".json.bak";
            auto w = pol::write_file_atomic(
                out.backup,
                {reinterpret_cast<const std::uint8_t*>(pool.body.data()), pool.body.size()});
            if (!w.ok) return failed(std::move(out), exit_input, w.message);
        }
        auto patched = client_.patch(pool.name, out.after, pool.etag);
        if (!patched.ok()) return failed(std::move(out), exit_for(patched.status), patched.message);
        if (!patched.pools.empty() &&
            patched.pools.front().custom_rdp_property.value_or("") != out.after) {
            return failed(std::move(out), exit_internal,
                          "host pool `" + pool.name +
                              "`: the service answered with another customRdpProperty");
        }
        return out;
    }

  private:
    static pol::HostPool store_shape(const pol::ArmPool& p) {
        pol::HostPool h;
        h.name = p.name;
        h.product = "avd";
        h.friendly_name = p.friendly_name;
        h.custom_rdp_property = p.custom_rdp_property.value_or("");
        h.arm_path = p.id;
        return h;
    }
    static ChangeOutcome failed(ChangeOutcome out, int exit, std::string error) {
        out.exit = exit;
        out.error = std::move(error);
        return out;
    }
    std::unique_ptr<pol::HttpClient> http_;
    pol::ArmClient client_;
};

}  // namespace

std::unique_ptr<HostPoolSource> arm_source(const SourceOptions& o, int& exit) {
    if (!o.subscription || !o.resource_group || o.subscription->empty() ||
        o.resource_group->empty()) {
        print_error("--arm needs --subscription ID and --resource-group NAME");
        exit = exit_usage;
        return nullptr;
    }
    auto token = arm_connection_token(o.connection, exit);
    if (!token) return nullptr;
    pol::ArmTarget target;
    target.endpoint = o.connection.endpoint;
    target.subscription = *o.subscription;
    target.resource_group = *o.resource_group;
    return std::make_unique<ArmSource>(pol::make_curl_client({o.connection.ca_file}),
                                       std::move(target), std::move(*token), o.connection.verbose,
                                       o.connection.timeout_ms());
}

}  // namespace comredir::cli
