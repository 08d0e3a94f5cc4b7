// The retried ARM request and ARM's error body (arm_send.hpp).
#include "hostpool/arm_send.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

namespace comredir::policy::detail {

namespace {

bool retryable(long status) {
    return status == 429 || (status >= 500 && status <= 599);
}

/// The wait the service asked for, if it said one.
std::optional<std::chrono::milliseconds> asked_wait(const HttpResponse& res) {
    if (const auto after = res.header("Retry-After")) {
        if (const auto d = parse_retry_after(*after)) return d;
    }
    if (const auto reset = res.header("x-ms-user-quota-resets-after")) return parse_hms(*reset);
    return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_hms(std::string_view value) {
    // hh:mm:ss, each part digits (hours may have more than two)
    const auto c1 = value.find(':');
    const auto c2 = c1 == std::string_view::npos ? c1 : value.find(':', c1 + 1);
    if (c2 == std::string_view::npos || value.find(':', c2 + 1) != std::string_view::npos)
        return std::nullopt;
    const std::string_view parts[] = {value.substr(0, c1), value.substr(c1 + 1, c2 - c1 - 1),
                                      value.substr(c2 + 1)};
    long long n[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        if (parts[i].empty() || parts[i].size() > 6 ||
            parts[i].find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        for (const char ch : parts[i]) n[i] = n[i] * 10 + (ch - '0');
    }
    if (n[1] > 59 || n[2] > 59) return std::nullopt;
    return std::chrono::seconds(n[0] * 3600 + n[1] * 60 + n[2]);
}

HttpResponse send_with_retry(HttpClient& http, const HttpRequest& req, const RetryPolicy& retry,
                             std::string_view token, const Verbose& verbose, int& attempts) {
    std::mt19937 rng(std::random_device{}());
    HttpResponse res;
    for (int attempt = 0; attempt < retry.max_attempts; ++attempt) {
        if (verbose)
            verbose(redact(req.method + " " + req.url + " (Authorization: Bearer ***)", token));
        res = http.send(req);
        ++attempts;
        if (verbose)
            verbose(redact(
                "  -> " + (res.error.empty() ? "HTTP " + std::to_string(res.status) : res.error),
                token));
        if (!res.error.empty() || !retryable(res.status) || attempt + 1 == retry.max_attempts)
            break;
        auto wait = std::chrono::milliseconds(retry.base.count() << attempt);
        wait = std::chrono::milliseconds(static_cast<long long>(
            static_cast<double>(wait.count()) * std::uniform_real_distribution(0.5, 1.5)(rng)));
        if (const auto asked = asked_wait(res)) wait = *asked;
        wait = std::min(wait, retry.cap);
        if (verbose) verbose("  retrying in " + std::to_string(wait.count()) + " ms");
        if (retry.sleep) {
            retry.sleep(wait);
        } else {
            std::this_thread::sleep_for(wait);
        }
    }
    return res;
}

std::string arm_error(const std::string& body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
    const auto& e = j["error"];
    const std::string code =
        e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
    std::string msg =
        e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
    for (char& c : msg)
        if (c == '\n' || c == '\r') c = ' ';
    return " (" + code + (msg.empty() ? "" : ": " + msg) + ")";
}

}  // namespace comredir::policy::detail
