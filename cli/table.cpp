#include "table.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace comredir::cli {

namespace {

bool continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::size_t terminal_columns() {
    if (isatty(STDOUT_FILENO) == 0) return 0;
    if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
        char* end = nullptr;
        long n = std::strtol(env, &end, 10);
        if (*end == '\0' && n > 0 && n < 100000) return static_cast<std::size_t>(n);
    }
    winsize ws{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 0;
}

std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return !continuation(c); }));
}

std::string cut_to_width(const std::string& s, std::size_t width) {
    if (display_width(s) <= width) return s;
    if (width == 0) return "";
    std::size_t keep = width - 1;  // columns before the ellipsis
    std::size_t i = 0;
    for (std::size_t cols = 0; i < s.size(); ++i) {
        if (!continuation(s[i]) && cols++ == keep) break;
    }
    return s.substr(0, i) + "\xE2\x80\xA6";  // U+2026
}

void Table::print(std::ostream& out, const std::string& indent) const {
    std::vector<std::size_t> width;
    std::vector<std::size_t> header;
    for (const auto& r : rows_) {
        if (r.free || (&r == &rows_.front() && !show_header_)) continue;
        if (width.size() < r.cells.size()) width.resize(r.cells.size(), 0);
        for (std::size_t i = 0; i < r.cells.size(); ++i) {
            width[i] = std::max(width[i], display_width(r.cells[i]));
        }
        if (&r == &rows_.front()) {
            for (const auto& c : r.cells) header.push_back(display_width(c));
        }
    }
    std::vector<std::size_t> cut(width.size(), 0);  // 0: whole
    if (width_ > 0 && !width.empty()) {
        std::size_t total = display_width(indent) + 2 * (width.size() - 1);
        for (auto w : width) total += w;
        auto least = [&](std::size_t c) {
            return std::max(min_width_, c < header.size() ? header[c] : 0);
        };
        // One column at a time, always the widest one that can still give.
        while (total > width_) {
            std::size_t pick = width.size();
            for (auto c : shrink_) {
                if (c < width.size() && width[c] > least(c) &&
                    (pick == width.size() || width[c] > width[pick])) {
                    pick = c;
                }
            }
            if (pick == width.size()) break;
            --width[pick];
            cut[pick] = width[pick];
            --total;
        }
    }
    for (const auto& r : rows_) {
        if (&r == &rows_.front() && !show_header_) continue;
        if (r.free) {
            out << r.cells.front() << '\n';
            continue;
        }
        std::string line = indent;
        for (std::size_t i = 0; i < r.cells.size(); ++i) {
            std::string cell = cut[i] > 0 ? cut_to_width(r.cells[i], cut[i]) : r.cells[i];
            std::size_t w = display_width(cell);
            line += cell;
            if (i + 1 < r.cells.size()) line += std::string(width[i] - w + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

}  // namespace comredir::cli
