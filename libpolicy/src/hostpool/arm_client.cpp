// ARM host pools over HttpClient: list (nextLink), get (ETag), patch (If-Match), retries.
#include <comredir/policy/hostpool/arm.hpp>
#include <nlohmann/json.hpp>
#include <utility>

#include "hostpool/arm_send.hpp"
#include "io/json_locate.hpp"

namespace comredir::policy {

namespace {

constexpr int kMaxPages = 1000;

std::optional<ArmPool> pool_of(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("name") || !j["name"].is_string()) return std::nullopt;
    ArmPool p;
    p.name = j["name"].get<std::string>();
    if (j.contains("id") && j["id"].is_string()) p.id = j["id"].get<std::string>();
    if (j.contains("etag") && j["etag"].is_string()) p.etag = j["etag"].get<std::string>();
    if (j.contains("properties") && j["properties"].is_object()) {
        const auto& props = j["properties"];
        if (props.contains("customRdpProperty") && props["customRdpProperty"].is_string())
            p.custom_rdp_property = props["customRdpProperty"].get<std::string>();
        if (props.contains("friendlyName") && props["friendlyName"].is_string())
            p.friendly_name = props["friendlyName"].get<std::string>();
    }
    return p;
}

std::string json_problem(const std::string& body) {
    const auto doc = detail::parse_json_document(body);
    return doc.ok ? "unexpected JSON shape (no host pool there)" : "malformed JSON: " + doc.message;
}

}  // namespace

ArmClient::ArmClient(HttpClient& http, ArmTarget target, std::string token, RetryPolicy retry,
                     std::function<void(const std::string&)> verbose,
                     std::chrono::milliseconds timeout)
    : http_(http),
      target_(std::move(target)),
      token_(std::move(token)),
      retry_(std::move(retry)),
      verbose_(std::move(verbose)),
      timeout_(timeout) {
    while (target_.endpoint.ends_with('/')) target_.endpoint.pop_back();
}

std::string ArmClient::collection_url() const {
    return target_.endpoint + "/subscriptions/" + url_segment(target_.subscription) +
           "/resourceGroups/" + url_segment(target_.resource_group) +
           "/providers/Microsoft.DesktopVirtualization/hostPools";
}

std::string ArmClient::pool_url(const std::string& pool) const {
    return collection_url() + "/" + url_segment(pool) + "?api-version=" + target_.api_version;
}

ArmResult ArmClient::fail(ArmResult r, ArmStatus s, const std::string& what) const {
    r.status = s;
    r.message = redact(what, token_);
    return r;
}

HttpResponse ArmClient::send(const std::string& method, const std::string& url,
                             const std::string& body, const std::string& etag, ArmResult& result) {
    HttpRequest req{method,
                    url,
                    {{"Authorization", "Bearer " + token_}, {"Accept", "application/json"}},
                    body,
                    timeout_};
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    if (!etag.empty()) req.headers.emplace_back("If-Match", etag);
    return detail::send_with_retry(http_, req, retry_, token_, verbose_, result.attempts);
}

ArmResult ArmClient::list() {
    ArmResult r;
    std::string url = collection_url() + "?api-version=" + target_.api_version;
    for (int page = 0; !url.empty(); ++page) {
        if (page == kMaxPages)
            return fail(std::move(r), ArmStatus::bad_response,
                        "more than 1000 pages of host pools");
        const auto res = send("GET", url, "", "", r);
        const std::string what = "GET " + url + ": ";
        if (!res.error.empty())
            return fail(std::move(r), ArmStatus::transport_error, what + res.error);
        if (res.status != 200)
            return fail(std::move(r),
                        res.status == 404 ? ArmStatus::not_found : ArmStatus::http_error,
                        what + "HTTP " + std::to_string(res.status) + detail::arm_error(res.body));
        const auto j = nlohmann::json::parse(res.body, nullptr, false);
        if (!j.is_object() || !j.contains("value") || !j["value"].is_array())
            return fail(std::move(r), ArmStatus::bad_response, what + json_problem(res.body));
        for (const auto& item : j["value"]) {
            auto p = pool_of(item);
            if (!p)
                return fail(std::move(r), ArmStatus::bad_response,
                            what + "a host pool without a name");
            r.pools.push_back(std::move(*p));
        }
        const std::string previous = std::exchange(url, "");
        if (j.contains("nextLink") && j["nextLink"].is_string() &&
            !j["nextLink"].get<std::string>().empty()) {
            url = j["nextLink"].get<std::string>();
            if (url == previous)
                return fail(std::move(r), ArmStatus::bad_response,
                            what + "nextLink points to the same page again");
            if (!same_origin(url, target_.endpoint))
                return fail(
                    std::move(r), ArmStatus::bad_response,
                    what + "nextLink `" + url + "` leaves " + target_.endpoint + ": not followed");
        }
    }
    return r;
}

ArmResult ArmClient::get(const std::string& pool) {
    ArmResult r;
    const std::string url = pool_url(pool);
    const auto res = send("GET", url, "", "", r);
    const std::string what = "GET " + url + ": ";
    if (!res.error.empty()) return fail(std::move(r), ArmStatus::transport_error, what + res.error);
    if (res.status == 404)
        return fail(std::move(r), ArmStatus::not_found,
                    "host pool `" + pool + "` not found: " + what + "HTTP 404" +
                        detail::arm_error(res.body));
    if (res.status != 200)
        return fail(std::move(r), ArmStatus::http_error,
                    what + "HTTP " + std::to_string(res.status) + detail::arm_error(res.body));
    auto p = pool_of(nlohmann::json::parse(res.body, nullptr, false));
    if (!p) return fail(std::move(r), ArmStatus::bad_response, what + json_problem(res.body));
    if (const auto etag = res.header("ETag")) p->etag = *etag;
    p->body = res.body;
    r.pools.push_back(std::move(*p));
    return r;
}

ArmResult ArmClient::patch(const std::string& pool, const std::string& value,
                           const std::string& etag) {
    ArmResult r;
    const std::string url = pool_url(pool);
    const std::string body = nlohmann::json{{"properties", {{"customRdpProperty", value}}}}.dump();
    const auto res = send("PATCH", url, body, etag, r);
    const std::string what = "PATCH " + url + ": ";
    if (!res.error.empty()) return fail(std::move(r), ArmStatus::transport_error, what + res.error);
    if (res.status == 412 || res.status == 409)
        return fail(std::move(r), ArmStatus::conflict,
                    "host pool `" + pool + "` changed since it was read: " + what + "HTTP " +
                        std::to_string(res.status) + detail::arm_error(res.body) +
                        ": nothing written; run the command again");
    if (res.status == 404)
        return fail(std::move(r), ArmStatus::not_found,
                    "host pool `" + pool + "` not found: " + what + "HTTP 404" +
                        detail::arm_error(res.body));
    if (res.status != 200 && res.status != 201 && res.status != 202)
        return fail(std::move(r), ArmStatus::http_error,
                    what + "HTTP " + std::to_string(res.status) + detail::arm_error(res.body));
    if (auto p = pool_of(nlohmann::json::parse(res.body, nullptr, false)))
        r.pools.push_back(std::move(*p));
    return r;
}

}  // namespace comredir::policy
