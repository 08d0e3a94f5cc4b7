#include "cmd_ports.hpp"

#include <algorithm>
#include <comredir/redirector/port/port_paths.hpp>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "exit_codes.hpp"

namespace comredir::redirector::daemon {

namespace {

std::string since_text(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    if (::gmtime_r(&t, &tm) == nullptr) return "?";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

int list_ports_command(const std::string& run_dir, bool json) {
    std::error_code ec;
    if (!std::filesystem::is_directory(run_dir, ec)) {
        std::cerr << "comredir-redirector: run directory `" << run_dir
                  << "` does not exist (is the daemon running? see --run-dir)\n";
        return kExitConfig;
    }
    auto list = port::list_ports(run_dir);
    for (const auto& w : list.warnings) std::cerr << "comredir-redirector: warning: " << w << '\n';
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : list.ports) {
            // The record keeps Unix seconds; people and scripts get RFC 3339, as the table.
            auto record = nlohmann::json::parse(port::to_json(p));
            record["since"] = since_text(p.since);
            out.push_back(std::move(record));
        }
        std::cout << nlohmann::json{{"runDir", run_dir}, {"ports", out}}.dump(2) << '\n';
        return 0;
    }
    if (list.ports.empty()) {
        std::cout << "no redirected ports in `" << run_dir << "`\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows{
        {"SESSION", "CLIENT", "USER", "PORT", "PATH", "DEVICE", "SINCE"}};
    for (const auto& p : list.ports)
        rows.push_back(
            {p.session, p.client, p.user, p.port, p.path, p.device, since_text(p.since)});
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
        }
        std::cout << line << '\n';
    }
    return 0;
}

}  // namespace comredir::redirector::daemon
