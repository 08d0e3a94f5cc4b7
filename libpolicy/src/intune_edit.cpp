// Intune settings-catalog exports edited as text (intune_edit.hpp): one value token
// replaced, one settings[] item added or removed, settingCount kept in step.
#include <algorithm>
#include <comredir/policy/catalog.hpp>
#include <comredir/policy/intune.hpp>
#include <comredir/policy/intune_edit.hpp>
#include <nlohmann/json.hpp>

#include "intune_edit_internal.hpp"
#include "json_locate.hpp"
#include "text.hpp"

namespace comredir::policy {

using detail::EditDoc;
using detail::Found;

std::optional<std::string> intune_definition_id(std::string_view setting) {
    for (const Feature& f : features()) {
        if (f.id == setting && !f.os.intune_ids.empty())
            return std::string(f.os.intune_ids.front());
    }
    const std::string id = detail::ascii_lower(setting);
    if (id.starts_with("device_vendor_msft_") || id.starts_with("user_vendor_msft_")) return id;
    return std::nullopt;
}

std::optional<std::string> intune_choice_value(std::string_view id, std::string_view value) {
    const std::string v = detail::ascii_lower(value);
    if (v == "enabled") return std::string(id) + "_1";
    if (v == "disabled") return std::string(id) + "_0";
    if (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(id) + "_" + v;
    if (v.size() > id.size() + 1 && v.starts_with(detail::ascii_lower(id) + "_")) return v;
    return std::nullopt;
}

namespace {

/// The new token for an existing instance's value, or an error.
IntuneEdit new_token(const Found& f, std::string_view value, std::string& token,
                     std::string& shown) {
    const auto& inst = *f.instance;
    const std::string type = inst.value("@odata.type", "");
    if (type.find("ChoiceSettingInstance") != std::string::npos) {
        auto v = intune_choice_value(f.definition_id, value);
        if (!v)
            return detail::fail(IntuneEditStatus::bad_value,
                                "value `" + std::string(value) + "` is not an option of `" +
                                    f.definition_id + "` (expected enabled, disabled, N or `" +
                                    f.definition_id + "_N`)");
        token = nlohmann::json(*v).dump();
        shown = *v;
        return {};
    }
    if (type.find("SimpleSettingInstance") != std::string::npos &&
        inst.contains("simpleSettingValue")) {
        const std::string vt = inst["simpleSettingValue"].value("@odata.type", "");
        if (vt.find("Integer") != std::string::npos) {
            std::int64_t n = 0;
            if (!detail::parse_int64(value, n))
                return detail::fail(IntuneEditStatus::bad_value, "value `" + std::string(value) +
                                                                     "` of `" + f.definition_id +
                                                                     "` is not an integer");
            token = std::to_string(n);
        } else {
            token = nlohmann::json(std::string(value)).dump();
        }
        shown = std::string(value);
        return {};
    }
    return detail::fail(IntuneEditStatus::not_supported,
                        "setting `" + f.definition_id + "` is a `" + type +
                            "`: only choice and simple settings are edited");
}

/// The document and the setting both verbs start from; `out` carries an error if any.
bool start(std::span<const std::uint8_t> file, std::string_view setting,
           const std::optional<std::string>& policy, EditDoc& doc, IntuneEdit& out) {
    if (auto e = detail::open_doc(file, policy, doc); !e.ok()) {
        out = std::move(e);
        return false;
    }
    const auto id = intune_definition_id(setting);
    if (!id) {
        out = detail::fail(IntuneEditStatus::bad_setting, detail::unknown_setting(setting));
        return false;
    }
    out.definition_id = *id;
    out.policy = doc.policy_name;
    return true;
}

}  // namespace

IntuneEdit intune_set(std::span<const std::uint8_t> file, std::string_view setting,
                      std::string_view value, const std::optional<std::string>& policy) {
    EditDoc doc;
    IntuneEdit out;
    if (!start(file, setting, policy, doc, out)) return out;
    const std::string* id = &out.definition_id;
    std::string text;
    if (auto found = detail::find_setting(doc, *id)) {
        std::string token, shown;
        if (auto e = new_token(*found, value, token, shown); !e.ok()) return e;
        out.pointer = found->instance_pointer;
        out.previous = found->value;
        out.value = shown;
        if (!detail::replace_value(doc, *found, token, text)) return detail::internal(*id);
        out.action =
            shown == found->value ? IntuneEdit::Action::unchanged : IntuneEdit::Action::replaced;
    } else {
        const auto v = intune_choice_value(*id, value);
        if (!v)
            return detail::fail(IntuneEditStatus::bad_value,
                                "value `" + std::string(value) + "` is not an option of `" + *id +
                                    "` (expected enabled, disabled, N or `" + *id + "_N`)");
        out.value = *v;
        if (!detail::append_setting(doc, *id, *v, text)) return detail::internal(*id);
        out.action = IntuneEdit::Action::added;
    }
    return detail::finish(doc, std::move(out), text);
}

IntuneEdit intune_unset(std::span<const std::uint8_t> file, std::string_view setting,
                        const std::optional<std::string>& policy) {
    EditDoc doc;
    IntuneEdit out;
    if (!start(file, setting, policy, doc, out)) return out;
    const std::string* id = &out.definition_id;
    const auto found = detail::find_setting(doc, *id);
    std::string text;
    if (!found) {
        out.action = IntuneEdit::Action::unchanged;
        return detail::finish(doc, std::move(out), std::string(doc.text));
    }
    out.pointer = found->instance_pointer;
    out.previous = found->value;
    if (!detail::remove_item(doc, found->item_pointer, text)) return detail::internal(*id);
    out.action = IntuneEdit::Action::removed;
    return detail::finish(doc, std::move(out), text);
}

}  // namespace comredir::policy

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
    for (const auto& [setting, value] : settings) {
        const auto id = intune_definition_id(setting);
        if (!id) {
            error = detail::unknown_setting(setting);
            return std::nullopt;
        }
        const auto v = intune_choice_value(*id, value);
        if (!v) {
            error = "value `" + value + "` is not an option of `" + *id +
                    "` (expected enabled, disabled, N or `" + *id + "_N`)";
            return std::nullopt;
        }
        for (const auto& [seen, ignored] : want) {
            if (seen == *id) {
                error = "setting `" + *id + "` is given twice";
                return std::nullopt;
            }
        }
        want.emplace_back(*id, *v);
        p["settings"].push_back(detail::choice_item(std::to_string(want.size() - 1), *id, *v));
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
