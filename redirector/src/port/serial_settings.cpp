#include <termios.h>

#include <comredir/redirector/port/serial_settings.hpp>

namespace comredir::redirector::port {

SerialSettings settings_from(const TermiosSnapshot& t) {
    SerialSettings s;
    s.baud = t.ospeed;
    s.stop_bits = (t.cflag & CSTOPB) != 0 ? StopBits::two : StopBits::one;
    switch (t.cflag & CSIZE) {
        case CS5:
            s.word_length = 5;
            break;
        case CS6:
            s.word_length = 6;
            break;
        case CS7:
            s.word_length = 7;
            break;
        default:
            s.word_length = 8;
            break;
    }
    s.parity = (t.cflag & PARENB) != 0;
    s.odd_parity = s.parity && (t.cflag & PARODD) != 0;
    s.rts_cts = (t.cflag & CRTSCTS) != 0;
    s.xon_out = (t.iflag & IXON) != 0;
    s.xoff_in = (t.iflag & IXOFF) != 0;
    s.xon_char = t.vstart;
    s.xoff_char = t.vstop;
    s.eof_char = t.veof;
    return s;
}

SettingsChange compare(const SerialSettings& before, const SerialSettings& after) {
    SettingsChange c;
    // B0 means "hang up", not a rate: it never becomes SET_BAUD_RATE.
    c.baud = after.baud != 0 && before.baud != after.baud;
    c.line_control = before.stop_bits != after.stop_bits ||
                     before.word_length != after.word_length || before.parity != after.parity ||
                     before.odd_parity != after.odd_parity;
    c.handflow = before.rts_cts != after.rts_cts || before.xon_out != after.xon_out ||
                 before.xoff_in != after.xoff_in;
    c.chars = before.xon_char != after.xon_char || before.xoff_char != after.xoff_char ||
              before.eof_char != after.eof_char;
    return c;
}

std::string describe(const SerialSettings& s) {
    std::string out = std::to_string(s.baud) + ' ' + std::to_string(s.word_length);
    out += !s.parity ? 'N' : (s.odd_parity ? 'O' : 'E');
    out +=
        s.stop_bits == StopBits::two ? "2" : (s.stop_bits == StopBits::one_and_half ? "1.5" : "1");
    if (s.rts_cts) out += " rtscts";
    if (s.xon_out || s.xoff_in) out += " xonxoff";
    return out;
}

}  // namespace comredir::redirector::port
