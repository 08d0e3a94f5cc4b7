#pragma once
// The fleet report as JSON (schema: docs/report.schema.json): a summary, every host's
// sources and decisions (the winning layer and setting, what it overrode), a hosts x
// features matrix, and the baseline drift. The HTML report is rendered from this document,
// so the two always hold the same data.

#include <comredir/policy/report/fleet.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace comredir::policy {

inline constexpr int kReportSchemaVersion = 1;

/// `generated`: an ISO 8601 UTC time. `drift`: null for no baseline.
nlohmann::json report_json(const Fleet& fleet, const Drift* drift, const std::string& generated);

/// `allow`, `deny` or `error` (denied because a source could not be read or held an invalid
/// value) for a decision. With `os_unknown` (a pool from Azure Resource Graph no config host
/// names): `deny` when another layer denies whatever the OS layer says, `error` when another
/// layer's source is bad, else `unknown` (never `allow`).
std::string decision_status(const Decision& d, bool os_unknown = false);

/// A fleet matrix cell, from a host of the report JSON: its decision's status for `feature`,
/// `error` for a host that could not be loaded, or empty where the feature is not decided
/// (n/a: it does not exist on the host's product).
std::string matrix_status(const nlohmann::json& host, std::string_view feature);

}  // namespace comredir::policy
