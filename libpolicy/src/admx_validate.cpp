// Semantic checks of one ADMX/ADML pair (what the schema cannot express).
#include <algorithm>
#include <comredir/policy/admx_validate.hpp>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "admx_internal.hpp"
#include "file_io.hpp"

namespace comredir::policy {

std::string_view to_string(AdmxSeverity s) {
    return s == AdmxSeverity::error ? "error" : "warning";
}

namespace {

using detail::child_element;
using detail::local_name;

/// One parsed file with what is needed to put line numbers on nodes.
struct Doc {
    std::string path;
    std::string text;
    std::vector<std::size_t> starts;
    pugi::xml_document xml;
};

struct Checker {
    std::vector<AdmxFinding>& out;

    void add(AdmxSeverity sev, std::string_view check, const Doc& d, const pugi::xml_node& at,
             const std::string& what) const {
        std::uint32_t line = 0;
        if (at && at.offset_debug() >= 0) {
            auto off = static_cast<std::size_t>(at.offset_debug());
            auto it = std::upper_bound(d.starts.begin(), d.starts.end(), off);
            line = static_cast<std::uint32_t>(it - d.starts.begin());
        }
        out.push_back(
            AdmxFinding{sev, std::string(check), d.path, line,
                        d.path + (line > 0 ? ": line " + std::to_string(line) : "") + ": " + what});
    }
    void error(std::string_view check, const Doc& d, const pugi::xml_node& at,
               const std::string& what) const {
        add(AdmxSeverity::error, check, d, at, what);
    }
    void warning(std::string_view check, const Doc& d, const pugi::xml_node& at,
                 const std::string& what) const {
        add(AdmxSeverity::warning, check, d, at, what);
    }
};

/// Reads and parses `path`; io and XML problems become findings.
bool load(const std::string& path, Doc& d, std::vector<AdmxFinding>& out) {
    d.path = path;
    auto bytes = detail::read_file_bytes(path);
    if (!bytes.ok) {
        out.push_back(AdmxFinding{AdmxSeverity::error, "xml", path, 0, bytes.error});
        return false;
    }
    if (!detail::xml_text(bytes.bytes, d.text)) {
        out.push_back(
            AdmxFinding{AdmxSeverity::error, "xml", path, 0, path + ": malformed UTF-16 text"});
        return false;
    }
    d.starts = detail::line_starts(d.text);
    std::vector<AdmxError> errors;
    if (!detail::load_xml(d.text, path, d.xml, errors)) {
        for (auto& e : errors) {
            out.push_back(AdmxFinding{AdmxSeverity::error, "xml", path, e.line, e.message});
        }
        return false;
    }
    return true;
}

/// Children of `parent` (at any depth below it) with local name `local`.
std::vector<pugi::xml_node> descendants(const pugi::xml_node& parent, std::string_view local) {
    std::vector<pugi::xml_node> out;
    struct Walker : pugi::xml_tree_walker {
        std::string_view want;
        std::vector<pugi::xml_node>* out = nullptr;
        bool for_each(pugi::xml_node& n) override {
            if (n.type() == pugi::node_element && local_name(n) == want) out->push_back(n);
            return true;
        }
    } w;
    w.want = local;
    w.out = &out;
    pugi::xml_node p = parent;
    p.traverse(w);
    return out;
}

/// `$(string.X)` -> (`string`, X); anything else -> empty kind.
std::pair<std::string, std::string> parse_ref(std::string_view v) {
    if (!v.starts_with("$(") || !v.ends_with(")")) return {};
    v = v.substr(2, v.size() - 3);
    auto dot = v.find('.');
    if (dot == std::string_view::npos) return {};
    return {std::string(v.substr(0, dot)), std::string(v.substr(dot + 1))};
}

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

void check_duplicates(const Checker& c, const Doc& d, const std::vector<pugi::xml_node>& nodes,
                      const char* attr, const std::string& what, const std::string& owner = {}) {
    std::set<std::string> seen;
    for (const auto& n : nodes) {
        std::string v = n.attribute(attr).value();
        if (v.empty()) continue;
        if (!seen.insert(v).second) {
            c.error("duplicates", d, n, owner + what + " `" + v + "` is defined twice");
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
                auto [kind, id] = parse_ref(a.value());
                if (kind.empty()) continue;
                used->insert({kind, id});
                if (adml == nullptr) continue;
                const auto& table = kind == "string" ? res->strings : res->presentations;
                if ((kind == "string" || kind == "presentation") && table.count(id) == 0) {
                    c->error("refs", *admx, n,
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
                c.error("refs", admx, at,
                        owner + ": prefix of `" + ref + "` is not declared (no <using>)");
                return;
            }
            if (prefix != target) return;  // another file's namespace: not checkable here
        }
        std::string name = colon == std::string::npos ? ref : ref.substr(colon + 1);
        if (local.count(name) == 0) {
            c.error("refs", admx, at,
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
            c.warning("policies", admx, p, owner + " has no parentCategory");
        } else {
            check(parent, owner, "parentCategory", parent.attribute("ref").value(), categories);
        }
        auto so = child_element(p, "supportedOn");
        if (!so) {
            c.warning("policies", admx, p, owner + " has no supportedOn");
        } else {
            check(so, owner, "supportedOn", so.attribute("ref").value(), supported);
        }
        if (p.attribute("explainText").empty()) {
            c.warning("policies", admx, p, owner + " has no explainText");
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
        check_duplicates(c, admx, element_nodes, "id", "element id", owner + ": ");
        auto [kind, id] = parse_ref(p.attribute("presentation").value());
        if (kind != "presentation") {
            if (!elements.empty()) {
                c.error("presentations", admx, p,
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
                c.error("presentations", adml, ctl,
                        "presentation `" + id + "`: " + ctl_kind + " refId `" + ref +
                            "` is not an element of " + owner);
            } else if (!control_drives(ctl_kind, el->second)) {
                c.error("presentations", adml, ctl,
                        "presentation `" + id + "`: " + ctl_kind + " cannot drive " + el->second +
                            " element `" + ref + "`");
            }
            driven.insert(ref);
        }
        check_duplicates(c, adml, controls, "refId", "refId", "presentation `" + id + "`: ");
        for (const auto& e : element_nodes) {
            std::string eid = e.attribute("id").value();
            if (driven.count(eid) == 0) {
                c.warning(
                    "presentations", admx, e,
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
    if (!load(admx_path, admx, out)) return out;
    auto root = admx.xml.document_element();
    if (local_name(root) != "policyDefinitions") {
        c.error("xml", admx, root,
                "root element is `" + std::string(root.name()) + "`, expected `policyDefinitions`");
        return out;
    }
    Doc adml;
    bool have_adml = false;
    if (adml_path.empty()) {
        out.push_back(AdmxFinding{AdmxSeverity::error, "adml", admx_path, 0,
                                  admx_path + ": no adml given or found"});
    } else if (load(adml_path, adml, out)) {
        auto aroot = adml.xml.document_element();
        if (local_name(aroot) != "policyDefinitionResources") {
            c.error("xml", adml, aroot,
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
        check_duplicates(c, adml, strings, "id", "string id");
        check_duplicates(c, adml, presentations, "id", "presentation id");
        for (const auto& s : strings) res.strings.emplace(s.attribute("id").value(), s);
        for (const auto& p : presentations) res.presentations.emplace(p.attribute("id").value(), p);
    }
    check_duplicates(c, admx, descendants(root, "policy"), "name", "policy name");
    check_duplicates(c, admx, descendants(root, "category"), "name", "category name");
    check_duplicates(c, admx, descendants(root, "definition"), "name", "supportedOn definition");
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
            c.warning("unused", adml, node, "string `" + id + "` is never referenced");
        }
    }
    for (const auto& node : descendants(aroot, "presentation")) {
        std::string id = node.attribute("id").value();
        if (used.count({"presentation", id}) == 0) {
            c.warning("unused", adml, node, "presentation `" + id + "` is never referenced");
        }
    }
    return out;
}

}  // namespace comredir::policy
