// libFuzzer target: the .reg export reader, and applying what it read.
#include <comredir/policy/gp/regfile.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace comredir::policy;
    const RegFileResult r = parse_regfile(std::span<const std::uint8_t>(data, size));
    if (r.offset > size) std::abort();
    if (!r.ok() && (r.line == 0 || r.message.empty())) std::abort();
    if (r.message.find('\n') != std::string::npos) std::abort();
    for (const auto& e : r.file.entries) {
        if (e.line == 0 || e.key.empty()) std::abort();
        if (e.data.data.size() > 2 * size + 2) std::abort();
    }
    RegistryState state;
    apply_regfile(r.file, Provenance{}, state);
    return 0;
}
