// Text surgery on settings-catalog exports: locate, replace, insert, remove.
#include <algorithm>
#include <charconv>
#include <comredir/policy/intune.hpp>

#include "intune_edit_internal.hpp"
#include "json_locate.hpp"
#include "text.hpp"

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

std::string policy_label(const nlohmann::json& p, std::size_t index) {
    for (const char* k : {"name", "displayName", "id"}) {
        if (p.contains(k) && p[k].is_string()) return p[k].get<std::string>();
    }
    return "#" + std::to_string(index);
}

void collect(const nlohmann::json& inst, const std::string& item_ptr, const std::string& inst_ptr,
             const std::string& id, std::optional<Found>& out) {
    if (out || !inst.is_object()) return;
    if (iequals(inst.value("settingDefinitionId", ""), id)) {
        Found f;
        f.definition_id = inst.value("settingDefinitionId", "");
        f.item_pointer = item_ptr;
        f.instance_pointer = inst_ptr;
        f.instance = &inst;
        if (inst.contains("choiceSettingValue") && inst["choiceSettingValue"].is_object()) {
            f.value_pointer = inst_ptr + "/choiceSettingValue/value";
            f.value = inst["choiceSettingValue"].value("value", "");
        } else if (inst.contains("simpleSettingValue") && inst["simpleSettingValue"].is_object()) {
            f.value_pointer = inst_ptr + "/simpleSettingValue/value";
            const auto& v = inst["simpleSettingValue"]["value"];
            f.value = v.is_string() ? v.get<std::string>() : v.dump();
        }
        out = f;
        return;
    }
    if (inst.contains("choiceSettingValue") && inst["choiceSettingValue"].contains("children")) {
        const auto& kids = inst["choiceSettingValue"]["children"];
        for (std::size_t i = 0; kids.is_array() && i < kids.size(); ++i) {
            const std::string p = inst_ptr + "/choiceSettingValue/children/" + std::to_string(i);
            collect(kids[i], p, p, id, out);
        }
    }
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

IntuneEdit internal(const std::string& definition_id) {
    return fail(IntuneEditStatus::not_supported,
                "setting `" + definition_id + "`: the export's text could not be edited in place");
}

namespace {

IntuneEdit load(std::span<const std::uint8_t> file, EditDoc& doc) {
    const auto read = parse_intune(file);
    if (!read.ok()) return fail(IntuneEditStatus::bad_file, read.message);
    doc.file = file;
    doc.bom = file.size() >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF ? 3 : 0;
    doc.text = std::string_view(reinterpret_cast<const char*>(file.data()) + doc.bom,
                                file.size() - doc.bom);
    auto parsed = parse_json_document(doc.text, doc.bom);
    if (!parsed.ok) return fail(IntuneEditStatus::bad_file, parsed.message);
    doc.json = std::move(parsed.doc);
    return {};
}

}  // namespace

IntuneEdit open_doc(std::span<const std::uint8_t> file, const std::optional<std::string>& policy,
                    EditDoc& doc) {
    if (auto e = load(file, doc); !e.ok()) return e;
    std::vector<std::pair<std::string, const nlohmann::json*>> policies;
    if (doc.json.is_object() && doc.json.contains("settings")) {
        policies.emplace_back("", &doc.json);
    } else {
        const nlohmann::json* list = doc.json.is_array()          ? &doc.json
                                     : doc.json.contains("value") ? &doc.json["value"]
                                                                  : nullptr;
        const std::string base = doc.json.is_array() ? "" : "/value";
        for (std::size_t i = 0; list != nullptr && list->is_array() && i < list->size(); ++i)
            policies.emplace_back(base + "/" + std::to_string(i), &(*list)[i]);
    }
    std::vector<std::size_t> chosen;
    std::string names;
    for (std::size_t i = 0; i < policies.size(); ++i) {
        const auto& p = *policies[i].second;
        names += (names.empty() ? "`" : ", `") + policy_label(p, i) + "`";
        if (!policy || p.value("name", "") == *policy || p.value("displayName", "") == *policy ||
            p.value("id", "") == *policy)
            chosen.push_back(i);
    }
    if (chosen.size() != 1) {
        return fail(IntuneEditStatus::no_policy,
                    policy ? "no policy named `" + *policy + "` (policies: " + names + ")"
                           : "the file holds " + std::to_string(policies.size()) +
                                 " policies: choose one with --policy (" + names + ")");
    }
    doc.policy_pointer = policies[chosen[0]].first;
    doc.policy_name = policy_label(*policies[chosen[0]].second, chosen[0]);
    return {};
}

std::optional<Found> find_setting(const EditDoc& doc, const std::string& definition_id) {
    const auto& policy = doc.json.at(nlohmann::json::json_pointer(doc.policy_pointer));
    std::optional<Found> out;
    const auto& items = policy["settings"];
    for (std::size_t i = 0; i < items.size() && !out; ++i) {
        const std::string item = doc.policy_pointer + "/settings/" + std::to_string(i);
        if (items[i].contains("settingInstance")) {
            collect(items[i]["settingInstance"], item, item + "/settingInstance", definition_id,
                    out);
        } else {
            collect(items[i], item, item, definition_id, out);
        }
    }
    return out;
}

bool replace_value(const EditDoc& doc, const Found& f, const std::string& token, std::string& out) {
    const auto start = json_locate(doc.text, f.value_pointer);
    if (!start) return false;
    const auto end = json_value_end(doc.text, *start);
    if (!end) return false;
    out = splice(doc.text, *start, *end, token);
    return true;
}

nlohmann::ordered_json choice_item(const std::string& id, const std::string& definition_id,
                                   const std::string& value) {
    nlohmann::ordered_json inst = {
        {"@odata.type", "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"},
        {"settingDefinitionId", definition_id},
        {"choiceSettingValue", {{"value", value}, {"children", nlohmann::ordered_json::array()}}}};
    nlohmann::ordered_json item;
    if (!id.empty()) item["id"] = id;
    item["settingInstance"] = std::move(inst);
    return item;
}

bool append_setting(const EditDoc& doc, const std::string& definition_id, const std::string& value,
                    std::string& out) {
    const std::string arr = doc.policy_pointer + "/settings";
    const auto& items = doc.json.at(nlohmann::json::json_pointer(arr));
    const auto starts = json_array_offsets(doc.text, arr);
    if (starts.size() != items.size()) return false;
    // Ids as Graph exports number them ("0", "1", ...) when the file's items have ids.
    std::string id;
    if (!items.empty() && items.back().contains("id")) id = std::to_string(items.size());
    const std::string eol = eol_of(doc.text);
    const auto array_start = json_locate(doc.text, arr);
    if (!array_start) return false;
    if (starts.empty()) {
        const auto end = json_value_end(doc.text, *array_start);
        if (!end) return false;
        const std::string outer = indent_at(doc.text, *array_start);
        const std::string inner = outer + "  ";
        std::string body = choice_item(id, definition_id, value).dump(2);
        body = replace_all(body, "\n", eol + inner);
        out = splice(doc.text, *array_start, *end, "[" + eol + inner + body + eol + outer + "]");
        return true;
    }
    const auto last_end = json_value_end(doc.text, starts.back());
    if (!last_end) return false;
    const std::string indent = indent_at(doc.text, starts.back());
    // The file's indentation step: the last item's second line against its first.
    int step = 2;
    const auto nl = doc.text.find('\n', starts.back());
    if (nl != std::string_view::npos && nl < *last_end) {
        const auto inner = indent_at(doc.text, nl + 1).size();
        if (inner > indent.size()) step = static_cast<int>(inner - indent.size());
    }
    const bool one_line = nl == std::string_view::npos || nl >= *last_end;
    std::string body = choice_item(id, definition_id, value).dump(one_line ? -1 : step);
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
    // Read back: the edited file must parse and show exactly the intended value.
    bool shows = false;
    EditDoc again;
    if (load(e.bytes, again).ok()) {
        again.policy_pointer = doc.policy_pointer;
        if (again.json.contains(nlohmann::json::json_pointer(doc.policy_pointer + "/settings"))) {
            const auto f = find_setting(again, e.definition_id);
            shows = e.action == IntuneEdit::Action::removed ? !f.has_value()
                    : e.action == IntuneEdit::Action::unchanged && e.value.empty()
                        ? !f.has_value()
                        : f && f->value == e.value;
        }
    }
    if (!shows)
        return fail(IntuneEditStatus::not_supported,
                    "setting `" + e.definition_id +
                        "`: the edited export does not read back as intended (nothing written)");
    return e;
}

}  // namespace comredir::policy::detail
