// Intune settings-catalog exports edited as text (intune_edit.hpp): one value token
// replaced, one settings[] item added or removed, settingCount kept in step.
#include <algorithm>
#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/intune/intune_edit.hpp>
#include <nlohmann/json.hpp>

#include "intune/intune_edit_internal.hpp"
#include "io/json_locate.hpp"
#include "io/text.hpp"

namespace comredir::policy {

using detail::EditDoc;
using detail::Found;

std::optional<std::string> intune_definition_id(std::string_view setting) {
    std::string id = detail::ascii_lower(setting);
    if (id.starts_with("device_vendor_msft_") || id.starts_with("user_vendor_msft_")) return id;
    return std::nullopt;
}

std::optional<std::string> intune_choice_value(std::string_view id, std::string_view value) {
    const std::string v = detail::ascii_lower(value);
    if (v == "enabled") return std::string(id) + "_1";
    if (v == "disabled") return std::string(id) + "_0";
    if (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(id) + "_" + v;
    // A whole option id: the definition part spelled as the file spells it.
    if (v.size() > id.size() + 1 && v.starts_with(detail::ascii_lower(id) + "_"))
        return std::string(id) + v.substr(id.size());
    return std::nullopt;
}

namespace {

std::string member_type(const nlohmann::json& obj) {
    const auto t = obj.find("@odata.type");
    return t != obj.end() && t->is_string() ? t->get<std::string>() : "";
}

IntuneEdit not_settable(const Found& f, std::string_view value, const std::string& what) {
    return detail::fail(IntuneEditStatus::not_supported,
                        f.instance_pointer + ": setting `" + f.definition_id + "` " + what +
                            ": only choice and simple settings are set (value `" +
                            std::string(value) + "`)");
}

/// The new token for an existing instance's value, or an error.
IntuneEdit new_token(const Found& f, std::string_view value, std::string& token,
                     std::string& shown) {
    const auto& inst = *f.instance;
    if (f.value_pointer.empty()) {
        // Name the shape by its @odata.type, else by the value member it has.
        std::string shape = member_type(inst);
        for (const char* key : {"simpleSettingCollectionValue", "choiceSettingCollectionValue",
                                "groupSettingCollectionValue", "groupSettingValue"})
            if (shape.empty() && inst.contains(key)) shape = key;
        return not_settable(f, value, shape.empty() ? "has no value" : "is a `" + shape + "`");
    }
    if (f.value_pointer.ends_with("/choiceSettingValue/value")) {
        auto v = intune_choice_value(f.definition_id, value);
        if (!v)
            return detail::fail(IntuneEditStatus::bad_value,
                                detail::not_an_option(value, f.definition_id));
        token = nlohmann::json(*v).dump();
        shown = *v;
        return {};
    }
    // simpleSettingValue: its own @odata.type says integer or string; else the token's type.
    const auto& sv = inst["simpleSettingValue"];
    const std::string vt = member_type(sv);
    const bool integer =
        vt.empty() ? sv["value"].is_number_integer() : vt.ends_with("IntegerSettingValue");
    if (!integer && !(vt.empty() ? sv["value"].is_string() : vt.ends_with("StringSettingValue")))
        return not_settable(
            f, value,
            "is a simple setting of type `" + (vt.empty() ? sv["value"].type_name() : vt) + "`");
    if (integer) {
        std::int64_t n = 0;
        if (!detail::parse_int64(value, n))
            return detail::fail(IntuneEditStatus::bad_value, "value `" + std::string(value) +
                                                                 "` of `" + f.definition_id +
                                                                 "` is not an integer");
        token = std::to_string(n);
        shown = token;
    } else {
        token = nlohmann::json(std::string(value)).dump();
        shown = std::string(value);
    }
    return {};
}

/// The document and the setting's one instance (if any) both verbs start from; `out`
/// carries an error if any.
bool start(std::span<const std::uint8_t> file, std::string_view setting,
           const std::optional<std::string>& policy, EditDoc& doc, std::optional<Found>& found,
           IntuneEdit& out) {
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
    auto all = detail::find_all(doc, *id);
    if (all.size() > 1) {
        std::string where;
        for (const auto& f : all) where += (where.empty() ? "" : ", ") + f.instance_pointer;
        out = detail::fail(IntuneEditStatus::not_supported,
                           "setting `" + *id + "` occurs " + std::to_string(all.size()) +
                               " times (" + where + "): only a setting that occurs once is edited");
        return false;
    }
    if (!all.empty()) {
        out.definition_id = all[0].definition_id;
        found = std::move(all[0]);
    }
    return true;
}

}  // namespace

IntuneEdit intune_set(std::span<const std::uint8_t> file, std::string_view setting,
                      std::string_view value, const std::optional<std::string>& policy) {
    EditDoc doc;
    IntuneEdit out;
    std::optional<Found> found;
    if (!start(file, setting, policy, doc, found, out)) return out;
    const std::string& id = out.definition_id;
    std::string text;
    if (found) {
        std::string token, shown;
        if (auto e = new_token(*found, value, token, shown); !e.ok()) return e;
        out.pointer = found->instance_pointer;
        out.previous = found->value;
        out.value = shown;
        // The same value (however the file spells it) leaves every byte as it is.
        out.action =
            shown == found->value ? IntuneEdit::Action::unchanged : IntuneEdit::Action::replaced;
        if (out.action == IntuneEdit::Action::unchanged)
            text = std::string(doc.text);
        else if (!detail::replace_value(doc, *found, token, text))
            return detail::internal(id);
    } else {
        const auto v = intune_choice_value(id, value);
        if (!v) return detail::fail(IntuneEditStatus::bad_value, detail::not_an_option(value, id));
        out.value = *v;
        if (!detail::append_setting(doc, id, *v, text)) return detail::internal(id);
        out.action = IntuneEdit::Action::added;
    }
    return detail::finish(doc, std::move(out), text);
}

IntuneEdit intune_unset(std::span<const std::uint8_t> file, std::string_view setting,
                        const std::optional<std::string>& policy) {
    EditDoc doc;
    IntuneEdit out;
    std::optional<Found> found;
    if (!start(file, setting, policy, doc, found, out)) return out;
    std::string text;
    if (!found) {
        out.action = IntuneEdit::Action::unchanged;
        return detail::finish(doc, std::move(out), std::string(doc.text));
    }
    out.pointer = found->instance_pointer;
    out.previous = found->value;
    if (!detail::remove_item(doc, found->item_pointer, text))
        return detail::internal(out.definition_id);
    out.action = IntuneEdit::Action::removed;
    return detail::finish(doc, std::move(out), text);
}

}  // namespace comredir::policy
