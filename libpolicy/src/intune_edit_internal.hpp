#pragma once
// Internal: the text surgery behind intune_edit.hpp.

#include <comredir/policy/intune_edit.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace comredir::policy::detail {

/// The export being edited: its text (after the BOM) and the chosen policy.
struct EditDoc {
    std::span<const std::uint8_t> file;
    std::size_t bom = 0;
    std::string_view text;
    nlohmann::json json;
    std::string policy_pointer;  ///< "" for a single-policy file, `/value/2`, `/1`
    std::string policy_name;
};

/// One setting instance of the chosen policy.
struct Found {
    std::string definition_id;
    std::string item_pointer;      ///< what unset removes: the settings[] item or the child
    std::string instance_pointer;  ///< the setting instance itself
    std::string value_pointer;     ///< its value token (choice value or simple value)
    std::string value;             ///< the value as text
    const nlohmann::json* instance = nullptr;
};

IntuneEdit open_doc(std::span<const std::uint8_t> file, const std::optional<std::string>& policy,
                    EditDoc& doc);
std::optional<Found> find_setting(const EditDoc& doc, const std::string& definition_id);
bool replace_value(const EditDoc& doc, const Found& f, const std::string& token, std::string& out);
bool append_setting(const EditDoc& doc, const std::string& definition_id, const std::string& value,
                    std::string& out);
bool remove_item(const EditDoc& doc, const std::string& item_pointer, std::string& out);
/// settingCount kept in step, the result read back (the setting must show `e.value`, or be
/// gone after a removal), the BOM put back.
IntuneEdit finish(const EditDoc& doc, IntuneEdit e, std::string text);

/// A failed edit with `message`.
IntuneEdit fail(IntuneEditStatus s, std::string message);
std::string unknown_setting(std::string_view setting);
IntuneEdit internal(const std::string& definition_id);
bool parse_int64(std::string_view s, std::int64_t& out);
/// A new settings[] item: a choice setting instance in Graph's shape.
nlohmann::ordered_json choice_item(const std::string& id, const std::string& definition_id,
                                   const std::string& value);

}  // namespace comredir::policy::detail
