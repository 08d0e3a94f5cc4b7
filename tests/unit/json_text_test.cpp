// JSON text people write: comments, and syntax errors as line, column and what was expected.
#include <doctest/doctest.h>

#include <comredir/policy/io/json_text.hpp>
#include <nlohmann/json.hpp>
#include <string>

using namespace comredir::policy;

TEST_CASE("comments are whitespace when allowed, and only then") {
    const std::string text = "{\n  // a comment\n  \"a\": 1, /* another */ \"b\": [1, 2]\n}";
    auto with = parse_json_text(text, true);
    REQUIRE_MESSAGE(with.ok, with.error.message);
    CHECK(with.doc["a"] == 1);
    CHECK(with.doc["b"][1] == 2);
    auto without = parse_json_text(text, false);
    CHECK_FALSE(without.ok);
    CHECK(without.error.offset == 4);
    CHECK(without.error.line == 2);
    CHECK(without.error.column == 3);
    CHECK(without.error.message ==
          "line 2, column 3: unexpected `/`: expected a string (an "
          "object key)");
}

TEST_CASE("syntax errors: the offending token's position and what was expected") {
    struct Case {
        const char* text;
        std::size_t offset;
        std::uint32_t line, column;
        const char* message;
    };
    const Case cases[] = {
        {"{\n  \"hosts\": {,\n}", 14, 2, 13,
         "line 2, column 13: unexpected `,`: expected a string (an object key)"},
        {"{\"a\":1,}", 7, 1, 8,
         "line 1, column 8: unexpected `}`: expected a string (an object key)"},
        {"{\"a\":1 \"b\":2}", 7, 1, 8,
         "line 1, column 8: unexpected a string `\"b\"`: expected `,` or `}`"},
        {"{\"a\":\"x\\\"y\" \"b\":2}", 12, 1, 13,
         "line 1, column 13: unexpected a string `\"b\"`: expected `,` or `}`"},
        {"[1 22]", 3, 1, 4, "line 1, column 4: unexpected a number `22`: expected `,` or `]`"},
        {"{\"a\" 1}", 5, 1, 6,
         "line 1, column 6: unexpected a number `1`: expected `:` after the object key"},
        {"{\"a\":tru}", 5, 1, 6, "line 1, column 6: unexpected `tru}`"},
        {"{\"a\":\"abc", 5, 1, 6,
         "line 1, column 6: invalid string: missing closing quote: `\"abc`"},
        {"{\"a\": /x }", 6, 1, 7,
         "line 1, column 7: invalid comment: expected `/` or `*` after `/`: `/x`"},
        {"{\"a\":-}", 5, 1, 6, "line 1, column 6: invalid number: expected digit after `-`: `-}`"},
        {"{} {", 3, 1, 4,
         "line 1, column 4: unexpected `{`: expected nothing more (the document has ended)"},
        {"", 0, 1, 1, "line 1, column 1: the text ends early: expected a value"},
        {"{\n\"a\": [1,\n", 11, 3, 1, "line 3, column 1: the text ends early: expected a value"},
        {"{\"a\":1e6666}", 5, 1, 6, "line 1, column 6: number overflow parsing `1e6666`"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = parse_json_text(c.text, true);
        CHECK_FALSE(r.ok);
        CHECK(r.error.offset == c.offset);
        CHECK(r.error.line == c.line);
        CHECK(r.error.column == c.column);
        CHECK(r.error.message == c.message);
    }
}

TEST_CASE("a message nlohmann words differently is kept, with the position") {
    auto e = describe_json_syntax_error("ab\ncd", 5,
                                        "[json.exception.parse_error.101] parse "
                                        "error at line 2, column 2: something new");
    CHECK(e.offset == 4);
    CHECK(e.line == 2);
    CHECK(e.column == 2);
    CHECK(e.message == "line 2, column 2: something new");
}
