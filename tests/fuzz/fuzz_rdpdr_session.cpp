// libFuzzer target for the server-role rdpdr session state machine (session/session.hpp):
// client messages interleaved with host events (program writes, settings, flushes, timers,
// ports given up, pauses, session end). Whatever the order: no crash, no request beyond the
// in-flight bound, every accepted port closed exactly once, nothing sent after the end.
//
// Input: records of [op u8][length u16 LE][bytes]. op 0 is a client message; 1-7 are host
// events that use their bytes as parameters. Seeds: tests/fuzz/seeds/rdpdr_session/.

#include <comredir/redirector/codec/pdu.hpp>
#include <comredir/redirector/session/session.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>

using namespace comredir::redirector;
using namespace comredir::redirector::session;

namespace {

void require(bool condition) {
    if (!condition) __builtin_trap();
}

class Host : public SessionHost {
  public:
    bool ended = false;
    std::map<std::uint32_t, int> live;  // accepted device -> 1 while not closed
    std::size_t sent = 0;

    void send(std::vector<std::uint8_t> m) override {
        require(!ended);
        // Whatever the session sends must be a valid server PDU.
        require(codec::decode_server_pdu(m).ok());
        ++sent;
    }
    void log(LogLevel, std::string_view m) override { require(!m.empty()); }
    PortAnswer port_announced(const AnnouncedDevice& d) override {
        if (!d.name.empty() && d.name[0] == 'X') return {false, 0xC0000022};
        require(live.count(d.device_id) == 0);
        live[d.device_id] = 1;
        return {true, 0};
    }
    bool port_opened(std::uint32_t id) override {
        require(live.count(id) == 1);
        return id % 7 != 3;  // sometimes the host cannot
    }
    void port_data(std::uint32_t id, std::span<const std::uint8_t> data) override {
        require(live.count(id) == 1);
        require(!data.empty());
    }
    void port_closed(std::uint32_t id, PortEnd, std::string_view reason) override {
        require(live.count(id) == 1);  // exactly once per accepted port
        require(!reason.empty());
        live.erase(id);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Host host;
    SessionConfig cfg;
    cfg.irp_capacity = 16;
    cfg.tx_capacity = 64;
    cfg.max_ports = 4;
    Session s(cfg, host);
    auto now = Clock::time_point{} + std::chrono::hours(1);
    s.start(now);
    std::span<const std::uint8_t> in(data, size);
    while (in.size() >= 3) {
        const std::uint8_t op = in[0] % 8;
        const std::size_t len = std::min<std::size_t>(in[1] | (in[2] << 8), in.size() - 3);
        const auto arg = in.subspan(3, len);
        in = in.subspan(3 + len);
        const std::uint32_t dev = arg.empty() ? 0 : arg[0];
        const auto ports = s.open_ports();
        const std::uint32_t port = ports.empty() ? dev : ports[dev % ports.size()];
        switch (op) {
            case 0:
                s.receive(arg, now);
                break;
            case 1:
                s.write(port, arg, now);
                break;
            case 2: {
                port::SerialSettings a{.baud = 9600},
                    b{.baud = arg.size() > 1 ? arg[1] * 1200u : 0};
                b.stop_bits = dev & 1 ? port::StopBits::two : port::StopBits::one;
                b.rts_cts = (dev & 2) != 0;
                b.xon_out = (dev & 4) != 0;
                b.xon_char = static_cast<std::uint8_t>(dev);
                s.apply_settings(port, a, b, now);
                break;
            }
            case 3:
                s.purge(port, dev & 0xF, now);
                break;
            case 4:
                now += std::chrono::milliseconds(dev * 50);
                s.tick(now);
                break;
            case 5:
                s.close_port(port, "fuzz", now);
                break;
            case 6:
                s.pause_reads(port, (dev & 1) != 0, now);
                break;
            case 7:
                s.end("fuzz end");
                host.ended = true;
                break;
        }
        require(s.irps_in_flight() <= cfg.irp_capacity);
        if (s.phase() == Phase::closed) host.ended = true;
    }
    s.end("done");
    require(host.live.empty());
    return 0;
}
