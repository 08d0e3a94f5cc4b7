#pragma once
// A progress line on stderr for long work: shown once the work has taken a second, only when
// stderr is a terminal, redrawn at most 10 times a second, erased when done.

#include <chrono>
#include <cstddef>
#include <string>

namespace comredir::cli {

class Progress {
  public:
    explicit Progress(std::string label);
    /// `done` of `total` (total 0: not known yet, the count alone is shown).
    void operator()(std::size_t done, std::size_t total);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

  private:
    std::string label_;
    bool tty_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point drawn_{};
};

}  // namespace comredir::cli
