#pragma once
// Where accepted ports appear on the host, and the records `comredir-redirector ports`
// lists (like Windows' chgport):
//
//   <run-dir>/<session-id>/<PORT>        symlink to the pty slave (/dev/pts/N): stable path
//   <run-dir>/<session-id>/<PORT>.json   the port's record (written atomically)
//   <run-dir>/by-user/<user>/<PORT>      per-user alias: symlink to the stable path; the
//                                        first session of a user to publish PORT owns it
//
// PORT is the client's PreferredDosName (peer data: checked by valid_port_name before it
// becomes a file name), user is the authenticated account.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector::port {

struct PortRecord {
    std::string session;         ///< session id (a valid_component)
    std::string client;          ///< the client's computer name
    std::string user;            ///< authenticated user
    std::string client_address;  ///< peer address
    std::string port;            ///< client port name, e.g. COM1
    std::string path;            ///< stable path <run-dir>/<session>/<PORT>
    std::string alias;           ///< <run-dir>/by-user/<user>/<PORT>, empty if not taken
    std::string device;          ///< the pty slave, /dev/pts/N
    std::int64_t since = 0;      ///< unix seconds when the port was accepted
    bool operator==(const PortRecord&) const = default;
};

/// A DOS device name as a client announces it: 1 to 8 characters of [A-Za-z0-9_-].
bool valid_port_name(std::string_view name);
/// A user or session id usable as one path component: [A-Za-z0-9._@-], not `.`/`..`
/// nor starting with `.`, at most 64 characters.
bool valid_component(std::string_view name);

struct PublishResult {
    bool ok = false;
    std::string error;  ///< one line naming the path
    PortRecord record;  ///< path and alias filled in
};

/// Creates the session folder (0755), the stable link, the record, and the user's alias
/// when free. `owner` gets the by-user folder. Refuses invalid names.
PublishResult publish_port(const std::string& run_dir, PortRecord record,
                           std::optional<uid_t> owner = std::nullopt);
/// Removes what publish_port made (the alias only if it still points to this port) and
/// the session folder once empty. Errors are ignored: the port is gone either way.
void unpublish_port(const std::string& run_dir, const PortRecord& record);

std::string to_json(const PortRecord& r);
struct PortList {
    std::vector<PortRecord> ports;      ///< sorted by session, then port
    std::vector<std::string> warnings;  ///< unreadable records, one line each
};
/// Every record under `run_dir` whose stable link still exists.
PortList list_ports(const std::string& run_dir);

}  // namespace comredir::redirector::port
