// libFuzzer target: the Intune settings-catalog export reader, and the editor on whatever
// the reader accepts: a set must read back (the editor checks) and be idempotent; an unset
// after it must succeed.
#include <comredir/policy/intune.hpp>
#include <comredir/policy/intune_edit.hpp>
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
    if (!r.ok() || r.file.policies.size() != 1) return 0;
    const std::span<const std::uint8_t> in(data, size);
    const char* id = "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com";
    const IntuneEdit set = intune_set(in, id, "enabled");
    if (!set.ok()) {
        if (set.message.empty() || set.message.find('\n') != std::string::npos) std::abort();
        return 0;
    }
    if (!parse_intune(set.bytes).ok()) std::abort();
    const IntuneEdit again = intune_set(set.bytes, id, "enabled");
    if (!again.ok() || again.changed || again.bytes != set.bytes) std::abort();
    const IntuneEdit unset = intune_unset(set.bytes, id);
    if (!unset.ok() || !parse_intune(unset.bytes).ok()) std::abort();
    return 0;
}
