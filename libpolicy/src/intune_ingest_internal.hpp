#pragma once
// Internal: shared by intune_ingest.cpp (URIs, rows, ingestion limits) and
// intune_ingest_values.cpp (element values: dialog defaults, checks, payload encoding).

#include <comredir/policy/admx.hpp>
#include <comredir/policy/intune_ingest.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace comredir::policy::detail {

/// What the ADMX/ADML say that AdmxSet does not keep.
struct IngestFacts {
    /// presentation id -> refId -> dialog default as text: decimalTextBox / longDecimalTextBox
    /// `defaultValue` (`1` when omitted, as the schema says), checkBox `true` / `false`,
    /// dropdownList `defaultItem` (an index, only when written), textBox `defaultValue` and
    /// comboBox `default` (only when written).
    std::unordered_map<std::string, std::unordered_map<std::string, std::string>> defaults;
    /// `policy '\0' element` of every list element that writes a valuePrefix attribute (even
    /// an empty one: names 1, 2, ...); without it value names equal the data.
    std::unordered_set<std::string> prefixed_lists;
};

/// Reads the facts from the ADMX and ADML texts (UTF-8); unreadable XML yields no facts.
IngestFacts read_ingest_facts(const std::string& admx_text, const std::string& adml_text);

/// The `--set` values of one policy, by element id, in the order given.
using ElementValues = std::unordered_map<std::string, std::vector<std::string>>;

struct PolicyData {
    AdmxIngestStatus status = AdmxIngestStatus::ok;
    std::string message;
    std::string value;        ///< `<enabled/><data id=".." value=".."/>...`
    std::string description;  ///< `LatencyWarningMs = 20 (dialog default); ...`
    std::vector<std::string> notes;
};

/// The Enabled payload of `policy`: every element, from `given`, else its dialog default.
PolicyData enabled_data(const AdmxPolicy& policy, const ElementValues& given,
                        const IngestFacts& facts);

/// `s` escaped for an XML attribute value in double quotes (`&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, and tab / LF / CR as character references).
std::string xml_attr(std::string_view s);

}  // namespace comredir::policy::detail
