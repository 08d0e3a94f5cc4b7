// Text surgery on settings-catalog exports: locate, replace, insert, remove.
#include <algorithm>
#include <charconv>
#include <comredir/policy/intune/intune.hpp>
#include <nlohmann/json.hpp>

#include "intune/intune_edit_internal.hpp"
#include "io/json_locate.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

IntuneEdit fail(IntuneEditStatus s, std::string message) {
    IntuneEdit e;
    e.status = s;
    e.message = std::move(message);
    return e;
}

namespace {

std::string splice(std::string_view text, std::size_t from, std::size_t to, std::string_view with) {
    std::string out;
    out.reserve(text.size() + with.size());
    out.append(text.substr(0, from)).append(with).append(text.substr(to));
    return out;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

std::size_t line_start(std::string_view text, std::size_t offset) {
    const std::size_t nl = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
    return nl == std::string_view::npos ? 0 : nl + 1;
}

std::string eol_of(std::string_view text) {
    return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

/// Leading blanks of the line holding `offset`.
std::string indent_at(std::string_view text, std::size_t offset) {
    const std::size_t start = line_start(text, offset);
    std::size_t end = start;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
    return std::string(text.substr(start, end - start));
}

/// The file's indentation unit: the leading blanks of its first indented line (if they
/// are all one character), else two spaces.
std::string indent_step(std::string_view text) {
    for (std::size_t nl = text.find('\n'); nl != std::string_view::npos;
         nl = text.find('\n', nl + 1)) {
        std::string lead = indent_at(text, nl + 1);
        if (!lead.empty() && lead.find_first_not_of(lead[0]) == std::string::npos) return lead;
    }
    return "  ";
}

std::size_t settings_count(const nlohmann::json& policy) {
    return policy.contains("settings") && policy["settings"].is_array() ? policy["settings"].size()
                                                                        : 0;
}

}  // namespace

bool parse_int64(std::string_view s, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

std::string unknown_setting(std::string_view setting) {
    return "setting `" + std::string(setting) +
           "` is neither a settings-catalog definition id (device_vendor_msft_...) nor a feature "
           "with one";
}

std::string not_an_option(std::string_view value, const std::string& definition_id) {
    return "value `" + std::string(value) + "` is not an option of `" + definition_id +
           "` (expected enabled, disabled, N or `" + definition_id + "_N`)";
}

IntuneEdit internal(const std::string& definition_id) {
    return fail(IntuneEditStatus::not_supported,
                "setting `" + definition_id + "`: the export's text could not be edited in place");
}

bool replace_value(const EditDoc& doc, const Found& f, const std::string& token, std::string& out) {
    const auto start = json_locate(doc.text, f.value_pointer);
    if (!start) return false;
    const auto end = json_value_end(doc.text, *start);
    if (!end) return false;
    out = splice(doc.text, *start, *end, token);
    return true;
}

nlohmann::ordered_json choice_item(const ItemStyle& style, const std::string& definition_id,
                                   const std::string& value) {
    using ojson = nlohmann::ordered_json;
    ojson v = ojson::object();
    if (style.value_type)
        v["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue";
    if (style.value_template) v["settingValueTemplateReference"] = nullptr;
    v["value"] = value;
    v["children"] = ojson::array();
    ojson inst = ojson::object();
    inst["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance";
    inst["settingDefinitionId"] = definition_id;
    if (style.instance_template) inst["settingInstanceTemplateReference"] = nullptr;
    inst["choiceSettingValue"] = std::move(v);
    if (!style.wrapped) return inst;
    ojson item = ojson::object();
    if (style.item_type)
        item["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSetting";
    if (style.id) item["id"] = *style.id;
    item["settingInstance"] = std::move(inst);
    return item;
}

bool append_setting(const EditDoc& doc, const std::string& definition_id, const std::string& value,
                    std::string& out) {
    const std::string arr = doc.policy_pointer + "/settings";
    const auto& items = doc.json.at(nlohmann::json::json_pointer(arr));
    const auto starts = json_array_offsets(doc.text, arr);
    if (starts.size() != items.size()) return false;
    const ItemStyle style = item_style(doc);
    const auto item = choice_item(style, definition_id, value);
    const std::string eol = eol_of(doc.text);
    const auto array_start = json_locate(doc.text, arr);
    if (!array_start) return false;
    if (starts.empty()) {
        const auto end = json_value_end(doc.text, *array_start);
        if (!end) return false;
        if (trim(doc.text).find('\n') == std::string_view::npos) {  // a one-line file
            out = splice(doc.text, *array_start, *end, "[" + item.dump() + "]");
            return true;
        }
        const std::string outer = indent_at(doc.text, *array_start);
        const std::string step = indent_step(doc.text);
        const std::string inner = outer + step;
        std::string body = item.dump(static_cast<int>(step.size()), step[0]);
        body = replace_all(body, "\n", eol + inner);
        out = splice(doc.text, *array_start, *end, "[" + eol + inner + body + eol + outer + "]");
        return true;
    }
    const auto last_end = json_value_end(doc.text, starts.back());
    if (!last_end) return false;
    const std::string indent = indent_at(doc.text, starts.back());
    // The file's indentation step: the last item's second line against its first.
    std::string step = "  ";
    const auto nl = doc.text.find('\n', starts.back());
    if (nl != std::string_view::npos && nl < *last_end) {
        const std::string inner = indent_at(doc.text, nl + 1);
        if (inner.size() > indent.size() && inner.starts_with(indent))
            step = inner.substr(indent.size());
    }
    const bool one_line = nl == std::string_view::npos || nl >= *last_end;
    std::string body = one_line ? item.dump() : item.dump(static_cast<int>(step.size()), step[0]);
    body = replace_all(body, "\n", eol + indent);
    // An item on a line of its own gets the next one on a line of its own too.
    const bool own_line = indent.size() == starts.back() - line_start(doc.text, starts.back());
    const std::string sep = own_line ? "," + eol + indent : ", ";
    out = splice(doc.text, *last_end, *last_end, sep + body);
    return true;
}

bool remove_item(const EditDoc& doc, const std::string& item_pointer, std::string& out) {
    const auto slash = item_pointer.rfind('/');
    const std::string arr = item_pointer.substr(0, slash);
    std::size_t index = 0;
    const auto idx = std::string_view(item_pointer).substr(slash + 1);
    std::from_chars(idx.data(), idx.data() + idx.size(), index);
    const auto starts = json_array_offsets(doc.text, arr);
    if (index >= starts.size()) return false;
    const auto end = json_value_end(doc.text, starts[index]);
    if (!end) return false;
    if (index + 1 < starts.size()) {
        out = splice(doc.text, starts[index], starts[index + 1], "");
    } else if (index > 0) {
        const auto prev_end = json_value_end(doc.text, starts[index - 1]);
        if (!prev_end) return false;
        out = splice(doc.text, *prev_end, *end, "");
    } else {  // the only item: the array becomes []
        const auto open = json_locate(doc.text, arr);
        const auto close = open ? json_value_end(doc.text, *open) : std::nullopt;
        if (!close) return false;
        out = splice(doc.text, *open, *close, "[]");
    }
    return true;
}

IntuneEdit finish(const EditDoc& doc, IntuneEdit e, std::string text) {
    // settingCount (a read-only field Graph exports) follows the settings[] size.
    const std::string count_ptr = doc.policy_pointer + "/settingCount";
    const auto& policy = doc.json.at(nlohmann::json::json_pointer(doc.policy_pointer));
    if (policy.contains("settingCount") && policy["settingCount"].is_number_integer() &&
        e.action != IntuneEdit::Action::replaced && e.action != IntuneEdit::Action::unchanged) {
        const std::size_t now = settings_count(policy) +
                                (e.action == IntuneEdit::Action::added ? 1 : 0) -
                                (e.action == IntuneEdit::Action::removed &&
                                         e.pointer.find("/children/") == std::string::npos
                                     ? 1
                                     : 0);
        if (auto at = json_locate(text, count_ptr)) {
            if (auto end = json_value_end(text, *at))
                text = splice(text, *at, *end, std::to_string(now));
        }
    }
    e.bytes.assign(doc.file.begin(), doc.file.begin() + static_cast<std::ptrdiff_t>(doc.bom));
    e.bytes.insert(e.bytes.end(), text.begin(), text.end());
    e.changed = std::string_view(text) != doc.text;
    if (!reads_as_intended(doc, e.bytes, e))
        return fail(IntuneEditStatus::not_supported,
                    "setting `" + e.definition_id +
                        "`: the edited export does not read back as intended (nothing written)");
    return e;
}

}  // namespace comredir::policy::detail
