// Loading a whole PolicyDefinitions folder, against a bare XML parse of the same files.
//
//  - BM_LoadAdmxFolder:      load_admx_folder over the corpus, one whole load per iteration
//                            (directory listing, file reads, XML, ADML tables, policies,
//                            cross-file references, indexes, and freeing the result).
//  - BM_PugixmlParseFolder:  the baseline: pugi::xml_document::load_file of every *.admx and
//                            <language>/*.adml of the corpus, nothing interpreted.
//
// The corpus is written by bench/make_admx_corpus.py (bench/run.sh generates it into
// <build>/bench/admx_corpus). Before timing, one load must succeed with zero errors and give
// exactly the files, policies, categories and supportedOn definitions of its corpus.json;
// otherwise the binary prints why and exits 1.
//
//   bench_admx [--corpus=DIR] [--runs=K] [Google Benchmark flags]
//
// DIR defaults to $COMREDIR_ADMX_CORPUS, else the build's bench/admx_corpus. Each benchmark
// runs K (default 7) repetitions of one iteration each, timed in wall-clock time (the files
// come from the page cache after the check load); bench/run.sh reads the median.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <charconv>
#include <comredir/policy/admx/admx.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

using namespace comredir::policy;
namespace fs = std::filesystem;

namespace {

struct Corpus {
    std::string dir;
    std::vector<std::string> paths;  ///< every *.admx and en-US/*.adml
    std::int64_t bytes = 0;
    std::int64_t pairs = 0;
};

Corpus& corpus() {
    static Corpus c;
    return c;
}

int fail(const std::string& why) {
    std::fprintf(stderr, "bench_admx: %s\n", why.c_str());
    return 1;
}

/// Lists the corpus files and checks one load against corpus.json.
int check_corpus(const std::string& dir) {
    Corpus& c = corpus();
    c.dir = dir;
    std::ifstream in(dir + "/corpus.json");
    if (!in) {
        return fail("no `" + dir +
                    "/corpus.json` (hint: python3 bench/make_admx_corpus.py DIR, or run.sh)");
    }
    const auto manifest = nlohmann::json::parse(in, nullptr, false);
    if (manifest.is_discarded() || !manifest.is_object()) return fail("bad corpus.json");
    const std::string language = manifest.value("language", "en-US");
    std::error_code ec;
    for (const auto& sub : {fs::path(dir), fs::path(dir) / language}) {
        for (const auto& e : fs::directory_iterator(sub, ec)) {
            const auto ext = e.path().extension().string();
            if (!e.is_regular_file() || (ext != ".admx" && ext != ".adml")) continue;
            c.paths.push_back(e.path().string());
            c.bytes += static_cast<std::int64_t>(e.file_size());
        }
    }
    std::sort(c.paths.begin(), c.paths.end());
    const auto want = [&](const char* key) { return manifest.value(key, std::int64_t{-1}); };
    c.pairs = want("admx_files");
    if (c.bytes != want("admx_bytes") + want("adml_bytes") ||
        static_cast<std::int64_t>(c.paths.size()) != c.pairs + want("adml_files")) {
        return fail("`" + dir + "` does not hold the files corpus.json lists");
    }

    const AdmxLoadResult r = load_admx_folder(dir, language);
    for (std::size_t i = 0; i < r.errors.size() && i < 10; ++i) {
        std::fprintf(stderr, "bench_admx: %s\n", r.errors[i].message.c_str());
    }
    if (!r.ok()) return fail(std::to_string(r.errors.size()) + " load errors");
    const auto count = [](const auto& v) { return static_cast<std::int64_t>(v.size()); };
    const std::int64_t adml = std::count_if(r.set.files.begin(), r.set.files.end(),
                                            [](const AdmxFile& f) { return !f.adml.empty(); });
    if (count(r.set.files) != c.pairs || adml != want("adml_files") ||
        count(r.set.policies) != want("policies") ||
        count(r.set.categories) != want("categories") ||
        count(r.set.supported_on) != want("supported_on")) {
        return fail("the load does not match corpus.json: " + std::to_string(r.set.files.size()) +
                    " files, " + std::to_string(r.set.policies.size()) + " policies, " +
                    std::to_string(r.set.categories.size()) + " categories, " +
                    std::to_string(r.set.supported_on.size()) + " supportedOn");
    }
    for (const auto& p : c.paths) {
        pugi::xml_document doc;
        if (!doc.load_file(p.c_str())) return fail("pugixml cannot parse `" + p + "`");
    }
    return 0;
}

void set_counters(benchmark::State& state) {
    const Corpus& c = corpus();
    const auto files = static_cast<double>(c.paths.size());
    state.SetBytesProcessed(state.iterations() * c.bytes);
    state.counters["files"] = benchmark::Counter(files);
    state.counters["pairs"] = benchmark::Counter(static_cast<double>(c.pairs));
    state.counters["files_per_second"] = benchmark::Counter(
        files * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_LoadAdmxFolder(benchmark::State& state) {
    for (auto _ : state) {
        AdmxLoadResult r = load_admx_folder(corpus().dir);
        benchmark::DoNotOptimize(r.set.policies.data());
        if (!r.ok()) {
            state.SkipWithError("load errors");
            break;
        }
    }
    set_counters(state);
}

void BM_PugixmlParseFolder(benchmark::State& state) {
    for (auto _ : state) {
        for (const auto& p : corpus().paths) {
            pugi::xml_document doc;
            const auto res = doc.load_file(p.c_str());
            benchmark::DoNotOptimize(doc.first_child().internal_object());
            if (!res) {
                state.SkipWithError("pugixml parse error");
                break;
            }
        }
    }
    set_counters(state);
}

/// Value of `--name=V` in `arg`, or empty.
std::string_view flag(std::string_view arg, std::string_view name) {
    if (arg.size() > name.size() + 3 && arg.substr(0, 2) == "--" &&
        arg.substr(2, name.size()) == name && arg[2 + name.size()] == '=') {
        return arg.substr(3 + name.size());
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    const char* env = std::getenv("COMREDIR_ADMX_CORPUS");
    std::string dir = env != nullptr && *env != '\0' ? env : COMREDIR_ADMX_CORPUS;
    int runs = 7;
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (auto v = flag(arg, "corpus"); !v.empty()) {
            dir = std::string(v);
        } else if (auto k = flag(arg, "runs"); !k.empty()) {
            int n = 0;
            const auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), n);
            if (ec != std::errc{} || end != k.data() + k.size() || n < 1) {
                std::fprintf(stderr, "bench_admx: `--runs` wants a positive number, not `%s`\n",
                             std::string(k).c_str());
                return 2;
            }
            runs = n;
        } else {
            rest.push_back(argv[i]);
        }
    }
    int rest_argc = static_cast<int>(rest.size());
    benchmark::Initialize(&rest_argc, rest.data());
    if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 2;
    if (int rc = check_corpus(dir); rc != 0) return rc;
    for (auto* b : {benchmark::RegisterBenchmark("BM_LoadAdmxFolder", BM_LoadAdmxFolder),
                    benchmark::RegisterBenchmark("BM_PugixmlParseFolder", BM_PugixmlParseFolder)}) {
        b->Iterations(1)->Repetitions(runs)->UseRealTime()->Unit(benchmark::kMillisecond);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
