#pragma once
// Intune settings-catalog exports: Graph `deviceManagement/configurationPolicies` JSON.
//
// Accepted shapes (UTF-8, with or without BOM): one policy object (with or without
// `@odata.*` fields), a `{"value":[policy,...]}` list, or a bare array of policies.
// A policy has a `settings` array whose items carry a `settingInstance` (Graph's shape)
// or are setting instances themselves. Instances nest their children under
// `choiceSettingValue.children[]`, `groupSettingCollectionValue[].children[]` and
// `groupSettingValue.children[]`.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

struct IntuneSetting {
    std::string definition_id;  ///< `settingDefinitionId`
    /// The choice value id, or a simple value as text (integers in decimal). Collections
    /// (`simpleSettingCollectionValue`, `choiceSettingCollectionValue`) join their values
    /// with `;`. Empty for group settings.
    std::string value;
    std::string json_pointer;          ///< within the policy, e.g. `/settings/3/settingInstance`
    std::string parent_definition_id;  ///< empty for top-level settings
};

struct IntunePolicy {
    std::string id;    ///< `id` (empty if absent)
    std::string name;  ///< `name` (or `displayName`; empty if absent)
    /// Flattened in document order, children right after their parent.
    std::vector<IntuneSetting> settings;
};

struct IntuneFile {
    std::vector<IntunePolicy> policies;
    std::vector<std::string> warnings;
};

enum class IntuneStatus {
    ok,
    io_error,
    bad_json,      ///< not JSON (line and column of the syntax error)
    not_a_policy,  ///< no `settings` array where a policy is expected
    bad_setting,   ///< a setting without `settingDefinitionId`, or a field of the wrong type
};

std::string_view to_string(IntuneStatus s);

struct IntuneResult {
    IntuneStatus status = IntuneStatus::ok;
    std::uint64_t offset = 0;  ///< byte offset of the problem (BOM included)
    std::uint32_t line = 0;    ///< 1-based line of the problem, 0 if n/a
    std::uint32_t column = 0;  ///< 1-based byte column of the problem, 0 if n/a
    std::string message;       ///< one line; names the JSON pointer of schema problems
    IntuneFile file;           ///< what was read (on error: the policies before it)
    bool ok() const { return status == IntuneStatus::ok; }
};

IntuneResult parse_intune(std::span<const std::uint8_t> bytes);
/// As parse_intune; the message starts with `path: `.
IntuneResult read_intune(const std::string& path);

}  // namespace comredir::policy
