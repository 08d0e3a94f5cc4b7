// Azure Resource Graph: the host pools query, paged with $skipToken (resource_graph.hpp).
#include <algorithm>
#include <comredir/policy/hostpool/resource_graph.hpp>
#include <nlohmann/json.hpp>
#include <unordered_set>
#include <utility>

#include "hostpool/arm_send.hpp"
#include "io/json_locate.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

constexpr int kMaxPages = 1000;

using json = nlohmann::json;

GraphResult fail(GraphResult r, ArmStatus s, const std::string& what, const std::string& token) {
    r.status = s;
    r.partial = r.pages > 0;
    r.message = redact(what, token);
    if (r.partial)
        r.message += " (after " + std::to_string(r.pages) + " page(s), " +
                     std::to_string(r.pools.size()) + " host pool(s) read: the result is partial)";
    return r;
}

/// A member that must be a string when present; `error` set when it is something else.
std::string string_member(const json& row, const char* name, std::string& error) {
    const auto it = row.find(name);
    if (it == row.end() || it->is_null()) return "";
    if (!it->is_string()) {
        error = std::string("`") + name + "` is " + it->type_name() + ", not a string";
        return "";
    }
    return it->get<std::string>();
}

/// One row of the query's result; the error names what is wrong with it.
std::optional<GraphPool> pool_of(const json& row, std::size_t index, std::string& error) {
    const std::string where = "row " + std::to_string(index + 1) + ": ";
    if (!row.is_object()) {
        error = where + "not an object";
        return std::nullopt;
    }
    GraphPool p;
    std::string bad;
    p.id = string_member(row, "id", bad);
    p.name = string_member(row, "name", bad);
    p.subscription = string_member(row, "subscriptionId", bad);
    p.resource_group = string_member(row, "resourceGroup", bad);
    p.location = string_member(row, "location", bad);
    p.friendly_name = string_member(row, "friendlyName", bad);
    if (const auto it = row.find("customRdpProperty"); it != row.end() && !it->is_null()) {
        if (it->is_string()) {
            p.custom_rdp_property = it->get<std::string>();
        } else {
            bad = std::string("`customRdpProperty` is ") + it->type_name() + ", not a string";
        }
    }
    if (bad.empty() && (p.id.empty() || p.name.empty())) bad = "no `id` or no `name`";
    if (!bad.empty()) {
        error = where + (p.id.empty() ? "" : "`" + p.id + "`: ") + bad;
        return std::nullopt;
    }
    return p;
}

bool truncated_flag(const json& page) {
    const auto it = page.find("resultTruncated");
    if (it == page.end()) return false;
    if (it->is_boolean()) return it->get<bool>();
    return it->is_string() && detail::iequals(it->get<std::string>(), "true");
}

}  // namespace

const std::string& host_pool_graph_query() {
    static const std::string q =
        "resources"
        " | where type =~ 'microsoft.desktopvirtualization/hostpools'"
        " | project id, name, subscriptionId, resourceGroup, location,"
        " friendlyName = tostring(properties.friendlyName),"
        " customRdpProperty = properties.customRdpProperty"
        " | order by id asc";
    return q;
}

GraphResult query_host_pools(HttpClient& http, const GraphRequest& req, const std::string& token,
                             const RetryPolicy& retry,
                             const std::function<void(const std::string&)>& verbose,
                             std::chrono::milliseconds timeout) {
    GraphResult r;
    std::string endpoint = req.endpoint;
    while (endpoint.ends_with('/')) endpoint.pop_back();
    const std::string url =
        endpoint + "/providers/Microsoft.ResourceGraph/resources?api-version=" + req.api_version;
    const std::string what = "POST " + url + ": ";
    if (req.subscriptions.empty() == req.management_groups.empty())
        return fail(std::move(r), ArmStatus::usage,
                    "a Resource Graph query needs subscriptions or management groups (one kind)",
                    token);
    json body = json::object();
    if (!req.subscriptions.empty()) body["subscriptions"] = req.subscriptions;
    if (!req.management_groups.empty()) body["managementGroups"] = req.management_groups;
    body["query"] = host_pool_graph_query();
    body["options"] = {{"$top", std::clamp(req.page_size, 1, 1000)},
                       {"resultFormat", "objectArray"}};
    HttpRequest http_req{"POST",
                         url,
                         {{"Authorization", "Bearer " + token},
                          {"Accept", "application/json"},
                          {"Content-Type", "application/json"}},
                         "",
                         timeout};
    std::unordered_set<std::string> seen;
    std::uint64_t rows = 0;
    std::string skip_token;
    bool have_total = false;
    bool truncated = false;
    for (;;) {
        if (r.pages == kMaxPages)
            return fail(std::move(r), ArmStatus::bad_response,
                        what + "more than " + std::to_string(kMaxPages) + " pages", token);
        http_req.body = body.dump();
        const auto res = detail::send_with_retry(http, http_req, retry, token, verbose, r.attempts);
        const std::string page_what =
            what + (r.pages == 0 ? "" : "page " + std::to_string(r.pages + 1) + ": ");
        if (!res.error.empty())
            return fail(std::move(r), ArmStatus::transport_error, page_what + res.error, token);
        if (res.status != 200)
            return fail(
                std::move(r), ArmStatus::http_error,
                page_what + "HTTP " + std::to_string(res.status) + detail::arm_error(res.body),
                token);
        const auto page = json::parse(res.body, nullptr, false);
        if (!page.is_object() || !page.contains("data") || !page["data"].is_array()) {
            const auto doc = detail::parse_json_document(res.body);
            return fail(std::move(r), ArmStatus::bad_response,
                        page_what + (doc.ok ? "unexpected JSON shape (no `data` array of rows)"
                                            : "malformed JSON: " + doc.message),
                        token);
        }
        for (std::size_t i = 0; i < page["data"].size(); ++i) {
            std::string error;
            auto p = pool_of(page["data"][i], i, error);
            if (!p) return fail(std::move(r), ArmStatus::bad_response, page_what + error, token);
            ++rows;
            if (!seen.insert(detail::ascii_lower(p->id)).second) {
                ++r.duplicates;
                continue;
            }
            r.pools.push_back(std::move(*p));
        }
        if (r.pages == 0 && page.contains("totalRecords") &&
            page["totalRecords"].is_number_unsigned()) {
            r.total_records = page["totalRecords"].get<std::uint64_t>();
            have_total = true;
        }
        truncated = truncated_flag(page);
        if (req.on_page) req.on_page(static_cast<std::size_t>(rows), r.total_records);
        ++r.pages;
        if (const auto hit = res.header("x-ms-tenant-subscription-limit-hit");
            hit && detail::iequals(*hit, "true")) {
            r.partial = true;
            r.message =
                "Resource Graph answered for the first 10,000 subscriptions of the scope only";
        }
        std::string next;
        if (const auto it = page.find("$skipToken"); it != page.end() && it->is_string())
            next = it->get<std::string>();
        if (next.empty()) break;
        if (next == skip_token)
            return fail(std::move(r), ArmStatus::bad_response,
                        page_what + "the same $skipToken again", token);
        skip_token = next;
        body["options"]["$skipToken"] = next;
    }
    // The last page had no $skipToken: fewer rows than Resource Graph counted means the rest
    // cannot be fetched (resultTruncated; or without a count, the flag alone says so).
    if (have_total ? rows < r.total_records : truncated) {
        r.partial = true;
        r.message = (r.message.empty() ? "" : r.message + "; ") + "Resource Graph gave " +
                    std::to_string(rows) +
                    (have_total ? " of " + std::to_string(r.total_records) : std::string()) +
                    " host pools" + (truncated ? " (resultTruncated, no $skipToken)" : "");
    }
    return r;
}

}  // namespace comredir::policy
