#pragma once
// Internal: where things are in JSON text that nlohmann::json has already accepted
// (nlohmann 3.11 keeps no positions). Used for lines in messages and provenance.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

/// Byte offset where the value at RFC 6901 `pointer` starts in `text` (`""` = the root);
/// nullopt if absent or if `text` turns out not to be well-formed there.
std::optional<std::size_t> json_locate(std::string_view text, std::string_view pointer);

/// Start offsets of the elements of the array at `pointer` (empty if not an array).
std::vector<std::size_t> json_array_offsets(std::string_view text, std::string_view pointer);

struct TextPos {
    std::uint32_t line = 1;    ///< 1-based
    std::uint32_t column = 1;  ///< 1-based, in bytes
};
/// Line and column of byte `offset` (clamped to the text's size).
TextPos text_pos(std::string_view text, std::size_t offset);

/// `parse error at line 1, column 7: syntax error ...` -> `syntax error ...`.
std::string json_error_detail(std::string_view what);

}  // namespace comredir::policy::detail
