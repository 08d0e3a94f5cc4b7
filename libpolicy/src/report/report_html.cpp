#include <comredir/policy/report/report_html.hpp>
#include <comredir/policy/report/report_json.hpp>
#include <nlohmann/json.hpp>
#include <string_view>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

using nlohmann::json;

constexpr std::string_view kStyle = R"(
:root { --bg:#fff; --fg:#1b1f24; --muted:#4b5563; --line:#8a939e; --head:#f1f3f5;
  --allow-bg:#e3f4e8; --allow:#17692f; --deny-bg:#fde8e6; --deny:#a01c12; --err-bg:#fff4d6; --err:#6b4e00;
  --unk-bg:#e6ebf5; --unk:#233a6b; color-scheme: light; }
@media (prefers-color-scheme: dark) { :root { --bg:#111418; --fg:#e6e8eb; --muted:#a9b1bb; --line:#6b7480;
  --head:#1f242b; --allow-bg:#0f2e1a; --allow:#7ee2a0; --deny-bg:#3d1512; --deny:#ffb0a8;
  --err-bg:#3a2e0b; --err:#f5d46b; --unk-bg:#1c2538; --unk:#b9cbf5; color-scheme: dark; } }
body { margin: 0 auto; max-width: 1400px; padding: 16px 20px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, "Segoe UI", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 4px; } h2 { font-size: 1.15rem; margin: 24px 0 8px; }
h3 { font-size: 1rem; margin: 12px 0 6px; }
.meta { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border: 1px solid var(--line);
  overflow-wrap: anywhere; }
table.summary, table.counts { width: auto; min-width: 40%; }
thead th { background: var(--head); }
.allow { background: var(--allow-bg); color: var(--allow); font-weight: 600; }
.deny { background: var(--deny-bg); color: var(--deny); font-weight: 600; }
.error { background: var(--err-bg); color: var(--err); font-weight: 600; }
.unknown { background: var(--unk-bg); color: var(--unk); font-weight: 600; }
.na { color: var(--muted); }
details { border: 1px solid var(--line); border-radius: 4px; margin: 8px 0; padding: 0 10px; }
summary { cursor: pointer; padding: 8px 0; font-weight: 600; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; }
.small { font-size: 0.9em; color: var(--muted); }
.matrix th[scope=col] button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  color: inherit; cursor: pointer; text-decoration: underline dotted; }
.matrix td, .matrix th { white-space: nowrap; overflow-wrap: normal; }
.scroll { overflow-x: auto; }
@media print { details { break-inside: avoid-page; } details::details-content { content-visibility: visible; display: block; }
  .matrix th[scope=col] button { text-decoration: none; } }
)";

// Sorts the matrix by a feature column (deny, error, unknown, allow); the report reads
// the same without it.
constexpr std::string_view kScript = R"(
document.querySelectorAll('table.matrix th[scope=col] button').forEach(function (b) {
  b.addEventListener('click', function () {
    var table = b.closest('table'), col = b.closest('th').cellIndex, body = table.tBodies[0];
    var rank = { deny: 0, error: 1, unknown: 2, allow: 3 };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = rank[x.cells[col].dataset.status], c = rank[y.cells[col].dataset.status];
      return (a === undefined ? 4 : a) - (c === undefined ? 4 : c) ||
             x.cells[0].textContent.localeCompare(y.cells[0].textContent);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll('th[scope=col]').forEach(function (h) { h.removeAttribute('aria-sort'); });
    b.closest('th').setAttribute('aria-sort', 'ascending');
  });
});
)";

std::string str(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A decision's effective value as the decision table says it.
std::string effective_label(const json& d) {
    const std::string status = str(d, "status");
    if (status == "unknown") return "unknown (denied until the OS policy is known)";
    return str(d, "value") + (status == "error" ? " (error)" : "");
}

std::string status_cell(const std::string& status, const std::string& text) {
    const std::string cls = status.empty() ? "na" : status;
    return "<td class=\"" + cls + "\" data-status=\"" + html_escape(status) + "\">" +
           html_escape(text) + "</td>";
}

void summary(std::string& out, const json& r) {
    const json& s = r["summary"];
    out +=
        "<h2 id=\"summary\">Summary</h2>\n<table class=\"summary\">\n"
        "<caption>What was read, and how many hosts deny each feature</caption>\n<tbody>\n";
    out += "<tr><th scope=\"row\">Generated</th><td>" + html_escape(str(r, "generated")) +
           "</td></tr>\n";
    std::string sources;
    bool graph = false;
    for (const auto& src : r["sources"]) {
        sources += sources.empty() ? "" : "; ";
        if (str(src, "kind") != "resource-graph") {
            sources += str(src, "kind") + " " + str(src, "path");
            continue;
        }
        graph = true;
        const bool subs = !src["subscriptions"].empty();
        std::string scope;
        for (const auto& id : src[subs ? "subscriptions" : "managementGroups"])
            scope += (scope.empty() ? "" : ", ") + id.get<std::string>();
        sources += "Azure Resource Graph " + str(src, "endpoint") +
                   (subs ? " (subscriptions " : " (management groups ") + scope +
                   "): " + std::to_string(src["hostPools"].get<std::size_t>()) + " host pools in " +
                   std::to_string(src["pages"].get<int>()) + " page(s)" +
                   (src["partial"].get<bool>() ? ", partial" : "");
    }
    out += "<tr><th scope=\"row\">Sources</th><td>" + html_escape(sources) + "</td></tr>\n";
    if (s["partial"].get<bool>())
        out +=
            "<tr><th scope=\"row\">Complete</th><td class=\"error\" id=\"summary-partial\">"
            "no: partial result, some host pools may be missing (see Errors)</td></tr>\n";
    out += "<tr><th scope=\"row\">Hosts</th><td id=\"summary-hosts\">" +
           std::to_string(s["hosts"].get<std::size_t>()) + "</td></tr>\n";
    out += "<tr><th scope=\"row\">Hosts with errors</th><td id=\"summary-errors\">" +
           std::to_string(s["hostsWithErrors"].get<std::size_t>()) + "</td></tr>\n";
    out += "</tbody></table>\n";
    out +=
        "<table class=\"counts\">\n<caption>Hosts per effective value, by feature</caption>\n"
        "<thead><tr><th scope=\"col\">Feature</th><th scope=\"col\">Deny</th>"
        "<th scope=\"col\">Error (denied)</th>" +
        std::string(graph ? "<th scope=\"col\">Unknown (denied until known)</th>" : "") +
        "<th scope=\"col\">Allow</th></tr></thead>\n<tbody>\n";
    for (const auto& f : r["features"]) {
        const std::string id = str(f, "id");
        const json& c = s["features"][id];
        out += "<tr><th scope=\"row\"><code>" + html_escape(id) + "</code> " +
               html_escape(str(f, "title")) + "</th><td id=\"count-deny-" + html_escape(id) +
               "\">" + std::to_string(c["deny"].get<int>()) + "</td><td>" +
               std::to_string(c["error"].get<int>()) + "</td><td>" +
               (graph ? "<span id=\"count-unknown-" + html_escape(id) + "\">" +
                            std::to_string(c["unknown"].get<int>()) + "</span></td><td>"
                      : std::string()) +
               std::to_string(c["allow"].get<int>()) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    if (!s["errors"].empty()) {
        out += "<h3>Errors (each fails its layer or feature closed: deny)</h3>\n<ul>\n";
        for (const auto& e : s["errors"])
            out += "<li>" + html_escape(e.get<std::string>()) + "</li>\n";
        out += "</ul>\n";
    }
    if (!s["notes"].empty()) {
        out += "<h3>Notes</h3>\n<ul>\n";
        for (const auto& n : s["notes"])
            out += "<li>" + html_escape(n.get<std::string>()) + "</li>\n";
        out += "</ul>\n";
    }
}

void matrix(std::string& out, const json& r) {
    out +=
        "<h2 id=\"matrix\">Fleet matrix</h2>\n<div class=\"scroll\"><table class=\"matrix\">\n"
        "<caption>Effective value per host and feature (a feature's heading sorts by it: deny "
        "first)</caption>\n<thead><tr><th scope=\"col\">Host</th>";
    for (const auto& f : r["features"])
        out += "<th scope=\"col\" title=\"" + html_escape(str(f, "title")) +
               "\"><button type=\"button\">" + html_escape(str(f, "id")) + "</button></th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& h : r["hosts"]) {
        const std::string host = str(h, "host");
        out += "<tr><th scope=\"row\"><a href=\"#host-" + html_escape(host) + "\">" +
               html_escape(host) + "</a></th>";
        for (const auto& f : r["features"]) {
            const std::string status = matrix_status(h, str(f, "id"));
            out += status_cell(status, status.empty() ? "n/a" : status);
        }
        out += "</tr>\n";
    }
    out += "</tbody></table></div>\n";
}

void host_section(std::string& out, const json& h, bool open) {
    const std::string host = str(h, "host");
    out += std::string("<details id=\"host-") + html_escape(host) + "\"" + (open ? " open" : "") +
           "><summary>" + html_escape(host);
    if (!h["loaded"].get<bool>()) {
        out += " — error</summary>\n<p class=\"error\">" + html_escape(str(h, "error")) +
               " (every feature: deny)</p>\n</details>\n";
        return;
    }
    out += " <span class=\"small\">product " + html_escape(str(h, "product")) + ", client " +
           html_escape(str(h, "clientOs")) +
           (str(h, "hostPool").empty() ? "" : ", host pool " + html_escape(str(h, "hostPool"))) +
           (h["osUnknown"].get<bool>() ? ", OS policy unknown" : "") + "</span></summary>\n";
    if (!str(h, "hostPoolId").empty())
        out += "<p class=\"small\">Azure resource: <code>" + html_escape(str(h, "hostPoolId")) +
               "</code></p>\n";
    out += "<table class=\"sources\">\n<caption>Sources applied to <code>" + html_escape(host) +
           "</code>, in order (a later OS source wins over an earlier one)</caption>\n"
           "<thead><tr><th scope=\"col\">Layer</th><th scope=\"col\">Kind</th>"
           "<th scope=\"col\">Name</th><th scope=\"col\">GUID</th><th scope=\"col\">Path</th>"
           "<th scope=\"col\">Read</th></tr></thead>\n<tbody>\n";
    if (h["sources"].empty())
        out += "<tr><td colspan=\"6\">none: every layer uses the product defaults</td></tr>\n";
    for (const auto& s : h["sources"]) {
        const bool ok = s["ok"].get<bool>();
        out += "<tr><td>" + html_escape(str(s, "layer")) + "</td><td>" +
               html_escape(str(s, "kind")) + "</td><td>" + html_escape(str(s, "name")) +
               "</td><td><code>" + html_escape(str(s, "guid")) + "</code></td><td><code>" +
               html_escape(str(s, "path")) + "</code></td>" +
               (ok ? std::string("<td>yes</td>")
                   : "<td class=\"error\">no: " + html_escape(str(s, "error")) + "</td>") +
               "</tr>\n";
    }
    out += "</tbody></table>\n";
    out += "<table class=\"decisions\">\n<caption>Decisions for <code>" + html_escape(host) +
           "</code>: the most restrictive layer wins</caption>\n<thead><tr>"
           "<th scope=\"col\">Feature</th><th scope=\"col\">Effective</th>"
           "<th scope=\"col\">Winning layer</th><th scope=\"col\">Winning setting</th>"
           "<th scope=\"col\">Overrode</th></tr></thead>\n<tbody>\n";
    for (const auto& d : h["decisions"]) {
        const std::string feature = str(d, "feature");
        const bool by_default = d["byDefault"].get<bool>();
        std::string setting = str(d, "setting");
        if (by_default) setting = "not configured → default: " + setting;
        std::string overrode;
        for (const auto& o : d["overrode"])
            overrode += "<li>" + html_escape(str(o, "layer")) + ": " +
                        html_escape(str(o, "setting")) + "</li>";
        for (const auto& c : d["conflicts"])
            overrode += "<li>" + html_escape(c.get<std::string>()) + "</li>";
        out += "<tr id=\"d-" + html_escape(host) + "-" + html_escape(feature) +
               "\"><th scope=\"row\"><code>" + html_escape(feature) +
               "</code><br><span class=\"small\">" + html_escape(str(d, "title")) + "</span></th>" +
               status_cell(str(d, "status"), effective_label(d)) + "<td>" +
               html_escape(str(d, "decidedBy")) + (by_default ? " (default)" : "") + "</td><td>" +
               html_escape(setting) + "</td><td>" +
               (overrode.empty() ? std::string("—") : "<ul>" + overrode + "</ul>") + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
    std::vector<std::string> notes;
    for (const auto& n : h["notes"]) notes.push_back(n.get<std::string>());
    for (const auto& e : h["inputErrors"]) notes.push_back("error: " + e.get<std::string>());
    for (const auto& d : h["decisions"])
        for (const auto& n : d["notes"])
            notes.push_back(str(d, "feature") + ": " + n.get<std::string>());
    if (!notes.empty()) {
        out += "<h3>Notes</h3>\n<ul>\n";
        for (const auto& n : notes) out += "<li>" + html_escape(n) + "</li>\n";
        out += "</ul>\n";
    }
    out += "</details>\n";
}

void drift_section(std::string& out, const json& b) {
    out += "<h2 id=\"drift\">Drift from the baseline</h2>\n";
    if (!b["ok"].get<bool>()) {
        out += "<p class=\"error\">" + html_escape(str(b, "error")) + "</p>\n";
        return;
    }
    out +=
        "<table class=\"drift\">\n<caption>Host-pool RDP properties that differ from baseline "
        "<code>" +
        html_escape(str(b, "baseline")) + "</code> (host " + html_escape(str(b, "baselineHost")) +
        ")</caption>\n<thead><tr><th scope=\"col\">Host</th>"
        "<th scope=\"col\">Property</th><th scope=\"col\">Baseline</th><th scope=\"col\">This "
        "pool</th>"
        "</tr></thead>\n<tbody>\n";
    for (const auto& h : b["hosts"]) {
        const std::string host = html_escape(str(h, "host"));
        if (!h["compared"].get<bool>()) {
            out += "<tr><th scope=\"row\">" + host +
                   "</th><td colspan=\"3\">not compared: " + html_escape(str(h, "note")) +
                   "</td></tr>\n";
            continue;
        }
        if (h["differences"].empty())
            out += "<tr><th scope=\"row\">" + host +
                   "</th><td colspan=\"3\">same as the baseline</td></tr>\n";
        for (const auto& d : h["differences"]) {
            auto side = [](const json& v) {
                return v.is_null() ? std::string("not set")
                                   : "<code>" + html_escape(v.get<std::string>()) + "</code>";
            };
            out += "<tr><th scope=\"row\">" + host + "</th><td><code>" +
                   html_escape(str(d, "property")) + "</code></td><td>" + side(d["baseline"]) +
                   "</td><td>" + side(d["value"]) + "</td></tr>\n";
        }
    }
    out += "</tbody></table>\n";
}

}  // namespace

std::string html_escape(const std::string& text) {
    return detail::xml_attr(text);
}

std::string report_html(const json& r) {
    std::string out;
    out.reserve(4096 + r["hosts"].size() * 8192);
    out +=
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>comredir report — " +
        html_escape(str(r, "generated")) + "</title>\n<style>";
    out += kStyle;
    out +=
        "</style>\n</head>\n<body>\n<main>\n<h1>comredir: device redirection report</h1>\n"
        "<p class=\"meta\">Three layers decide each feature — OS policy, host-pool RDP properties, "
        "the client's .rdp settings — and the most restrictive wins. A source that cannot be read "
        "denies.</p>\n";
    summary(out, r);
    matrix(out, r);
    if (!r["baseline"].is_null()) drift_section(out, r["baseline"]);
    out += "<h2 id=\"hosts\">Hosts</h2>\n";
    const bool open = r["hosts"].size() <= 10;
    for (const auto& h : r["hosts"]) host_section(out, h, open);
    out += "</main>\n<script>";
    out += kScript;
    out += "</script>\n</body>\n</html>\n";
    return out;
}

}  // namespace comredir::policy
