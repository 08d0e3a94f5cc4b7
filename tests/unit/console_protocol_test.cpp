// comredir-console's control messages: every type, its fields, and each way a frame can be
// wrong (status, offset and message).
#include <doctest/doctest.h>

#include <comredir/console/protocol.hpp>
#include <string>

using namespace comredir::console;

TEST_CASE("every control type parses, unknown members are ignored") {
    const std::pair<const char*, ControlType> cases[] = {
        {R"({"type":"takeover"})", ControlType::takeover},
        {R"({"type":"request"})", ControlType::request},
        {R"({"type":"release","later":true})", ControlType::release},
        {R"({"type":"nmi"})", ControlType::nmi},
        {R"({"type":"restart"})", ControlType::restart},
        {R"({"type":"pause"})", ControlType::pause},
        {R"({"type":"resume"})", ControlType::resume},
    };
    for (const auto& c : cases) {
        CAPTURE(c.first);
        const auto r = parse_control(c.first);
        REQUIRE(r.ok());
        CHECK(r.message_value.type == c.second);
    }
}

TEST_CASE("paste carries its length; break its duration with a default") {
    auto r = parse_control(R"({"type":"paste","length":2048})");
    REQUIRE(r.ok());
    CHECK(r.message_value.type == ControlType::paste);
    CHECK(r.message_value.length == 2048);

    r = parse_control(R"({"type":"break"})");
    REQUIRE(r.ok());
    CHECK(r.message_value.type == ControlType::brk);
    CHECK(r.message_value.ms == kDefaultBreakMs);
    r = parse_control(R"({"type":"break","ms":500})");
    REQUIRE(r.ok());
    CHECK(r.message_value.ms == 500);
}

TEST_CASE("bad frames: status, offset and one-line message") {
    struct Case {
        std::string text;
        ControlStatus status;
        std::size_t offset;
        std::string message;
    };
    const Case cases[] = {
        {R"({"type":)", ControlStatus::bad_json, 8, "control message: not JSON at byte 8"},
        {"\xff", ControlStatus::bad_json, 0, "control message: not JSON at byte 0"},
        // Found by fuzz_console_control: valid JSON, a number no double holds (it threw).
        {"6666666666666666E666666", ControlStatus::bad_json, 0,
         "control message: a number out of range"},
        {R"({"type":"break","ms":1E400})", ControlStatus::bad_json, 0,
         "control message: a number out of range"},
        {R"(["takeover"])", ControlStatus::not_object, 0, "control message: not an object"},
        {R"({"kind":"takeover"})", ControlStatus::bad_type, 0, "control message: no `type` string"},
        {R"({"type":7})", ControlStatus::bad_type, 0, "control message: no `type` string"},
        {R"({"type":"reboot"})", ControlStatus::bad_type, 0,
         "control message: unknown type \"reboot\""},
        {R"({"type":"paste"})", ControlStatus::bad_field, 0,
         "control message: `paste` needs `length`"},
        {R"({"type":"paste","length":0})", ControlStatus::bad_field, 0,
         "control message: `length` 0 is not a whole number from 1 to 4294967295"},
        {R"({"type":"paste","length":-3})", ControlStatus::bad_field, 0,
         "control message: `length` -3 is not a whole number from 1 to 4294967295"},
        {R"({"type":"paste","length":"9"})", ControlStatus::bad_field, 0,
         "control message: `length` \"9\" is not a whole number from 1 to 4294967295"},
        {R"({"type":"break","ms":60000})", ControlStatus::bad_field, 0,
         "control message: `ms` 60000 is not a whole number from 1 to 5000"},
        {std::string(kMaxControlBytes + 1, ' '), ControlStatus::too_large, 0,
         "control message of 4097 bytes: the limit is 4096"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto r = parse_control(c.text);
        CHECK(r.status == c.status);
        CHECK(r.offset == c.offset);
        CHECK(r.message == c.message);
    }
}

TEST_CASE("every truncation of a valid message is refused, never a crash") {
    const std::string full = R"({"type":"paste","length":12})";
    for (std::size_t n = 0; n < full.size(); ++n) {
        CAPTURE(n);
        CHECK_FALSE(parse_control(full.substr(0, n)).ok());
    }
}
