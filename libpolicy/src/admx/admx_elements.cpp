// ADMX values, value lists and policy elements (boolean, decimal, longDecimal, text,
// multiText, enum, list), from pugixml nodes.
#include <charconv>
#include <limits>
#include <optional>

#include "admx/admx_internal.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

namespace {

bool attr_bool(const pugi::xml_node& node, const char* name) {
    std::string_view v = trim(node.attribute(name).as_string());
    return v == "true" || v == "1";
}

/// Unsigned number in `[0, max]`; false (with an error naming `owner` and `what`) when
/// malformed or out of range.
bool parse_number(std::string_view text, std::uint64_t max, const pugi::xml_node& at,
                  const AdmxContext& ctx, const std::string& owner, std::string_view what,
                  std::uint64_t& out) {
    std::string_view t = trim(text);
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || v > max) {
        ctx.error(AdmxErrorKind::bad_number, at,
                  owner + ": " + std::string(what) + ": `" + std::string(t) +
                      "` is not a number in range");
        return false;
    }
    out = v;
    return true;
}

/// Optional numeric attribute: keeps `out` when absent.
template <typename T>
void number_attr(const pugi::xml_node& node, const char* name, const AdmxContext& ctx,
                 const std::string& owner, T& out) {
    auto a = node.attribute(name);
    if (!a) return;
    std::uint64_t v = 0;
    if (parse_number(a.value(), std::numeric_limits<T>::max(), node, ctx, owner,
                     "`" + std::string(name) + "`", v)) {
        out = static_cast<T>(v);
    }
}

std::optional<AdmxElementKind> element_kind(std::string_view tag) {
    if (tag == "boolean") return AdmxElementKind::boolean;
    if (tag == "decimal") return AdmxElementKind::decimal;
    if (tag == "longDecimal") return AdmxElementKind::long_decimal;
    if (tag == "text") return AdmxElementKind::text;
    if (tag == "multiText") return AdmxElementKind::multi_text;
    if (tag == "enum") return AdmxElementKind::enumeration;
    if (tag == "list") return AdmxElementKind::list;
    return std::nullopt;
}

void parse_enum_items(const pugi::xml_node& node, const AdmxContext& ctx, const std::string& owner,
                      AdmxElement& el) {
    for (auto item : node.children()) {
        if (item.type() != pugi::node_element || local_name(item) != "item") continue;
        AdmxEnumItem it;
        it.source = ctx.source(item);
        it.display_name =
            ctx.resolve_string(item.attribute("displayName").as_string(), item, owner);
        constexpr std::array<std::string_view, 2> kChildren = {"value", "valueList"};
        const auto [value, value_list] = child_elements(item, kChildren);
        it.value = parse_admx_value(value, ctx, owner);
        if (!it.value.present()) {
            ctx.error(AdmxErrorKind::bad_attribute, item, owner + ": enum item has no `value`");
        }
        it.value_list = parse_admx_list(value_list, el.key, ctx, owner);
        el.items.push_back(std::move(it));
    }
}

}  // namespace

AdmxValue parse_admx_value(const pugi::xml_node& holder, const AdmxContext& ctx,
                           const std::string& owner) {
    AdmxValue out;
    if (!holder) return out;
    for (auto v : holder.children()) {
        if (v.type() != pugi::node_element) continue;
        std::string_view tag = local_name(v);
        std::uint64_t n = 0;
        if (tag == "decimal") {
            if (parse_number(v.attribute("value").as_string(),
                             std::numeric_limits<std::uint32_t>::max(), v, ctx, owner, "decimal",
                             n)) {
                out.kind = AdmxValue::Kind::decimal;
                out.number = n;
            }
        } else if (tag == "longDecimal") {
            if (parse_number(v.attribute("value").as_string(),
                             std::numeric_limits<std::uint64_t>::max(), v, ctx, owner,
                             "longDecimal", n)) {
                out.kind = AdmxValue::Kind::long_decimal;
                out.number = n;
            }
        } else if (tag == "string") {
            out.kind = AdmxValue::Kind::string;
            out.text = v.child_value();
        } else if (tag == "delete") {
            out.kind = AdmxValue::Kind::del;
        } else {
            ctx.error(AdmxErrorKind::bad_attribute, v,
                      owner + ": unknown value `" + std::string(tag) + "`");
        }
        break;  // one value per holder
    }
    return out;
}

AdmxValueList parse_admx_list(const pugi::xml_node& list, const std::string& owner_key,
                              const AdmxContext& ctx, const std::string& owner) {
    AdmxValueList out;
    if (!list) return out;
    std::string default_key = list.attribute("defaultKey").as_string();
    if (default_key.empty()) default_key = owner_key;
    for (auto item : list.children()) {
        if (item.type() != pugi::node_element || local_name(item) != "item") continue;
        AdmxListItem it;
        it.source = ctx.source(item);
        it.key = item.attribute("key").as_string();
        if (it.key.empty()) it.key = default_key;
        it.value_name = item.attribute("valueName").as_string();
        it.value = parse_admx_value(child_element(item, "value"), ctx, owner);
        if (!item.attribute("valueName")) {
            ctx.error(AdmxErrorKind::bad_attribute, item, owner + ": list item has no `valueName`");
            continue;
        }
        out.items.push_back(std::move(it));
    }
    return out;
}

void parse_admx_elements(const pugi::xml_node& elements, const AdmxContext& ctx,
                         AdmxPolicy& policy) {
    if (!elements) return;
    const StringMap<AdmlControl>* controls = nullptr;
    if (ctx.adml != nullptr && !policy.presentation_id.empty()) {
        auto p = ctx.adml->presentations.find(policy.presentation_id);
        if (p != ctx.adml->presentations.end()) controls = &p->second;
    }
    for (auto node : elements.children()) {
        if (node.type() != pugi::node_element) continue;
        std::string_view tag = local_name(node);
        auto kind = element_kind(tag);
        std::string owner = "policy `" + policy.name + "`: " + std::string(tag) + " `" +
                            node.attribute("id").as_string() + "`";
        if (!kind) {
            ctx.error(AdmxErrorKind::bad_attribute, node,
                      "policy `" + policy.name + "`: unknown element `" + std::string(tag) + "`");
            continue;
        }
        AdmxElement el;
        el.kind = *kind;
        el.source = ctx.source(node);
        el.id = node.attribute("id").as_string();
        if (el.id.empty()) {
            ctx.error(AdmxErrorKind::bad_attribute, node, owner + ": no `id`");
            continue;
        }
        el.key = node.attribute("key").as_string();
        if (el.key.empty()) el.key = policy.key;
        el.value_name = node.attribute("valueName").as_string();
        if (el.kind != AdmxElementKind::list && el.value_name.empty()) {
            ctx.error(AdmxErrorKind::bad_attribute, node, owner + ": no `valueName`");
            continue;
        }
        if (controls != nullptr) {
            if (auto c = controls->find(el.id); c != controls->end()) {
                el.label = c->second.label;
                el.default_text = c->second.default_text;
                el.has_default = c->second.has_default;
            }
        }
        el.required = attr_bool(node, "required");
        el.soft = attr_bool(node, "soft");
        el.expandable = attr_bool(node, "expandable");
        switch (el.kind) {
            case AdmxElementKind::boolean: {
                constexpr std::array<std::string_view, 4> kChildren = {"trueValue", "falseValue",
                                                                       "trueList", "falseList"};
                const auto [tv, fv, tl, fl] = child_elements(node, kChildren);
                el.true_value = parse_admx_value(tv, ctx, owner);
                el.false_value = parse_admx_value(fv, ctx, owner);
                el.true_list = parse_admx_list(tl, el.key, ctx, owner);
                el.false_list = parse_admx_list(fl, el.key, ctx, owner);
                break;
            }
            case AdmxElementKind::decimal: {
                std::uint32_t lo = 0;
                std::uint32_t hi = 9999;
                number_attr(node, "minValue", ctx, owner, lo);
                number_attr(node, "maxValue", ctx, owner, hi);
                el.min_value = lo;
                el.max_value = hi;
                el.store_as_text = attr_bool(node, "storeAsText");
                break;
            }
            case AdmxElementKind::long_decimal:
                number_attr(node, "minValue", ctx, owner, el.min_value);
                number_attr(node, "maxValue", ctx, owner, el.max_value);
                el.store_as_text = attr_bool(node, "storeAsText");
                break;
            case AdmxElementKind::text:
                number_attr(node, "maxLength", ctx, owner, el.max_length);
                break;
            case AdmxElementKind::multi_text:
                number_attr(node, "maxLength", ctx, owner, el.max_length);
                number_attr(node, "maxStrings", ctx, owner, el.max_strings);
                break;
            case AdmxElementKind::enumeration:
                parse_enum_items(node, ctx, owner, el);
                break;
            case AdmxElementKind::list:
                el.value_prefix = node.attribute("valuePrefix").as_string();
                el.has_value_prefix = !node.attribute("valuePrefix").empty();
                el.additive = attr_bool(node, "additive");
                el.explicit_value = attr_bool(node, "explicitValue");
                break;
        }
        policy.elements.push_back(std::move(el));
    }
}

}  // namespace comredir::policy::detail
