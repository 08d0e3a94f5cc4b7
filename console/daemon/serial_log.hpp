#pragma once
// A target's serial log: everything the target printed, appended to a file created 0600;
// when it passes `max_bytes` it is rotated (`path` -> `path.1` -> ... -> `path.N`, the
// oldest dropped). Warning (README): whatever appears on the console — including secrets
// typed at a prompt that echoes — lands in this file. Input is never written here.

#include <cstdint>
#include <span>
#include <string>

#include "config.hpp"

namespace comredir::console::daemon {

class SerialLog {
  public:
    explicit SerialLog(OutputLog settings) : s_(std::move(settings)) {}
    SerialLog(const SerialLog&) = delete;
    SerialLog& operator=(const SerialLog&) = delete;
    ~SerialLog();
    /// Opens (creating the file 0600 and its folder 0700); false with `error`.
    bool open(std::string& error);
    /// Appends; false with `error` when the write or a rotation failed (the log then stops
    /// until it is reopened; the console goes on).
    bool append(std::span<const std::uint8_t> bytes, std::string& error);
    bool enabled() const { return !s_.path.empty(); }

  private:
    bool rotate(std::string& error);
    OutputLog s_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

}  // namespace comredir::console::daemon
