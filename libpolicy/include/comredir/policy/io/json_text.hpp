#pragma once
// JSON text that people write (comredir's config file): parsed without exceptions, `//` and
// `/* */` comments allowed if asked, and a syntax error told as where and what was expected:
// `line 16, column 5: unexpected `/`: expected a string (an object key)`.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace comredir::policy {

struct JsonSyntaxError {
    std::size_t offset = 0;    ///< byte offset of the offending token in the text
    std::uint32_t line = 0;    ///< 1-based; 0 when the parser gives no position
    std::uint32_t column = 0;  ///< 1-based, in bytes
    std::string message;       ///< `line 3, column 7: unexpected ...` (no file name)
};

struct JsonText {
    bool ok = false;
    nlohmann::json doc;
    JsonSyntaxError error;  ///< when not ok
};

/// Parses one JSON document; with `comments`, `//` and `/* */` comments are whitespace.
JsonText parse_json_text(std::string_view text, bool comments);

enum class JsonSectionStatus { ok, bad_json, bad_schema, unsupported_version };

/// A daemon's section of comredir's config file (`redirector`, `console`): the text parsed
/// as comredir's config is (a UTF-8 BOM skipped, comments allowed), `version` 1 when given,
/// and the object `name` found. The daemon reads its own members from `doc[name]`.
struct JsonSection {
    JsonSectionStatus status = JsonSectionStatus::ok;
    std::uint32_t line = 0;    ///< bad_json: 1-based
    std::uint32_t column = 0;  ///< bad_json: 1-based, in bytes
    std::string message;       ///< `PATH: /console: missing: ...`, `PATH: line 3, column 7: ...`
    nlohmann::json doc;
    bool ok() const { return status == JsonSectionStatus::ok; }
};
/// `what` says what the section holds, for the message when it is missing (`the gateway's
/// settings`).
JsonSection parse_json_section(std::string_view text, const std::string& path,
                               const std::string& name, std::string_view what);

/// nlohmann/json's parse_error (its `byte`, 1-based just past the last byte read, and its
/// `what()`) on `text` in words: the position of the token that was wrong, what it was and
/// what the grammar expected there. Pure: tested on its own.
JsonSyntaxError describe_json_syntax_error(std::string_view text, std::size_t byte,
                                           std::string_view what);

}  // namespace comredir::policy
