#pragma once
// Checking ADMX/ADML files before they go into a central store: schema validity
// (Microsoft's PolicyDefinitionFiles.xsd, applied with libxml2) and the semantic
// checks the schema cannot express.
//
// Every finding is classified by a rule (admx_rules()): an *error* is something that stops
// the Group Policy editor from loading the file or from setting a policy; a *warning* is
// something outside the published schema, or a loose end, that the editor loads anyway
// (the evidence: Windows' own templates do it). Each rule says why in plain words.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

enum class AdmxSeverity { error, warning };

/// `error`, `warning`.
std::string_view to_string(AdmxSeverity s);

/// One entry of the classification table.
struct AdmxRule {
    std::string_view id;     ///< `multi-text`, `missing-string`, ... (unique)
    std::string_view check;  ///< the check that reports it (see AdmxFinding::check)
    AdmxSeverity severity;
    std::string_view why;  ///< plain words: what the editor does with it, and the evidence
};

/// Every rule, grouped by check.
std::span<const AdmxRule> admx_rules();
/// The rule `id`; nullptr if there is none.
const AdmxRule* find_admx_rule(std::string_view id);

struct AdmxFinding {
    AdmxSeverity severity = AdmxSeverity::error;
    /// Which check: `xml`, `adml`, `schema`, `refs` (references that do not resolve),
    /// `duplicates`, `presentations` (controls and elements that do not match), `policies`
    /// (missing explain text, supportedOn or category), `unused` (ADML entries nothing
    /// references).
    std::string check;
    std::string rule;        ///< the AdmxRule id
    std::string why;         ///< the rule's why
    std::string file;        ///< path as given
    std::uint32_t line = 0;  ///< 1-based, 0 if n/a
    std::string message;     ///< one line, starting with `file: line N: `
};

/// A finding of rule `id` (severity, check and why from the table; an unknown id is a
/// programming error: std::invalid_argument). `what` is the message after `file: line N: `.
AdmxFinding make_admx_finding(std::string_view id, const std::string& file, std::uint32_t line,
                              const std::string& what);

/// Semantic checks of one ADMX and its ADML (paths name them in findings; an empty
/// `adml_path` is a `missing-adml` error and only the ADMX-side checks run).
std::vector<AdmxFinding> check_admx_semantics(const std::string& admx_path,
                                              const std::string& adml_path);

/// Checks across several ADMX files validated together (a PolicyDefinitions folder): two
/// files with one target namespace, and `prefix:name` references into another of the
/// files whose category or supportedOn definition does not exist there. References into
/// namespaces none of the files defines are not checked.
std::vector<AdmxFinding> check_admx_set(const std::vector<std::string>& admx_paths);

/// Validates `xml_path` against the XSD at `xsd_path` (PolicyDefinitionFiles.xsd; the
/// schemas it includes are found beside it). Each libxml2 diagnostic becomes one `schema`
/// finding, classified by rule (`multi-text`, `unknown-attribute`, ... are warnings). A root
/// element outside the schema's namespace (no `xmlns`, as some of Windows' own files have)
/// is one `namespace` warning, and the rest of the file is checked as if it were in that
/// namespace. An XSD that cannot be loaded is a single `schema-unavailable` error.
std::vector<AdmxFinding> check_admx_schema(const std::string& xml_path,
                                           const std::string& xsd_path);

}  // namespace comredir::policy
