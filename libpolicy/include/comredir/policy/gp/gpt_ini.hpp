#pragma once
// gpt.ini of a GPO folder (SYSVOL `Policies/{GUID}/gpt.ini`, the local GPO's
// `GroupPolicy/gpt.ini`): after a Registry.pol changes, the GPO's version must go up
// (the client skips a GPO whose version it has already applied) and, for the local GPO,
// gPCMachineExtensionNames / gPCUserExtensionNames must name the registry client-side
// extension (without it the client never reads the Registry.pol). Tools that forgot
// either wrote policies that silently never applied.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace comredir::policy {

/// Registry Settings client-side extension (KB 216357) and the Administrative Templates
/// tool extensions for Computer and User policies.
inline constexpr const char* kRegistryCse = "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}";
inline constexpr const char* kAdminTemplatesMachine = "{D02B1F72-3407-48AE-BA88-E8213C6761F1}";
inline constexpr const char* kAdminTemplatesUser = "{D02B1F73-3407-48AE-BA88-E8213C6761F1}";

struct GptIniBump {
    bool ok = true;
    std::string message;  ///< one line when !ok
    std::vector<std::uint8_t> bytes;
    std::uint32_t old_version = 0;
    std::uint32_t new_version = 0;
    bool extensions_changed = false;  ///< the extension names had to be added to
};

/// Adds 1 to the Computer half (low 16 bits) of `Version`, or with `user` to the User half
/// (high 16 bits), and makes `gPCMachineExtensionNames` (or `gPCUserExtensionNames`)
/// contain `[{registry CSE}{Administrative Templates tool}]`, keeping the groups sorted by
/// GUID as Windows writes them. Every other line and byte is kept, with the file's line
/// ending; missing keys go at the end of `[General]` (created when absent). Empty input
/// gives a new file. A half already at 65535 is an error (the client compares versions;
/// wrapping would look like an older GPO).
GptIniBump bump_gpt_ini(std::span<const std::uint8_t> bytes, bool user);

}  // namespace comredir::policy
