// `comredir-policy admx show POLICY`: one policy as an admin needs it: where it writes,
// what each state writes, its elements, the explain text and what it is supported on.
#include <comredir/policy/admx/admx.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "admx_commands.hpp"
#include "admx_sources.hpp"
#include "policy_name.hpp"

namespace comredir::cli {

namespace {

namespace pol = comredir::policy;

struct ShowOptions {
    AdmxSourceOptions admx;
    std::string policy;
    bool json = false;
};

/// `REG_DWORD 1`, `REG_QWORD 5`, `REG_SZ "x"`, `delete`; empty when absent.
std::string value_text(const pol::AdmxValue& v) {
    switch (v.kind) {
        case pol::AdmxValue::Kind::absent:
            return "";
        case pol::AdmxValue::Kind::decimal:
            return "REG_DWORD " + std::to_string(v.number);
        case pol::AdmxValue::Kind::long_decimal:
            return "REG_QWORD " + std::to_string(v.number);
        case pol::AdmxValue::Kind::string:
            return "REG_SZ \"" + v.text + "\"";
        case pol::AdmxValue::Kind::del:
            return "delete";
    }
    return "";
}

nlohmann::json value_json(const pol::AdmxValue& v) {
    if (!v.present()) return nullptr;
    nlohmann::json j = {{"kind", std::string(pol::to_string(v.kind))}};
    if (v.kind == pol::AdmxValue::Kind::string) j["value"] = v.text;
    if (v.kind == pol::AdmxValue::Kind::decimal || v.kind == pol::AdmxValue::Kind::long_decimal) {
        j["value"] = v.number;
    }
    return j;
}

nlohmann::json list_json(const pol::AdmxValueList& l) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& it : l.items) {
        out.push_back(
            {{"key", it.key}, {"value_name", it.value_name}, {"value", value_json(it.value)}});
    }
    return out;
}

/// What an element is, in one line: `decimal 0..60000, required`.
std::string element_detail(const pol::AdmxElement& e) {
    std::string d(pol::to_string(e.kind));
    switch (e.kind) {
        case pol::AdmxElementKind::decimal:
        case pol::AdmxElementKind::long_decimal:
            d += " " + std::to_string(e.min_value) + ".." + std::to_string(e.max_value);
            if (e.store_as_text) d += ", stored as text";
            break;
        case pol::AdmxElementKind::text:
        case pol::AdmxElementKind::multi_text:
            d += " max " + std::to_string(e.max_length) + " chars";
            if (e.max_strings > 0) d += ", max " + std::to_string(e.max_strings) + " strings";
            if (e.expandable) d += ", REG_EXPAND_SZ";
            break;
        case pol::AdmxElementKind::enumeration: {
            d += " {";
            for (std::size_t i = 0; i < e.items.size(); ++i) {
                d += (i > 0 ? ", " : "") + e.items[i].display_name + " = " +
                     value_text(e.items[i].value);
            }
            d += "}";
            break;
        }
        case pol::AdmxElementKind::list:
            d += " (every value of the key";
            if (!e.value_prefix.empty())
                d += ", names `" + e.value_prefix + "1`, `" + e.value_prefix + "2`...";
            if (e.explicit_value) d += ", explicit names";
            if (e.additive) d += ", additive";
            d += ")";
            break;
        case pol::AdmxElementKind::boolean:
            d += " (true: " + (e.true_value.present() ? value_text(e.true_value) : "REG_DWORD 1") +
                 ", false: " +
                 (e.false_value.present() ? value_text(e.false_value) : "REG_DWORD 0") + ")";
            break;
    }
    if (e.required) d += ", required";
    if (e.soft) d += ", soft";
    return d;
}

std::string hive_of(pol::AdmxClass c) {
    switch (c) {
        case pol::AdmxClass::machine:
            return "HKLM";
        case pol::AdmxClass::user:
            return "HKCU";
        case pol::AdmxClass::both:
            return "HKLM|HKCU";
    }
    return "";
}

void print_text(const pol::AdmxPolicy& p) {
    auto row = [](const char* label, const std::string& v) {
        if (!v.empty()) std::cout << label << v << '\n';
    };
    std::cout << p.name << "  (" << p.ns << ", " << p.source.file << " line " << p.source.line
              << ")\n";
    row("display name:  ", p.display_name);
    row("class:         ", std::string(pol::to_string(p.cls)));
    row("category:      ", p.category_path.empty() ? p.category : p.category_path);
    row("supported on:  ", p.supported_on_text.empty() ? p.supported_on : p.supported_on_text);
    std::string hive = hive_of(p.cls);
    row("registry:      ", hive + "\\" + p.key + (p.value_name.empty() ? "" : "\\" + p.value_name));
    if (!p.value_name.empty()) {
        std::string en = value_text(p.enabled_value);
        std::string dis = value_text(p.disabled_value);
        row("enabled:       ",
            en.empty() ? "REG_DWORD 1 (no enabledValue: the editor's default)" : en);
        row("disabled:      ", dis.empty()
                                   ? (p.enabled_value.present()
                                          ? "delete (no disabledValue)"
                                          : "REG_DWORD 0 (no disabledValue: the editor's default)")
                                   : dis);
    }
    auto print_list = [&](const char* label, const pol::AdmxValueList& l) {
        if (!l.present()) return;
        std::cout << label << '\n';
        for (const auto& it : l.items) {
            std::cout << "  " << it.key << "\\" << it.value_name << " = " << value_text(it.value)
                      << '\n';
        }
    };
    print_list("enabled list:", p.enabled_list);
    print_list("disabled list:", p.disabled_list);
    if (!p.elements.empty()) {
        std::cout << "elements:\n";
        for (const auto& e : p.elements) {
            std::cout << "  " << e.id << "  " << element_detail(e) << '\n';
            std::cout << "    registry: " << e.key
                      << (e.value_name.empty() ? "" : "\\" + e.value_name) << '\n';
            if (!e.label.empty()) std::cout << "    label: " << e.label << '\n';
        }
    }
    if (!p.explain_text.empty()) {
        std::cout << "explain:\n";
        std::string line;
        for (char c : p.explain_text + "\n") {
            if (c == '\n') {
                std::cout << (line.empty() ? "" : "  " + line) << '\n';
                line.clear();
            } else if (c != '\r') {
                line += c;
            }
        }
    }
}

nlohmann::json policy_json(const pol::AdmxPolicy& p) {
    nlohmann::json elements = nlohmann::json::array();
    for (const auto& e : p.elements) {
        nlohmann::json j = {{"id", e.id},
                            {"kind", std::string(pol::to_string(e.kind))},
                            {"key", e.key},
                            {"value_name", e.value_name},
                            {"label", e.label},
                            {"required", e.required},
                            {"detail", element_detail(e)}};
        if (e.kind == pol::AdmxElementKind::decimal ||
            e.kind == pol::AdmxElementKind::long_decimal) {
            j["min"] = e.min_value;
            j["max"] = e.max_value;
        }
        if (e.kind == pol::AdmxElementKind::enumeration) {
            j["items"] = nlohmann::json::array();
            for (const auto& it : e.items) {
                j["items"].push_back(
                    {{"display_name", it.display_name}, {"value", value_json(it.value)}});
            }
        }
        elements.push_back(std::move(j));
    }
    return {{"policy", p.name},
            {"namespace", p.ns},
            {"display_name", p.display_name},
            {"class", std::string(pol::to_string(p.cls))},
            {"category", p.category_path},
            {"supported_on", p.supported_on_text},
            {"key", p.key},
            {"value_name", p.value_name},
            {"enabled_value", value_json(p.enabled_value)},
            {"disabled_value", value_json(p.disabled_value)},
            {"enabled_list", list_json(p.enabled_list)},
            {"disabled_list", list_json(p.disabled_list)},
            {"elements", std::move(elements)},
            {"explain", p.explain_text},
            {"file", p.source.file},
            {"line", p.source.line}};
}

int run_show(const ShowOptions& opt) {
    auto loaded = load_admx_sources(opt.admx);
    if (!loaded) return exit_input;
    int code = exit_ok;
    const auto* p = named_policy(loaded->result.set, opt.policy, "",
                                 std::to_string(loaded->result.set.policies.size()) +
                                     " policies; `comredir-policy admx list --search TEXT` "
                                     "finds names",
                                 code);
    if (p == nullptr) return code;
    if (opt.json) {
        std::cout << policy_json(*p).dump(2) << '\n';
    } else {
        print_text(*p);
    }
    return exit_ok;
}

}  // namespace

Command add_admx_show(CLI::App& admx) {
    auto opt = std::make_shared<ShowOptions>();
    auto* app = admx.add_subcommand(
        "show", "show one policy: registry key and values, elements, explain text, supported on");
    app->footer(std::string(R"(POLICY is the ADMX name (`TS_CLIENT_COM`) or the display name
("Do not allow COM port redirection"). A name that several loaded ADMX files
define (Office's L_VBAWarningsPolicy, in access16, excel16, ppt16, ...) is
refused with the list of candidates: qualify it with the file's name without
.admx (`excel16:L_VBAWarningsPolicy`), its target prefix or its namespace
(`excel16.Office.Microsoft.Policies.Windows:L_VBAWarningsPolicy`). Registry
values show what the Group Policy editor writes for each state.

)") + kAdmxSourcesHelp +
                R"(

exit codes: 0 printed; 2 the name is ambiguous; 3 no such policy, or the ADMX
folder cannot be read.

examples:
  comredir-policy admx show DenyComRedirection
  comredir-policy admx show TS_CLIENT_COM --admx PolicyDefinitions
  comredir-policy admx show excel16:L_VBAWarningsPolicy --admx PolicyDefinitions
  comredir-policy admx show "Do not allow COM port redirection" --admx PolicyDefinitions --json)");
    app->add_option("POLICY", opt->policy,
                    "ADMX name (FILE:NAME when several files define it) or display name")
        ->required();
    add_admx_source_options(*app, opt->admx);
    app->add_flag("--json", opt->json, "print JSON instead of text");
    return Command{app, [opt] { return run_show(*opt); }};
}

}  // namespace comredir::cli
