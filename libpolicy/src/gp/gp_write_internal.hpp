#pragma once
// Internal: the record helpers and element writer behind policy_records (gp_write.cpp).

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_write.hpp>
#include <comredir/policy/gp/pol_write.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

constexpr auto kSz = static_cast<std::uint32_t>(RegType::sz);
constexpr auto kExpandSz = static_cast<std::uint32_t>(RegType::expand_sz);
constexpr auto kDword = static_cast<std::uint32_t>(RegType::dword);
constexpr auto kMultiSz = static_cast<std::uint32_t>(RegType::multi_sz);
constexpr auto kQword = static_cast<std::uint32_t>(RegType::qword);

// Records of ADMX values (gp_write.cpp).
PolRecord value_record(const std::string& key, const std::string& name, const AdmxValue& v);
void add_list(std::vector<PolRecord>& out, const AdmxValueList& l);

// The records' order (gp_write_order.cpp).
bool same_value(const PolRecord& r, std::string_view key, std::string_view name);
void keep_last_write(std::vector<PolRecord>& r);
void delvals_first(std::vector<PolRecord>& r);

/// An Enabled policy's element records (gp_write_element.cpp).
class Writer {
  public:
    Writer(const AdmxPolicy& p, PolicyRecords& out) : p_(p), out_(out) {}

    bool fail(const AdmxElement& e, const std::string& what);

    /// The dialog's default for an element the caller left out, as a value `element` takes.
    static std::optional<std::string> default_value(const AdmxElement& e);

    bool element(const AdmxElement& e, const std::vector<std::string>& given_values);

  private:
    const AdmxPolicy& p_;
    PolicyRecords& out_;
};

}  // namespace comredir::policy::detail
