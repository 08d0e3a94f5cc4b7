// libFuzzer target for the Registry.pol reader: parse, apply and render
// whatever the input is. Seeds: tests/fuzz/seeds/pol/ plus the registry.pol
// files under ../shared/data/gpo.

#include <comredir/policy/gp/pol.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace comredir::policy;
    auto result = parse_pol(std::span(data, size));
    if (result.ok() == result.message.empty() && result.offset <= size) {
        RegistryState state;
        Provenance base;
        base.source = "registry.pol";
        apply_pol(result.file, "HKLM", base, state);
        (void)pol_to_json(result.file).dump();
        return 0;
    }
    __builtin_trap();  // status and message disagree, or the offset is past the input
}
