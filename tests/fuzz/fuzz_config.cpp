// libFuzzer: the config file reader (JSON schema checks, path resolution).
#include <comredir/policy/resolve/config.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = comredir::policy::parse_config(text, "/fuzz/comredir.json");
    if (r.ok()) {
        for (const auto& [name, host] : r.config.hosts) {
            (void)name;
            (void)host.os.size();
        }
    }
    return 0;
}
