// libFuzzer target: the Intune settings-catalog export reader.
#include <comredir/policy/intune.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace comredir::policy;
    const IntuneResult r = parse_intune(std::span<const std::uint8_t>(data, size));
    if (r.offset > size) std::abort();
    if (!r.ok() && r.message.empty()) std::abort();
    if (r.message.find('\n') != std::string::npos) std::abort();
    for (const auto& p : r.file.policies) {
        for (const auto& s : p.settings) {
            if (s.json_pointer.empty() || s.json_pointer[0] != '/') std::abort();
        }
    }
    return 0;
}
