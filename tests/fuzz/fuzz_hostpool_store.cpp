// libFuzzer target: the host-pool store reader.
#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace comredir::policy;
    const HostPoolStoreResult r =
        parse_hostpool_store(std::string_view(reinterpret_cast<const char*>(data), size));
    if (r.offset > size) std::abort();
    if (!r.ok() && r.message.empty()) std::abort();
    if (r.message.find('\n') != std::string::npos) std::abort();
    for (const auto& p : r.store.pools) {
        if (p.name.empty() || p.line == 0 || r.store.find(p.name) == nullptr) std::abort();
    }
    return 0;
}
