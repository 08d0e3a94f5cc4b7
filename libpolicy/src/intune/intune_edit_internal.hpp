#pragma once
// Internal: the text surgery behind intune_edit.hpp.

#include <comredir/policy/intune/intune_edit.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

/// The export being edited: its text (after the BOM) and the chosen policy.
struct EditDoc {
    std::span<const std::uint8_t> file;
    std::size_t bom = 0;
    std::string_view text;
    nlohmann::json json;
    std::string policy_pointer;  ///< "" for a single-policy file, `/value/2`, `/1`
    std::size_t policy_index = 0;
    std::string policy_name;
};

/// One setting instance of the chosen policy.
struct Found {
    std::string definition_id;
    std::string item_pointer;      ///< what unset removes: the settings[] item or the child
    std::string instance_pointer;  ///< the setting instance itself
    std::string value_pointer;     ///< its value token (choice value or simple value); may be ""
    std::string value;             ///< the value as text
    const nlohmann::json* instance = nullptr;
};

/// How a new settings[] item looks: as the file's last item does (Graph's export: `id`,
/// null template references; Graph's create examples: `@odata.type` on item and value).
struct ItemStyle {
    std::optional<std::string> id;   ///< the item's `id`, if items carry one
    bool wrapped = true;             ///< `{"settingInstance": {...}}` rather than the bare instance
    bool item_type = false;          ///< `"@odata.type": "...ConfigurationSetting"` on the item
    bool instance_template = false;  ///< `"settingInstanceTemplateReference": null`
    bool value_type = false;         ///< `"@odata.type": "...ChoiceSettingValue"` on the value
    bool value_template = false;     ///< `"settingValueTemplateReference": null`
};

IntuneEdit open_doc(std::span<const std::uint8_t> file, const std::optional<std::string>& policy,
                    EditDoc& doc);
/// Every instance of `definition_id` (ASCII case-insensitive) in the chosen policy, at any
/// depth (choice children, group and collection children), in document order.
std::vector<Found> find_all(const EditDoc& doc, const std::string& definition_id);
/// The style of the chosen policy's settings[] items, for an item to append.
ItemStyle item_style(const EditDoc& doc);

bool replace_value(const EditDoc& doc, const Found& f, const std::string& token, std::string& out);
bool append_setting(const EditDoc& doc, const std::string& definition_id, const std::string& value,
                    std::string& out);
bool remove_item(const EditDoc& doc, const std::string& item_pointer, std::string& out);
/// settingCount kept in step, the BOM put back, and the result read back: every policy's
/// settings as before except the one intended change (intune_edit_check.cpp).
IntuneEdit finish(const EditDoc& doc, IntuneEdit e, std::string text);
/// True if `after` reads as `before` with exactly the change `e` describes in policy
/// `doc.policy_index` (pointers in `e` include `doc.policy_pointer`).
bool reads_as_intended(const EditDoc& doc, std::span<const std::uint8_t> after,
                       const IntuneEdit& e);

/// A failed edit with `message`.
IntuneEdit fail(IntuneEditStatus s, std::string message);
std::string unknown_setting(std::string_view setting);
std::string not_an_option(std::string_view value, const std::string& definition_id);
IntuneEdit internal(const std::string& definition_id);
bool parse_int64(std::string_view s, std::int64_t& out);
/// A new settings[] item: a choice setting instance in Graph's shape.
nlohmann::ordered_json choice_item(const ItemStyle& style, const std::string& definition_id,
                                   const std::string& value);

}  // namespace comredir::policy::detail
