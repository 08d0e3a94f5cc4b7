// Schema validation of ADMX/ADML files with libxml2's XSD support (pugixml has none); each
// diagnostic is classified by admx_schema_rules.cpp. Built as the module `libcomredir_xsd.so`
// (admx_schema_module.hpp): only `admx validate` loads libxml2.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlregexp.h>
#include <libxml/xmlschemas.h>

#include <comredir/policy/admx/admx_validate.hpp>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "admx/admx_schema_module.hpp"
#include "admx/admx_schema_rules.hpp"

namespace comredir::policy {

namespace {

using detail::SchemaDiagnostic;
using detail::SchemaIssue;

constexpr const char* kAdmxNamespace =
    "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";

/// One libxml2 diagnostic as reported (the node stays valid while its document does).
struct Raw {
    int code = 0;
    int level = 0;
    std::uint32_t line = 0;
    xmlNodePtr node = nullptr;
    std::string str1, str2;
    std::string message;
    std::string file;
};

void collect(void* user, xmlErrorPtr err) {
    auto* out = static_cast<std::vector<Raw>*>(user);
    if (err == nullptr || out == nullptr) return;
    Raw r;
    r.code = err->code;
    r.level = err->level;
    r.line = err->line > 0 ? static_cast<std::uint32_t>(err->line) : 0U;
    r.node = static_cast<xmlNodePtr>(err->node);
    r.str1 = err->str1 != nullptr ? err->str1 : "";
    r.str2 = err->str2 != nullptr ? err->str2 : "";
    r.message = err->message != nullptr ? err->message : "unknown error";
    r.file = err->file != nullptr ? err->file : "";
    out->push_back(std::move(r));
}

struct ParserDeleter {
    void operator()(xmlSchemaParserCtxtPtr p) const { xmlSchemaFreeParserCtxt(p); }
};
struct SchemaDeleter {
    void operator()(xmlSchemaPtr p) const { xmlSchemaFree(p); }
};
struct DocDeleter {
    void operator()(xmlDocPtr p) const { xmlFreeDoc(p); }
};
struct ValidDeleter {
    void operator()(xmlSchemaValidCtxtPtr p) const { xmlSchemaFreeValidCtxt(p); }
};
struct RegexpDeleter {
    void operator()(xmlRegexpPtr p) const { xmlRegFreeRegexp(p); }
};

// libxml2's global error state is not safe to share between threads.
std::mutex& libxml_mutex() {
    static std::mutex m;
    return m;
}

std::string str(const xmlChar* s) {
    return s != nullptr ? reinterpret_cast<const char*>(s) : "";
}
const xmlChar* xs(const char* s) {
    return reinterpret_cast<const xmlChar*>(s);
}

/// Puts every element of `node`'s subtree that is in no namespace (`from` null) or in the
/// namespace `from_href` into `to`.
void move_namespace(xmlNodePtr node, const std::string* from_href, xmlNsPtr to) {
    for (xmlNodePtr n = node; n != nullptr; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        bool match = from_href == nullptr ? n->ns == nullptr
                                          : n->ns != nullptr && str(n->ns->href) == *from_href;
        if (match) n->ns = to;
        move_namespace(n->children, from_href, to);
    }
}

/// A root element outside the ADMX namespace: one `namespace` finding, and the document's
/// elements moved into the namespace so that the rest can be validated.
void adopt_namespace(xmlNodePtr root, const std::string& path, std::vector<AdmxFinding>& out) {
    std::string name = str(root->name);
    if (name != "policyDefinitions" && name != "policyDefinitionResources") return;
    if (root->ns != nullptr && str(root->ns->href) == kAdmxNamespace) return;
    auto line = static_cast<std::uint32_t>(xmlGetLineNo(root) > 0 ? xmlGetLineNo(root) : 0);
    if (root->ns == nullptr) {
        out.push_back(make_admx_finding(
            "namespace", path, line, "root element `" + name + "` has no namespace (no `xmlns`)"));
        xmlNsPtr ns = xmlNewNs(root, xs(kAdmxNamespace), nullptr);
        if (ns == nullptr) {  // an `xmlns=""` is in the way: point it at the namespace
            for (ns = root->nsDef; ns != nullptr && ns->prefix != nullptr; ns = ns->next) {
            }
            if (ns == nullptr) return;
            xmlFree(const_cast<xmlChar*>(ns->href));
            ns->href = xmlStrdup(xs(kAdmxNamespace));
        }
        move_namespace(root, nullptr, ns);
        return;
    }
    std::string was = str(root->ns->href);
    out.push_back(make_admx_finding(
        "namespace", path, line,
        "root element `" + name + "` is in namespace `" + was + "`, not `" + kAdmxNamespace + "`"));
    xmlNsPtr ns = root->ns;
    xmlFree(const_cast<xmlChar*>(ns->href));
    ns->href = xmlStrdup(xs(kAdmxNamespace));
    move_namespace(root, &was, ns);
}

/// `value` matches `pattern` once characters outside a name's alphabet are replaced by `_`.
bool only_name_characters(const std::string& value, const std::string& pattern) {
    std::unique_ptr<xmlRegexp, RegexpDeleter> re(xmlRegexpCompile(xs(pattern.c_str())));
    if (!re) return false;
    std::string fixed = value;
    for (char& c : fixed) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::strchr("_$().:", c) != nullptr;
        if (!keep) c = '_';
    }
    return fixed != value && xmlRegexpExec(re.get(), xs(fixed.c_str())) == 1;
}

/// libxml2 names an attribute in a namespace `{uri}local`: the xml namespace's as
/// `xml:local`, any other as `local`.
std::string qualified_attribute(const std::string& name) {
    if (name.empty() || name[0] != '{') return name;
    auto close = name.find('}');
    if (close == std::string::npos) return name;
    std::string local = name.substr(close + 1);
    return name.substr(1, close - 1) == str(XML_XML_NAMESPACE) ? "xml:" + local : local;
}

/// The `attribute 'X'` a message names (libxml2 puts it after the element).
std::string attribute_in(const std::string& message) {
    const std::string mark = ", attribute '";
    auto a = message.find(mark);
    if (a == std::string::npos) return "";
    a += mark.size();
    auto e = message.find('\'', a);
    std::string name = message.substr(a, e == std::string::npos ? std::string::npos : e - a);
    return qualified_attribute(name);
}

bool is_value_error(int code) {
    static const std::set<int> codes = {
        XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1, XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_2,
        XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3, XML_SCHEMAV_CVC_FACET_VALID,
        XML_SCHEMAV_CVC_LENGTH_VALID,         XML_SCHEMAV_CVC_MINLENGTH_VALID,
        XML_SCHEMAV_CVC_MAXLENGTH_VALID,      XML_SCHEMAV_CVC_MININCLUSIVE_VALID,
        XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID,   XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID,
        XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID,   XML_SCHEMAV_CVC_TOTALDIGITS_VALID,
        XML_SCHEMAV_CVC_FRACTIONDIGITS_VALID, XML_SCHEMAV_CVC_ENUMERATION_VALID,
        XML_SCHEMAV_CVC_ATTRIBUTE_3,          XML_SCHEMAV_CVC_ELT_5_2_1,
    };
    return codes.count(code) != 0;
}

SchemaDiagnostic describe(const Raw& r) {
    SchemaDiagnostic d;
    d.text = detail::clean_schema_message(r.message);
    if (r.node != nullptr && r.node->type == XML_ELEMENT_NODE) d.element = str(r.node->name);
    bool not_allowed = r.message.find("is not allowed") != std::string::npos;
    switch (r.code) {
        case XML_SCHEMAV_ELEMENT_CONTENT:
            d.issue = r.message.find("Missing child element") != std::string::npos
                          ? SchemaIssue::missing_element
                          : SchemaIssue::unexpected_element;
            d.expected = detail::expected_elements(r.message);
            return d;
        case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
        case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
        case XML_SCHEMAV_CVC_TYPE_3_1_1:
            if (!not_allowed) break;
            d.issue = SchemaIssue::attribute_not_allowed;
            d.attribute = qualified_attribute(r.str1);
            return d;
        case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
            d.issue = SchemaIssue::missing_attribute;
            d.attribute = r.str1;
            return d;
        case XML_SCHEMAV_CVC_PATTERN_VALID:
            d.issue = SchemaIssue::pattern;
            d.attribute = attribute_in(r.message);
            d.value = r.str1;
            d.only_name_characters = only_name_characters(r.str1, r.str2);
            return d;
        case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
            d.issue = SchemaIssue::text_content;
            return d;
        default:
            if (is_value_error(r.code)) {
                d.issue = SchemaIssue::bad_value;
                d.attribute = attribute_in(r.message);
                d.value = r.str1;
            }
            return d;
    }
    return d;
}

AdmxFinding finding_of(const Raw& r, const std::string& path) {
    auto v = detail::classify_schema_diagnostic(describe(r));
    return make_admx_finding(v.rule, path, r.line, v.what);
}

/// Restores libxml2's default error handler when the validation is over.
struct RestoreHandler {
    ~RestoreHandler() { xmlSetStructuredErrorFunc(nullptr, nullptr); }
};

std::vector<AdmxFinding> check_schema(const std::string& xml_path, const std::string& xsd_path) {
    std::vector<AdmxFinding> out;
    std::lock_guard lock(libxml_mutex());
    xmlInitParser();
    std::vector<Raw> raw;
    // I/O problems (an XSD that is not there) go through the global handler: collect them
    // too, and restore the default afterwards.
    xmlSetStructuredErrorFunc(&raw, collect);
    RestoreHandler restore;
    auto unavailable = [&](const std::string& what) {
        for (const auto& r : raw) {
            out.push_back(make_admx_finding(
                "schema-unavailable", r.file.empty() ? xsd_path : r.file, r.line,
                "cannot load the schema: " + detail::clean_schema_message(r.message)));
        }
        if (out.empty()) out.push_back(make_admx_finding("schema-unavailable", xsd_path, 0, what));
        return out;
    };
    std::unique_ptr<xmlSchemaParserCtxt, ParserDeleter> pctx(
        xmlSchemaNewParserCtxt(xsd_path.c_str()));
    if (!pctx) return unavailable("cannot load the schema");
    xmlSchemaSetParserStructuredErrors(pctx.get(), collect, &raw);
    std::unique_ptr<xmlSchema, SchemaDeleter> schema(xmlSchemaParse(pctx.get()));
    if (!schema) return unavailable("cannot load the schema");
    std::unique_ptr<xmlSchemaValidCtxt, ValidDeleter> vctx(xmlSchemaNewValidCtxt(schema.get()));
    if (!vctx) return unavailable("cannot create a schema validator");
    raw.clear();  // warnings while compiling the XSD are not about the file
    // A parsed tree (not the streaming validator) so that every diagnostic carries the line
    // of the element's start tag and its node.
    std::unique_ptr<xmlDoc, DocDeleter> doc(
        xmlReadFile(xml_path.c_str(), nullptr, XML_PARSE_NONET));
    for (const auto& r : raw) {
        // An `xmlns` that is not a URI is reported as the `namespace` warning below.
        if (r.level == XML_ERR_WARNING || r.code == XML_WAR_NS_URI) continue;
        out.push_back(make_admx_finding("malformed", xml_path, r.line,
                                        detail::clean_schema_message(r.message)));
    }
    raw.clear();
    if (!doc) {
        if (out.empty())
            out.push_back(make_admx_finding("malformed", xml_path, 0, "cannot be parsed"));
        return out;
    }
    if (xmlNodePtr root = xmlDocGetRootElement(doc.get()); root != nullptr) {
        adopt_namespace(root, xml_path, out);
    }
    xmlSchemaSetValidStructuredErrors(vctx.get(), collect, &raw);
    int rc = xmlSchemaValidateDoc(vctx.get(), doc.get());
    for (const auto& r : raw) out.push_back(finding_of(r, xml_path));
    if (rc != 0 && raw.empty()) {
        out.push_back(
            make_admx_finding("schema", xml_path, 0, "not valid against `" + xsd_path + "`"));
    }
    return out;
}

}  // namespace

}  // namespace comredir::policy

void comredir_xsd_check_admx_schema(const std::string& xml_path, const std::string& xsd_path,
                                    std::vector<comredir::policy::AdmxFinding>& out) {
    auto found = comredir::policy::check_schema(xml_path, xsd_path);
    out.insert(out.end(), std::make_move_iterator(found.begin()),
               std::make_move_iterator(found.end()));
}
