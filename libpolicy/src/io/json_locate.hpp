#pragma once
// Internal: where things are in JSON text that nlohmann::json has already accepted
// (nlohmann 3.11 keeps no positions). Used for lines in messages and provenance.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::policy::detail {

/// Byte offset where the value at RFC 6901 `pointer` starts in `text` (`""` = the root);
/// nullopt if absent or if `text` turns out not to be well-formed there.
std::optional<std::size_t> json_locate(std::string_view text, std::string_view pointer);

/// The byte just after the value that starts at `start`; nullopt if it does not end.
std::optional<std::size_t> json_value_end(std::string_view text, std::size_t start);

/// Start offsets of the elements of the array at `pointer` (empty if not an array).
std::vector<std::size_t> json_array_offsets(std::string_view text, std::string_view pointer);

struct TextPos {
    std::uint32_t line = 1;    ///< 1-based
    std::uint32_t column = 1;  ///< 1-based, in bytes
};
/// Line and column of byte `offset` (clamped to the text's size).
TextPos text_pos(std::string_view text, std::size_t offset);

/// The 1-based lines of ascending `offsets`, in one pass over the text (text_pos for each
/// would scan from the start every time).
std::vector<std::uint32_t> text_lines(std::string_view text,
                                      const std::vector<std::size_t>& offsets);

/// `parse error at line 1, column 7: syntax error ...` -> `syntax error ...`.
std::string json_error_detail(std::string_view what);

/// A JSON document parsed without letting an exception out: on failure, where and why.
struct JsonDocument {
    bool ok = false;
    nlohmann::json doc;
    std::uint64_t offset = 0;  ///< byte offset of a syntax error (`bom` included)
    std::uint32_t line = 0;    ///< 1-based; 0 when the parser gives no position
    std::uint32_t column = 0;
    std::string message;  ///< `line 3: column 7: <what>` or just `<what>`
    std::string what;     ///< the parser's reason alone
};
/// Parses `text` (which follows a `bom`-byte BOM in the file) as one JSON document.
JsonDocument parse_json_document(std::string_view text, std::size_t bom = 0);

/// Marks a reader's result (any of the `*Result` structs with status, offset, line,
/// column and message) as failed at the JSON value `pointer` names: offset, line and
/// column of that value, and the message prefixed `line N: ` when it can be located.
template <typename Result, typename Status>
void fail_at_pointer(Result& r, Status status, std::string_view text, std::size_t bom,
                     std::string_view pointer, const std::string& msg) {
    r.status = status;
    r.message = msg;
    if (auto at = json_locate(text, pointer)) {
        auto pos = text_pos(text, *at);
        r.offset = bom + *at;
        r.line = pos.line;
        r.column = pos.column;
        r.message = "line " + std::to_string(pos.line) + ": " + msg;
    }
}

/// Marks a reader's result as failed with a document that did not parse.
template <typename Result, typename Status>
void fail_unparsed(Result& r, Status status, JsonDocument&& parsed) {
    r.status = status;
    r.offset = parsed.offset;
    r.line = parsed.line;
    r.column = parsed.column;
    r.message = std::move(parsed.message);
}

}  // namespace comredir::policy::detail
