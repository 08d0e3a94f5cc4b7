#pragma once
// ADMX + ADML written inline in a unit test, loaded with the library's parser (which must
// succeed): `static const auto set = admx_text::load(kAdmx, kAdml, "w.admx");`.

#include <doctest/doctest.h>

#include <comredir/policy/admx/admx.hpp>
#include <cstdint>
#include <string_view>

namespace comredir::test::admx_text {

inline policy::AdmxSet load(std::string_view admx, std::string_view adml, const char* name) {
    auto r =
        policy::parse_admx({reinterpret_cast<const std::uint8_t*>(admx.data()), admx.size()},
                           {reinterpret_cast<const std::uint8_t*>(adml.data()), adml.size()}, name);
    REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : r.errors[0].message));
    return r.set;
}

}  // namespace comredir::test::admx_text
