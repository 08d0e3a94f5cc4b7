#pragma once
// What a host program set on its pseudo-terminal, in the units of the MS-RDPESP IOCTLs the
// session sends to the client (SERIAL_BAUD_RATE, SERIAL_LINE_CONTROL, SERIAL_HANDFLOW,
// SERIAL_CHARS). Pure: built from a termios snapshot, compared with the previous one.
//
// What a Linux pty cannot carry (RDPDR.md): the kernel forces CS8 and clears PARENB on a
// pty, so parity and word length set by a program never arrive; modem lines (TIOCMGET /
// TIOCMSET) fail and break is a no-op. Baud rate (any, via termios2), CSTOPB, CRTSCTS,
// IXON, IXOFF and VSTART/VSTOP are carried.

#include <cstdint>
#include <string>

namespace comredir::redirector::port {

/// A termios snapshot as the kernel keeps it (struct termios2): flags, control characters
/// and the real line speeds (with BOTHER, any rate).
struct TermiosSnapshot {
    std::uint32_t iflag = 0;
    std::uint32_t oflag = 0;
    std::uint32_t cflag = 0;
    std::uint32_t lflag = 0;
    std::uint8_t vstart = 0x11;  ///< c_cc[VSTART] (XON)
    std::uint8_t vstop = 0x13;   ///< c_cc[VSTOP] (XOFF)
    std::uint8_t veof = 0x04;    ///< c_cc[VEOF]
    std::uint32_t ispeed = 0;    ///< bits per second
    std::uint32_t ospeed = 0;    ///< bits per second
};

/// [MS-RDPESP] 2.2.2.2 SERIAL_LINE_CONTROL StopBits values.
enum class StopBits : std::uint8_t { one = 0, one_and_half = 1, two = 2 };

struct SerialSettings {
    std::uint32_t baud = 0;  ///< output speed; 0 = hang up (B0), never sent as a rate
    StopBits stop_bits = StopBits::one;
    std::uint8_t word_length = 8;  ///< always 8 on a pty (the kernel forces CS8)
    bool parity = false;           ///< always false on a pty (the kernel clears PARENB)
    bool odd_parity = false;
    bool rts_cts = false;  ///< CRTSCTS: CTS handshake out, RTS handshake in
    bool xon_out = false;  ///< IXON: the client stops sending on XOFF (SERIAL_AUTO_TRANSMIT)
    bool xoff_in = false;  ///< IXOFF: the client sends XOFF when full (SERIAL_AUTO_RECEIVE)
    std::uint8_t xon_char = 0x11;
    std::uint8_t xoff_char = 0x13;
    std::uint8_t eof_char = 0x04;
    bool operator==(const SerialSettings&) const = default;
};

SerialSettings settings_from(const TermiosSnapshot& t);

/// Which IOCTL groups must be sent to bring the client from `before` to `after`.
struct SettingsChange {
    bool baud = false;          ///< IOCTL_SERIAL_SET_BAUD_RATE
    bool line_control = false;  ///< IOCTL_SERIAL_SET_LINE_CONTROL
    bool handflow = false;      ///< IOCTL_SERIAL_SET_HANDFLOW
    bool chars = false;         ///< IOCTL_SERIAL_SET_CHARS
    bool any() const { return baud || line_control || handflow || chars; }
    bool operator==(const SettingsChange&) const = default;
};
SettingsChange compare(const SerialSettings& before, const SerialSettings& after);

/// `115200 8N1 rtscts` style, for logs and `ports`.
std::string describe(const SerialSettings& s);

}  // namespace comredir::redirector::port
