// The ARM bearer token: COMREDIR_ARM_TOKEN, or the Azure CLI run without a shell.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/policy/hostpool/arm.hpp>
#include <cstdlib>
#include <cstring>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawnp

namespace comredir::policy {

namespace {

constexpr std::size_t kMaxTokenOutput = 65536;  // a token is a few KiB

bool plain(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
    return !s.empty();
}

}  // namespace

std::optional<std::string> arm_token(const std::string& endpoint, std::string& error) {
    if (const char* env = std::getenv("COMREDIR_ARM_TOKEN");
        env != nullptr && *env != '\0') {  // NOLINT(concurrency-mt-unsafe)
        if (!plain(env)) {
            error = "COMREDIR_ARM_TOKEN holds whitespace or control characters";
            return std::nullopt;
        }
        return std::string(env);
    }
    if (!endpoint.starts_with("https://") || !plain(endpoint)) {
        error = "endpoint `" + endpoint + "` is not an https URL without spaces";
        return std::nullopt;
    }
    std::string resource = endpoint;
    if (!resource.ends_with('/')) resource += '/';
    int out[2];
    if (::pipe(out) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);  // NOLINT(concurrency-mt-unsafe)
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, out[1]);
    std::string a0 = "az", a1 = "account", a2 = "get-access-token", a3 = "--resource",
                a5 = "--query", a6 = "accessToken", a7 = "-o", a8 = "tsv";
    char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), resource.data(),
                    a5.data(), a6.data(), a7.data(), a8.data(), nullptr};
    pid_t pid = 0;
    const int rc = ::posix_spawnp(&pid, "az", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        error = "no token: COMREDIR_ARM_TOKEN is not set and `az` could not be run (" +
                std::string(std::strerror(rc)) +
                "); install the Azure CLI and `az login`";  // NOLINT(concurrency-mt-unsafe)
        return std::nullopt;
    }
    std::string text;
    char buf[4096];
    for (ssize_t n = 0; (n = ::read(out[0], buf, sizeof buf)) > 0 && text.size() < kMaxTokenOutput;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !plain(text)) {
        error = "no token: `az account get-access-token` failed (exit " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "); run `az login`";
        return std::nullopt;
    }
    return text;
}

}  // namespace comredir::policy
