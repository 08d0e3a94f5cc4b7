#include <comredir/host/run_dir.hpp>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace comredir::host {

namespace fs = std::filesystem;

bool prepare_run_dir(const std::string& dir, std::string& error) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        error = "cannot create run directory `" + dir + "`: " + ec.message();
        return false;
    }
    const fs::path marker = fs::path(dir) / kRunDirMarker;
    const bool ours = fs::exists(marker, ec);
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename() != kRunDirMarker) entries.push_back(it->path());
    }
    if (ec) {
        error = "cannot read run directory `" + dir + "`: " + ec.message();
        return false;
    }
    if (!ours && !entries.empty()) {
        error = "run directory `" + dir + "` holds files that are not comredir's (no `" +
                kRunDirMarker + "`): give an empty or new folder";
        return false;
    }
    for (const auto& e : entries) {
        fs::remove_all(e, ec);
        if (ec) {
            error = "cannot remove `" + e.string() + "` left by a previous run: " + ec.message();
            return false;
        }
    }
    if (!ours) {
        std::ofstream(marker) << "comredir-redirector run directory: cleaned at every start\n";
        if (!fs::exists(marker, ec)) {
            error = "cannot write `" + marker.string() + "`";
            return false;
        }
    }
    fs::permissions(dir, fs::perms(0755), ec);
    return true;
}

}  // namespace comredir::host
