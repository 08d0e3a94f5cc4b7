// HttpResponse, and make_curl_client: the libcurl client comes from its module
// (http_module.hpp), loaded when the first client is made.
#include <comredir/policy/hostpool/http.hpp>

#include "hostpool/http_module.hpp"
#include "io/module_load.hpp"
#include "io/text.hpp"

namespace comredir::policy {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    std::optional<std::string> out;
    for (const auto& [k, v] : headers)
        if (detail::iequals(k, name)) out = v;
    return out;
}

namespace {

/// Every request fails with why HTTPS is not available (the module did not load).
class UnavailableClient final : public HttpClient {
  public:
    explicit UnavailableClient(std::string why) : why_(std::move(why)) {}
    HttpResponse send(const HttpRequest& /*request*/) override {
        HttpResponse r;
        r.error = why_;
        return r;
    }

  private:
    std::string why_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const CurlOptions& options) {
    std::string error;
    void* entry = detail::module_symbol(detail::kHttpModule, detail::kHttpModuleEntry, error);
    if (entry == nullptr) return std::make_unique<UnavailableClient>(error);
    auto* make = reinterpret_cast<decltype(&comredir_http_make_curl_client)>(entry);
    return std::unique_ptr<HttpClient>(make(options));
}

}  // namespace comredir::policy
