#pragma once
// Internal: one ADMX/ADML file as the validator reads it (admx_validate.cpp for one pair,
// admx_validate_set.cpp across files).

#include <comredir/policy/admx/admx_validate.hpp>
#include <cstdint>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy::detail {

/// One parsed file with what is needed to put line numbers on nodes.
struct ValidatedDoc {
    std::string path;
    std::string text;
    std::vector<std::size_t> starts;
    pugi::xml_document xml;

    /// 1-based line of `at` (0 if unknown).
    std::uint32_t line_of(const pugi::xml_node& at) const;
    /// A finding of rule `id` at `at`.
    AdmxFinding finding(std::string_view id, const pugi::xml_node& at,
                        const std::string& what) const;
};

/// Reads and parses `path` into `d`; io and XML problems become findings (false).
bool load_validated_doc(const std::string& path, ValidatedDoc& d, std::vector<AdmxFinding>& out);

/// Elements below `parent` (at any depth) with local name `local`, in document order.
std::vector<pugi::xml_node> descendants(const pugi::xml_node& parent, std::string_view local);

/// `$(string.X)` -> (`string`, X); anything else -> empty kind.
std::pair<std::string, std::string> parse_resource_ref(std::string_view v);

}  // namespace comredir::policy::detail
