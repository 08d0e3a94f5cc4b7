
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <comredir/host/log.hpp>
#include <comredir/host/rfc3339.hpp>
#include <cstdlib>
#include <mutex>
#include <string>

namespace comredir::host {

namespace {

std::atomic<bool> g_verbose{false};
std::mutex g_mutex;

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::error:
            return "error";
        case LogLevel::warning:
            return "warning";
        case LogLevel::info:
            return "info";
        case LogLevel::debug:
            return "debug";
    }
    return "?";
}

bool stderr_is_journal() {
    static const bool journal = [] {
        const char* s = std::getenv("JOURNAL_STREAM");
        return s != nullptr && *s != '\0';
    }();
    return journal;
}

}  // namespace

void set_log_verbose(bool verbose) {
    g_verbose.store(verbose);
}
bool log_verbose() {
    return g_verbose.load();
}

void log(LogLevel level, std::string_view message) {
    if (level == LogLevel::debug && !log_verbose()) return;
    std::string line;
    if (!stderr_is_journal()) {
        line = rfc3339_utc(std::chrono::system_clock::now());
        line += ' ';
    }
    line += level_name(level);
    line += ": ";
    // One line per event: a newline inside a message (peer data) must not forge a record.
    for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
    line += '\n';
    std::lock_guard lock(g_mutex);
    std::string_view rest = line;
    while (!rest.empty()) {
        ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
        if (n <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace comredir::host
