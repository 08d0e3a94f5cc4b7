// check_admx_schema: the libxml2 validator comes from its module (admx_schema_module.hpp),
// loaded at the first validation, so that no other command loads libxml2 and ICU.
#include <comredir/policy/admx/admx_validate.hpp>

#include "admx/admx_schema_module.hpp"
#include "io/module_load.hpp"

namespace comredir::policy {

std::vector<AdmxFinding> check_admx_schema(const std::string& xml_path,
                                           const std::string& xsd_path) {
    std::vector<AdmxFinding> out;
    std::string error;
    void* entry = detail::module_symbol(detail::kXsdModule, detail::kXsdModuleEntry, error);
    if (entry == nullptr) {
        out.push_back(make_admx_finding("schema-unavailable", xsd_path, 0,
                                        "cannot validate against the schema: " + error));
        return out;
    }
    reinterpret_cast<decltype(&comredir_xsd_check_admx_schema)>(entry)(xml_path, xsd_path, out);
    return out;
}

}  // namespace comredir::policy
