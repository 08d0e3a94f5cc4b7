// Schema validation of ADMX/ADML files with libxml2's XSD support (pugixml has none).
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <comredir/policy/admx_validate.hpp>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace comredir::policy {

namespace {

struct Sink {
    const std::string* file = nullptr;
    std::vector<AdmxFinding>* out = nullptr;
};

/// libxml2's structured error -> one finding: `file: line N: <message, lowercased first letter>`.
void on_error(void* user, xmlErrorPtr err) {
    auto* sink = static_cast<Sink*>(user);
    if (err == nullptr || sink == nullptr) return;
    std::string msg = err->message != nullptr ? err->message : "unknown error";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (!msg.empty() && msg[0] >= 'A' && msg[0] <= 'Z') msg[0] = static_cast<char>(msg[0] + 32);
    auto line = err->line > 0 ? static_cast<std::uint32_t>(err->line) : 0U;
    std::string file = err->file != nullptr ? err->file : *sink->file;
    sink->out->push_back(AdmxFinding{
        AdmxSeverity::error, "schema", file, line,
        file + (line > 0 ? ": line " + std::to_string(line) : "") + ": schema: " + msg});
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

// libxml2's global error state is not safe to share between threads.
std::mutex& libxml_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace

std::vector<AdmxFinding> check_admx_schema(const std::string& xml_path,
                                           const std::string& xsd_path) {
    std::vector<AdmxFinding> out;
    std::lock_guard lock(libxml_mutex());
    xmlInitParser();
    Sink xsd_sink{&xsd_path, &out};
    // I/O problems (an XSD that is not there) go through the global handler: route them to
    // the findings too, and restore the default afterwards.
    xmlSetStructuredErrorFunc(&xsd_sink, on_error);
    struct Restore {
        ~Restore() { xmlSetStructuredErrorFunc(nullptr, nullptr); }
    } restore;
    std::unique_ptr<xmlSchemaParserCtxt, ParserDeleter> pctx(
        xmlSchemaNewParserCtxt(xsd_path.c_str()));
    if (!pctx) {
        out.push_back(AdmxFinding{AdmxSeverity::error, "schema", xsd_path, 0,
                                  xsd_path + ": cannot load the schema"});
        return out;
    }
    xmlSchemaSetParserStructuredErrors(pctx.get(), on_error, &xsd_sink);
    std::unique_ptr<xmlSchema, SchemaDeleter> schema(xmlSchemaParse(pctx.get()));
    if (!schema) {
        if (out.empty()) {
            out.push_back(AdmxFinding{AdmxSeverity::error, "schema", xsd_path, 0,
                                      xsd_path + ": cannot load the schema"});
        }
        return out;
    }
    std::unique_ptr<xmlSchemaValidCtxt, ValidDeleter> vctx(xmlSchemaNewValidCtxt(schema.get()));
    if (!vctx) {
        out.push_back(AdmxFinding{AdmxSeverity::error, "schema", xml_path, 0,
                                  xml_path + ": cannot create a schema validator"});
        return out;
    }
    Sink sink{&xml_path, &out};
    xmlSetStructuredErrorFunc(&sink, on_error);
    // A parsed tree (not the streaming validator) so that every error carries the line of
    // the element's start tag.
    std::unique_ptr<xmlDoc, DocDeleter> doc(
        xmlReadFile(xml_path.c_str(), nullptr, XML_PARSE_NONET));
    if (!doc) {
        if (out.empty()) {
            out.push_back(AdmxFinding{AdmxSeverity::error, "schema", xml_path, 0,
                                      xml_path + ": cannot be parsed"});
        }
        return out;
    }
    xmlSchemaSetValidStructuredErrors(vctx.get(), on_error, &sink);
    int rc = xmlSchemaValidateDoc(vctx.get(), doc.get());
    if (rc != 0 && out.empty()) {
        out.push_back(AdmxFinding{AdmxSeverity::error, "schema", xml_path, 0,
                                  xml_path + ": not valid against `" + xsd_path + "`"});
    }
    return out;
}

}  // namespace comredir::policy
