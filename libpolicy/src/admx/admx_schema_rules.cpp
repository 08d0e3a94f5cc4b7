// Internal: classifying libxml2's schema diagnostics on ADMX/ADML files.
#include "admx/admx_schema_rules.hpp"

#include <string>
#include <string_view>

namespace comredir::policy::detail {

namespace {

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}

/// Drops every `{uri}` namespace qualifier (not a `{'a', 'b'}` set of values).
std::string drop_namespaces(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '{') {
            auto close = s.find('}', i);
            auto inside = s.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
            if (close != std::string_view::npos &&
                inside.find_first_of("' ") == std::string_view::npos) {
                i = close;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

}  // namespace

std::string clean_schema_message(const std::string& raw) {
    std::string s = drop_namespaces(raw);
    for (auto f = s.find("[facet '"); f != std::string::npos; f = s.find("[facet '")) {
        auto end = s.find("] ", f);
        if (end == std::string::npos) break;
        s.erase(f, end + 2 - f);
    }
    for (char& c : s) {
        if (c == '\'') c = '`';
        if (c == '\n' || c == '\r') c = ' ';
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '.')) s.pop_back();
    if (!s.empty() && is_upper(s[0])) s[0] = static_cast<char>(s[0] + 32);
    for (auto p = s.find(": "); p != std::string::npos; p = s.find(": ", p + 2)) {
        if (p + 2 < s.size() && is_upper(s[p + 2]) && (p + 3 >= s.size() || !is_upper(s[p + 3]))) {
            s[p + 2] = static_cast<char>(s[p + 2] + 32);
        }
    }
    for (auto p = s.find(". "); p != std::string::npos; p = s.find(". ", p + 2)) {
        s.replace(p, 2, "; ");
        if (p + 2 < s.size() && is_upper(s[p + 2]) && (p + 3 >= s.size() || !is_upper(s[p + 3]))) {
            s[p + 2] = static_cast<char>(s[p + 2] + 32);
        }
    }
    return s;
}

std::string expected_elements(const std::string& raw) {
    auto open = raw.find("Expected is");
    if (open == std::string::npos) return "";
    open = raw.find('(', open);
    auto close = open == std::string::npos ? open : raw.find(')', open);
    if (close == std::string::npos) return "";
    std::string list = drop_namespaces(std::string_view(raw).substr(open + 1, close - open - 1));
    std::string out;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        std::string item =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto b = item.find_first_not_of(' ');
        auto e = item.find_last_not_of(' ');
        if (b != std::string::npos) {
            out += (out.empty() ? "`" : ", `") + item.substr(b, e - b + 1) + "`";
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

SchemaVerdict classify_schema_diagnostic(const SchemaDiagnostic& d) {
    const std::string el = "element `" + d.element + "`";
    const std::string expected = d.expected.empty() ? "" : " (expected: " + d.expected + ")";
    switch (d.issue) {
        case SchemaIssue::unexpected_element:
            if (d.element == "multiText" || d.element == "multiTextBox") {
                return {"multi-text", el + " is not in the published schema"};
            }
            return {"unexpected-element", el + " is not allowed here" + expected};
        case SchemaIssue::missing_element:
            return {"missing-element", el + ": a required child element is missing" + expected};
        case SchemaIssue::attribute_not_allowed:
            return {d.attribute == "xml:space" ? "xml-space" : "unknown-attribute",
                    el + ": attribute `" + d.attribute + "` is not in the published schema"};
        case SchemaIssue::missing_attribute:
            return {"missing-attribute",
                    el + ": attribute `" + d.attribute + "` is required but missing"};
        case SchemaIssue::pattern:
            if (d.only_name_characters) {
                return {"name-characters",
                        el + (d.attribute.empty() ? "" : ", attribute `" + d.attribute + "`") +
                            ": `" + d.value +
                            "` has characters the published schema does not allow in names"};
            }
            return {"bad-value", d.text};
        case SchemaIssue::text_content:
            return {"text-content", el + ": text between child elements"};
        case SchemaIssue::bad_value:
            if (d.attribute == "defaultValue" && d.value.empty()) {
                return {"empty-default", el + ": attribute `defaultValue` is empty"};
            }
            return {"bad-value", d.text};
        case SchemaIssue::other:
            break;
    }
    return {"schema", d.text};
}

}  // namespace comredir::policy::detail
