// resolve() cost per feature, on realistic, provenance-laden inputs.
//
// The inputs are built once, outside the timed loops: an OS layer whose
// RegistryState holds ~30 values written by several GPOs (so slots carry
// override history), the pool1 host pool's customRdpProperty, and a real
// client .rdp file from COMREDIR_SHARED_DATA. read_layers() turns them into one
// FeatureInputs per feature; the benchmarks then time resolve() alone, resolve()
// plus reason() rendering, and (for reference) read_layers() + resolve().
//
// Counters: items_per_second counts features, so ns/feature = 1e9 / items_per_second;
// `ns_per_feature` reports the same figure directly (in seconds, inverted rate).
#include <benchmark/benchmark.h>

#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/resolve/catalog.hpp>
#include <comredir/policy/resolve/explain.hpp>
#include <comredir/policy/resolve/layers.hpp>
#include <comredir/policy/resolve/resolver.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace comredir::policy;

namespace {

const std::string kTsKey = std::string("HKLM\\") + std::string(kTsPolicyKey);

RegValue dword(std::uint32_t v) {
    return RegValue{static_cast<std::uint32_t>(RegType::dword),
                    {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                     static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)}};
}

Provenance gpo_write(const std::string& name, const std::string& guid, std::uint64_t offset,
                     const Feature* f, const std::string& key, const std::string& value,
                     std::uint32_t data) {
    Provenance p;
    p.source = "gpo";
    p.file = "sysvol/contoso.com/Policies/" + guid + "/Machine/Registry.pol";
    p.offset = offset;
    p.gpo_name = name;
    p.gpo_guid = guid;
    p.registry_key = key;
    p.registry_value = value;
    if (f != nullptr) {
        p.admx_policy = std::string(f->os.admx_policy);
        p.admx_display_name = std::string(f->os.display_name);
    }
    p.raw = std::to_string(data);
    return p;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "bench_resolve: cannot read %s\n", path.c_str());
        std::exit(2);
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Everything the benchmarks share, built once.
struct Fixture {
    OsSources os;
    RdpFile host_pool_file;
    RdpFile client_file;
    PropertySources host_pool;
    PropertySources client;
    std::vector<const Feature*> feats;
    std::vector<FeatureInputs> inputs;  // one per feature, same order as feats
    std::size_t registry_values = 0;

    Fixture() {
        const std::string baseline_guid = "{3F6C1B9E-2D4A-4C8B-9E71-5A0D2C4B8E11}";
        const std::string lab_guid = "{8B2E4F10-7C3D-4E5A-A1B2-C3D4E5F60718}";
        std::uint64_t off = 8;
        // Every feature's OS policy value from a baseline GPO; every other one overridden
        // by a second GPO so the slot carries history, as in a real multi-GPO estate.
        std::size_t i = 0;
        for (const Feature& f : features()) {
            const std::string key = "HKLM\\" + std::string(f.os.key);
            const std::string value(f.os.value_name);
            std::uint32_t first = f.kind == ValueKind::level ? 2 : f.os.allow_value;
            os.registry.set(
                key, value, dword(first),
                gpo_write("Contoso Baseline", baseline_guid, off, &f, key, value, first));
            off += 120;
            if (i % 2 == 0) {
                std::uint32_t second = f.kind == ValueKind::level ? 1 : f.os.deny_value;
                os.registry.set(
                    key, value, dword(second),
                    gpo_write("Serial Lab Lockdown", lab_guid, off, &f, key, value, second));
                off += 120;
            }
            ++i;
        }
        // Unrelated Terminal Services / baseline values, as real GPOs carry them.
        const char* filler[] = {
            "fPromptForPassword",   "fEncryptRPCTraffic",   "MinEncryptionLevel",
            "SecurityLayer",        "UserAuthentication",   "DeleteTempDirsOnExit",
            "PerSessionTempDir",    "fAllowUnsolicited",    "fAllowToGetHelp",
            "MaxIdleTime",          "MaxDisconnectionTime", "fSingleSessionPerUser",
            "DisablePasswordSaving"};
        std::uint32_t n = 1;
        for (const char* name : filler) {
            os.registry.set(
                kTsKey, name, dword(n),
                gpo_write("Contoso Baseline", baseline_guid, off, nullptr, kTsKey, name, n));
            off += 96;
            ++n;
        }
        registry_values = os.registry.size();

        RdpResult hp = parse_rdp_properties(
            "redirectcomports:i:1;redirectclipboard:i:1;redirectprinters:i:1;drivestoredirect:s:*;"
            "audiocapturemode:i:1;camerastoredirect:s:*;redirectlocation:i:0");
        RdpResult cl = parse_rdp(read_bytes(COMREDIR_SHARED_DATA "/rdp/freerdp-avd-test1.rdp"));
        if (!hp.ok() || !cl.ok()) {
            std::fprintf(stderr, "bench_resolve: input does not parse: %s%s\n", hp.message.c_str(),
                         cl.message.c_str());
            std::exit(2);
        }
        host_pool_file = std::move(hp.file);
        client_file = std::move(cl.file);
        host_pool.props = &host_pool_file;
        host_pool.base.source = "hostpool";
        host_pool.base.host_pool = "pool1";
        client.props = &client_file;
        client.base.source = "rdp";
        client.base.file = "clients/alice-pool1.rdp";

        for (const Feature& f : features()) {
            feats.push_back(&f);
            inputs.push_back(read_layers(f, os, host_pool, client));
        }
    }
};

const Fixture& fixture() {
    static const Fixture fx;
    return fx;
}

void set_feature_counters(benchmark::State& state, std::size_t per_iteration) {
    const auto n = static_cast<double>(per_iteration);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(per_iteration));
    state.counters["features"] = benchmark::Counter(n);
    state.counters["ns_per_feature"] = benchmark::Counter(
        n, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_ResolveComPorts(benchmark::State& state) {
    const Fixture& fx = fixture();
    const Feature& f = *fx.feats.front();  // com_ports comes first
    const FeatureInputs& in = fx.inputs.front();
    for (auto _ : state) {
        Decision d = resolve(f, Product::avd, ClientOs::windows, in);
        benchmark::DoNotOptimize(d);
    }
    set_feature_counters(state, 1);
    state.counters["registry_values"] = benchmark::Counter(static_cast<double>(fx.registry_values));
}
BENCHMARK(BM_ResolveComPorts);

void BM_ResolveAllFeatures(benchmark::State& state) {
    const Fixture& fx = fixture();
    for (auto _ : state) {
        for (std::size_t i = 0; i < fx.feats.size(); ++i) {
            Decision d = resolve(*fx.feats[i], Product::avd, ClientOs::windows, fx.inputs[i]);
            benchmark::DoNotOptimize(d);
        }
    }
    set_feature_counters(state, fx.feats.size());
}
BENCHMARK(BM_ResolveAllFeatures);

void BM_ResolveReasonComPorts(benchmark::State& state) {
    const Fixture& fx = fixture();
    const Feature& f = *fx.feats.front();
    const FeatureInputs& in = fx.inputs.front();
    for (auto _ : state) {
        Decision d = resolve(f, Product::avd, ClientOs::windows, in);
        std::string why = reason(d);
        benchmark::DoNotOptimize(why);
    }
    set_feature_counters(state, 1);
}
BENCHMARK(BM_ResolveReasonComPorts);

void BM_ResolveReasonAllFeatures(benchmark::State& state) {
    const Fixture& fx = fixture();
    for (auto _ : state) {
        for (std::size_t i = 0; i < fx.feats.size(); ++i) {
            Decision d = resolve(*fx.feats[i], Product::avd, ClientOs::windows, fx.inputs[i]);
            std::string why = reason(d);
            benchmark::DoNotOptimize(why);
        }
    }
    set_feature_counters(state, fx.feats.size());
}
BENCHMARK(BM_ResolveReasonAllFeatures);

// Reference only (not a target): reading the layers from the sources as well.
void BM_ReadLayersResolveAllFeatures(benchmark::State& state) {
    const Fixture& fx = fixture();
    for (auto _ : state) {
        for (const Feature* f : fx.feats) {
            FeatureInputs in = read_layers(*f, fx.os, fx.host_pool, fx.client);
            Decision d = resolve(*f, Product::avd, ClientOs::windows, in);
            benchmark::DoNotOptimize(d);
        }
    }
    set_feature_counters(state, fx.feats.size());
}
BENCHMARK(BM_ReadLayersResolveAllFeatures);

// Reference only: copying each feature's FeatureInputs (the provenance the decision
// must carry) -- a floor for any resolve() that copies its inputs into the Decision.
void BM_CopyInputsAllFeatures(benchmark::State& state) {
    const Fixture& fx = fixture();
    for (auto _ : state) {
        for (const FeatureInputs& in : fx.inputs) {
            FeatureInputs copy = in;
            benchmark::DoNotOptimize(copy);
        }
    }
    set_feature_counters(state, fx.feats.size());
}
BENCHMARK(BM_CopyInputsAllFeatures);

}  // namespace

BENCHMARK_MAIN();
