// comredir-console's keys for Windows SAC targets: function keys as EMS sequences.
#include <doctest/doctest.h>

#include <comredir/console/keys.hpp>

using namespace comredir::console;

TEST_CASE("EMS function keys: F1 = Esc 1 ... F10 = Esc 0, F11 = Esc !, F12 = Esc @") {
    CHECK(ems_function_key(1) ==
          "\x1b"
          "1");
    CHECK(ems_function_key(8) ==
          "\x1b"
          "8");
    CHECK(ems_function_key(10) ==
          "\x1b"
          "0");
    CHECK(ems_function_key(11) == "\x1b!");
    CHECK(ems_function_key(12) == "\x1b@");
    CHECK(ems_function_key(0).empty());
    CHECK(ems_function_key(13).empty());
}

TEST_CASE("xterm's function-key sequences become EMS ones; other bytes pass") {
    CHECK(ems_translate("\x1bOP") ==
          "\x1b"
          "1");
    CHECK(ems_translate("\x1b[19~") ==
          "\x1b"
          "8");  // F8: Windows' advanced boot menu
    CHECK(ems_translate("a\x1b[24~b") == "a\x1b@b");
    CHECK(ems_translate("\x1b[A") == "\x1b[A");  // an arrow key is not a function key
    CHECK(ems_translate("cmd\r") == "cmd\r");
    CHECK(ems_translate("\x1b") == "\x1b");
}
