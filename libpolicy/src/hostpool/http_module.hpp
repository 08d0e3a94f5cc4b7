#pragma once
// The libcurl HttpClient's module (io/module_load.hpp): http_curl.cpp is built into
// `libcomredir_http.so`, and make_curl_client (http.cpp) loads it on first use.

#include <comredir/policy/hostpool/http.hpp>

namespace comredir::policy::detail {

inline constexpr const char* kHttpModule = "libcomredir_http.so";
inline constexpr const char* kHttpModuleEntry = "comredir_http_make_curl_client";

}  // namespace comredir::policy::detail

/// The module's one entry: a new libcurl client (the caller owns it).
extern "C" comredir::policy::HttpClient* comredir_http_make_curl_client(
    const comredir::policy::CurlOptions& options);
