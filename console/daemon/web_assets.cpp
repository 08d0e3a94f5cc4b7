#include "web_assets.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace comredir::console::daemon {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFiles = 256;
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{8} * 1024 * 1024;

struct TypeByExtension {
    std::string_view ext;
    std::string_view type;
};
constexpr std::array<TypeByExtension, 9> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
}};

}  // namespace

std::string_view web_content_type(std::string_view filename) {
    const auto dot = filename.rfind('.');
    if (dot == std::string_view::npos) return {};
    const auto ext = filename.substr(dot);
    for (const auto& t : kTypes)
        if (t.ext == ext) return t.type;
    return {};
}

const WebAsset* WebAssets::find(std::string_view path) const {
    if (path == "/") path = "/index.html";
    const auto it = files.find(path);
    return it == files.end() ? nullptr : &it->second;
}

WebAssetsResult load_web_assets(const std::string& root) {
    WebAssetsResult r;
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(root, ec);
    if (ec || !fs::is_directory(base, ec)) {
        r.error = "web page folder `" + root + "`: not a folder";
        return r;
    }
    fs::recursive_directory_iterator it(base, fs::directory_options::none, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const fs::path& p = it->path();
        const auto type = web_content_type(p.filename().string());
        if (type.empty()) continue;
        if (r.assets.files.size() == kMaxFiles) {
            r.error =
                "web page folder `" + root + "`: more than " + std::to_string(kMaxFiles) + " files";
            return r;
        }
        const auto size = it->file_size(ec);
        if (ec || size > kMaxFileBytes) {
            r.error =
                "web page file `" + p.string() + "`: " + (ec ? ec.message() : "larger than 8 MiB");
            return r;
        }
        std::ifstream in(p, std::ios::binary);
        std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) {
            r.error = "web page file `" + p.string() + "`: cannot be read";
            return r;
        }
        r.assets.files.emplace("/" + p.lexically_relative(base).generic_string(),
                               WebAsset{std::move(body), std::string(type)});
    }
    if (ec) {
        r.error = "web page folder `" + root + "`: " + ec.message();
        return r;
    }
    if (r.assets.files.find("/index.html") == r.assets.files.end()) {
        r.error = "web page folder `" + root + "`: no `index.html`";
        return r;
    }
    r.assets.root = base.string();
    r.ok = true;
    return r;
}

std::vector<std::string> default_web_roots() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const fs::path dir = exe.parent_path();
    return {(dir.parent_path() / "share" / "comredir" / "console-web").string(),
            (dir / "web").string()};
}

}  // namespace comredir::console::daemon
