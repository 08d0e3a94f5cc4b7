// `comredir-policy admx validate FILES...`: schema and semantic checks of ADMX/ADML
// files before they go into a central store.
#include <algorithm>
#include <cctype>
#include <comredir/policy/admx_validate.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "admx_commands.hpp"
#include "options.hpp"

namespace comredir::cli {

namespace {

namespace fs = std::filesystem;
namespace pol = comredir::policy;

struct ValidateOptions {
    std::vector<std::string> files;
    std::string adml;
    std::string language = "en-US";
    std::string schema;
    bool strict = false;
    bool json = false;
};

/// `dir/<language>/<stem>.adml`, folder and file matched case-insensitively; empty if none.
std::string find_adml(const std::string& admx, const std::string& language) {
    fs::path p(admx);
    fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::string want = p.stem().string() + ".adml";
    std::error_code ec;
    for (fs::directory_iterator d(dir, ec); !ec && d != fs::directory_iterator(); d.increment(ec)) {
        if (!d->is_directory(ec) || !iequals(d->path().filename().string(), language)) continue;
        for (fs::directory_iterator f(d->path(), ec); !ec && f != fs::directory_iterator();
             f.increment(ec)) {
            if (iequals(f->path().filename().string(), want)) {
                return (p.parent_path() / d->path().filename() / f->path().filename()).string();
            }
        }
    }
    return "";
}

/// --schema, $COMREDIR_ADMX_SCHEMA, the installed copy, the development tree's copy.
std::string find_schema(const std::string& given, std::string& tried) {
    if (!given.empty()) return given;
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("COMREDIR_ADMX_SCHEMA"); env != nullptr && *env != '\0') {
        candidates.emplace_back(env);
    }
    candidates.emplace_back(COMREDIR_INSTALLED_SCHEMA);
    candidates.emplace_back(COMREDIR_SOURCE_SCHEMA);
    std::error_code ec;
    for (const auto& c : candidates) {
        if (fs::is_regular_file(c, ec)) return c;
        tried += (tried.empty() ? "" : ", ") + c;
    }
    return "";
}

int run_validate(const ValidateOptions& opt) {
    if (!opt.adml.empty() && opt.files.size() != 1) {
        print_error("--adml names the ADML of a single ADMX file; got " +
                    std::to_string(opt.files.size()) + " files");
        return exit_usage;
    }
    std::string tried;
    std::string schema = find_schema(opt.schema, tried);
    if (!opt.schema.empty() && !fs::is_regular_file(opt.schema)) {
        print_error("schema `" + opt.schema + "` cannot be read");
        return exit_input;
    }
    std::vector<pol::AdmxFinding> all;
    nlohmann::json files = nlohmann::json::array();
    for (const auto& admx : opt.files) {
        std::string adml = opt.adml.empty() ? find_adml(admx, opt.language) : opt.adml;
        auto found = pol::check_admx_semantics(admx, adml);
        bool parsed = std::none_of(found.begin(), found.end(),
                                   [](const pol::AdmxFinding& f) { return f.check == "xml"; });
        if (!schema.empty() && parsed) {
            for (const auto& path : {admx, adml}) {
                if (path.empty()) continue;
                auto s = pol::check_admx_schema(path, schema);
                found.insert(found.end(), s.begin(), s.end());
            }
        }
        files.push_back({{"admx", admx}, {"adml", adml}});
        all.insert(all.end(), found.begin(), found.end());
    }
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const auto& f : all) (f.severity == pol::AdmxSeverity::error ? errors : warnings)++;
    bool failed = errors > 0 || (opt.strict && warnings > 0);
    if (opt.json) {
        nlohmann::json findings = nlohmann::json::array();
        for (const auto& f : all) {
            findings.push_back({{"severity", std::string(pol::to_string(f.severity))},
                                {"check", f.check},
                                {"file", f.file},
                                {"line", f.line},
                                {"message", f.message}});
        }
        std::cout << nlohmann::json{{"valid", !failed},
                                    {"files", files},
                                    {"schema", schema.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(schema)},
                                    {"errors", errors},
                                    {"warnings", warnings},
                                    {"findings", findings}}
                         .dump(2)
                  << '\n';
    } else {
        for (const auto& f : all) {
            std::cout << pol::to_string(f.severity) << ": " << f.check << ": " << f.message << '\n';
        }
        std::cout << opt.files.size() << (opt.files.size() == 1 ? " file" : " files") << ": "
                  << errors << (errors == 1 ? " error, " : " errors, ") << warnings
                  << (warnings == 1 ? " warning" : " warnings") << "; schema: "
                  << (schema.empty() ? "not checked (no PolicyDefinitionFiles.xsd: pass --schema; "
                                       "looked in " +
                                           tried + ")"
                                     : "checked with " + schema)
                  << '\n';
    }
    return failed ? exit_input : exit_ok;
}

}  // namespace

Command add_admx_validate(CLI::App& admx) {
    auto opt = std::make_shared<ValidateOptions>();
    auto* app = admx.add_subcommand(
        "validate", "check ADMX/ADML files: schema, references, duplicates, presentations");
    app->footer(R"(each ADMX is checked with its ADML (<admx folder>/<language>/<name>.adml, or
--adml for a single file):
  schema         Microsoft's PolicyDefinitionFiles.xsd (--schema FILE, else
                 $COMREDIR_ADMX_SCHEMA, else the copy installed with comredir)
  refs           $(string.X) / $(presentation.X) the ADML lacks; undeclared
                 prefixes; categories and supportedOn names that do not exist
  duplicates     policy, category, supportedOn, string, presentation and
                 element names defined twice
  presentations  controls whose refId is no element, controls that cannot drive
                 their element, policies with elements and no presentation;
                 elements without a control (warning)
  policies       no explainText, supportedOn or parentCategory (warnings)
  unused         ADML strings and presentations nothing references (warnings)
References into other ADMX files (`windows:...`) are not checked here: load the
whole folder with `admx list` for that.

exit codes: 0 valid (warnings allowed unless --strict); 3 errors found, or a
file cannot be read; 2 usage.

examples:
  comredir-policy admx validate admx/comredir.admx
  comredir-policy admx validate PolicyDefinitions/*.admx --language de-DE --json
  comredir-policy admx validate my.admx --adml my.adml --schema PolicyDefinitionFiles.xsd --strict)");
    app->add_option("FILES", opt->files, "ADMX files")->required()->type_name("ADMX");
    app->add_option("--adml", opt->adml, "the ADML of a single ADMX (default: found beside it)")
        ->type_name("FILE");
    app->add_option("--language", opt->language, "ADML language folder (default en-US)")
        ->type_name("LANG");
    app->add_option("--schema", opt->schema, "PolicyDefinitionFiles.xsd to validate against")
        ->type_name("XSD");
    app->add_flag("--strict", opt->strict, "warnings fail too (exit 3)");
    app->add_flag("--json", opt->json, "print JSON instead of text");
    return Command{app, [opt] { return run_validate(*opt); }};
}

}  // namespace comredir::cli
