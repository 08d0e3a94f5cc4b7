#pragma once
// What every Azure Resource Manager call shares (ArmClient, the Resource Graph query): one
// request sent with the bearer token and retried on 429 and 5xx, and ARM's error body read.

#include <comredir/policy/hostpool/arm.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace comredir::policy::detail {

using Verbose = std::function<void(const std::string&)>;

/// Sends `req` (the Authorization header already in it) until it gets an answer that is
/// neither 429 nor 5xx, or `retry.max_attempts` are spent; a transport failure is not
/// retried. Waits Retry-After (seconds or an HTTP date), else Resource Graph's
/// `x-ms-user-quota-resets-after` (hh:mm:ss), else base * 2^n with jitter; never longer
/// than `retry.cap`. `attempts` counts every request sent. `verbose` lines never hold
/// `token`.
HttpResponse send_with_retry(HttpClient& http, const HttpRequest& req, const RetryPolicy& retry,
                             std::string_view token, const Verbose& verbose, int& attempts);

/// ` (Code: message)` from an ARM error body (newlines made spaces), or empty.
std::string arm_error(const std::string& body);

/// `hh:mm:ss` as a delay; nullopt when it is not that.
std::optional<std::chrono::milliseconds> parse_hms(std::string_view value);

}  // namespace comredir::policy::detail
