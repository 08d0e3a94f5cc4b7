#pragma once
// Internal: shared between the ADMX loader (admx_load.cpp: files, namespaces, categories,
// resolution) and admx_elements.cpp (values, lists and policy elements).

#include <array>
#include <comredir/policy/admx/admx.hpp>
#include <cstdint>
#include <functional>
#include <pugixml.hpp>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace comredir::policy::detail {

/// Lets a map keyed by std::string be searched with a std::string_view (no copy).
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

/// One presentation control: its text and the default the dialog starts with.
struct AdmlControl {
    std::string label;
    std::string default_text;  ///< see AdmxElement::default_text
    bool has_default = false;
};

/// The ADML of one ADMX file: strings and presentations (refId -> control).
struct AdmlTables {
    bool loaded = false;
    StringMap<std::string> strings;
    StringMap<StringMap<AdmlControl>> presentations;
};

/// One ADMX file being parsed: names for messages, line table, ADML, error sink.
struct AdmxContext {
    std::string admx_name;
    std::string adml_name;
    std::vector<std::size_t> line_starts;  ///< offsets of line starts in the parsed text
    const std::string* text = nullptr;     ///< the parsed (UTF-8) text
    const AdmlTables* adml = nullptr;
    std::vector<AdmxError>* errors = nullptr;

    /// 1-based line of `node` (0 if unknown).
    std::uint32_t line_of(const pugi::xml_node& node) const;
    AdmxSource source(const pugi::xml_node& node) const;
    /// Records ``<admx>: line N: <what>`` as an error of `kind`.
    void error(AdmxErrorKind kind, const pugi::xml_node& at, const std::string& what) const;
    /// `$(string.X)` from the ADML; other text as written. A missing string is an error
    /// naming `owner` (``policy `P` ``) and X, and yields an empty string. Without an ADML
    /// every reference yields an empty string silently (missing_adml was reported).
    std::string resolve_string(std::string_view ref, const pugi::xml_node& at,
                               const std::string& owner) const;
};

/// A file's text as UTF-8 for pugixml (UTF-16LE with BOM converted, UTF-8 BOM dropped), so
/// that pugixml's offsets index this text. False when the UTF-16 is malformed.
bool xml_text(std::span<const std::uint8_t> bytes, std::string& out);
/// Offsets of the line starts in `text` (for AdmxContext::line_starts).
std::vector<std::size_t> line_starts(const std::string& text);
/// Parses `text` into `doc`; on failure records ``file: line L: column C: xml: ...``.
bool load_xml(const std::string& text, const std::string& file, pugi::xml_document& doc,
              std::vector<AdmxError>& errors);

/// Tag name without a namespace prefix.
std::string_view local_name(const pugi::xml_node& node);
/// First child element with local name `local`.
pugi::xml_node child_element(const pugi::xml_node& parent, std::string_view local);
/// The first child element of each local name in `locals`, in one pass over the children
/// (null where there is none): `child_element` for several names at once.
template <std::size_t N>
std::array<pugi::xml_node, N> child_elements(const pugi::xml_node& parent,
                                             const std::array<std::string_view, N>& locals) {
    std::array<pugi::xml_node, N> out{};
    for (auto c : parent.children()) {
        if (c.type() != pugi::node_element) continue;
        std::string_view n = local_name(c);
        for (std::size_t i = 0; i < N; ++i) {
            if (!out[i] && locals[i] == n) {
                out[i] = c;
                break;
            }
        }
    }
    return out;
}

/// Parses the value inside `holder` (`<enabledValue>`, `<trueValue>`, `<value>`: one of
/// decimal, longDecimal, string, delete). Absent when `holder` is null or empty.
AdmxValue parse_admx_value(const pugi::xml_node& holder, const AdmxContext& ctx,
                           const std::string& owner);
/// Parses `<enabledList defaultKey="..">` style lists; items without a key get the
/// defaultKey, else `owner_key`.
AdmxValueList parse_admx_list(const pugi::xml_node& list, const std::string& owner_key,
                              const AdmxContext& ctx, const std::string& owner);
/// Parses `<elements>` into `policy.elements` (labels from the policy's presentation).
void parse_admx_elements(const pugi::xml_node& elements, const AdmxContext& ctx,
                         AdmxPolicy& policy);

/// A `prefix:name` (or `name`) ref written in a file of namespace `ns`, resolved against
/// that file's target prefix and `using` prefixes. The views point into `ref`, `ns` and
/// the set: valid while those are (the set's indexes are read, see AdmxSet::reindex).
struct AdmxRef {
    bool prefix_known = true;  ///< false: the prefix is not declared (ns stays empty)
    std::string_view ns;
    std::string_view name;
};

/// Reports refs that cannot resolve: unknown prefixes, and categories / supportedOn
/// definitions missing from a namespace that was loaded. Reads the indexes of the last
/// AdmxSet::reindex().
void check_admx_refs(const AdmxSet& set, std::vector<AdmxError>& errors);

}  // namespace comredir::policy::detail
