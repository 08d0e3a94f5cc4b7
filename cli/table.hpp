#pragma once
// A plain-text table: columns padded to their widest cell, the last column left free.
// Optionally fitted to a width (the terminal's): the named columns are cut, with `…`.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace comredir::cli {

/// The width to fit tables to: 0 (no limit) when stdout is not a terminal, so that files,
/// pipes and scripts get every cell whole; else $COLUMNS when it is a positive number,
/// else the terminal's width (TIOCGWINSZ), else 0.
std::size_t terminal_columns();

/// Display width of UTF-8 text: one column per code point (wide characters not counted
/// twice).
std::size_t display_width(const std::string& s);

/// `s` cut to at most `width` columns, ending in `…` when it was cut.
std::string cut_to_width(const std::string& s, std::size_t width);

class Table {
  public:
    explicit Table(std::vector<std::string> header) { rows_.push_back({false, std::move(header)}); }
    void add(std::vector<std::string> row) { rows_.push_back({false, std::move(row)}); }
    /// A line printed as it is, between the rows added before and after it (it does not
    /// take part in the column widths, and is not cut).
    void add_line(std::string line) { rows_.push_back({true, {std::move(line)}}); }
    /// When a row (indent included) would be wider than `width` (0: no limit), cuts the
    /// cells of `columns` until it fits, always the widest of them first; no column is cut
    /// below its header or `min_width`, so a very narrow width can still overflow.
    void fit(std::size_t width, std::vector<std::size_t> columns, std::size_t min_width = 16) {
        width_ = width;
        shrink_ = std::move(columns);
        min_width_ = min_width;
    }
    /// Prints no header row (and the header does not widen its columns).
    void hide_header() { show_header_ = false; }
    void print(std::ostream& out, const std::string& indent = "") const;

  private:
    struct Row {
        bool free = false;
        std::vector<std::string> cells;
    };
    std::vector<Row> rows_;
    std::size_t width_ = 0;
    std::vector<std::size_t> shrink_;
    std::size_t min_width_ = 16;
    bool show_header_ = true;
};

}  // namespace comredir::cli
