#include <sys/ioctl.h>

#include <comredir/redirector/port/pty_packet.hpp>

namespace comredir::redirector::port {

namespace {
// [MS-RDPESP] 2.2.2.4 purge flags (also in the codec's serial_ioctl.hpp).
constexpr std::uint32_t purge_txclear = 0x4;
constexpr std::uint32_t purge_rxclear = 0x8;
}  // namespace

PtyPacket decode_packet(std::span<const std::uint8_t> read) {
    PtyPacket p;
    if (read.empty()) return p;
    const std::uint8_t ctl = read[0];
    if (ctl == TIOCPKT_DATA) {
        p.data = read.subspan(1);
        return p;
    }
    p.flush_read = (ctl & TIOCPKT_FLUSHREAD) != 0;
    p.flush_write = (ctl & TIOCPKT_FLUSHWRITE) != 0;
    p.stop = (ctl & TIOCPKT_STOP) != 0;
    p.start = (ctl & TIOCPKT_START) != 0;
    p.settings = (ctl & TIOCPKT_IOCTL) != 0;
    return p;
}

std::uint32_t purge_mask(const PtyPacket& p) {
    // The program's input is what the client received: its flush clears the client's
    // receive side; its output is what the client has yet to transmit.
    std::uint32_t mask = 0;
    if (p.flush_read) mask |= purge_rxclear;
    if (p.flush_write) mask |= purge_txclear;
    return mask;
}

}  // namespace comredir::redirector::port
