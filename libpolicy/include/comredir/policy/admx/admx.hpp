#pragma once
// Administrative templates: ADMX policy definitions with their ADML language
// resources, as found in a PolicyDefinitions folder (`*.admx`, and
// `<language>/<name>.adml` beside them). Reads Microsoft's files as well as ours.
//
// Loading never throws on bad input: a broken or incomplete file is reported in
// AdmxLoadResult::errors and every other file (and every other policy of the
// same file) still loads. References across files (`using` prefixes) are
// resolved over the whole set; a reference into a namespace that was not loaded
// (e.g. `windows:` when Windows.admx is absent) is kept as written.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace comredir::policy {

/// Where a definition came from.
struct AdmxSource {
    std::string file;        ///< the ADMX file's name as loaded (`TerminalServer.admx`)
    std::uint32_t line = 0;  ///< 1-based line of the element, 0 if unknown
};

/// One registry value as an ADMX file writes it (`<decimal value="1"/>`, `<string>..</string>`,
/// `<delete/>`, `<longDecimal value=".."/>`), or absent.
struct AdmxValue {
    enum class Kind { absent, decimal, long_decimal, string, del };
    Kind kind = Kind::absent;
    std::uint64_t number = 0;  ///< decimal (32-bit) and long_decimal
    std::string text;          ///< string
    bool present() const { return kind != Kind::absent; }
};

/// `absent`, `decimal`, `long_decimal`, `string`, `delete`.
std::string_view to_string(AdmxValue::Kind kind);

/// One `<item key=".." valueName="..">` of an enabledList / disabledList / trueList /
/// falseList / enum item's valueList.
struct AdmxListItem {
    std::string key;  ///< the item's key, else the list's defaultKey, else the owner's key
    std::string value_name;
    AdmxValue value;
    AdmxSource source;
};

struct AdmxValueList {
    std::vector<AdmxListItem> items;  ///< empty: no list
    bool present() const { return !items.empty(); }
};

/// One `<item>` of an enum element.
struct AdmxEnumItem {
    std::string display_name;  ///< resolved from the ADML
    AdmxValue value;
    AdmxValueList value_list;  ///< optional `<valueList>`
    AdmxSource source;
};

enum class AdmxElementKind { boolean, decimal, long_decimal, text, multi_text, enumeration, list };

/// `boolean`, `decimal`, `longDecimal`, `text`, `multiText`, `enum`, `list` (the ADMX tag).
std::string_view to_string(AdmxElementKind kind);

/// One child of a policy's `<elements>`. Fields that do not apply to the kind keep
/// their defaults.
struct AdmxElement {
    AdmxElementKind kind = AdmxElementKind::boolean;
    std::string id;
    std::string key;         ///< the element's key, else the policy's key
    std::string value_name;  ///< empty for list
    std::string label;       ///< the presentation control's text for this id, if any
    /// The value the dialog starts with, as text, when its control gives one:
    /// decimalTextBox / longDecimalTextBox `defaultValue` (`1` when omitted, as the schema
    /// says), checkBox `true` / `false`, dropdownList `defaultItem` (an item index),
    /// textBox `defaultValue`, comboBox `default`.
    std::string default_text;
    bool has_default = false;
    bool required = false;  ///< decimal, longDecimal, text, multiText, enum
    bool soft = false;      ///< decimal, longDecimal, text, multiText
    // boolean
    AdmxValue true_value, false_value;    ///< absent: GP writes 1 / 0
    AdmxValueList true_list, false_list;  ///< items carry their own key / valueName
    // decimal, longDecimal
    std::uint64_t min_value = 0;
    std::uint64_t max_value = 9999;  ///< schema default
    bool store_as_text = false;
    // text, multiText, list
    std::uint32_t max_length = 1023;  ///< text, multiText
    std::uint32_t max_strings = 0;    ///< multiText, 0 = no limit
    bool expandable = false;          ///< text, list: REG_EXPAND_SZ
    // enum
    std::vector<AdmxEnumItem> items;
    // list: value names are `<valuePrefix>1`, `<valuePrefix>2`, ... when valuePrefix is given
    // (even empty), `name` of each `name=data` item with explicitValue, else the data itself.
    std::string value_prefix;
    bool has_value_prefix = false;
    bool additive = false;
    bool explicit_value = false;
    AdmxSource source;
};

enum class AdmxClass { machine, user, both };

/// `Machine`, `User`, `Both` (as written in ADMX).
std::string_view to_string(AdmxClass cls);

struct AdmxPolicy {
    std::string name;  ///< ADMX name, case-sensitive (`TS_CLIENT_COM`)
    std::string ns;    ///< target namespace of its file (`Microsoft.Policies.TerminalServer`)
    AdmxClass cls = AdmxClass::machine;
    std::string display_name;           ///< resolved `$(string.X)`; empty when unresolved
    std::string explain_text;           ///< resolved `$(string.X)`; empty when unresolved
    std::string presentation_id;        ///< X of `$(presentation.X)`, empty when none
    std::string key;                    ///< registry key below the hive
    std::string value_name;             ///< main value, empty when none
    std::string category;               ///< parentCategory ref as written (`TS_REDIRECTION`)
    std::string category_display_name;  ///< that category's display name, if known
    std::string category_path;          ///< GPMC-style `A/B/C` path, as far as known
    std::string supported_on;           ///< supportedOn ref as written
    std::string supported_on_text;      ///< its display text, if the definition is loaded
    AdmxValue enabled_value, disabled_value;
    AdmxValueList enabled_list, disabled_list;
    std::vector<AdmxElement> elements;
    AdmxSource source;
};

struct AdmxCategory {
    std::string name;
    std::string ns;  ///< target namespace of its file
    std::string display_name;
    std::string parent;  ///< parentCategory ref as written, empty for a root
    /// `A/B/C` from display names, as far as known: a parent in a namespace that is not
    /// loaded ends the chain (see unresolved_root), except for the few roots of
    /// Windows.admx known by name (`windows:WindowsComponents` = `Windows Components`,
    /// `windows:System` = `System`, `windows:Network` = `Network`).
    std::string path;
    std::string unresolved_root;  ///< the first ref of the chain that was not loaded
    AdmxSource source;
};

struct AdmxSupportedOn {
    std::string name;
    std::string ns;
    std::string display_name;
    AdmxSource source;
};

/// One loaded ADMX file.
struct AdmxFile {
    std::string admx;    ///< name as loaded (`TerminalServer.admx`)
    std::string folder;  ///< the folder it was loaded from (folder loaders), else empty
    std::string adml;    ///< ADML name as loaded (`en-US/TerminalServer.adml`), empty if missing
    std::string prefix;  ///< target prefix
    std::string ns;      ///< target namespace
    std::vector<std::pair<std::string, std::string>> usings;  ///< (prefix, namespace)
};

/// How a registry value relates to a policy (see AdmxSet::policies_for_value).
enum class AdmxValueRole {
    main,           ///< the policy's own valueName (enabledValue / disabledValue)
    enabled_list,   ///< an item of enabledList
    disabled_list,  ///< an item of disabledList
    element,        ///< the element's own valueName
    element_list,   ///< an item of a boolean's true/false list or an enum item's valueList
    list_element,   ///< any value in the key of a list element
};

/// `main`, `enabled_list`, ... (the enumerator's name).
std::string_view to_string(AdmxValueRole role);

struct AdmxValueRef {
    const AdmxPolicy* policy = nullptr;
    const AdmxElement* element = nullptr;  ///< null for main / enabled_list / disabled_list
    AdmxValueRole role = AdmxValueRole::main;
};

/// How a policy name given by a user resolves (AdmxSet::lookup_policy).
enum class AdmxLookupStatus { found, not_found, ambiguous };

/// `found`, `not_found`, `ambiguous`.
std::string_view to_string(AdmxLookupStatus status);

/// What to look for beyond the ADMX name (AdmxSet::lookup_policy).
struct AdmxPolicyQuery {
    /// When no ADMX name matches, a policy whose display name equals the name (case-sensitive).
    bool by_display_name = false;
    /// `HKLM` / `HKCU` (long forms too), or empty. Among several candidates, those whose class
    /// fits the hive (Machine and Both / User and Both) are kept when there are any: a name
    /// defined once for Machine and once for User is found when the hive is known.
    std::string_view hive;
};

struct AdmxPolicyLookup {
    AdmxLookupStatus status = AdmxLookupStatus::not_found;
    /// found: the one policy; ambiguous: every candidate, in policy order; not_found: empty.
    std::vector<const AdmxPolicy*> candidates;
    /// Candidates that AdmxPolicyQuery::hive set aside (their class does not fit it).
    std::vector<const AdmxPolicy*> set_aside;
    /// not_found and ambiguous: one line, e.g. ``policy `L_VBAWarningsPolicy` is defined in 7
    /// files: `access16:L_VBAWarningsPolicy`, ...; qualify it``, ``no policy `X` in the loaded
    /// ADMX set``, ``no policy `X` in `excel16.admx```. Empty when found.
    std::string message;
    bool found() const { return status == AdmxLookupStatus::found; }
    /// The policy when found, else null.
    const AdmxPolicy* policy() const { return found() ? candidates.front() : nullptr; }
};

namespace detail {
struct AdmxSetIndex;  // libpolicy internal: reads the reference indexes below
}  // namespace detail

/// Everything loaded from one folder (or one pair of files).
class AdmxSet {
  public:
    std::vector<AdmxFile> files;
    std::vector<AdmxCategory> categories;
    std::vector<AdmxSupportedOn> supported_on;
    std::vector<AdmxPolicy> policies;  ///< in file order, files sorted by name

    /// The policy lookup_policy finds; null when absent or ambiguous.
    const AdmxPolicy* find_policy(std::string_view name, bool by_display_name = false) const;
    /// Every policy a user's name for it can mean. `name` is an ADMX name (case-sensitive),
    /// or one qualified by its file as `Q:Name`, where Q (case-insensitive) is the ADMX
    /// file's name without `.admx` (`excel16:L_VBAWarningsPolicy`), its target prefix
    /// (`microsoft_edge:ProxyPacUrl`) or its target namespace
    /// (`Microsoft.Policies.Edge:ProxyPacUrl`). With `by_display_name`, display names are
    /// tried when no ADMX name matches (qualified as well). Several matches are `ambiguous`
    /// unless `query.hive` leaves one; the message lists the candidates by qualified_name.
    AdmxPolicyLookup lookup_policy(std::string_view name, const AdmxPolicyQuery& query = {}) const;
    /// `excel16:L_VBAWarningsPolicy`: the name qualified by the ADMX file's name without
    /// `.admx` (by its target namespace when another loaded file has the same file name).
    std::string qualified_name(const AdmxPolicy& policy) const;
    /// How many loaded policies have this ADMX name (more than one: the bare name is
    /// ambiguous).
    std::size_t policies_named(std::string_view name) const;
    /// The file `policy` was loaded from; null when the set has no such file.
    const AdmxFile* file_of(const AdmxPolicy& policy) const;
    /// A category by namespace and name; null when absent.
    const AdmxCategory* find_category(std::string_view ns, std::string_view name) const;
    /// The policies (and elements) that write `hive\key\value_name`. `hive` is `HKLM` /
    /// `HKEY_LOCAL_MACHINE` (Machine and Both policies) or `HKCU` / `HKEY_CURRENT_USER`
    /// (User and Both); key and value match case-insensitively. A list element matches
    /// every value of its key. In policy order; the pointers live as long as the set.
    std::vector<AdmxValueRef> policies_for_value(std::string_view hive, std::string_view key,
                                                 std::string_view value_name) const;

    /// Internal: resolves references across files and builds the indexes (the loaders
    /// call it; call again after changing the vectors by hand).
    void reindex();

  private:
    friend struct detail::AdmxSetIndex;
    struct Slot {
        std::uint32_t policy = 0;
        std::int32_t element = -1;
        AdmxValueRole role = AdmxValueRole::main;
    };
    std::unordered_multimap<std::string, Slot> by_value_;  ///< lower(key) '\0' lower(value)
    std::unordered_multimap<std::string, Slot> by_key_;    ///< lower(key): list elements
    std::unordered_multimap<std::string, std::uint32_t> policy_by_name_;   ///< every policy
    std::unordered_map<std::string, std::uint32_t> category_by_name_;      ///< ns '\0' name
    std::unordered_map<std::string, std::uint32_t> supported_on_by_name_;  ///< ns '\0' name
    /// ns '\0' prefix -> namespace: each file's target and `using` prefixes (first wins).
    std::unordered_map<std::string, std::string> prefix_ns_;
    std::unordered_set<std::string> loaded_ns_;  ///< target namespaces of `files`
};

enum class AdmxErrorKind {
    io_error,              ///< a file or folder could not be read
    xml,                   ///< malformed XML (line and column set)
    not_admx,              ///< root element is not `policyDefinitions`
    not_adml,              ///< root element is not `policyDefinitionResources`
    missing_adml,          ///< no ADML for an ADMX in the requested language
    missing_string,        ///< `$(string.X)` not in the ADML
    missing_presentation,  ///< `$(presentation.X)` not in the ADML
    bad_attribute,         ///< a required attribute is missing, or an attribute has a bad value
    bad_number,            ///< a value or bound that is not a number in range
    unknown_prefix,        ///< a `prefix:name` ref whose prefix the file does not declare
    unknown_reference,     ///< a category / supportedOn ref into a loaded namespace that lacks it
};

/// `io_error`, `xml`, ... (the enumerator's name).
std::string_view to_string(AdmxErrorKind kind);

struct AdmxError {
    AdmxErrorKind kind = AdmxErrorKind::io_error;
    std::string file;          ///< as loaded (`TerminalServer.admx`, `en-US/TerminalServer.adml`)
    std::uint32_t line = 0;    ///< 1-based, 0 if n/a
    std::uint32_t column = 0;  ///< 1-based (code points), 0 if n/a
    /// One line, starting with the file: ``TerminalServer.admx: line 12: column 5: xml: ...``,
    /// ``a.admx: line 40: policy `P1`: string `P1_Help` not in `en-US/a.adml```.
    std::string message;
};

struct AdmxLoadResult {
    AdmxSet set;
    std::vector<AdmxError> errors;  ///< problems that did not stop the rest from loading
    /// Things worth saying that are not errors (load_admx_folders: a file skipped because
    /// its namespace was already loaded from an earlier folder).
    std::vector<std::string> notes;
    bool ok() const { return errors.empty(); }
};

/// Loads every `*.admx` in `dir` (sorted by name) with `dir/<language>/<name>.adml`
/// (folder and file names match case-insensitively). File names in results are relative
/// to `dir`.
AdmxLoadResult load_admx_folder(const std::string& dir, const std::string& language = "en-US");
/// Loads several PolicyDefinitions folders into one set, earlier folders first. A file
/// whose target namespace was already loaded from an earlier folder is skipped (with a
/// note): e.g. comredir.admx installed in a central store wins over the copy shipped with
/// comredir. File names in `AdmxFile`/`AdmxSource` stay relative to their folder; error
/// messages (and AdmxError::file) start with `<folder>/`, so they say which copy is broken.
/// References are resolved across all folders.
AdmxLoadResult load_admx_folders(const std::vector<std::string>& dirs,
                                 const std::string& language = "en-US");
/// Loads one ADMX with its ADML; names in results are the paths as given. An empty or
/// unreadable `adml_path` is a missing_adml error; the policies still load.
AdmxLoadResult load_admx_files(const std::string& admx_path, const std::string& adml_path);
/// From memory: `name` is the ADMX name used in results (`x.admx`; the ADML is called
/// `x.adml`). An empty `adml` is a missing_adml error.
AdmxLoadResult parse_admx(std::span<const std::uint8_t> admx, std::span<const std::uint8_t> adml,
                          const std::string& name);

}  // namespace comredir::policy
