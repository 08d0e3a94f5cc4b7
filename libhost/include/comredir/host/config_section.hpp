#pragma once
// Reading a daemon's section of comredir's JSON config strictly: unknown keys are refused (a
// misspelt key must not fall back to a default silently), every value is type- and
// range-checked, and the first problem is kept with its JSON pointer
// (`/console/targets/0/baud: expected an integer 50-4000000, got `"fast"``). Relative paths
// are resolved against the config file's folder. The settings both daemons share (listen
// address, logins, TLS files) are read here once.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace comredir::host {

struct ConfigFailure {
    std::string pointer;  ///< `/console/targets/0/baud`
    std::string what;     ///< one lowercase line
};

/// One object of the config. Every reader returns nullopt when the key is absent or the
/// value is wrong (then `error` holds the first failure; later reads do nothing).
class ConfigSection {
  public:
    ConfigSection(const nlohmann::json& obj, std::string pointer,
                  std::optional<ConfigFailure>& error)
        : obj_(obj), ptr_(std::move(pointer)), err_(error) {}

    /// Refuses every key not named.
    void allow(std::initializer_list<const char*> keys);
    std::optional<std::string> string(const char* key);
    /// A non-empty string naming a path, made absolute against `base`.
    std::optional<std::string> path(const char* key, const std::filesystem::path& base);
    std::optional<std::uint64_t> number(const char* key, std::uint64_t min, std::uint64_t max);
    std::optional<bool> boolean(const char* key);
    const nlohmann::json* object(const char* key);
    const nlohmann::json* array(const char* key);
    bool has(const char* key) const { return obj_.contains(key); }
    void fail(const std::string& pointer, const std::string& what);
    /// `/console/targets/0` + `/baud`.
    std::string at(std::string_view key) const { return ptr_ + "/" + std::string(key); }
    const std::string& pointer() const { return ptr_; }
    bool failed() const { return err_.has_value(); }

  private:
    const nlohmann::json& obj_;
    std::string ptr_;
    std::optional<ConfigFailure>& err_;
};

/// `base / p` unless `p` is absolute.
std::string resolve_path(const std::filesystem::path& base, const std::string& p);

/// `ADDR:PORT`, `[V6ADDR]:PORT` or `:PORT` (all addresses). False with `error` set.
/// With `port_zero`, port 0 (any free port: the daemon reports the one it bound) is allowed.
bool parse_listen(std::string_view text, std::string& host, std::uint16_t& port, std::string& error,
                  bool port_zero = false);

enum class AuthMethod { file, pam };
std::string_view to_string(AuthMethod m);

/// How a daemon checks logins: `{"method": "file", "file": "users"}` or
/// `{"method": "pam", "service": "comredir"}`.
struct AuthSettings {
    AuthMethod method = AuthMethod::file;
    std::string credentials_file;  ///< for `file`
    std::string pam_service = "comredir";
};
/// Reads the `auth` object at `pointer`.
void read_auth_section(const nlohmann::json& obj, const std::string& pointer,
                       const std::filesystem::path& base, AuthSettings& out,
                       std::optional<ConfigFailure>& error);

/// `{"certificate": "cert.pem", "key": "key.pem"}`: both or neither.
void read_tls_section(const nlohmann::json& obj, const std::string& pointer,
                      const std::filesystem::path& base, std::string& certificate, std::string& key,
                      std::optional<ConfigFailure>& error);

}  // namespace comredir::host
