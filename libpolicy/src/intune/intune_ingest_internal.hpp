#pragma once
// Internal: shared by intune_ingest.cpp (URIs, rows, ingestion limits) and
// intune_ingest_values.cpp (element values: dialog defaults, checks, payload encoding).

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/intune/intune_ingest.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace comredir::policy::detail {

/// The `--set` values of one policy, by element id, in the order given.
using ElementValues = std::unordered_map<std::string, std::vector<std::string>>;

struct PolicyData {
    AdmxIngestStatus status = AdmxIngestStatus::ok;
    std::string message;
    std::string value;        ///< `<enabled/><data id=".." value=".."/>...`
    std::string description;  ///< `LatencyWarningMs = 20 (dialog default); ...`
    std::vector<std::string> notes;
};

/// The Enabled payload of `policy`: every element, from `given`, else its dialog default
/// (AdmxElement::default_text).
PolicyData enabled_data(const AdmxPolicy& policy, const ElementValues& given);

}  // namespace comredir::policy::detail
