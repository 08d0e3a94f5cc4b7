// Semantic checks of one ADMX/ADML pair (what the schema cannot express).
#include <algorithm>
#include <comredir/policy/admx/admx_validate.hpp>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "admx/admx_internal.hpp"
#include "admx/admx_validate_doc.hpp"

namespace comredir::policy {

namespace {

using detail::child_element;
using detail::descendants;
using detail::local_name;
using Doc = detail::ValidatedDoc;

struct Checker {
    std::vector<AdmxFinding>& out;

    /// A finding of rule `id` (its severity, check and why come from the rule table).
    void add(std::string_view id, const Doc& d, const pugi::xml_node& at,
             const std::string& what) const {
        out.push_back(d.finding(id, at, what));
    }
};

/// ADML control -> the element kinds it can drive.
bool control_drives(std::string_view control, std::string_view element) {
    static const std::map<std::string_view, std::string_view> kinds = {
        {"decimalTextBox", "decimal"}, {"longDecimalTextBox", "longDecimal"},
        {"textBox", "text"},           {"comboBox", "text"},
        {"multiTextBox", "multiText"}, {"checkBox", "boolean"},
        {"dropdownList", "enum"},      {"listBox", "list"},
    };
    auto it = kinds.find(control);
    return it != kinds.end() && it->second == element;
}

void check_duplicates(const Checker& c, std::string_view rule, const Doc& d,
                      const std::vector<pugi::xml_node>& nodes, const char* attr,
                      const std::string& what, const std::string& owner = {}) {
    std::set<std::string> seen;
    for (const auto& n : nodes) {
        std::string v = n.attribute(attr).value();
        if (v.empty()) continue;
        if (!seen.insert(v).second) {
            c.add(rule, d, n, owner + what + " `" + v + "` is defined twice");
        }
    }
}

struct Adml {
    std::map<std::string, pugi::xml_node> strings;
    std::map<std::string, pugi::xml_node> presentations;
};

void check_refs(const Checker& c, const Doc& admx, const Doc* adml, const Adml& res,
                std::set<std::pair<std::string, std::string>>& used) {
    struct Walker : pugi::xml_tree_walker {
        const Checker* c = nullptr;
        const Doc* admx = nullptr;
        const Doc* adml = nullptr;
        const Adml* res = nullptr;
        std::set<std::pair<std::string, std::string>>* used = nullptr;
        bool for_each(pugi::xml_node& n) override {
            for (const auto& a : n.attributes()) {
                auto [kind, id] = detail::parse_resource_ref(a.value());
                if (kind.empty()) continue;
                used->insert({kind, id});
                if (adml == nullptr) continue;
                const auto& table = kind == "string" ? res->strings : res->presentations;
                if ((kind == "string" || kind == "presentation") && table.count(id) == 0) {
                    c->add(kind == "string" ? "missing-string" : "missing-presentation", *admx, n,
                           "`" + std::string(a.value()) + "` is not in `" + adml->path + "`");
                }
            }
            return true;
        }
    } w;
    w.c = &c;
    w.admx = &admx;
    w.adml = adml;
    w.res = &res;
    w.used = &used;
    pugi::xml_node root = admx.xml.document_element();
    root.traverse(w);
}

void check_local_refs(const Checker& c, const Doc& admx) {
    auto root = admx.xml.document_element();
    std::set<std::string> prefixes;
    std::string target;
    for (const auto& n : descendants(root, "target")) target = n.attribute("prefix").value();
    prefixes.insert(target);
    for (const auto& n : descendants(root, "using")) prefixes.insert(n.attribute("prefix").value());
    std::set<std::string> categories, supported;
    for (const auto& n : descendants(root, "category"))
        categories.insert(n.attribute("name").value());
    for (const auto& n : descendants(root, "definition"))
        supported.insert(n.attribute("name").value());
    auto check = [&](const pugi::xml_node& at, const std::string& owner, std::string_view what,
                     const std::string& ref, const std::set<std::string>& local) {
        auto colon = ref.find(':');
        if (colon != std::string::npos) {
            std::string prefix = ref.substr(0, colon);
            if (prefixes.count(prefix) == 0) {
                c.add("undeclared-prefix", admx, at,
                      owner + ": prefix of `" + ref + "` is not declared (no <using>)");
                return;
            }
            if (prefix != target) return;  // another file's namespace: not checkable here
        }
        std::string name = colon == std::string::npos ? ref : ref.substr(colon + 1);
        if (local.count(name) == 0) {
            c.add(what == "supportedOn" ? "unknown-supported-on" : "unknown-category", admx, at,
                  owner + ": " + std::string(what) + " `" + ref + "` does not exist");
        }
    };
    for (const auto& cat : descendants(root, "category")) {
        auto parent = child_element(cat, "parentCategory");
        if (parent) {
            check(parent, "category `" + std::string(cat.attribute("name").value()) + "`",
                  "parentCategory", parent.attribute("ref").value(), categories);
        }
    }
    for (const auto& p : descendants(root, "policy")) {
        std::string owner = "policy `" + std::string(p.attribute("name").value()) + "`";
        auto parent = child_element(p, "parentCategory");
        if (!parent) {
            c.add("no-category", admx, p, owner + " has no parentCategory");
        } else {
            check(parent, owner, "parentCategory", parent.attribute("ref").value(), categories);
        }
        auto so = child_element(p, "supportedOn");
        if (!so) {
            c.add("no-supported-on", admx, p, owner + " has no supportedOn");
        } else {
            check(so, owner, "supportedOn", so.attribute("ref").value(), supported);
        }
        if (p.attribute("explainText").empty()) {
            c.add("no-explain", admx, p, owner + " has no explainText");
        }
    }
}

void check_presentations(const Checker& c, const Doc& admx, const Doc& adml, const Adml& res) {
    for (const auto& p : descendants(admx.xml.document_element(), "policy")) {
        std::string owner = "policy `" + std::string(p.attribute("name").value()) + "`";
        std::map<std::string, std::string> elements;  // id -> kind
        std::vector<pugi::xml_node> element_nodes;
        if (auto els = child_element(p, "elements")) {
            for (const auto& e : els.children()) {
                if (e.type() != pugi::node_element) continue;
                element_nodes.push_back(e);
                elements[e.attribute("id").value()] = std::string(local_name(e));
            }
        }
        check_duplicates(c, "duplicate-id", admx, element_nodes, "id", "element id", owner + ": ");
        auto [kind, id] = detail::parse_resource_ref(p.attribute("presentation").value());
        if (kind != "presentation") {
            if (!elements.empty()) {
                c.add("no-presentation", admx, p,
                      owner + " has elements but no presentation (the editor cannot set them)");
            }
            continue;
        }
        auto pres = res.presentations.find(id);
        if (pres == res.presentations.end()) continue;  // reported by check_refs
        std::set<std::string> driven;
        std::vector<pugi::xml_node> controls;
        for (const auto& ctl : pres->second.children()) {
            if (ctl.type() != pugi::node_element || ctl.attribute("refId").empty()) continue;
            controls.push_back(ctl);
            std::string ref = ctl.attribute("refId").value();
            std::string ctl_kind(local_name(ctl));
            auto el = elements.find(ref);
            if (el == elements.end()) {
                c.add("unknown-refid", adml, ctl,
                      "presentation `" + id + "`: " + ctl_kind + " refId `" + ref +
                          "` is not an element of " + owner);
            } else if (!control_drives(ctl_kind, el->second)) {
                c.add("control-mismatch", adml, ctl,
                      "presentation `" + id + "`: " + ctl_kind + " cannot drive " + el->second +
                          " element `" + ref + "`");
            }
            driven.insert(ref);
        }
        check_duplicates(c, "duplicate-id", adml, controls, "refId", "refId",
                         "presentation `" + id + "`: ");
        for (const auto& e : element_nodes) {
            std::string eid = e.attribute("id").value();
            if (driven.count(eid) == 0) {
                c.add(
                    "no-control", admx, e,
                    owner + ": element `" + eid + "` has no control in presentation `" + id + "`");
            }
        }
    }
}

}  // namespace

std::vector<AdmxFinding> check_admx_semantics(const std::string& admx_path,
                                              const std::string& adml_path) {
    std::vector<AdmxFinding> out;
    Checker c{out};
    Doc admx;
    if (!detail::load_validated_doc(admx_path, admx, out)) return out;
    auto root = admx.xml.document_element();
    if (local_name(root) != "policyDefinitions") {
        c.add("wrong-root", admx, root,
              "root element is `" + std::string(root.name()) + "`, expected `policyDefinitions`");
        return out;
    }
    Doc adml;
    bool have_adml = false;
    if (adml_path.empty()) {
        out.push_back(make_admx_finding("missing-adml", admx_path, 0, "no adml given or found"));
    } else if (detail::load_validated_doc(adml_path, adml, out)) {
        auto aroot = adml.xml.document_element();
        if (local_name(aroot) != "policyDefinitionResources") {
            c.add("wrong-root", adml, aroot,
                  "root element is `" + std::string(aroot.name()) +
                      "`, expected `policyDefinitionResources`");
        } else {
            have_adml = true;
        }
    }
    Adml res;
    if (have_adml) {
        auto aroot = adml.xml.document_element();
        auto strings = descendants(aroot, "string");
        auto presentations = descendants(aroot, "presentation");
        check_duplicates(c, "duplicate-id", adml, strings, "id", "string id");
        check_duplicates(c, "duplicate-id", adml, presentations, "id", "presentation id");
        for (const auto& s : strings) res.strings.emplace(s.attribute("id").value(), s);
        for (const auto& p : presentations) res.presentations.emplace(p.attribute("id").value(), p);
    }
    check_duplicates(c, "duplicate-name", admx, descendants(root, "policy"), "name", "policy name");
    check_duplicates(c, "duplicate-name", admx, descendants(root, "category"), "name",
                     "category name");
    check_duplicates(c, "duplicate-name", admx, descendants(root, "definition"), "name",
                     "supportedOn definition");
    std::set<std::pair<std::string, std::string>> used;
    check_refs(c, admx, have_adml ? &adml : nullptr, res, used);
    check_local_refs(c, admx);
    if (!have_adml) return out;
    check_presentations(c, admx, adml, res);
    // In document order, so the warnings read top to bottom.
    auto aroot = adml.xml.document_element();
    for (const auto& node : descendants(aroot, "string")) {
        std::string id = node.attribute("id").value();
        if (used.count({"string", id}) == 0) {
            c.add("unused-string", adml, node, "string `" + id + "` is never referenced");
        }
    }
    for (const auto& node : descendants(aroot, "presentation")) {
        std::string id = node.attribute("id").value();
        if (used.count({"presentation", id}) == 0) {
            c.add("unused-presentation", adml, node,
                  "presentation `" + id + "` is never referenced");
        }
    }
    return out;
}

}  // namespace comredir::policy
