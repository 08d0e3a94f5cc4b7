// JSON text people write: comments, and syntax errors in words (json_text.hpp).
#include <algorithm>
#include <cctype>
#include <comredir/policy/io/json_text.hpp>
#include <nlohmann/json.hpp>

#include "io/json_locate.hpp"

namespace comredir::policy {

namespace {

constexpr std::size_t kMaxShown = 32;  // bytes of a bad token quoted in a message

// nlohmann/json's lexer messages quote characters with '...': ours use backticks, and read as
// one line of clauses joined with colons (`invalid comment: expected `/` or `*` after `/``).
std::string plain(std::string_view msg) {
    std::string out;
    bool open = false;
    for (std::size_t i = 0; i < msg.size(); ++i) {
        if (msg.substr(i, 2) == "; ") {
            out += ": ";
            ++i;
        } else if (msg[i] == '\'') {
            out += '`';
            open = !open;
        } else {
            out += msg[i];
        }
    }
    if (open) out += '`';
    const std::string_view expecting = "expecting ";
    for (auto at = out.find(expecting); at != std::string::npos; at = out.find(expecting, at))
        out.replace(at, expecting.size(), "expected ");
    return out;
}

// A token name of nlohmann/json's lexer (`string literal`, `'}'`) in words.
std::string token_words(std::string_view name) {
    if (name == "string literal") return "a string";
    if (name == "number literal") return "a number";
    if (name == "true literal") return "`true`";
    if (name == "false literal") return "`false`";
    if (name == "null literal") return "`null`";
    if (name == "end of input") return "the end of the text";
    if (name == "value" || name == "'[', '{', or a literal") return "a value";
    if (name.size() == 3 && name.front() == '\'' && name.back() == '\'')
        return "`" + std::string(1, name[1]) + "`";
    return "`" + std::string(name) + "`";
}

// What the grammar wanted, given the construct being parsed: nlohmann names one token where
// two would do (after an object member, `,` is as good as `}`).
std::string expected_words(std::string_view context, std::string_view expected) {
    if (context == "object key" && expected == "string literal") return "a string (an object key)";
    if (context == "object separator" && expected == "':'") return "`:` after the object key";
    if (context == "object" && expected == "'}'") return "`,` or `}`";
    if (context == "array" && expected == "']'") return "`,` or `]`";
    if (expected == "end of input") return "nothing more (the document has ended)";
    return token_words(expected);
}

// Where the token that ends at `last` (its final byte) starts: strings back to their opening
// quote, literals and numbers back over their characters.
std::size_t token_start(std::string_view text, std::size_t last, std::string_view name) {
    if (last >= text.size()) return text.size();
    if (name == "string literal" && text[last] == '"') {
        for (std::size_t i = last; i-- > 0;) {
            if (text[i] != '"') continue;
            std::size_t slashes = 0;
            while (slashes < i && text[i - 1 - slashes] == '\\') ++slashes;
            if (slashes % 2 == 0) return i;
        }
        return last;
    }
    if (name == "number literal" || name.ends_with(" literal")) {
        std::size_t i = last;
        auto part = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' ||
                   c == '.';
        };
        while (i > 0 && part(text[i - 1])) --i;
        return i;
    }
    return last;
}

// nlohmann's `last read` runs from wherever its lexer started (`"a":tru}`, `{<U+000A>  /`): the
// bad token is its end, from the last delimiter before the final byte (`tru}`, `/`), or from
// the opening quote of an unterminated string.
std::string_view bad_token(std::string_view read, std::string_view lexer) {
    if (read.empty()) return read;
    std::size_t from = 0;
    if (lexer.starts_with("invalid string")) {
        const auto quote = read.rfind('"');
        from = quote == std::string_view::npos ? 0 : quote;
    } else {
        const auto delim = read.substr(0, read.size() - 1).find_last_of(" \t{}[],:>");
        from = delim == std::string_view::npos ? 0 : delim + 1;
    }
    return read.substr(from);
}

std::string shown(std::string_view token) {
    if (token.size() <= kMaxShown) return "`" + std::string(token) + "`";
    return "`" + std::string(token.substr(0, kMaxShown)) + "`...";
}

JsonSyntaxError at(std::string_view text, std::size_t offset, std::string message) {
    JsonSyntaxError e;
    e.offset = std::min(offset, text.size());
    const auto pos = detail::text_pos(text, e.offset);
    e.line = pos.line;
    e.column = pos.column;
    e.message = "line " + std::to_string(e.line) + ", column " + std::to_string(e.column) + ": " +
                std::move(message);
    return e;
}

}  // namespace

JsonSyntaxError describe_json_syntax_error(std::string_view text, std::size_t byte,
                                           std::string_view what) {
    // `syntax error while parsing CONTEXT - FOUND[; expected TOKEN]`, where FOUND is
    // `unexpected TOKEN` or `LEXER MESSAGE; last read: 'TEXT'`.
    const std::string detail = detail::json_error_detail(what);
    std::string_view d = detail;
    const std::size_t last = byte > 0 ? byte - 1 : 0;
    const std::string_view syntax = "syntax error ";
    if (!d.starts_with(syntax)) return at(text, last, plain(d));
    d.remove_prefix(syntax.size());
    std::string_view context;
    if (d.starts_with("while parsing ")) {
        const auto dash = d.find(" - ");
        context = d.substr(14, dash == std::string_view::npos ? 0 : dash - 14);
    }
    if (const auto dash = d.find("- "); dash != std::string_view::npos) d.remove_prefix(dash + 2);
    std::string_view expected;
    std::string found;
    std::size_t start = last;
    const std::string_view last_read = "; last read: '";
    if (const auto lr = d.find(last_read); lr != std::string_view::npos) {
        // A lexer error: its own message may say `expected` too (`invalid number; expected
        // digit after '-'`), but the parser's `; expected` comes after the text read.
        std::string_view read = d.substr(lr + last_read.size());
        if (const auto e = read.rfind("'; expected "); e != std::string_view::npos) {
            expected = read.substr(e + 12);
            read = read.substr(0, e);
        } else if (read.ends_with('\'')) {
            read.remove_suffix(1);
        }
        const std::string_view lexer = d.substr(0, lr);
        read = bad_token(read, lexer);
        // nlohmann escapes control characters it read (`<U+000A>`): then point at the last
        // byte, start or end of input. At the end, `byte` counts the end as one more byte.
        const std::size_t end = std::min(byte, text.size());
        if (read.find("<U+") == std::string_view::npos && read.size() <= end)
            start = end - read.size();
        found = lexer == "invalid literal" ? "unexpected " + shown(read)
                                           : plain(lexer) + ": " + shown(read);
    } else {
        if (const auto e = d.rfind("; expected "); e != std::string_view::npos) {
            expected = d.substr(e + 11);
            d = d.substr(0, e);
        }
        if (d.starts_with("unexpected ")) {
            const std::string_view name = d.substr(11);
            start = token_start(text, last, name);
            if (name == "end of input") {
                found = "the text ends early";
                start = text.size();
            } else if (name == "string literal" || name == "number literal") {
                const std::size_t end = std::min(last + 1, text.size());
                found = "unexpected " + token_words(name) + " " +
                        shown(text.substr(start, end - start));
            } else {
                found = "unexpected " + token_words(name);
            }
        } else {
            found = plain(d);
        }
    }
    if (!expected.empty()) found += ": expected " + expected_words(context, expected);
    return at(text, start, std::move(found));
}

JsonSection parse_json_section(std::string_view text, const std::string& path,
                               const std::string& name, std::string_view what) {
    JsonSection out;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    auto parsed = parse_json_text(text, /*comments=*/true);
    if (!parsed.ok) {
        out.status = JsonSectionStatus::bad_json;
        out.line = parsed.error.line;
        out.column = parsed.error.column;
        out.message = path + ": " + parsed.error.message;
        return out;
    }
    out.doc = std::move(parsed.doc);
    const auto fail = [&](JsonSectionStatus s, const std::string& pointer, const std::string& m) {
        out.status = s;
        out.message = path + ": " + pointer + ": " + m;
        return out;
    };
    if (!out.doc.is_object()) return fail(JsonSectionStatus::bad_schema, "/", "expected an object");
    if (auto v = out.doc.find("version");
        v != out.doc.end() && !(v->is_number_integer() && v->get<int>() == 1))
        return fail(JsonSectionStatus::unsupported_version, "/version",
                    "unsupported version `" + v->dump() + "` (expected 1)");
    auto section = out.doc.find(name);
    if (section == out.doc.end())
        return fail(JsonSectionStatus::bad_schema, "/" + name,
                    "missing: " + std::string(what) + " live in this section");
    if (!section->is_object())
        return fail(JsonSectionStatus::bad_schema, "/" + name, "expected an object");
    return out;
}

JsonText parse_json_text(std::string_view text, bool comments) {
    JsonText out;
    try {
        out.doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, true, comments);
        out.ok = true;
    } catch (const nlohmann::json::parse_error& e) {
        out.error = describe_json_syntax_error(text, e.byte, e.what());
    } catch (const nlohmann::json::exception& e) {
        // No position (a number too large: `number overflow parsing '1e6666'`): find the
        // quoted token in the text when it is there.
        std::string message = plain(detail::json_error_detail(e.what()));
        const std::string_view w = e.what();
        const auto open = w.find('\'');
        const auto close = open == std::string_view::npos ? open : w.find('\'', open + 1);
        const auto where = close == std::string_view::npos
                               ? std::string_view::npos
                               : text.find(w.substr(open + 1, close - open - 1));
        if (where != std::string_view::npos) {
            out.error = at(text, where, std::move(message));
        } else {
            out.error.message = std::move(message);
        }
    }
    return out;
}

}  // namespace comredir::policy
