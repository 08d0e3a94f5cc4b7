#pragma once
// Azure Resource Manager: Microsoft.DesktopVirtualization/hostPools (api-version
// 2024-04-03) over an HttpClient (http.hpp). Lists pools (following nextLink), GETs one
// with its ETag, and PATCHes only properties.customRdpProperty, with If-Match when the
// service gave an ETag. 429 and 5xx are retried with exponential backoff and jitter,
// honouring Retry-After (seconds or an HTTP date). The bearer token never appears in any
// message: everything that could echo it goes through redact().

#include <chrono>
#include <comredir/policy/hostpool/http.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy {

struct ArmTarget {
    std::string endpoint = "https://management.azure.com";  ///< no trailing slash needed
    std::string subscription;
    std::string resource_group;
    std::string api_version = "2024-04-03";
};

struct RetryPolicy {
    int max_attempts = 4;                                  ///< the first try included
    std::chrono::milliseconds base{500};                   ///< backoff: base * 2^n, with jitter
    std::chrono::milliseconds cap{30000};                  ///< no wait longer than this
    std::function<void(std::chrono::milliseconds)> sleep;  ///< default: this thread sleeps
};

struct ArmPool {
    std::string name;
    std::string id;
    std::string etag;  ///< the ETag header (or `etag` member); empty when none
    std::optional<std::string> custom_rdp_property;  ///< null in ARM: nullopt
    std::string friendly_name;
    std::string body;  ///< get: the response body as received (for --backup)
};

enum class ArmStatus { ok, not_found, conflict, bad_response, http_error, transport_error, usage };

struct ArmResult {
    ArmStatus status = ArmStatus::ok;
    std::string message;  ///< one line: method, URL (no token), status, ARM's error code/message
    std::vector<ArmPool> pools;  ///< list: every page; get / patch: the one pool
    int attempts = 0;            ///< requests sent for the last call (retries included)
    bool ok() const { return status == ArmStatus::ok; }
};

class ArmClient {
  public:
    /// `verbose`: one line per request and response (Authorization shown as `Bearer ***`).
    ArmClient(HttpClient& http, ArmTarget target, std::string token, RetryPolicy retry = {},
              std::function<void(const std::string&)> verbose = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(30));
    ArmResult list();
    ArmResult get(const std::string& pool);
    /// PATCH {"properties":{"customRdpProperty": value}}, If-Match `etag` when not empty.
    ArmResult patch(const std::string& pool, const std::string& value, const std::string& etag);

    std::string collection_url() const;
    std::string pool_url(const std::string& pool) const;

  private:
    HttpResponse send(const std::string& method, const std::string& url, const std::string& body,
                      const std::string& etag, ArmResult& result);
    ArmResult fail(ArmResult r, ArmStatus s, const std::string& what) const;
    HttpClient& http_;
    ArmTarget target_;
    std::string token_;
    RetryPolicy retry_;
    std::function<void(const std::string&)> verbose_;
    std::chrono::milliseconds timeout_;
};

/// Retry-After as a delay: delta-seconds, or an IMF-fixdate relative to `now`; nullopt if
/// neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
/// `text` with every occurrence of `secret` replaced by `***` (empty secret: unchanged).
std::string redact(std::string text, std::string_view secret);
/// Whether a nextLink may be followed: same scheme, host and port as `endpoint` (the token
/// must never be sent anywhere else).
bool same_origin(std::string_view url, std::string_view endpoint);
/// A path segment percent-encoded (RFC 3986 unreserved characters kept; `.` and `..` alone
/// encoded too, so they are no dot segments).
std::string url_segment(std::string_view s);

/// The token: COMREDIR_ARM_TOKEN, else `az account get-access-token --resource ENDPOINT
/// --query accessToken -o tsv` run without a shell (PATH lookup). nullopt with `error`.
std::optional<std::string> arm_token(const std::string& endpoint, std::string& error);

}  // namespace comredir::policy
