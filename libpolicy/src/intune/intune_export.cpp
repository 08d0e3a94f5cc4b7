// `intune export` (intune_edit.hpp): a new settings-catalog policy in Graph's create
// shape, read back before it is returned.
#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/intune/intune_edit.hpp>
#include <nlohmann/json.hpp>

#include "intune/intune_edit_internal.hpp"

namespace comredir::policy {

std::optional<std::string> intune_export(
    const std::string& name, const std::string& description,
    const std::vector<std::pair<std::string, std::string>>& settings, std::string& error) {
    nlohmann::ordered_json p;
    p["name"] = name;
    p["description"] = description;
    p["platforms"] = "windows10";
    p["technologies"] = "mdm";
    p["roleScopeTagIds"] = {"0"};
    p["settings"] = nlohmann::ordered_json::array();
    std::vector<std::pair<std::string, std::string>> want;
    // Items as Graph exports them (../shared/data/intune): `id`, null template references.
    detail::ItemStyle style;
    style.instance_template = true;
    style.value_template = true;
    for (const auto& [setting, value] : settings) {
        const auto id = intune_definition_id(setting);
        if (!id) {
            error = detail::unknown_setting(setting);
            return std::nullopt;
        }
        const auto v = intune_choice_value(*id, value);
        if (!v) {
            error = detail::not_an_option(value, *id);
            return std::nullopt;
        }
        for (const auto& [seen, ignored] : want) {
            if (seen == *id) {
                error = "setting `" + *id + "` is given twice";
                return std::nullopt;
            }
        }
        want.emplace_back(*id, *v);
        style.id = std::to_string(want.size() - 1);
        p["settings"].push_back(detail::choice_item(style, *id, *v));
    }
    std::string text = p.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    // Read back with the reader `effective --intune` uses: exactly these settings.
    const auto back =
        parse_intune({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    bool same = back.ok() && back.file.policies.size() == 1 &&
                back.file.policies[0].settings.size() == want.size();
    for (std::size_t i = 0; same && i < want.size(); ++i) {
        const auto& s = back.file.policies[0].settings[i];
        same = s.definition_id == want[i].first && s.value == want[i].second;
    }
    if (!same) {
        error = "internal: the exported policy does not read back as given";
        return std::nullopt;
    }
    return text;
}

}  // namespace comredir::policy
