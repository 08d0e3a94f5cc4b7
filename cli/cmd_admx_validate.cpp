// `comredir-policy admx validate FILES...`: schema and semantic checks of ADMX/ADML
// files before they go into a central store.
#include <algorithm>
#include <cctype>
#include <comredir/policy/admx/admx_validate.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
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

/// `dir/<folder>/<stem>.adml`, folder and file matched case-insensitively; empty if none.
std::string adml_in(const fs::path& admx, const std::string& folder) {
    fs::path dir = admx.parent_path().empty() ? fs::path(".") : admx.parent_path();
    std::string want = admx.stem().string() + ".adml";
    std::error_code ec;
    for (fs::directory_iterator d(dir, ec); !ec && d != fs::directory_iterator(); d.increment(ec)) {
        if (!d->is_directory(ec) || !iequals(d->path().filename().string(), folder)) continue;
        for (fs::directory_iterator f(d->path(), ec); !ec && f != fs::directory_iterator();
             f.increment(ec)) {
            if (iequals(f->path().filename().string(), want)) {
                return (admx.parent_path() / d->path().filename() / f->path().filename()).string();
            }
        }
    }
    return "";
}

struct FoundAdml {
    std::string path;
    bool neutral = false;  ///< found only in the neutral language's folder (`EN` for `en-US`)
};

/// The ADML of `admx` for `language`: `<language>/`, else the neutral language's folder
/// (`en` for `en-US`), the way Windows falls back when it looks up localized resources.
FoundAdml find_adml(const std::string& admx, const std::string& language) {
    fs::path p(admx);
    if (auto found = adml_in(p, language); !found.empty()) return {found, false};
    auto dash = language.find('-');
    if (dash == std::string::npos || dash == 0) return {};
    auto found = adml_in(p, language.substr(0, dash));
    return {found, !found.empty()};
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

struct Counts {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::set<std::string> error_files;
    std::set<std::string> warning_files;
    std::map<std::string, std::size_t> by_rule;
};

Counts count(const std::vector<pol::AdmxFinding>& all) {
    Counts c;
    for (const auto& f : all) {
        bool error = f.severity == pol::AdmxSeverity::error;
        (error ? c.errors : c.warnings)++;
        (error ? c.error_files : c.warning_files).insert(f.file);
        c.by_rule[f.rule]++;
    }
    return c;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// `3 errors in 2 files` / `0 errors`.
std::string tally(std::size_t n, std::size_t files, const char* one, const char* many) {
    return plural(n, one, many) + (n == 0 ? "" : " in " + plural(files, "file", "files"));
}

nlohmann::json findings_json(const std::vector<pol::AdmxFinding>& all) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : all) {
        findings.push_back({{"severity", std::string(pol::to_string(f.severity))},
                            {"check", f.check},
                            {"rule", f.rule},
                            {"file", f.file},
                            {"line", f.line},
                            {"message", f.message},
                            {"why", f.why}});
    }
    return findings;
}

nlohmann::json rules_json(const Counts& c) {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& r : pol::admx_rules()) {
        auto n = c.by_rule.find(std::string(r.id));
        if (n == c.by_rule.end()) continue;
        rules.push_back({{"rule", std::string(r.id)},
                         {"check", std::string(r.check)},
                         {"severity", std::string(pol::to_string(r.severity))},
                         {"count", n->second},
                         {"why", std::string(r.why)}});
    }
    return rules;
}

/// The findings, then why for each rule that was found, then the tally.
void print_text(const std::vector<pol::AdmxFinding>& all, const Counts& c, std::size_t files,
                const std::string& schema, const std::string& tried) {
    for (const auto& f : all) {
        std::cout << pol::to_string(f.severity) << ": " << f.rule << ": " << f.message << '\n';
    }
    if (!c.by_rule.empty()) std::cout << "why:\n";
    for (const auto& r : pol::admx_rules()) {
        auto n = c.by_rule.find(std::string(r.id));
        if (n == c.by_rule.end()) continue;
        std::cout << "  " << pol::to_string(r.severity) << ": " << r.id << " (" << n->second
                  << "): " << r.why << '\n';
    }
    std::cout << plural(files, "file", "files") << ": "
              << tally(c.errors, c.error_files.size(), "error", "errors") << ", "
              << tally(c.warnings, c.warning_files.size(), "warning", "warnings") << "; schema: "
              << (schema.empty() ? "not checked (no PolicyDefinitionFiles.xsd: pass --schema; "
                                   "looked in " +
                                       tried + ")"
                                 : "checked with " + schema)
              << '\n';
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
        FoundAdml adml{opt.adml, false};
        if (opt.adml.empty()) adml = find_adml(admx, opt.language);
        auto found = pol::check_admx_semantics(admx, adml.path);
        if (adml.neutral) {
            found.insert(found.begin(),
                         pol::make_admx_finding(
                             "neutral-language-adml", admx, 0,
                             "no adml in `" + opt.language + "/`; using `" + adml.path + "`"));
        }
        bool parsed = std::none_of(found.begin(), found.end(),
                                   [](const pol::AdmxFinding& f) { return f.check == "xml"; });
        if (!schema.empty() && parsed) {
            for (const auto& path : {admx, adml.path}) {
                if (path.empty()) continue;
                auto s = pol::check_admx_schema(path, schema);
                found.insert(found.end(), s.begin(), s.end());
            }
        }
        files.push_back({{"admx", admx}, {"adml", adml.path}});
        all.insert(all.end(), found.begin(), found.end());
    }
    auto across = pol::check_admx_set(opt.files);
    all.insert(all.end(), across.begin(), across.end());
    auto c = count(all);
    bool failed = c.errors > 0 || (opt.strict && c.warnings > 0);
    if (opt.json) {
        std::cout << nlohmann::json{{"valid", !failed},
                                    {"files", files},
                                    {"schema", schema.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(schema)},
                                    {"errors", c.errors},
                                    {"warnings", c.warnings},
                                    {"files_with_errors", c.error_files.size()},
                                    {"files_with_warnings", c.warning_files.size()},
                                    {"rules", rules_json(c)},
                                    {"findings", findings_json(all)}}
                         .dump(2)
                  << '\n';
    } else {
        print_text(all, c, opt.files.size(), schema, tried);
    }
    return failed ? exit_input : exit_ok;
}

}  // namespace

Command add_admx_validate(CLI::App& admx) {
    auto opt = std::make_shared<ValidateOptions>();
    auto* app = admx.add_subcommand(
        "validate", "check ADMX/ADML files: schema, references, duplicates, presentations");
    app->footer(R"(each ADMX is checked with its ADML (<admx folder>/<language>/<name>.adml, else
the neutral language's folder, EN/ for en-US, as a warning; or --adml for a
single file):
  schema         Microsoft's PolicyDefinitionFiles.xsd (--schema FILE, else
                 $COMREDIR_ADMX_SCHEMA, else the copy installed with comredir)
  refs           $(string.X) / $(presentation.X) the ADML lacks; undeclared
                 prefixes; categories and supportedOn names that do not exist
                 (also in another of the files given, for `prefix:name`)
  duplicates     policy, category, supportedOn, string, presentation and
                 element names defined twice; two files with one namespace
  presentations  controls whose refId is no element, controls that cannot drive
                 their element, policies with elements and no presentation;
                 elements without a control
  policies       no explainText, supportedOn or parentCategory
  unused         ADML strings and presentations nothing references

errors are what stops the Group Policy editor from loading a file or setting a
policy (malformed XML, a string or presentation the ADML lacks, a namespace
used twice, ...); warnings are what it loads anyway: outside the published
schema (multiText, xml:space, unknown attributes, `-` in names, no xmlns) or
loose ends (a supportedOn that does not exist, unused strings). Whatever
Windows' own PolicyDefinitions do is a warning, never an error. Each finding
names its rule; the text output ends with why, per rule found (--json: `rule`
and `why` on every finding, and `rules` with the counts). README.md lists the
rules.

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
