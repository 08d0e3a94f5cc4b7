// HttpClient over libcurl (http.hpp), built as the module `libcomredir_http.so`
// (http_module.hpp): only the commands that reach Azure load libcurl and its TLS stack.
#include <curl/curl.h>

#include <comredir/policy/hostpool/http.hpp>
#include <mutex>

#include "hostpool/http_module.hpp"
#include "io/text.hpp"

namespace comredir::policy {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<HttpHeaders*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) headers->clear();  // a new response (after 100 Continue)
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() &&
               (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    return size * count;
}

class CurlClient final : public HttpClient {
  public:
    explicit CurlClient(CurlOptions o) : options_(std::move(o)) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    }

    HttpResponse send(const HttpRequest& req) override {
        HttpResponse res;
        if (!req.url.starts_with("https://")) {
            res.error = "refused: `" + req.url.substr(0, req.url.find('?')) + "` is not https";
            return res;
        }
        CURL* c = curl_easy_init();
        if (c == nullptr) {
            res.error = "cannot start libcurl";
            return res;
        }
        curl_slist* headers = nullptr;
        for (const auto& [k, v] : req.headers)
            headers = curl_slist_append(headers, (k + ": " + v).c_str());
        // No `Expect: 100-continue` for bodies over 1 KiB: a server that ignores it costs 1 s.
        headers = curl_slist_append(headers, "Expect:");
        char error[CURL_ERROR_SIZE] = {};
        // NOLINTBEGIN(cppcoreguidelines-pro-type-vararg): libcurl's C API
        curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        if (!req.body.empty() || req.method != "GET") {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(req.body.size()));
        }
        if (req.method == "GET") curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!options_.ca_file.empty())
            curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &res.headers);
        const CURLcode rc = curl_easy_perform(c);
        if (rc == CURLE_OK) {
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
        } else {
            res.error = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(rc));
            if (rc == CURLE_OPERATION_TIMEDOUT)
                res.error = "timed out after " + std::to_string(req.timeout.count()) + " ms";
        }
        // NOLINTEND(cppcoreguidelines-pro-type-vararg)
        curl_slist_free_all(headers);
        curl_easy_cleanup(c);
        return res;
    }

  private:
    CurlOptions options_;
};

}  // namespace

}  // namespace comredir::policy

comredir::policy::HttpClient* comredir_http_make_curl_client(
    const comredir::policy::CurlOptions& options) {
    return new comredir::policy::CurlClient(options);  // NOLINT(cppcoreguidelines-owning-memory)
}
