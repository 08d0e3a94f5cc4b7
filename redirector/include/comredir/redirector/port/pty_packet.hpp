#pragma once
// One read from a pty master in packet mode (TIOCPKT, see ioctl_tty(2)): a control byte,
// then data when that byte is TIOCPKT_DATA (0). With EXTPROC in the slave's lflag, a
// termios change by the program arrives as TIOCPKT_IOCTL; tcflush arrives as FLUSHREAD /
// FLUSHWRITE. Pure, so the mapping is tested without a pty.

#include <cstdint>
#include <span>

namespace comredir::redirector::port {

struct PtyPacket {
    std::span<const std::uint8_t> data;  ///< bytes the program wrote (empty for control)
    bool flush_read = false;             ///< the program discarded its input: PURGE RXCLEAR
    bool flush_write = false;            ///< the program discarded its output: PURGE TXCLEAR
    bool settings = false;               ///< termios changed (TIOCPKT_IOCTL): re-read the settings
    bool stop = false;                   ///< output stopped (^S with IXON) / TIOCPKT_STOP
    bool start = false;                  ///< output restarted / TIOCPKT_START
};

/// `read` is what one read(2) of the master returned (at least one byte).
PtyPacket decode_packet(std::span<const std::uint8_t> read);

/// The PURGE mask ([MS-RDPESP] 2.2.2.4 / IOCTL_SERIAL_PURGE) a packet asks for; 0 = none.
std::uint32_t purge_mask(const PtyPacket& p);

}  // namespace comredir::redirector::port
