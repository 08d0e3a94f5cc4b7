// The kernel's termios2 (TCGETS2) holds the real line speeds, including rates set with
// BOTHER that glibc's tcgetattr cannot report. It lives in <asm/termbits.h>, which clashes
// with <termios.h>, so this file includes only the kernel's header.
#include <asm/termbits.h>
#include <sys/ioctl.h>

#include "pty_internal.hpp"

namespace comredir::redirector::port::detail {

bool read_termios2(int fd, TermiosSnapshot& out) {
    struct termios2 t {};
    if (ioctl(fd, TCGETS2, &t) != 0) return false;  // NOLINT(cppcoreguidelines-pro-type-vararg)
    out.iflag = t.c_iflag;
    out.oflag = t.c_oflag;
    out.cflag = t.c_cflag;
    out.lflag = t.c_lflag;
    out.vstart = t.c_cc[VSTART];
    out.vstop = t.c_cc[VSTOP];
    out.veof = t.c_cc[VEOF];
    out.ispeed = t.c_ispeed;
    out.ospeed = t.c_ospeed;
    return true;
}

}  // namespace comredir::redirector::port::detail
