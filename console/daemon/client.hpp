#pragma once
// comredir-console's client commands: `connect` (an interactive terminal on a target),
// `list` (the targets, who is attached, their seats and idle times), `disable` / `enable`
// (an owner's per-target switch). They log in over HTTPS (POST /login: the password comes
// from a prompt without echo, or a file) and never put a token in a URL.
//
// The gateway's certificate is checked against the system's CAs and the URL's host name,
// or against `--ca FILE`, or pinned by its SHA-256 fingerprint (`--fingerprint`, printed by
// the gateway at start); `--insecure` checks nothing and says so.

#include <optional>
#include <string>

namespace comredir::console::daemon {

struct ClientOptions {
    std::string url;   ///< https://HOST[:PORT]
    std::string user;  ///< default: $USER
    std::string password_file;
    std::string ca_file;
    std::string fingerprint;
    bool insecure = false;
};

struct ConnectOptions {
    std::string target;
    bool read_only = false;
    bool takeover = false;
};

int run_connect(const ClientOptions& client, const ConnectOptions& options);
int run_list(const ClientOptions& client, bool json);
int run_switch(const ClientOptions& client, const std::string& target, bool on);

}  // namespace comredir::console::daemon
