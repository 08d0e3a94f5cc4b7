// libFuzzer: ADMX + ADML from memory (parse_admx). The input is split in two at the first
// NUL byte (ADMX before, ADML after), or in the middle when there is none.
#include <algorithm>
#include <comredir/policy/admx/admx.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> bytes(data, size);
    const void* nul = size == 0 ? nullptr : std::memchr(data, 0, size);
    std::size_t cut = nul != nullptr
                          ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - data)
                          : size / 2;
    auto admx = bytes.first(cut);
    auto adml = bytes.subspan(nul != nullptr ? cut + 1 : cut);
    auto r = comredir::policy::parse_admx(admx, adml, "fuzz.admx");
    for (const auto& e : r.errors) {
        if (e.message.empty() || e.message.find('\n') != std::string::npos) __builtin_trap();
    }
    for (const auto& p : r.set.policies) {
        auto found = r.set.lookup_policy(p.name).candidates;  // every policy is indexed
        if (std::find(found.begin(), found.end(), &p) == found.end()) __builtin_trap();
        (void)r.set.policies_for_value("HKLM", p.key, p.value_name);
        (void)r.set.policies_for_value("HKCU", p.key, p.value_name);
    }
    return 0;
}
