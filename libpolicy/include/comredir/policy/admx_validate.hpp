#pragma once
// Checking ADMX/ADML files before they go into a central store: schema validity
// (Microsoft's PolicyDefinitionFiles.xsd, applied with libxml2) and the semantic
// checks the schema cannot express, the ones that make the Group Policy editor
// refuse a file or show a policy it cannot configure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

enum class AdmxSeverity { error, warning };

/// `error`, `warning`.
std::string_view to_string(AdmxSeverity s);

struct AdmxFinding {
    AdmxSeverity severity = AdmxSeverity::error;
    /// Which check: `xml`, `schema`, `refs` (a `$(string.X)` / `$(presentation.X)` the ADML
    /// lacks, an undeclared prefix, a category or supportedOn that does not exist), `unused`
    /// (an ADML string or presentation nothing references), `duplicates`, `presentations`
    /// (controls and elements that do not match), `policies` (missing explain text,
    /// supportedOn or category), `adml` (no ADML for the ADMX).
    std::string check;
    std::string file;        ///< path as given
    std::uint32_t line = 0;  ///< 1-based, 0 if n/a
    std::string message;     ///< one line, starting with `file: line N: `
};

/// Semantic checks of one ADMX and its ADML (paths name them in findings; an empty
/// `adml_path` is an `adml` error and only the ADMX-side checks run).
std::vector<AdmxFinding> check_admx_semantics(const std::string& admx_path,
                                              const std::string& adml_path);

/// Validates `xml_path` against the XSD at `xsd_path` (PolicyDefinitionFiles.xsd; the
/// schemas it includes are found beside it). Each violation is one `schema` error; an XSD
/// that cannot be loaded is a single `schema` error naming it.
std::vector<AdmxFinding> check_admx_schema(const std::string& xml_path,
                                           const std::string& xsd_path);

}  // namespace comredir::policy
