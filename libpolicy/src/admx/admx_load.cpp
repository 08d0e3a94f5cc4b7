// ADMX/ADML files: XML parsing (pugixml), string and presentation tables, namespaces,
// categories, supportedOn definitions and policies; the folder and file loaders.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>

#include "admx/admx_internal.hpp"
#include "io/file_io.hpp"
#include "io/text.hpp"

namespace comredir::policy::detail {

std::string_view local_name(const pugi::xml_node& node) {
    std::string_view n = node.name();
    auto colon = n.find(':');
    if (colon != std::string_view::npos) n.remove_prefix(colon + 1);
    return n;
}

pugi::xml_node child_element(const pugi::xml_node& parent, std::string_view local) {
    for (auto c : parent.children()) {
        if (c.type() == pugi::node_element && local_name(c) == local) return c;
    }
    return {};
}

std::uint32_t AdmxContext::line_of(const pugi::xml_node& node) const {
    auto off = node.offset_debug();
    if (off < 0) return 0;
    auto it =
        std::upper_bound(line_starts.begin(), line_starts.end(), static_cast<std::size_t>(off));
    return static_cast<std::uint32_t>(it - line_starts.begin());
}

AdmxSource AdmxContext::source(const pugi::xml_node& node) const {
    return AdmxSource{admx_name, line_of(node)};
}

void AdmxContext::error(AdmxErrorKind kind, const pugi::xml_node& at,
                        const std::string& what) const {
    AdmxError e;
    e.kind = kind;
    e.file = admx_name;
    e.line = line_of(at);
    e.message =
        admx_name + ": " + (e.line > 0 ? "line " + std::to_string(e.line) + ": " : "") + what;
    errors->push_back(std::move(e));
}

std::string AdmxContext::resolve_string(std::string_view ref, const pugi::xml_node& at,
                                        const std::string& owner) const {
    constexpr std::string_view kPrefix = "$(string.";
    if (ref.substr(0, kPrefix.size()) != kPrefix || ref.back() != ')') return std::string(ref);
    std::string_view id = ref.substr(kPrefix.size(), ref.size() - kPrefix.size() - 1);
    if (adml == nullptr || !adml->loaded) return {};
    auto it = adml->strings.find(id);
    if (it != adml->strings.end()) return it->second;
    error(AdmxErrorKind::missing_string, at,
          owner + ": string `" + std::string(id) + "` not in `" + adml_name + "`");
    return {};
}

}  // namespace comredir::policy::detail

namespace comredir::policy {

namespace {

using detail::AdmlTables;
using detail::AdmxContext;
using detail::child_element;
using detail::line_starts;
using detail::load_xml;
using detail::local_name;
using detail::xml_text;

void io_error(std::vector<AdmxError>& errors, AdmxErrorKind kind, const std::string& file,
              const std::string& message) {
    errors.push_back(AdmxError{kind, file, 0, 0, message});
}

/// Reads the ADML's stringTable and presentationTable.
void parse_adml(std::span<const std::uint8_t> bytes, const std::string& name, AdmlTables& out,
                std::vector<AdmxError>& errors) {
    std::string text;
    if (!xml_text(bytes, text)) {
        io_error(errors, AdmxErrorKind::xml, name, name + ": xml: bad utf-16");
        return;
    }
    pugi::xml_document doc;
    if (!load_xml(text, name, doc, errors)) return;
    auto root = doc.document_element();
    if (local_name(root) != "policyDefinitionResources") {
        io_error(errors, AdmxErrorKind::not_adml, name,
                 name + ": root element `" + std::string(local_name(root)) +
                     "` is not `policyDefinitionResources`");
        return;
    }
    out.loaded = true;
    auto resources = child_element(root, "resources");
    for (auto s : child_element(resources, "stringTable").children()) {
        if (s.type() != pugi::node_element || local_name(s) != "string") continue;
        out.strings.emplace(s.attribute("id").as_string(), s.child_value());
    }
    for (auto p : child_element(resources, "presentationTable").children()) {
        if (p.type() != pugi::node_element || local_name(p) != "presentation") continue;
        auto& controls = out.presentations[p.attribute("id").as_string()];
        for (auto c : p.children()) {
            if (c.type() != pugi::node_element || !c.attribute("refId")) continue;
            auto label = child_element(c, "label");  // textBox / comboBox keep it in <label>
            detail::AdmlControl ctl;
            ctl.label = std::string(detail::trim(label ? label.child_value() : c.child_value()));
            std::string_view tag = local_name(c);
            auto set_default = [&](std::string value) {
                ctl.default_text = std::move(value);
                ctl.has_default = true;
            };
            if (tag == "decimalTextBox" || tag == "longDecimalTextBox") {
                auto v = c.attribute("defaultValue");
                set_default(v ? v.as_string() : "1");  // the schema's default
            } else if (tag == "checkBox") {
                set_default(c.attribute("defaultChecked").as_bool() ? "true" : "false");
            } else if (tag == "dropdownList" && c.attribute("defaultItem")) {
                set_default(c.attribute("defaultItem").as_string());
            } else if (tag == "textBox" && child_element(c, "defaultValue")) {
                set_default(child_element(c, "defaultValue").child_value());
            } else if (tag == "comboBox" && child_element(c, "default")) {
                set_default(child_element(c, "default").child_value());
            }
            controls.emplace(c.attribute("refId").as_string(), std::move(ctl));
        }
    }
}

std::optional<AdmxClass> parse_class(std::string_view v) {
    if (v == "Machine") return AdmxClass::machine;
    if (v == "User") return AdmxClass::user;
    if (v == "Both") return AdmxClass::both;
    return std::nullopt;
}

void parse_policy(const pugi::xml_node& node, const AdmxContext& ctx, const AdmxFile& file,
                  AdmxSet& set) {
    AdmxPolicy p;
    p.source = ctx.source(node);
    p.ns = file.ns;
    p.name = node.attribute("name").as_string();
    if (p.name.empty()) {
        ctx.error(AdmxErrorKind::bad_attribute, node, "policy without `name`");
        return;
    }
    const std::string owner = "policy `" + p.name + "`";
    auto cls = parse_class(node.attribute("class").as_string());
    if (!cls) {
        ctx.error(AdmxErrorKind::bad_attribute, node,
                  owner + ": class `" + node.attribute("class").as_string() +
                      "` is not `Machine`, `User` or `Both`");
        return;
    }
    p.cls = *cls;
    p.key = node.attribute("key").as_string();
    if (p.key.empty()) {
        ctx.error(AdmxErrorKind::bad_attribute, node, owner + ": no `key`");
        return;
    }
    p.value_name = node.attribute("valueName").as_string();
    p.display_name = ctx.resolve_string(node.attribute("displayName").as_string(), node, owner);
    p.explain_text = ctx.resolve_string(node.attribute("explainText").as_string(), node, owner);
    std::string_view pres = node.attribute("presentation").as_string();
    constexpr std::string_view kPres = "$(presentation.";
    if (pres.substr(0, kPres.size()) == kPres && pres.back() == ')') {
        p.presentation_id = std::string(pres.substr(kPres.size(), pres.size() - kPres.size() - 1));
        if (ctx.adml != nullptr && ctx.adml->loaded &&
            ctx.adml->presentations.count(p.presentation_id) == 0) {
            ctx.error(AdmxErrorKind::missing_presentation, node,
                      owner + ": presentation `" + p.presentation_id + "` not in `" +
                          ctx.adml_name + "`");
        }
    } else if (!pres.empty()) {
        ctx.error(AdmxErrorKind::bad_attribute, node,
                  owner + ": presentation `" + std::string(pres) + "` is not `$(presentation.id)`");
    }
    constexpr std::array<std::string_view, 7> kChildren = {
        "parentCategory", "supportedOn",  "enabledValue", "disabledValue",
        "enabledList",    "disabledList", "elements"};
    const auto [category, supported_on, enabled_value, disabled_value, enabled_list, disabled_list,
                elements] = detail::child_elements(node, kChildren);
    p.category = category.attribute("ref").as_string();
    p.supported_on = supported_on.attribute("ref").as_string();
    p.enabled_value = detail::parse_admx_value(enabled_value, ctx, owner);
    p.disabled_value = detail::parse_admx_value(disabled_value, ctx, owner);
    p.enabled_list = detail::parse_admx_list(enabled_list, p.key, ctx, owner);
    p.disabled_list = detail::parse_admx_list(disabled_list, p.key, ctx, owner);
    detail::parse_admx_elements(elements, ctx, p);
    set.policies.push_back(std::move(p));
}

/// Parses one ADMX (with its ADML tables, if loaded) into `set`.
void parse_admx_file(std::span<const std::uint8_t> bytes, AdmxFile file, const AdmlTables& adml,
                     AdmxSet& set, std::vector<AdmxError>& errors) {
    std::string text;
    if (!xml_text(bytes, text)) {
        io_error(errors, AdmxErrorKind::xml, file.admx, file.admx + ": xml: bad utf-16");
        return;
    }
    pugi::xml_document doc;
    if (!load_xml(text, file.admx, doc, errors)) return;
    auto root = doc.document_element();
    if (local_name(root) != "policyDefinitions") {
        io_error(errors, AdmxErrorKind::not_admx, file.admx,
                 file.admx + ": root element `" + std::string(local_name(root)) +
                     "` is not `policyDefinitions`");
        return;
    }
    AdmxContext ctx;
    ctx.admx_name = file.admx;
    ctx.adml_name = file.adml;
    ctx.text = &text;
    ctx.line_starts = line_starts(text);
    ctx.adml = &adml;
    ctx.errors = &errors;

    auto nss = child_element(root, "policyNamespaces");
    auto target = child_element(nss, "target");
    file.prefix = target.attribute("prefix").as_string();
    file.ns = target.attribute("namespace").as_string();
    if (file.ns.empty()) {
        ctx.error(AdmxErrorKind::bad_attribute, target ? target : root,
                  "no `policyNamespaces/target` namespace");
    }
    for (auto u : nss.children()) {
        if (u.type() != pugi::node_element || local_name(u) != "using") continue;
        file.usings.emplace_back(u.attribute("prefix").as_string(),
                                 u.attribute("namespace").as_string());
    }

    auto defs = child_element(child_element(root, "supportedOn"), "definitions");
    for (auto d : defs.children()) {
        if (d.type() != pugi::node_element || local_name(d) != "definition") continue;
        AdmxSupportedOn s;
        s.name = d.attribute("name").as_string();
        s.ns = file.ns;
        s.source = ctx.source(d);
        s.display_name = ctx.resolve_string(d.attribute("displayName").as_string(), d,
                                            "supportedOn `" + s.name + "`");
        set.supported_on.push_back(std::move(s));
    }
    for (auto c : child_element(root, "categories").children()) {
        if (c.type() != pugi::node_element || local_name(c) != "category") continue;
        AdmxCategory cat;
        cat.name = c.attribute("name").as_string();
        cat.ns = file.ns;
        cat.source = ctx.source(c);
        cat.display_name = ctx.resolve_string(c.attribute("displayName").as_string(), c,
                                              "category `" + cat.name + "`");
        cat.parent = child_element(c, "parentCategory").attribute("ref").as_string();
        set.categories.push_back(std::move(cat));
    }
    set.files.push_back(file);
    for (auto p : child_element(root, "policies").children()) {
        if (p.type() != pugi::node_element || local_name(p) != "policy") continue;
        parse_policy(p, ctx, set.files.back(), set);
    }
}

void load_pair(std::span<const std::uint8_t> admx, const std::span<const std::uint8_t>* adml,
               AdmxFile file, AdmxLoadResult& out) {
    AdmlTables tables;
    if (adml != nullptr) parse_adml(*adml, file.adml, tables, out.errors);
    if (!tables.loaded) file.adml.clear();
    parse_admx_file(admx, std::move(file), tables, out.set, out.errors);
}

/// Resolves references across the loaded files, builds the indexes, reports bad refs.
void finish(AdmxLoadResult& out) {
    out.set.reindex();
    detail::check_admx_refs(out.set, out.errors);
}

}  // namespace

AdmxLoadResult parse_admx(std::span<const std::uint8_t> admx, std::span<const std::uint8_t> adml,
                          const std::string& name) {
    AdmxLoadResult out;
    AdmxFile file;
    file.admx = name;
    std::string stem = name;
    if (stem.size() >= 5 && detail::iequals(stem.substr(stem.size() - 5), ".admx")) {
        stem.resize(stem.size() - 5);
    }
    file.adml = stem + ".adml";
    if (adml.empty()) {
        io_error(out.errors, AdmxErrorKind::missing_adml, name,
                 name + ": no adml `" + file.adml + "`");
        load_pair(admx, nullptr, std::move(file), out);
    } else {
        load_pair(admx, &adml, std::move(file), out);
    }
    finish(out);
    return out;
}

namespace {

/// Reads `admx_path` (named `admx_name`) and its ADML, if `adml_path` is not empty.
void load_one(const std::string& admx_path, const std::string& admx_name,
              const std::string& adml_path, const std::string& adml_name, AdmxLoadResult& out) {
    auto admx = detail::read_file_bytes(admx_path);
    if (!admx.ok) {
        io_error(out.errors, AdmxErrorKind::io_error, admx_name, admx.error);
        return;
    }
    AdmxFile file;
    file.admx = admx_name;
    file.adml = adml_name;
    detail::FileBytes adml;
    if (!adml_path.empty()) adml = detail::read_file_bytes(adml_path);
    if (!adml.ok) {
        io_error(out.errors, AdmxErrorKind::missing_adml, admx_name,
                 admx_name + ": no adml `" + adml_name + "`" +
                     (adml.error.empty() ? "" : ": " + adml.error));
        load_pair(admx.bytes, nullptr, std::move(file), out);
        return;
    }
    std::span<const std::uint8_t> adml_bytes(adml.bytes);
    load_pair(admx.bytes, &adml_bytes, std::move(file), out);
}

}  // namespace

AdmxLoadResult load_admx_files(const std::string& admx_path, const std::string& adml_path) {
    AdmxLoadResult out;
    load_one(admx_path, admx_path, adml_path, adml_path, out);
    finish(out);
    return out;
}

AdmxLoadResult load_admx_folder(const std::string& dir, const std::string& language) {
    namespace fs = std::filesystem;
    AdmxLoadResult out;
    std::error_code ec;
    std::vector<std::string> admx;
    std::string lang_dir;  // the language folder's actual name
    fs::directory_iterator it(dir, ec);
    if (ec) {
        io_error(out.errors, AdmxErrorKind::io_error, dir, dir + ": cannot read: " + ec.message());
        return out;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        std::string n = it->path().filename().string();
        if (it->is_directory(ec) && detail::iequals(n, language)) lang_dir = n;
        if (n.size() > 5 && detail::iequals(n.substr(n.size() - 5), ".admx")) admx.push_back(n);
    }
    std::sort(admx.begin(), admx.end());
    std::vector<std::string> adml;  // file names in the language folder
    if (!lang_dir.empty()) {
        for (fs::directory_iterator l(dir + "/" + lang_dir, ec);
             !ec && l != fs::directory_iterator(); l.increment(ec)) {
            adml.push_back(l->path().filename().string());
        }
    }
    for (const auto& name : admx) {
        std::string want = name.substr(0, name.size() - 5) + ".adml";
        auto found = std::find_if(adml.begin(), adml.end(),
                                  [&](const std::string& a) { return detail::iequals(a, want); });
        std::string rel =
            (lang_dir.empty() ? language : lang_dir) + "/" + (found == adml.end() ? want : *found);
        load_one(dir + "/" + name, name, found == adml.end() ? "" : dir + "/" + rel, rel, out);
    }
    for (auto& f : out.set.files) f.folder = dir;
    finish(out);
    return out;
}

}  // namespace comredir::policy
