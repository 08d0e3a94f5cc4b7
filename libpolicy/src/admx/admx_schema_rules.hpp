#pragma once
// Internal: libxml2's schema diagnostics on ADMX/ADML files, classified into the rules of
// admx_rules.cpp with a plain-words message (admx_schema.cpp feeds it; unit-tested alone).

#include <string>

namespace comredir::policy::detail {

/// What libxml2 reported, reduced to what the classification needs.
enum class SchemaIssue {
    unexpected_element,     ///< "This element is not expected."
    missing_element,        ///< "Missing child element(s)."
    attribute_not_allowed,  ///< "The attribute 'X' is not allowed."
    missing_attribute,      ///< "The attribute 'X' is required but missing."
    pattern,                ///< a value that does not match the type's pattern
    text_content,           ///< character content in element-only content
    bad_value,              ///< any other value/type/facet problem
    other,
};

struct SchemaDiagnostic {
    SchemaIssue issue = SchemaIssue::other;
    std::string element;    ///< local name of the element concerned
    std::string attribute;  ///< local name; `xml:space` style for the xml namespace
    std::string value;      ///< pattern: the value
    /// pattern: the value matches once every character other than letters, digits, `_`,
    /// `$`, `(`, `)`, `.` and `:` is replaced by `_` (only the name's alphabet is wrong).
    bool only_name_characters = false;
    std::string expected;  ///< unexpected/missing element: "`a`, `b`" (may be empty)
    std::string text;      ///< libxml2's message, cleaned (see clean_schema_message)
};

struct SchemaVerdict {
    std::string rule;  ///< an AdmxRule id
    std::string what;  ///< the message after `file: line N: `
};

SchemaVerdict classify_schema_diagnostic(const SchemaDiagnostic& d);

/// libxml2's message in the project's style: namespaces (`{uri}`) dropped, 'quotes' as
/// backticks, `[facet 'x'] ` dropped, sentences lowercased, no final full stop, one line.
std::string clean_schema_message(const std::string& raw);

/// The element names of libxml2's "Expected is ( {ns}a, {ns}b )" as "`a`, `b`"; empty if
/// the message has none.
std::string expected_elements(const std::string& raw);

}  // namespace comredir::policy::detail
