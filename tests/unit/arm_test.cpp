// ARM client pieces (arm.hpp): Retry-After, redaction, origins, URL segments, and the
// retry loop against a scripted HttpClient (no network, no real sleeping).
#include <doctest/doctest.h>

#include <comredir/policy/hostpool/arm.hpp>
#include <string>
#include <vector>

namespace cp = comredir::policy;
using namespace std::chrono_literals;

namespace {

/// Answers from a script, records what it was sent.
class Scripted final : public cp::HttpClient {
  public:
    std::vector<cp::HttpResponse> script;
    std::vector<cp::HttpRequest> sent;
    cp::HttpResponse send(const cp::HttpRequest& r) override {
        sent.push_back(r);
        auto res = script.at(sent.size() - 1);
        return res;
    }
};

cp::HttpResponse answer(long status, std::string body, cp::HttpHeaders headers = {}) {
    cp::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

const std::string pool_body =
    R"({"name":"p","id":"/x/p","properties":{"customRdpProperty":"a:i:1"}})";

}  // namespace

TEST_CASE("Retry-After: seconds or an HTTP date") {
    const auto now =
        std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(cp::parse_retry_after("5", now) == 5000ms);
    CHECK(cp::parse_retry_after(" 0 ", now) == 0ms);
    CHECK(cp::parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now) == 10000ms);
    CHECK(cp::parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now) == 0ms);  // in the past
    CHECK_FALSE(cp::parse_retry_after("soon", now));
    CHECK_FALSE(cp::parse_retry_after("-3", now));
    CHECK_FALSE(cp::parse_retry_after("", now));
}

TEST_CASE("redact, same_origin, url_segment") {
    CHECK(cp::redact("Bearer abc and abc", "abc") == "Bearer *** and ***");
    CHECK(cp::redact("nothing", "") == "nothing");
    CHECK(cp::same_origin("https://management.azure.com/subscriptions/x?a=1",
                          "https://management.azure.com"));
    CHECK(cp::same_origin("HTTPS://Management.Azure.com:443/x", "https://management.azure.com/"));
    CHECK_FALSE(cp::same_origin("https://evil.example/x", "https://management.azure.com"));
    CHECK_FALSE(cp::same_origin("https://management.azure.com.evil.example/x",
                                "https://management.azure.com"));
    CHECK_FALSE(cp::same_origin("https://management.azure.com@evil.example/x",
                                "https://management.azure.com"));
    CHECK_FALSE(cp::same_origin("http://management.azure.com/x", "https://management.azure.com"));
    CHECK(cp::url_segment("rg 1/..") == "rg%201%2F..");
    CHECK(cp::url_segment("pool-1_a.b~") == "pool-1_a.b~");
}

TEST_CASE("retries: 429 honours Retry-After, 5xx backs off, then the answer counts") {
    Scripted http;
    http.script = {answer(429, "", {{"Retry-After", "2"}}), answer(503, ""),
                   answer(200, pool_body, {{"ETag", "\"e7\""}})};
    std::vector<std::chrono::milliseconds> slept;
    cp::RetryPolicy retry;
    retry.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    cp::ArmClient arm(http, {"https://arm.test", "s", "rg", "2024-04-03"}, "tok", retry);
    const auto r = arm.get("p");
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.attempts == 3);
    REQUIRE(slept.size() == 2);
    CHECK(slept[0] == 2000ms);
    CHECK(slept[1] >= 500ms);  // base 500 ms * 2^1 with jitter 0.5-1.5
    CHECK(slept[1] <= 1500ms);
    CHECK(r.pools.at(0).etag == "\"e7\"");
    CHECK(r.pools.at(0).custom_rdp_property == "a:i:1");
    CHECK(http.sent.at(0).url ==
          "https://arm.test/subscriptions/s/resourceGroups/rg/providers/"
          "Microsoft.DesktopVirtualization/hostPools/p?api-version=2024-04-03");
}

TEST_CASE(
    "retries stop after max_attempts; the error names status and ARM's code, never the token") {
    Scripted http;
    const std::string err = R"({"error":{"code":"ServerBusy","message":"tok was here"}})";
    http.script = {answer(500, err), answer(500, err), answer(500, err), answer(500, err)};
    cp::RetryPolicy retry;
    retry.sleep = [](std::chrono::milliseconds) {};
    retry.cap = 10ms;
    cp::ArmClient arm(http, {"https://arm.test/", "s", "rg", "2024-04-03"}, "tok", retry);
    const auto r = arm.get("p");
    CHECK(r.status == cp::ArmStatus::http_error);
    CHECK(r.attempts == 4);
    CHECK(r.message ==
          "GET https://arm.test/subscriptions/s/resourceGroups/rg/providers/"
          "Microsoft.DesktopVirtualization/hostPools/p?api-version=2024-04-03: HTTP 500 "
          "(ServerBusy: *** was here)");
}

TEST_CASE("patch sends only customRdpProperty with If-Match; 412 is a conflict") {
    Scripted http;
    http.script = {answer(412, R"({"error":{"code":"PreconditionFailed","message":"etag"}})")};
    cp::ArmClient arm(http, {"https://arm.test", "s", "rg", "2024-04-03"}, "tok");
    const auto r = arm.patch("p", "redirectcomports:i:0", "\"e7\"");
    CHECK(r.status == cp::ArmStatus::conflict);
    REQUIRE(http.sent.size() == 1);
    CHECK(http.sent[0].method == "PATCH");
    CHECK(http.sent[0].body == R"({"properties":{"customRdpProperty":"redirectcomports:i:0"}})");
    bool if_match = false;
    for (const auto& [k, v] : http.sent[0].headers) if_match |= k == "If-Match" && v == "\"e7\"";
    CHECK(if_match);
}

TEST_CASE("list follows nextLink on the same host only") {
    Scripted http;
    http.script = {
        answer(
            200,
            R"({"value":[{"name":"a"}],"nextLink":"https://arm.test/next?api-version=2024-04-03"})"),
        answer(200, R"({"value":[{"name":"b"}],"nextLink":"https://other.test/x"})")};
    cp::ArmClient arm(http, {"https://arm.test", "s", "rg", "2024-04-03"}, "tok");
    const auto r = arm.list();
    CHECK(r.status == cp::ArmStatus::bad_response);
    CHECK(http.sent.size() == 2);
    CHECK(http.sent[1].url == "https://arm.test/next?api-version=2024-04-03");
    CHECK(r.message.find("nextLink `https://other.test/x` leaves https://arm.test: not followed") !=
          std::string::npos);
}

TEST_CASE("url_segment: `.` and `..` alone are encoded, so they are no dot segments") {
    CHECK(cp::url_segment("..") == "%2E%2E");
    CHECK(cp::url_segment(".") == "%2E");
    CHECK(cp::url_segment("a..b") == "a..b");
    CHECK(cp::url_segment("...") == "...");
    Scripted http;
    http.script = {answer(404, "")};
    cp::ArmClient arm(http, {"https://arm.test", "s/x", "..", "2024-04-03"}, "tok");
    CHECK(arm.get("..").status == cp::ArmStatus::not_found);
    CHECK(http.sent.at(0).url ==
          "https://arm.test/subscriptions/s%2Fx/resourceGroups/%2E%2E/providers/"
          "Microsoft.DesktopVirtualization/hostPools/%2E%2E?api-version=2024-04-03");
}

TEST_CASE("Retry-After longer than the cap waits the cap; transport errors are not retried") {
    Scripted http;
    http.script = {answer(429, "", {{"retry-after", "120"}}), answer(200, pool_body)};
    std::vector<std::chrono::milliseconds> slept;
    cp::RetryPolicy retry;
    retry.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    cp::ArmClient arm(http, {"https://arm.test", "s", "rg", "2024-04-03"}, "tok", retry);
    const auto r = arm.get("p");
    CHECK(r.ok());
    CHECK(slept == std::vector<std::chrono::milliseconds>{30000ms});
    CHECK(r.pools.at(0).body == pool_body);
    CHECK(r.pools.at(0).etag.empty());  // neither header nor member

    Scripted down;
    cp::HttpResponse refused;
    refused.error = "connection refused for tok";
    down.script = {refused};
    cp::ArmClient arm2(down, {"https://arm.test", "s", "rg", "2024-04-03"}, "tok", retry);
    const auto r2 = arm2.list();
    CHECK(r2.status == cp::ArmStatus::transport_error);
    CHECK(r2.attempts == 1);
    CHECK(r2.message ==
          "GET https://arm.test/subscriptions/s/resourceGroups/rg/providers/"
          "Microsoft.DesktopVirtualization/hostPools?api-version=2024-04-03: connection refused "
          "for ***");
}

TEST_CASE("list: a nextLink naming the same page again is not followed") {
    Scripted http;
    const std::string page =
        R"({"value":[{"name":"a"}],"nextLink":"https://arm.test/subscriptions/s/resourceGroups/rg/providers/Microsoft.DesktopVirtualization/hostPools?api-version=2024-04-03"})";
    http.script = {answer(200, page), answer(200, page)};
    cp::ArmClient arm(http, {"https://arm.test", "s", "rg", "2024-04-03"}, "tok");
    const auto r = arm.list();
    CHECK(r.status == cp::ArmStatus::bad_response);
    CHECK(http.sent.size() == 1);
    CHECK(r.message.ends_with(": nextLink points to the same page again"));
}
