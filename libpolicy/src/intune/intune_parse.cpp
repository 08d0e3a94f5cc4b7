// Reader for Intune settings-catalog exports (Graph configurationPolicies JSON).
#include <comredir/policy/intune/intune.hpp>
#include <nlohmann/json.hpp>

#include "io/file_io.hpp"
#include "io/json_locate.hpp"

namespace comredir::policy {

namespace {

using json = nlohmann::json;

constexpr int kMaxDepth = 32;

std::string shown(const std::string& pointer) {
    return pointer.empty() ? "document" : pointer;
}

class Reader {
  public:
    Reader(std::string_view text, std::size_t bom) : text_(text), bom_(bom) {}

    IntuneResult run() {
        auto parsed = detail::parse_json_document(text_, bom_);
        if (!parsed.ok) {
            detail::fail_unparsed(r_, IntuneStatus::bad_json, std::move(parsed));
            return std::move(r_);
        }
        const json& doc = parsed.doc;
        if (doc.is_array()) {
            for (std::size_t i = 0; i < doc.size(); ++i) {
                if (!policy(doc[i], "/" + std::to_string(i))) return std::move(r_);
            }
        } else if (doc.is_object() && !doc.contains("settings") && doc.contains("value") &&
                   doc["value"].is_array()) {
            const json& list = doc["value"];
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (!policy(list[i], "/value/" + std::to_string(i))) return std::move(r_);
            }
        } else {
            policy(doc, "");
        }
        return std::move(r_);
    }

  private:
    std::string_view text_;
    std::size_t bom_;
    IntuneResult r_;

    /// `where` is the absolute pointer located for line/offset; `msg` the rest.
    bool fail(IntuneStatus st, const std::string& where, const std::string& msg) {
        detail::fail_at_pointer(r_, st, text_, bom_, where, msg);
        return false;
    }

    bool policy(const json& p, const std::string& base) {
        auto settings = p.is_object() ? p.find("settings") : p.end();
        if (!p.is_object() || settings == p.end() || !settings->is_array()) {
            return fail(IntuneStatus::not_a_policy, base,
                        shown(base) + ": not a policy: no `settings` array");
        }
        IntunePolicy out;
        if (!text_field(p, base, "id", out.id)) return false;
        if (!text_field(p, base, "name", out.name)) return false;
        if (out.name.empty() && !text_field(p, base, "displayName", out.name)) return false;
        for (std::size_t i = 0; i < settings->size(); ++i) {
            const json& item = (*settings)[i];
            std::string rel = "/settings/" + std::to_string(i);
            if (!item.is_object()) {
                return fail(IntuneStatus::bad_setting, base + rel,
                            base + rel + ": expected an object");
            }
            auto inst = item.find("settingInstance");
            if (inst == item.end()) {
                if (!instance(item, base, rel, "", 0, out)) return false;
            } else if (!instance(*inst, base, rel + "/settingInstance", "", 0, out)) {
                return false;
            }
        }
        r_.file.policies.push_back(std::move(out));
        return true;
    }

    /// Optional string member; null counts as absent.
    bool text_field(const json& obj, const std::string& base, const char* key, std::string& out) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return true;
        if (!it->is_string()) {
            std::string where = base + "/" + key;
            return fail(IntuneStatus::bad_setting, where, where + ": expected a string");
        }
        out = it->get<std::string>();
        return true;
    }

    /// A simple value as text; false if it is an object or array.
    static bool simple_text(const json& v, std::string& out) {
        if (v.is_string()) {
            out = v.get<std::string>();
        } else if (v.is_number_unsigned()) {
            out = std::to_string(v.get<std::uint64_t>());
        } else if (v.is_number_integer()) {
            out = std::to_string(v.get<std::int64_t>());
        } else if (v.is_boolean() || v.is_number_float()) {
            out = v.dump();
        } else if (v.is_null()) {
            out.clear();
        } else {
            return false;
        }
        return true;
    }

    struct Child {
        const json* node;
        std::string rel;
    };

    /// Appends the children array at `obj["children"]` (null or absent: none).
    bool children_of(const json& obj, const std::string& base, const std::string& rel,
                     std::vector<Child>& out) {
        auto it = obj.find("children");
        if (it == obj.end() || it->is_null()) return true;
        if (!it->is_array()) {
            return fail(IntuneStatus::bad_setting, base + rel + "/children",
                        base + rel + "/children: expected an array");
        }
        for (std::size_t k = 0; k < it->size(); ++k) {
            out.push_back(Child{&(*it)[k], rel + "/children/" + std::to_string(k)});
        }
        return true;
    }

    /// `{"value": ...}` objects (choice or simple); appends the text to `joined`.
    bool value_object(const json& v, const std::string& base, const std::string& rel,
                      std::string& joined, bool first) {
        if (!v.is_object()) {
            return fail(IntuneStatus::bad_setting, base + rel, base + rel + ": expected an object");
        }
        std::string text;
        auto it = v.find("value");
        if (it != v.end() && !simple_text(*it, text)) {
            return fail(IntuneStatus::bad_setting, base + rel + "/value",
                        base + rel + "/value: expected a string or a number");
        }
        if (!first) joined.push_back(';');
        joined += text;
        return true;
    }

    bool array_member(const json& inst, const std::string& base, const std::string& rel,
                      const char* key, const json*& out) {
        out = nullptr;
        auto it = inst.find(key);
        if (it == inst.end() || it->is_null()) return true;
        if (!it->is_array()) {
            std::string where = base + rel + "/" + key;
            return fail(IntuneStatus::bad_setting, where, where + ": expected an array");
        }
        out = &*it;
        return true;
    }

    bool instance(const json& inst, const std::string& base, const std::string& rel,
                  const std::string& parent, int depth, IntunePolicy& out) {
        const std::string where = base + rel;
        if (depth > kMaxDepth) {
            return fail(
                IntuneStatus::bad_setting, where,
                where + ": settings nested deeper than " + std::to_string(kMaxDepth) + " levels");
        }
        if (!inst.is_object()) {
            return fail(IntuneStatus::bad_setting, where, where + ": expected an object");
        }
        auto id = inst.find("settingDefinitionId");
        if (id == inst.end()) {
            return fail(IntuneStatus::bad_setting, where, where + ": no `settingDefinitionId`");
        }
        if (!id->is_string()) {
            return fail(IntuneStatus::bad_setting, where + "/settingDefinitionId",
                        where + "/settingDefinitionId: expected a string");
        }
        IntuneSetting s{id->get<std::string>(), "", rel, parent};
        std::vector<Child> children;

        if (auto c = inst.find("choiceSettingValue"); c != inst.end() && !c->is_null()) {
            if (!value_object(*c, base, rel + "/choiceSettingValue", s.value, true)) return false;
            if (!children_of(*c, base, rel + "/choiceSettingValue", children)) return false;
        }
        if (auto v = inst.find("simpleSettingValue"); v != inst.end() && !v->is_null()) {
            if (!value_object(*v, base, rel + "/simpleSettingValue", s.value, true)) return false;
        }
        if (auto g = inst.find("groupSettingValue"); g != inst.end() && !g->is_null()) {
            if (!g->is_object()) {
                return fail(IntuneStatus::bad_setting, where + "/groupSettingValue",
                            where + "/groupSettingValue: expected an object");
            }
            if (!children_of(*g, base, rel + "/groupSettingValue", children)) return false;
        }
        const json* list = nullptr;
        if (!array_member(inst, base, rel, "simpleSettingCollectionValue", list)) return false;
        for (std::size_t k = 0; list != nullptr && k < list->size(); ++k) {
            std::string r = rel + "/simpleSettingCollectionValue/" + std::to_string(k);
            if (!value_object((*list)[k], base, r, s.value, k == 0)) return false;
        }
        if (!array_member(inst, base, rel, "choiceSettingCollectionValue", list)) return false;
        for (std::size_t k = 0; list != nullptr && k < list->size(); ++k) {
            std::string r = rel + "/choiceSettingCollectionValue/" + std::to_string(k);
            if (!value_object((*list)[k], base, r, s.value, k == 0)) return false;
            if (!children_of((*list)[k], base, r, children)) return false;
        }
        if (!array_member(inst, base, rel, "groupSettingCollectionValue", list)) return false;
        for (std::size_t k = 0; list != nullptr && k < list->size(); ++k) {
            std::string r = rel + "/groupSettingCollectionValue/" + std::to_string(k);
            if (!(*list)[k].is_object()) {
                return fail(IntuneStatus::bad_setting, base + r, base + r + ": expected an object");
            }
            if (!children_of((*list)[k], base, r, children)) return false;
        }

        const std::string self = s.definition_id;
        out.settings.push_back(std::move(s));
        for (const Child& ch : children) {
            if (!instance(*ch.node, base, ch.rel, self, depth + 1, out)) return false;
        }
        return true;
    }
};

}  // namespace

std::string_view to_string(IntuneStatus s) {
    switch (s) {
        case IntuneStatus::ok:
            return "ok";
        case IntuneStatus::io_error:
            return "io_error";
        case IntuneStatus::bad_json:
            return "bad_json";
        case IntuneStatus::not_a_policy:
            return "not_a_policy";
        case IntuneStatus::bad_setting:
            return "bad_setting";
    }
    return "?";
}

IntuneResult parse_intune(std::span<const std::uint8_t> bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    std::size_t bom = 0;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") bom = 3;
    return Reader(text.substr(bom), bom).run();
}

IntuneResult read_intune(const std::string& path) {
    auto f = detail::read_file_bytes(path);
    if (!f.ok) {
        IntuneResult r;
        r.status = IntuneStatus::io_error;
        r.message = f.error;
        return r;
    }
    IntuneResult r = parse_intune(f.bytes);
    if (!r.ok()) r.message = path + ": " + r.message;
    return r;
}

}  // namespace comredir::policy
