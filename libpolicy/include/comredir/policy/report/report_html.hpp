#pragma once
// The fleet report as one self-contained HTML file, rendered from report_json()'s document:
// inline CSS (light, dark, print), no external resource, readable without script. The
// structure follows `gpresult /h`: a summary, the fleet matrix (hosts x features, allow /
// deny / error as text and colour), then per host (collapsible) the sources applied in order
// and the decision table — feature, effective value, winning layer and setting, what it
// overrode — and the baseline drift. A small optional script sorts the matrix by a feature.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace comredir::policy {

std::string report_html(const nlohmann::json& report);

/// Text safe inside an element or a double-quoted attribute: `&`, `<`, `>`, `"` (and tab, LF,
/// CR) as character references.
std::string html_escape(const std::string& text);

}  // namespace comredir::policy
