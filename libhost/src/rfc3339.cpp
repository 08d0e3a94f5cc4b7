#include <comredir/host/rfc3339.hpp>
#include <cstdio>
#include <ctime>

namespace comredir::host {

std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ",
                  static_cast<int>(ms % 1000));  // NOLINT(cppcoreguidelines-pro-type-vararg)
    return std::string(buf, n) + frac;
}

}  // namespace comredir::host
