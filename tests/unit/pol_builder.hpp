#pragma once
// Registry.pol records for unit tests, written with the library's own encoder
// (pol_write.hpp) and parsed back: `build({dword(key, "V", 1), del(key, "W")})`.

#include <doctest/doctest.h>

#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::test::pol {

using Rec = policy::PolRecord;

inline Rec dword(std::string key, std::string value, std::uint32_t v) {
    return Rec{std::move(key), std::move(value), 4, policy::pol_dword(v)};
}
/// REG_SZ, or `type` (REG_EXPAND_SZ = 2) with the same encoding.
inline Rec sz(std::string key, std::string value, std::string_view text, std::uint32_t type = 1) {
    return Rec{std::move(key), std::move(value), type, policy::pol_sz(text)};
}
inline Rec expand_sz(std::string key, std::string value, std::string_view text) {
    return sz(std::move(key), std::move(value), text, 2);
}
inline Rec qword(std::string key, std::string value, std::uint64_t v) {
    return Rec{std::move(key), std::move(value), 11, policy::pol_qword(v)};
}
inline Rec multi_sz(std::string key, std::string value, const std::vector<std::string>& parts) {
    return Rec{std::move(key), std::move(value), 7, policy::pol_multi_sz(parts)};
}
/// `**del.<value>` as GP writes it (REG_SZ, one space).
inline Rec del(std::string key, std::string_view value) {
    return policy::pol_delete_value(std::move(key), value);
}
/// `**delvals.` as GP writes it (REG_SZ, one space).
inline Rec delvals(std::string key) {
    return policy::pol_delete_all_values(std::move(key));
}

/// The header and `recs`, as a Registry.pol file's bytes.
inline std::vector<std::uint8_t> pol_bytes(const std::vector<Rec>& recs) {
    std::vector<std::uint8_t> out = policy::pol_header();
    for (const auto& r : recs) {
        const auto b = policy::encode_pol_record(r);
        out.insert(out.end(), b.begin(), b.end());
    }
    return out;
}

/// `recs` written and parsed back (the parse must succeed).
inline policy::PolFile build(const std::vector<Rec>& recs) {
    auto res = policy::parse_pol(pol_bytes(recs));
    REQUIRE_MESSAGE(res.ok(), res.message);
    return res.file;
}

}  // namespace comredir::test::pol
