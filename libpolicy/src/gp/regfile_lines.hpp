#pragma once
// Internal to the .reg reader: the file's bytes decoded into UTF-8 lines that remember
// where they came from, so that errors can name byte offsets of the file.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

/// How a line's bytes were decoded.
enum class RegEnc { utf8, latin1, utf16 };

struct RegLine {
    std::string text;          ///< UTF-8, without its line terminator
    std::uint64_t start = 0;   ///< byte offset of the line in the file
    std::uint32_t number = 0;  ///< 1-based
    RegEnc enc = RegEnc::utf8;
};

struct RegLines {
    std::vector<RegLine> lines;
    std::vector<std::string> warnings;
    bool ok = true;  ///< false: invalid UTF-16LE at `bad_line` / `bad_offset`
    std::uint32_t bad_line = 0;
    std::uint64_t bad_offset = 0;
};

/// Splits on LF (dropping a CR before it). BOM `FF FE`: UTF-16LE. Otherwise UTF-8 (an
/// `EF BB BF` BOM is skipped); a line that is not valid UTF-8 is read as Latin-1 (ANSI),
/// with one warning per file.
RegLines split_reg_lines(std::span<const std::uint8_t> bytes);

/// File offset of UTF-8 column `col` of `line`.
std::uint64_t reg_line_offset(const RegLine& line, std::size_t col);

/// Input quoted in a message: at most 40 bytes, control characters shown as `?`.
std::string reg_snippet(std::string_view s);

}  // namespace comredir::policy::detail
