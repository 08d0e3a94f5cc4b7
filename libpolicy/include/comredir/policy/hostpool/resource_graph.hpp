#pragma once
// Azure Resource Graph: every Microsoft.DesktopVirtualization/hostPools resource of some
// subscriptions or management groups, with its customRdpProperty, in one query
// (`POST {endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`).
// Pages of at most 1000 rows are fetched by resending the same body with the `$skipToken`
// the previous page gave; the query projects `id`, so Resource Graph can page it. 429 and
// 5xx are retried as ArmClient does (arm.hpp), also honouring Resource Graph's
// `x-ms-user-quota-resets-after`. The token never appears in any message.

#include <chrono>
#include <comredir/policy/hostpool/arm.hpp>
#include <comredir/policy/hostpool/http.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace comredir::policy {

struct GraphRequest {
    std::string endpoint = "https://management.azure.com";
    std::vector<std::string> subscriptions;      ///< either these ...
    std::vector<std::string> management_groups;  ///< ... or these (not both)
    std::string api_version = "2024-04-01";
    int page_size = 1000;  ///< `$top`, 1..1000
    /// After each page: (rows read so far, `totalRecords` of the first page, 0 if none).
    std::function<void(std::size_t, std::uint64_t)> on_page;
};

struct GraphPool {
    std::string id;  ///< ARM resource id
    std::string name;
    std::string subscription;
    std::string resource_group;
    std::string location;
    std::string friendly_name;
    std::optional<std::string> custom_rdp_property;  ///< null in Azure: nullopt
};

struct GraphResult {
    ArmStatus status = ArmStatus::ok;
    /// !ok: what failed (method, URL, status, ARM's error code and message). ok and partial:
    /// why some host pools may be missing.
    std::string message;
    std::vector<GraphPool> pools;  ///< in the order received, each id once
    /// Some host pools may be missing: a page failed after earlier ones were read, Resource
    /// Graph truncated the result, or the scope hit its 10,000-subscription limit.
    bool partial = false;
    std::uint64_t total_records = 0;  ///< `totalRecords` of the first page
    int pages = 0;                    ///< pages read
    int attempts = 0;                 ///< requests sent (retries included)
    std::size_t duplicates = 0;       ///< rows whose id an earlier page had (dropped)
    bool ok() const { return status == ArmStatus::ok; }
};

/// The Kusto query sent: host pools, projected with `id` first, ordered by id.
const std::string& host_pool_graph_query();

/// Runs the query to the last page. `verbose`: one line per request and response.
GraphResult query_host_pools(HttpClient& http, const GraphRequest& req, const std::string& token,
                             const RetryPolicy& retry = {},
                             const std::function<void(const std::string&)>& verbose = {},
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace comredir::policy
