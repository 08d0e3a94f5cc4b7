// Settings-catalog exports being edited: the policy chosen, its settings found at any
// depth, the style of its settings[] items.
#include <comredir/policy/intune/intune.hpp>
#include <nlohmann/json.hpp>

#include "intune/intune_edit_internal.hpp"
#include "io/json_locate.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

using json = nlohmann::json;

std::string policy_label(const json& p, std::size_t index) {
    for (const char* k : {"name", "displayName", "id"}) {
        if (p.contains(k) && p[k].is_string()) return p[k].get<std::string>();
    }
    return "#" + std::to_string(index);
}

bool is_object_member(const json& obj, const char* key) {
    return obj.is_object() && obj.contains(key) && obj[key].is_object();
}

bool is_array_member(const json& obj, const char* key) {
    return obj.is_object() && obj.contains(key) && obj[key].is_array();
}

void collect(const json& inst, const std::string& item_ptr, const std::string& inst_ptr,
             const std::string& id, int depth, std::vector<Found>& out);

/// The instances in `holder["children"]`, `holder` being at `ptr`.
void children(const json& holder, const std::string& ptr, const std::string& id, int depth,
              std::vector<Found>& out) {
    if (!is_array_member(holder, "children")) return;
    const auto& kids = holder["children"];
    for (std::size_t i = 0; i < kids.size(); ++i) {
        const std::string p = ptr + "/children/" + std::to_string(i);
        collect(kids[i], p, p, id, depth + 1, out);
    }
}

void collect(const json& inst, const std::string& item_ptr, const std::string& inst_ptr,
             const std::string& id, int depth, std::vector<Found>& out) {
    // The reader refuses deeper nesting, so an accepted file never gets here.
    if (depth > 64 || !inst.is_object()) return;
    const auto def = inst.find("settingDefinitionId");
    if (def != inst.end() && def->is_string() && iequals(def->get<std::string>(), id)) {
        Found f;
        f.definition_id = def->get<std::string>();
        f.item_pointer = item_ptr;
        f.instance_pointer = inst_ptr;
        f.instance = &inst;
        for (const char* key : {"choiceSettingValue", "simpleSettingValue"}) {
            if (!is_object_member(inst, key) || !inst[key].contains("value")) continue;
            const auto& v = inst[key]["value"];
            f.value_pointer = inst_ptr + "/" + key + "/value";
            f.value = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
        }
        out.push_back(std::move(f));
    }
    if (is_object_member(inst, "choiceSettingValue"))
        children(inst["choiceSettingValue"], inst_ptr + "/choiceSettingValue", id, depth, out);
    if (is_object_member(inst, "groupSettingValue"))
        children(inst["groupSettingValue"], inst_ptr + "/groupSettingValue", id, depth, out);
    for (const char* key : {"choiceSettingCollectionValue", "groupSettingCollectionValue"}) {
        if (!is_array_member(inst, key)) continue;
        for (std::size_t k = 0; k < inst[key].size(); ++k)
            children(inst[key][k], inst_ptr + "/" + key + "/" + std::to_string(k), id, depth, out);
    }
}

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
    // The same three shapes, tried in the same order, as intune_parse.cpp.
    std::vector<std::pair<std::string, const json*>> policies;
    const json* list = doc.json.is_array() ? &doc.json : nullptr;
    if (doc.json.is_object() && !doc.json.contains("settings") &&
        is_array_member(doc.json, "value"))
        list = &doc.json["value"];
    if (list == nullptr) policies.emplace_back("", &doc.json);
    const std::string base = doc.json.is_array() ? "" : "/value";
    for (std::size_t i = 0; list != nullptr && i < list->size(); ++i)
        policies.emplace_back(base + "/" + std::to_string(i), &(*list)[i]);
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
        if (policies.empty()) return fail(IntuneEditStatus::no_policy, "the file holds no policy");
        if (policy && !chosen.empty())
            return fail(IntuneEditStatus::no_policy,
                        std::to_string(chosen.size()) + " policies are named `" + *policy +
                            "` (policies: " + names + "): choose one by id");
        return fail(IntuneEditStatus::no_policy,
                    policy ? "no policy named `" + *policy + "` (policies: " + names + ")"
                           : "the file holds " + std::to_string(policies.size()) +
                                 " policies: choose one with --policy (" + names + ")");
    }
    doc.policy_pointer = policies[chosen[0]].first;
    doc.policy_index = chosen[0];
    doc.policy_name = policy_label(*policies[chosen[0]].second, chosen[0]);
    return {};
}

std::vector<Found> find_all(const EditDoc& doc, const std::string& definition_id) {
    const auto& policy = doc.json.at(json::json_pointer(doc.policy_pointer));
    std::vector<Found> out;
    const auto& items = policy["settings"];
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string item = doc.policy_pointer + "/settings/" + std::to_string(i);
        if (items[i].contains("settingInstance")) {
            collect(items[i]["settingInstance"], item, item + "/settingInstance", definition_id, 0,
                    out);
        } else {
            collect(items[i], item, item, definition_id, 0, out);
        }
    }
    return out;
}

ItemStyle item_style(const EditDoc& doc) {
    const auto& items = doc.json.at(json::json_pointer(doc.policy_pointer + "/settings"));
    ItemStyle s;
    if (items.empty()) return s;
    const auto& last = items.back();
    s.wrapped = last.contains("settingInstance");
    s.item_type = s.wrapped && last.contains("@odata.type");
    const auto& inst = s.wrapped ? last["settingInstance"] : last;
    s.instance_template = inst.is_object() && inst.contains("settingInstanceTemplateReference") &&
                          inst["settingInstanceTemplateReference"].is_null();
    if (is_object_member(inst, "choiceSettingValue")) {
        const auto& v = inst["choiceSettingValue"];
        s.value_type = v.contains("@odata.type");
        s.value_template = v.contains("settingValueTemplateReference") &&
                           v["settingValueTemplateReference"].is_null();
    }
    if (!s.wrapped || !last.contains("id")) return s;
    // Graph numbers items "0", "1", ...: the next number no item has.
    for (std::size_t n = items.size();; ++n) {
        const std::string id = std::to_string(n);
        bool used = false;
        for (const auto& it : items) used = used || (it.contains("id") && it["id"] == id);
        if (!used) {
            s.id = id;
            return s;
        }
    }
}

}  // namespace comredir::policy::detail
