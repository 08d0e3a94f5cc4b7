// libFuzzer target: the .rdp file reader and the RDP property string reader.
#include <comredir/policy/rdp/rdp.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

namespace {

// Invariants every result must keep, whatever the input.
void check(const comredir::policy::RdpResult& r, std::size_t size) {
    if (r.offset > size) std::abort();
    if (!r.ok() && (r.line == 0 || r.message.empty())) std::abort();
    if (r.message.find('\n') != std::string::npos) std::abort();
    for (const auto& p : r.file.properties) {
        if (p.offset + p.length > size || p.line == 0 || p.name.empty()) std::abort();
        if (p.type == 'i' && !p.integer) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    check(comredir::policy::parse_rdp(bytes), size);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(comredir::policy::parse_rdp_properties(text), size);
    return 0;
}
