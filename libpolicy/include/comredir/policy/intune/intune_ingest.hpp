#pragma once
// Intune custom-profile rows (OMA-URI settings) for an ADMX file ingested through the
// Policy CSP: one row that installs the ADMX, then one row per policy setting.
//
// Facts relied on (Microsoft Learn; restated, not quoted):
// - "Win32 and Desktop Bridge app ADMX policy Ingestion",
//   https://learn.microsoft.com/windows/client-management/win32-and-centennial-app-policy-configuration
//   The ADMX text is sent to `./Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/{AppName}/
//   {SettingType}/{FileUid}` (SettingType `Policy`); only the ADMX travels, no ADML. Each
//   policy then lives at `./{Device|User}/Vendor/MSFT/Policy/Config/{Area}/{PolicyName}`
//   with Area = `{AppName}~{SettingType}~{category names from the root down, joined by ~}`
//   (category *names* as in the ADMX, not display names). class Machine -> ./Device,
//   User -> ./User, Both -> either. Ingested policies may not write below `System`,
//   `Software\Microsoft` or `Software\Policies\Microsoft`, except for a fixed list of
//   Office, Edge, OneDrive, Exchange... subkeys (kIngestAllowed in intune_ingest.cpp).
// - "Understanding ADMX policies",
//   https://learn.microsoft.com/windows/client-management/understanding-admx-backed-policies
//   Payloads: `<enabled/>` followed by one `<data id="ELEMENT_ID" value="..."/>` per element
//   of the policy, `<disabled/>`; Not Configured is a Delete of the URI (no row). multiText
//   strings and list entries are separated by U+F000 (written `&#xF000;`); a list is a
//   sequence of registry value name / data pairs that the MDM server builds itself (the
//   client ignores valuePrefix / explicitValue), enum data is the item's value (the BitLocker
//   example sends 4 for the item whose decimal value is 4), boolean data is `true`/`false`.
// - "Enable ADMX policies in MDM",
//   https://learn.microsoft.com/windows/client-management/enable-admx-backed-policies-in-mdm
//   In Intune every one of these rows has the data type String.
// - Graph `omaSettingString`,
//   https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-omasettingstring
//   {"@odata.type":"#microsoft.graph.omaSettingString", displayName, description, omaUri,
//   value}; a windows10CustomConfiguration holds at most 1000 omaSettings.
// No size limit for the ADMX payload is documented on those pages; none is enforced here.
//
// Assumption (not documented): a parentCategory in another namespace (another file) ends
// the category chain, since the ingested file cannot define it; a note says so.

#include <comredir/policy/admx/admx.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

/// One row of an Intune custom profile (Graph omaSettingString).
struct AdmxIngestPayload {
    std::string name;  ///< Intune "Name" (Graph displayName)
    std::string oma_uri;
    std::string data_type = "String";  ///< always String for ADMX ingestion
    std::string value;                 ///< ADMX text, or `<enabled/>...` / `<disabled/>`
    std::string description;           ///< one line: what the row does, element values used
    std::string policy;                ///< ADMX policy name; empty for the ADMXInstall row
};

enum class AdmxIngestState { enabled, disabled };
/// The URI root used for class Both policies (Machine is always ./Device, User ./User).
enum class AdmxIngestScope { device, user };

struct AdmxIngestOptions {
    std::string app_name = "comredir";  ///< {AppName}: letters, digits, `_`, `-`, `.`
    std::string file_uid;               ///< {FileUid}; empty: the ADMX file name without .admx
    AdmxIngestState state = AdmxIngestState::enabled;
    AdmxIngestScope both_scope = AdmxIngestScope::device;
    /// Policies to emit (ADMX names, case-sensitive); empty: every policy. Policies named
    /// in `values` are added.
    std::vector<std::string> policies;
    /// `POLICY.ELEMENT=VALUE`, each one value of an element of an enabled policy. For list
    /// and multiText elements each occurrence adds one entry (a list with explicitValue takes
    /// `NAME=DATA`); other elements take one. Enum: an item's display name (any case) or
    /// value; boolean: true/false/1/0; decimal: digits within minValue..maxValue; text: at
    /// most maxLength characters. Elements not given take the dialog default of the ADML
    /// presentation (decimalTextBox defaultValue, 1 if omitted; checkBox defaultChecked;
    /// dropdownList defaultItem; textBox defaultValue; comboBox default); without a control:
    /// decimal minValue, boolean false, enum the first item, text and lists empty.
    std::vector<std::string> values;
};

enum class AdmxIngestStatus {
    ok,
    bad_option,       ///< app name / file uid unusable in a URI
    bad_admx,         ///< the ADMX bytes are not UTF-8/UTF-16 text or not loadable XML
    not_ingestible,   ///< a policy writes where ingestion refuses (message names it and the key)
    unknown_policy,   ///< --policy / --set names no policy of the file
    unknown_element,  ///< --set names no element of the policy
    bad_value,        ///< a --set value the element does not accept
};

/// `ok`, `bad_option`, ... (the enumerator's name).
std::string_view to_string(AdmxIngestStatus s);

struct AdmxIngestResult {
    AdmxIngestStatus status = AdmxIngestStatus::ok;
    /// One line: ``policy `LatencyWarning`: element `LatencyWarningMs`: `70000` is out of
    /// range 0..60000``.
    std::string message;
    /// ADMXInstall first, then the selected policies in file order; empty on error.
    std::vector<AdmxIngestPayload> payloads;
    std::vector<std::string> notes;  ///< worth saying, not errors (BOM dropped, ...)
    bool ok() const { return status == AdmxIngestStatus::ok; }
};

/// Builds the rows. `set` must be loaded from `admx` (load_admx_files / parse_admx), the
/// file named `admx_name` (e.g. `comredir.admx`), with its ADML when there is one: the
/// dialog defaults come from it (AdmxElement::default_text). The ADMXInstall value is the ADMX
/// text: the bytes as they are when UTF-8 without BOM; a UTF-8 BOM is dropped and UTF-16LE
/// converted (with a note). Never throws on bad input.
AdmxIngestResult admx_ingest_payloads(const AdmxSet& set, std::span<const std::uint8_t> admx,
                                      const std::string& admx_name,
                                      const AdmxIngestOptions& options);

/// Checks that no key the policy writes is refused by ingestion; empty when fine, else the
/// one-line message naming the policy and the key.
std::string admx_ingest_refusal(const AdmxPolicy& policy);

}  // namespace comredir::policy
