#pragma once
// Internal: the applied Registry.pol entries and the steps that read policy states from them.

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/gp_states.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/registry.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

/// The file's entries applied in order: one cell per value mentioned.
struct Cell {
    std::optional<std::size_t> present;  ///< entry index of the value now set
    bool deleted = false;
    std::vector<std::size_t> sources;  ///< every entry that touched the value
};

struct KeyInfo {
    std::vector<std::size_t> delvals;  ///< `**delvals.` entries
};

bool starts_with_ci(std::string_view s, std::string_view prefix);

class Applied {
  public:
    explicit Applied(const PolFile& pol);

    struct Look {
        const Cell* cell = nullptr;
        const KeyInfo* key = nullptr;
        const PolFile* pol = nullptr;
        const PolEntry* entry() const {
            return cell && cell->present ? &pol->entries[*cell->present] : nullptr;
        }
        bool deleted() const {
            if (cell) return cell->deleted;
            return key != nullptr && !key->delvals.empty();
        }
    };

    Look look(std::string_view key, std::string_view value) const;

    /// Present values of `key`, in name order, and the cells of every value it mentions.
    void key_values(std::string_view key, std::vector<const Cell*>& cells) const;

    const PolEntry& entry(std::size_t i) const { return pol_.entries[i]; }

    const KeyInfo* key_info(std::string_view key) const;

  private:
    static std::string id(std::string_view key, std::string_view value);

    void apply(std::size_t i);

    const PolFile& pol_;
    std::map<std::string, Cell, std::less<>> cells_;
    std::map<std::string, KeyInfo, std::less<>> keys_;
};

RegValue reg_value(const PolEntry& e);

bool matches(const AdmxValue& want, const Applied::Look& l);

/// The states of a value that is on or off: a policy's own value (enabledValue /
/// disabledValue) or a checkbox's (trueValue / falseValue). Neither given: the editor writes
/// REG_DWORD 1 for on and deletes the value for off (GPMC reports `**del.` of such a value
/// Disabled, or an unchecked box: DisableBkGndGroupPolicy, SpynetReporting and
/// NoBackgroundPolicy in the corpus). `legacy_off` is REG_DWORD 0 for that shape, read as
/// off only when nothing else explains it (unverified: no GPMC report seen with it). One
/// of the two given: the other is `<delete/>`.
struct OnOff {
    AdmxValue on, off, legacy_off;
};

OnOff on_off(const AdmxValue& on, const AdmxValue& off);

/// Collects the entries that explain the values a policy state uses.
struct Evaluation {
    const Applied& file;
    std::vector<std::size_t> used;
    /// How closely the values fit the policy (twins are told apart by it): 3 exact values (a
    /// state's own value or list, an enum item, a checkbox value), 2 free values an element reads
    /// (text, numbers), 1 any value of a list element's key.
    int fit = 3;

    void use(const Applied::Look& l) {
        if (l.cell)
            used.insert(used.end(), l.cell->sources.begin(), l.cell->sources.end());
        else if (l.key && l.deleted())
            used.insert(used.end(), l.key->delvals.begin(), l.key->delvals.end());
    }
    /// Every item of `list` matches; uses them when so.
    bool list_matches(const AdmxValueList& list) {
        if (!list.present()) return false;
        for (const auto& item : list.items)
            if (!matches(item.value, file.look(item.key, item.value_name))) return false;
        for (const auto& item : list.items) use(file.look(item.key, item.value_name));
        return true;
    }
};

// An element's values (gp_elements.cpp).
std::optional<std::string> element_text(const AdmxElement& el, Evaluation& ev);
bool element_deleted(const AdmxElement& el, Evaluation& ev);
int element_fit(AdmxElementKind kind);
bool elements_say_disabled(const AdmxPolicy& p, Evaluation& ev);
bool shared_element_reads(const AdmxPolicy& p, const Evaluation& ev);

/// The state the file gives `p` by itself (gp_evaluate.cpp); `ev` collects the entries used.
std::optional<PolicyState> evaluate(const AdmxPolicy& p, Evaluation& ev);

}  // namespace comredir::policy::detail
