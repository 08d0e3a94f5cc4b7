#pragma once
// The browser page's files (console/web, built with npm ci at build time), read once at
// start and served from memory: no file is opened per request, so no request path ever
// reaches the file system.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::console::daemon {

struct WebAsset {
    std::string body;
    std::string type;  ///< Content-Type
};

struct WebAssets {
    std::string root;  ///< the folder they were read from; empty: no page
    std::map<std::string, WebAsset, std::less<>> files;  ///< by URL path: `/js/console.js`

    /// The file for a request path (`/` is `/index.html`), or null.
    const WebAsset* find(std::string_view path) const;
};

struct WebAssetsResult {
    bool ok = false;
    std::string error;  ///< one line naming the folder or file
    WebAssets assets;
};

/// Reads every file under `root` whose extension has a known type (html, js, mjs, css,
/// png, svg, ico, woff2, txt); others are skipped. At most 256 files of 8 MiB each; the
/// folder must hold `index.html`.
WebAssetsResult load_web_assets(const std::string& root);

/// `text/html; charset=utf-8` for `.html`..., empty for an unknown extension.
std::string_view web_content_type(std::string_view filename);

/// Where the page is looked for when the config names no `webRoot`, in order: next to an
/// installed binary (`<exe>/../share/comredir/console-web`), then in the build tree
/// (`<exe>/web`).
std::vector<std::string> default_web_roots();

}  // namespace comredir::console::daemon
