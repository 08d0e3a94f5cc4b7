// Azure Resource Graph host pools query (resource_graph.hpp) against a scripted HttpClient:
// paging with $skipToken, retries, truncation, partial results, malformed answers.
#include <doctest/doctest.h>

#include <comredir/policy/hostpool/resource_graph.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cp = comredir::policy;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class Scripted final : public cp::HttpClient {
  public:
    std::vector<cp::HttpResponse> script;
    std::vector<cp::HttpRequest> sent;
    cp::HttpResponse send(const cp::HttpRequest& r) override {
        sent.push_back(r);
        return script.at(sent.size() - 1);
    }
};

cp::HttpResponse answer(long status, std::string body, cp::HttpHeaders headers = {}) {
    cp::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

json row(const std::string& name, const json& custom) {
    return {{"id",
             "/subscriptions/s1/resourceGroups/rg/providers/"
             "Microsoft.DesktopVirtualization/hostpools/" +
                 name},
            {"name", name},
            {"subscriptionId", "s1"},
            {"resourceGroup", "rg"},
            {"location", "westeurope"},
            {"friendlyName", name + " friendly"},
            {"customRdpProperty", custom}};
}

std::string page(const std::vector<json>& rows, std::uint64_t total, const std::string& skip = "",
                 const std::string& truncated = "false") {
    json p = {{"totalRecords", total},
              {"count", rows.size()},
              {"data", json(rows)},
              {"facets", json::array()},
              {"resultTruncated", truncated}};
    if (!skip.empty()) p["$skipToken"] = skip;
    return p.dump();
}

cp::GraphRequest subs() {
    cp::GraphRequest req;
    req.endpoint = "https://arm.test/";
    req.subscriptions = {"s1", "s2"};
    return req;
}

cp::RetryPolicy no_sleep(std::vector<std::chrono::milliseconds>* slept = nullptr) {
    cp::RetryPolicy retry;
    retry.sleep = [slept](std::chrono::milliseconds d) {
        if (slept != nullptr) slept->push_back(d);
    };
    return retry;
}

}  // namespace

TEST_CASE("pages are fetched by resending the same body with the $skipToken") {
    Scripted http;
    http.script = {
        answer(200, page({row("a", "redirectcomports:i:0"), row("b", nullptr)}, 3, "t1")),
        answer(200, page({row("b", nullptr), row("c", "")}, 3))};
    auto req = subs();
    std::vector<std::pair<std::size_t, std::uint64_t>> progress;
    req.on_page = [&](std::size_t rows, std::uint64_t total) {
        progress.emplace_back(rows, total);
    };
    const auto r = cp::query_host_pools(http, req, "tok", no_sleep());
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK_FALSE(r.partial);
    CHECK(progress == std::vector<std::pair<std::size_t, std::uint64_t>>{{2, 3}, {4, 3}});
    CHECK(r.pages == 2);
    CHECK(r.attempts == 2);
    CHECK(r.total_records == 3);
    CHECK(r.duplicates == 1);  // `b` again on page 2: kept once
    REQUIRE(r.pools.size() == 3);
    CHECK(r.pools[0].name == "a");
    CHECK(r.pools[0].custom_rdp_property == "redirectcomports:i:0");
    CHECK(r.pools[0].subscription == "s1");
    CHECK(r.pools[0].resource_group == "rg");
    CHECK(r.pools[0].friendly_name == "a friendly");
    CHECK_FALSE(r.pools[1].custom_rdp_property.has_value());  // null in Azure
    CHECK(r.pools[2].custom_rdp_property == "");
    REQUIRE(http.sent.size() == 2);
    CHECK(http.sent[0].method == "POST");
    CHECK(http.sent[0].url ==
          "https://arm.test/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01");
    const auto first = json::parse(http.sent[0].body);
    auto second = json::parse(http.sent[1].body);
    CHECK(first["subscriptions"] == json({"s1", "s2"}));
    CHECK_FALSE(first.contains("managementGroups"));
    CHECK(first["query"] == cp::host_pool_graph_query());
    CHECK(first["options"]["$top"] == 1000);
    CHECK(first["options"]["resultFormat"] == "objectArray");
    CHECK_FALSE(first["options"].contains("$skipToken"));
    CHECK(second["options"]["$skipToken"] == "t1");
    second["options"].erase("$skipToken");
    CHECK(second == first);
    CHECK(cp::host_pool_graph_query().find("project id,") != std::string::npos);
}

TEST_CASE("429 waits as Retry-After or x-ms-user-quota-resets-after says, then succeeds") {
    Scripted http;
    http.script = {answer(429, R"({"error":{"code":"RateLimiting","message":"slow"}})",
                          {{"x-ms-user-quota-resets-after", "00:00:02"}}),
                   answer(503, "", {{"Retry-After", "1"}}), answer(200, page({row("a", "")}, 1))};
    std::vector<std::chrono::milliseconds> slept;
    const auto r = cp::query_host_pools(http, subs(), "tok", no_sleep(&slept));
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.attempts == 3);
    CHECK(slept == std::vector<std::chrono::milliseconds>{2000ms, 1000ms});
    CHECK(r.pools.size() == 1);
}

TEST_CASE("a truncated result is ok but partial, and says how many of how many") {
    Scripted http;
    http.script = {answer(200, page({row("a", ""), row("b", "")}, 5, "", "true"))};
    const auto r = cp::query_host_pools(http, subs(), "tok", no_sleep());
    REQUIRE(r.ok());
    CHECK(r.partial);
    CHECK(r.message == "Resource Graph gave 2 of 5 host pools (resultTruncated, no $skipToken)");
    CHECK(r.pools.size() == 2);
}

TEST_CASE("resultTruncated with every row there is complete") {
    Scripted http;
    http.script = {answer(200, page({row("a", "")}, 1, "", "true"))};
    const auto r = cp::query_host_pools(http, subs(), "tok", no_sleep());
    CHECK(r.ok());
    CHECK_FALSE(r.partial);
}

TEST_CASE("the subscription limit header makes the result partial") {
    Scripted http;
    http.script = {
        answer(200, page({row("a", "")}, 1), {{"x-ms-tenant-subscription-limit-hit", "true"}})};
    cp::GraphRequest req;
    req.management_groups = {"mg1"};
    const auto r = cp::query_host_pools(http, req, "tok", no_sleep());
    CHECK(r.ok());
    CHECK(r.partial);
    CHECK(r.message ==
          "Resource Graph answered for the first 10,000 subscriptions of the scope only");
    CHECK(json::parse(http.sent.at(0).body)["managementGroups"] == json({"mg1"}));
}

TEST_CASE("a page that fails after others keeps what was read, marked partial") {
    Scripted http;
    const std::string err = R"({"error":{"code":"ServerError","message":"tok leaked"}})";
    http.script = {answer(200, page({row("a", "")}, 3, "t1")), answer(500, err), answer(500, err),
                   answer(500, err), answer(500, err)};
    const auto r = cp::query_host_pools(http, subs(), "tok", no_sleep());
    CHECK(r.status == cp::ArmStatus::http_error);
    CHECK(r.partial);
    CHECK(r.pools.size() == 1);
    CHECK(r.attempts == 5);
    CHECK(r.message ==
          "POST https://arm.test/providers/Microsoft.ResourceGraph/resources?api-version="
          "2024-04-01: page 2: HTTP 500 (ServerError: *** leaked) (after 1 page(s), 1 host "
          "pool(s) read: the result is partial)");
}

TEST_CASE("malformed JSON, a wrong shape, a bad row and a repeated $skipToken are errors") {
    auto run = [](std::vector<cp::HttpResponse> script) {
        Scripted http;
        http.script = std::move(script);
        return cp::query_host_pools(http, subs(), "tok", no_sleep());
    };
    const std::string url =
        "POST "
        "https://arm.test/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01: ";
    auto r = run({answer(200, R"({"data": [ {"id": "x")")});
    CHECK(r.status == cp::ArmStatus::bad_response);
    CHECK_FALSE(r.partial);
    CHECK(r.message.starts_with(url + "malformed JSON: "));
    r = run({answer(200, R"({"data": {"columns": [], "rows": []}})")});
    CHECK(r.message == url + "unexpected JSON shape (no `data` array of rows)");
    r = run({answer(200, page({json{{"name", "a"}}}, 1))});
    CHECK(r.message == url + "row 1: no `id` or no `name`");
    r = run({answer(200, page({row("a", 7)}, 1))});
    CHECK(r.message == url +
                           "row 1: `/subscriptions/s1/resourceGroups/rg/providers/"
                           "Microsoft.DesktopVirtualization/hostpools/a`: `customRdpProperty` "
                           "is number, not a string");
    r = run(
        {answer(200, page({row("a", "")}, 9, "t1")), answer(200, page({row("b", "")}, 9, "t1"))});
    CHECK(r.status == cp::ArmStatus::bad_response);
    CHECK(r.partial);
    CHECK(r.message.starts_with(url + "page 2: the same $skipToken again"));
}

TEST_CASE("a scope is subscriptions or management groups, one kind") {
    Scripted http;
    cp::GraphRequest req;
    CHECK(cp::query_host_pools(http, req, "tok").status == cp::ArmStatus::usage);
    req.subscriptions = {"s"};
    req.management_groups = {"m"};
    CHECK(cp::query_host_pools(http, req, "tok").status == cp::ArmStatus::usage);
    CHECK(http.sent.empty());
}

TEST_CASE("a transport error is not retried and never holds the token") {
    Scripted http;
    cp::HttpResponse down;
    down.error = "TLS: certificate not trusted (tok)";
    http.script = {down};
    const auto r = cp::query_host_pools(http, subs(), "tok", no_sleep());
    CHECK(r.status == cp::ArmStatus::transport_error);
    CHECK(r.attempts == 1);
    CHECK(r.message.find("tok") == std::string::npos);
}
