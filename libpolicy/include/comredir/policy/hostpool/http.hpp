#pragma once
// A small HTTP client interface, so the transport stays replaceable (ARCHITECTURE.md):
// the ARM host-pool source talks to HttpClient; make_curl_client gives the libcurl one.
// TLS verification is always on; `ca_file` only adds trust (sovereign clouds, tests).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comredir::policy {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method;  ///< GET, PATCH, ...
    std::string url;
    HttpHeaders headers;
    std::string body;
    std::chrono::milliseconds timeout{30000};  ///< whole request
};

struct HttpResponse {
    long status = 0;      ///< 0 when the request failed before a response (see `error`)
    HttpHeaders headers;  ///< names as received
    std::string body;
    std::string error;  ///< transport failure: one line (timeout, TLS, connection refused)
    /// A header by name (ASCII case-insensitive), the last one received.
    std::optional<std::string> header(std::string_view name) const;
};

class HttpClient {
  public:
    HttpClient() = default;
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    virtual ~HttpClient() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

struct CurlOptions {
    std::string ca_file;  ///< extra CA bundle (PEM); empty: the system's
};

/// libcurl: HTTPS only (http:// is refused), peer and host verification on, no redirects
/// followed (a redirect would carry the Authorization header elsewhere).
std::unique_ptr<HttpClient> make_curl_client(const CurlOptions& options);

}  // namespace comredir::policy
