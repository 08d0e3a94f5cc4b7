#pragma once
// Registry values and the policy-registry state that Group Policy sources build up.

#include <comredir/policy/core/provenance.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy {

/// Registry value types (winnt.h numbering; [MS-GPREG] 2.2.1 lists the ones
/// Registry.pol uses: 0, 1, 2, 3, 4, 5, 7, 11).
enum class RegType : std::uint32_t {
    none = 0,
    sz = 1,
    expand_sz = 2,
    binary = 3,
    dword = 4,
    dword_big_endian = 5,
    link = 6,
    multi_sz = 7,
    resource_list = 8,
    full_resource_descriptor = 9,
    resource_requirements_list = 10,
    qword = 11,
};

/// `REG_SZ`, `REG_DWORD`, ...; unknown numbers render as `REG_0x%08x`.
std::string reg_type_name(std::uint32_t type);

struct RegValue {
    std::uint32_t type = 0;
    std::vector<std::uint8_t> data;
};

/// REG_DWORD (or REG_DWORD_BIG_ENDIAN) with exactly 4 bytes; nullopt otherwise.
std::optional<std::uint32_t> reg_dword(const RegValue& v);
/// REG_QWORD with exactly 8 bytes.
std::optional<std::uint64_t> reg_qword(const RegValue& v);
/// REG_SZ / REG_EXPAND_SZ / REG_LINK decoded from UTF-16LE to UTF-8, up to the first NUL.
std::optional<std::string> reg_string(const RegValue& v);
/// REG_MULTI_SZ decoded to its strings (the terminating empty string dropped).
std::optional<std::vector<std::string>> reg_multi_sz(const RegValue& v);

/// Normalises a registry path for comparison: ASCII-lowercase, backslashes
/// collapsed, no leading/trailing backslash, and the hive spelled `hklm` / `hkcu`
/// (`HKEY_LOCAL_MACHINE`, `HKLM`, `HKEY_CURRENT_USER`, `HKCU` accepted).
std::string normalize_key(std::string_view key);

/// The registry state that sources apply in order (later wins), keeping for
/// each value who set it, who it overrode, and who deleted it.
class RegistryState {
  public:
    struct Write {
        RegValue value;
        Provenance origin;
    };
    struct Slot {
        std::optional<Write> current;          ///< present value, if any
        std::optional<Provenance> deleted_by;  ///< set if the last action deleted it
        std::vector<Provenance> history;       ///< earlier writes this one overrode, oldest first
    };

    void set(std::string_view key, std::string_view value, RegValue data, Provenance origin);
    /// `**soft.` semantics: only writes when the value does not exist.
    void set_soft(std::string_view key, std::string_view value, RegValue data, Provenance origin);
    void delete_value(std::string_view key, std::string_view value, const Provenance& origin);
    /// Deletes every value of `key` (not its subkeys): `**delvals.`.
    void delete_values(std::string_view key, const Provenance& origin);
    /// Deletes `key`, its values and every subkey: `**DeleteKeys`, `[-HKEY...]`.
    void delete_key(std::string_view key, const Provenance& origin);

    /// nullptr when the value was never mentioned by any source.
    const Slot* find(std::string_view key, std::string_view value) const;
    /// Every value any source mentioned directly under `key` (not its subkeys), deleted ones
    /// included, as (ASCII-lowercased name, slot) in name order: an ADMX list element's items.
    std::vector<std::pair<std::string, const Slot*>> values_of(std::string_view key) const;

    std::size_t size() const { return slots_.size(); }

  private:
    std::map<std::string, Slot, std::less<>> slots_;  // normalize_key(key) + '\0' + lower(value)
};

}  // namespace comredir::policy
