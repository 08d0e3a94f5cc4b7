#pragma once
// The XSD validator's module (io/module_load.hpp): admx_schema.cpp is built into
// `libcomredir_xsd.so` with libxml2, and check_admx_schema (admx_schema_load.cpp) loads it
// on first use.

#include <comredir/policy/admx/admx_validate.hpp>
#include <string>
#include <vector>

namespace comredir::policy::detail {

inline constexpr const char* kXsdModule = "libcomredir_xsd.so";
inline constexpr const char* kXsdModuleEntry = "comredir_xsd_check_admx_schema";

}  // namespace comredir::policy::detail

/// The module's one entry: check_admx_schema's findings appended to `out`.
extern "C" void comredir_xsd_check_admx_schema(const std::string& xml_path,
                                               const std::string& xsd_path,
                                               std::vector<comredir::policy::AdmxFinding>& out);
