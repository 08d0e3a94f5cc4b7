// The progress line (progress.hpp).
#include "progress.hpp"

#include <unistd.h>

#include <iostream>
#include <utility>

namespace comredir::cli {

Progress::Progress(std::string label)
    : label_(std::move(label)),
      tty_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void Progress::operator()(std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (!tty_ || now - start_ < std::chrono::seconds(1)) return;
    if (done != total && now - drawn_ < std::chrono::milliseconds(100)) return;  // 10/s
    drawn_ = now;
    shown_ = true;
    std::cerr << "\r\033[K" << label_ << ' ';
    if (total == 0) {
        std::cerr << done << std::flush;
        return;
    }
    const std::size_t width = 30;
    const std::size_t filled = done >= total ? width : done * width / total;
    std::cerr << '[' << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
              << '/' << total << std::flush;
}

Progress::~Progress() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
}

}  // namespace comredir::cli
