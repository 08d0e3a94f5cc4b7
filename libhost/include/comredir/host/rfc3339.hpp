#pragma once
// Timestamps as the daemons write them in logs and audit records.

#include <chrono>
#include <string>

namespace comredir::host {

/// `2026-11-22T10:15:30.123Z` (UTC, milliseconds).
std::string rfc3339_utc(std::chrono::system_clock::time_point t);

}  // namespace comredir::host
