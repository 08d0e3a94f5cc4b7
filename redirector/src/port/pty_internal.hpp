#pragma once
#include <comredir/redirector/port/serial_settings.hpp>

namespace comredir::redirector::port::detail {

/// TCGETS2 on `fd` (a pty master reports its slave's settings); false with errno set.
bool read_termios2(int fd, TermiosSnapshot& out);

}  // namespace comredir::redirector::port::detail
