#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <comredir/policy/io/safe_write.hpp>
#include <comredir/redirector/port/port_paths.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

namespace comredir::redirector::port {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxRecordBytes = 65536;  // a record is a few hundred bytes

namespace {

bool name_char(char c, std::string_view extra) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
}

std::string sys_error(const std::string& what, const std::string& path) {
    return what + " `" + path + "`: " + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
}

bool make_dir(const std::string& path, mode_t mode, std::string& error) {
    if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return true;
    error = sys_error("mkdir", path);
    return false;
}

}  // namespace

bool valid_port_name(std::string_view name) {
    return !name.empty() && name.size() <= 8 &&
           std::all_of(name.begin(), name.end(), [](char c) { return name_char(c, "_-"); });
}

bool valid_component(std::string_view name) {
    return !name.empty() && name.size() <= 64 && name.front() != '.' &&
           std::all_of(name.begin(), name.end(), [](char c) { return name_char(c, "._@-"); });
}

PublishResult publish_port(const std::string& run_dir, PortRecord record,
                           std::optional<uid_t> owner) {
    PublishResult r;
    if (!valid_port_name(record.port)) {
        r.error = "port name `" + record.port + "` is not 1-8 characters of [A-Za-z0-9_-]";
        return r;
    }
    if (!valid_component(record.session)) {
        r.error = "session id `" + record.session + "` is not a valid path component";
        return r;
    }
    const std::string session_dir = run_dir + "/" + record.session;
    if (!make_dir(run_dir, 0755, r.error) || !make_dir(session_dir, 0755, r.error)) return r;
    record.path = session_dir + "/" + record.port;
    ::unlink(record.path.c_str());
    if (::symlink(record.device.c_str(), record.path.c_str()) != 0) {
        r.error = sys_error("symlink", record.path);
        return r;
    }
    if (valid_component(record.user)) {
        const std::string users = run_dir + "/by-user";
        const std::string mine = users + "/" + record.user;
        std::string ignored;
        if (make_dir(users, 0755, ignored) && make_dir(mine, 0755, ignored)) {
            if (owner && ::chown(mine.c_str(), *owner, static_cast<gid_t>(-1)) != 0) {
                // Best effort: the alias works without it; the user just cannot tidy it.
            }
            const std::string alias = mine + "/" + record.port;
            // An existing link is another live session's: the first session keeps it.
            if (::symlink(record.path.c_str(), alias.c_str()) == 0) record.alias = alias;
        }
    }
    const std::string text = to_json(record) + "\n";
    const auto write = policy::write_file_atomic(
        session_dir + "/" + record.port + ".json",
        {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, 0644);
    if (!write.ok) {
        unpublish_port(run_dir, record);
        r.error = write.message;
        return r;
    }
    r.ok = true;
    r.record = std::move(record);
    return r;
}

void unpublish_port(const std::string& run_dir, const PortRecord& record) {
    if (!record.alias.empty()) {
        std::error_code ec;
        if (fs::read_symlink(record.alias, ec) == fs::path(record.path))
            ::unlink(record.alias.c_str());
        ::rmdir(fs::path(record.alias).parent_path().c_str());  // only when empty
    }
    const std::string session_dir = run_dir + "/" + record.session;
    ::unlink((session_dir + "/" + record.port + ".json").c_str());
    ::unlink((session_dir + "/" + record.port).c_str());
    ::rmdir(session_dir.c_str());  // only when empty
}

std::string to_json(const PortRecord& r) {
    const nlohmann::ordered_json j = {{"session", r.session}, {"client", r.client},
                                      {"user", r.user},       {"client_address", r.client_address},
                                      {"port", r.port},       {"path", r.path},
                                      {"alias", r.alias},     {"device", r.device},
                                      {"since", r.since}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

std::optional<PortRecord> read_record(const fs::path& file, std::string& warning) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec || size > kMaxRecordBytes) {
        warning = "`" + file.string() + "`: unreadable or larger than 64 KiB";
        return std::nullopt;
    }
    const auto j = nlohmann::json::parse(std::ifstream(file), nullptr, false);
    if (!j.is_object()) {
        warning = "`" + file.string() + "`: not a port record";
        return std::nullopt;
    }
    PortRecord r;
    const auto str = [&j](const char* k) -> std::string {
        const auto it = j.find(k);
        return it != j.end() && it->is_string() ? it->template get<std::string>() : std::string();
    };
    r.session = str("session");
    r.client = str("client");
    r.user = str("user");
    r.client_address = str("client_address");
    r.port = str("port");
    r.path = str("path");
    r.alias = str("alias");
    r.device = str("device");
    const auto since = j.find("since");
    r.since =
        since != j.end() && since->is_number_integer() ? since->template get<std::int64_t>() : 0;
    return r;
}

}  // namespace

PortList list_ports(const std::string& run_dir) {
    PortList out;
    std::error_code ec;
    for (const auto& session : fs::directory_iterator(run_dir, ec)) {
        if (!session.is_directory() || session.path().filename() == "by-user") continue;
        std::error_code ec2;
        for (const auto& entry : fs::directory_iterator(session.path(), ec2)) {
            if (entry.path().extension() != ".json") continue;
            std::string warning;
            auto rec = read_record(entry.path(), warning);
            if (!rec) {
                out.warnings.push_back(warning);
                continue;
            }
            if (!fs::is_symlink(fs::symlink_status(rec->path, ec2))) continue;  // stale record
            out.ports.push_back(std::move(*rec));
        }
    }
    std::sort(out.ports.begin(), out.ports.end(), [](const PortRecord& a, const PortRecord& b) {
        return std::tie(a.session, a.port) < std::tie(b.session, b.port);
    });
    return out;
}

}  // namespace comredir::redirector::port
