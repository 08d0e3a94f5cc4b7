#include "switches.hpp"

#include <comredir/host/rfc3339.hpp>
#include <comredir/policy/io/file_lock.hpp>
#include <comredir/policy/io/file_read.hpp>
#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

namespace comredir::console::daemon {

namespace fs = std::filesystem;

Switches read_switches(const std::string& path) {
    Switches s;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) return s;
    const auto file = policy::read_regular_file(path, 1u << 20);
    const auto bad = [&](const std::string& why) {
        s.ok = false;
        s.error = why;
        return s;
    };
    if (!file.ok) return bad(file.message);
    const auto doc = nlohmann::json::parse(file.bytes.begin(), file.bytes.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return bad(path + ": not a JSON object");
    if (doc.value("version", 0) != 1) return bad(path + ": `version` is not 1");
    const auto off = doc.find("off");
    if (off == doc.end() || !off->is_object()) return bad(path + ": no `off` object");
    for (const auto& [name, v] : off->items()) {
        if (!v.is_object()) return bad(path + ": /off/" + name + ": not an object");
        s.off[name] = {v.value("by", std::string()), v.value("at", std::string())};
    }
    return s;
}

SwitchWrite write_switch(const std::string& path, const std::string& target, bool on,
                         const std::string& by, std::chrono::system_clock::time_point now) {
    SwitchWrite w;
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    auto lock = policy::lock_folder_of(path, std::chrono::seconds(30));
    if (!lock.ok()) {
        w.message = lock.message;
        return w;
    }
    nlohmann::json doc = {{"version", 1}, {"off", nlohmann::json::object()}};
    if (fs::exists(fs::symlink_status(path, ec))) {
        // An unreadable file is replaced only by a deliberate edit, not by a switch.
        const auto current = read_switches(path);
        if (!current.ok) {
            w.message = current.error + " (fix or remove it first)";
            return w;
        }
        const auto file = policy::read_regular_file(path, 1u << 20);
        doc = nlohmann::json::parse(file.bytes.begin(), file.bytes.end(), nullptr, false);
    }
    auto& off = doc["off"];
    const bool was_off = off.contains(target);
    if (on == !was_off) {
        w.ok = true;
        w.message = "target `" + target + "` is already " + (on ? "on" : "off");
        return w;
    }
    if (on)
        off.erase(target);
    else
        off[target] = {{"by", by}, {"at", host::rfc3339_utc(now)}};
    const std::string text = doc.dump(2) + "\n";
    const auto r = policy::write_file_atomic(
        path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0600);
    if (!r.ok) {
        w.message = r.message;
        return w;
    }
    w.ok = true;
    w.changed = true;
    w.message = "target `" + target + "` switched " + (on ? "on" : "off") + " by `" + by + "`";
    return w;
}

}  // namespace comredir::console::daemon
