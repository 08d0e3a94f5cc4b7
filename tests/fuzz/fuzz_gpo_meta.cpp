// libFuzzer: GPO metadata readers (GPMC bkupInfo.xml and manifest.xml via pugixml, gpt.ini).
#include <cstddef>
#include <cstdint>
#include <span>

#include "gp/gpo_meta.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> bytes(data, size);
    auto info = comredir::policy::detail::parse_bkupinfo(bytes);
    if (info.ok && info.guid.empty()) __builtin_trap();  // ok promises a GUID
    auto manifest = comredir::policy::detail::parse_manifest(bytes);
    (void)manifest.backup_ids.size();
    (void)comredir::policy::detail::gpt_ini_display_name(bytes);
    (void)comredir::policy::detail::gpt_ini_problem(bytes).size();
    return 0;
}
