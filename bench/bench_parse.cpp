// Parser throughput on the real inputs in COMREDIR_SHARED_DATA, against a baseline.
//
//  - BM_ParsePol:       parse_pol over every gpo/**/registry.pol, one pass per iteration.
//  - BM_ParseRdp:       parse_rdp over every rdp/*.rdp, one pass per iteration.
//  - BM_FreeRdpParseRdp: FreeRDP 2's own .rdp parser (freerdp_client_parse_rdp_file_buffer,
//                        a fresh rdpFile per file, as a client does) over the same bytes.
//
// Files are read into memory once, before any timing; the timed loops do no I/O.
// bytes_per_second (SetBytesProcessed) is the figure bench/run.sh compares.
#include <benchmark/benchmark.h>

#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/rdp/rdp.hpp>

#ifdef COMREDIR_BENCH_FREERDP
#include <freerdp/client/file.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace comredir::policy;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::uint8_t>;

struct Corpus {
    std::vector<Bytes> files;
    std::int64_t total = 0;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Corpus load(const fs::path& root, bool recursive, const std::string& match_lower,
            bool by_extension) {
    std::vector<fs::path> paths;
    auto consider = [&](const fs::directory_entry& e) {
        if (!e.is_regular_file()) return;
        const std::string name =
            lower(by_extension ? e.path().extension().string() : e.path().filename().string());
        if (name == match_lower) paths.push_back(e.path());
    };
    std::error_code ec;
    if (recursive) {
        for (const auto& e : fs::recursive_directory_iterator(root, ec)) consider(e);
    } else {
        for (const auto& e : fs::directory_iterator(root, ec)) consider(e);
    }
    std::sort(paths.begin(), paths.end());
    Corpus c;
    for (const auto& p : paths) {
        std::ifstream in(p, std::ios::binary);
        Bytes b{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        c.total += static_cast<std::int64_t>(b.size());
        c.files.push_back(std::move(b));
    }
    if (c.files.empty()) {
        std::fprintf(stderr, "bench_parse: no `%s` files under %s\n", match_lower.c_str(),
                     root.c_str());
        std::exit(2);
    }
    return c;
}

const Corpus& pols() {
    static const Corpus c =
        load(fs::path(COMREDIR_SHARED_DATA) / "gpo", true, "registry.pol", false);
    return c;
}

const Corpus& rdps() {
    static const Corpus c = load(fs::path(COMREDIR_SHARED_DATA) / "rdp", false, ".rdp", true);
    return c;
}

void set_counters(benchmark::State& state, const Corpus& c) {
    state.SetBytesProcessed(state.iterations() * c.total);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.files.size()));
    state.counters["files"] = benchmark::Counter(static_cast<double>(c.files.size()));
    state.counters["corpus_bytes"] = benchmark::Counter(static_cast<double>(c.total));
}

void BM_ParsePol(benchmark::State& state) {
    const Corpus& c = pols();
    for (const Bytes& b : c.files) {
        if (!parse_pol(b).ok()) {
            state.SkipWithError("a registry.pol does not parse");
            return;
        }
    }
    for (auto _ : state) {
        for (const Bytes& b : c.files) {
            PolResult r = parse_pol(b);
            benchmark::DoNotOptimize(r);
        }
    }
    set_counters(state, c);
}
BENCHMARK(BM_ParsePol);

void BM_ParseRdp(benchmark::State& state) {
    const Corpus& c = rdps();
    for (const Bytes& b : c.files) {
        if (!parse_rdp(b).ok()) {
            state.SkipWithError("an .rdp file does not parse");
            return;
        }
    }
    for (auto _ : state) {
        for (const Bytes& b : c.files) {
            RdpResult r = parse_rdp(b);
            benchmark::DoNotOptimize(r);
        }
    }
    set_counters(state, c);
}
BENCHMARK(BM_ParseRdp);

#ifdef COMREDIR_BENCH_FREERDP
void BM_FreeRdpParseRdp(benchmark::State& state) {
    const Corpus& c = rdps();
    for (const Bytes& b : c.files) {
        rdpFile* f = freerdp_client_rdp_file_new();
        const BOOL ok = freerdp_client_parse_rdp_file_buffer(f, b.data(), b.size());
        freerdp_client_rdp_file_free(f);
        if (!ok) {
            state.SkipWithError("FreeRDP rejects an .rdp file");
            return;
        }
    }
    for (auto _ : state) {
        for (const Bytes& b : c.files) {
            rdpFile* f = freerdp_client_rdp_file_new();
            BOOL ok = freerdp_client_parse_rdp_file_buffer(f, b.data(), b.size());
            benchmark::DoNotOptimize(ok);
            freerdp_client_rdp_file_free(f);
        }
    }
    set_counters(state, c);
}
BENCHMARK(BM_FreeRdpParseRdp);
#endif

}  // namespace

BENCHMARK_MAIN();
