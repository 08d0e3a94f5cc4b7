// The pure halves of the host-side port: termios snapshot -> serial settings -> which
// IOCTL groups to send, and the packet-mode control byte -> events.
#include <doctest/doctest.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <comredir/redirector/port/pty_packet.hpp>
#include <comredir/redirector/port/serial_settings.hpp>
#include <vector>

using namespace comredir::redirector::port;

TEST_CASE("settings_from reads each termios field the client can carry") {
    struct Row {
        const char* name;
        TermiosSnapshot in;
        const char* described;
        SerialSettings expect;
    };
    const auto base = [] {
        TermiosSnapshot t;
        t.cflag = CS8 | CREAD | CLOCAL;
        t.ospeed = t.ispeed = 9600;
        return t;
    };
    std::vector<Row> rows;
    rows.push_back({"defaults", base(), "9600 8N1", SerialSettings{9600}});
    {
        auto t = base();
        t.ospeed = 115200;
        t.cflag |= CSTOPB | CRTSCTS;
        SerialSettings s{115200, StopBits::two};
        s.rts_cts = true;
        rows.push_back({"115200 two stop bits rtscts", t, "115200 8N2 rtscts", s});
    }
    {
        auto t = base();
        t.cflag = (t.cflag & ~static_cast<std::uint32_t>(CSIZE)) | CS7 | PARENB | PARODD;
        SerialSettings s{9600, StopBits::one, 7, true, true};
        rows.push_back({"7O1 (what a real tty could carry)", t, "9600 7O1", s});
    }
    {
        auto t = base();
        t.iflag = IXON | IXOFF;
        t.vstart = 0x01;
        t.vstop = 0x02;
        SerialSettings s{9600};
        s.xon_out = s.xoff_in = true;
        s.xon_char = 0x01;
        s.xoff_char = 0x02;
        rows.push_back({"xon/xoff with own characters", t, "9600 8N1 xonxoff", s});
    }
    for (const auto& r : rows) {
        CAPTURE(r.name);
        const auto s = settings_from(r.in);
        CHECK(s == r.expect);
        CHECK(describe(s) == r.described);
    }
}

TEST_CASE("compare names exactly the IOCTL groups that changed") {
    const SerialSettings a{9600};
    struct Row {
        const char* name;
        SerialSettings b;
        SettingsChange expect;
    };
    SerialSettings baud = a;
    baud.baud = 19200;
    SerialSettings hangup = a;
    hangup.baud = 0;
    SerialSettings stop = a;
    stop.stop_bits = StopBits::two;
    SerialSettings flow = a;
    flow.rts_cts = true;
    SerialSettings chars = a;
    chars.xoff_char = 0x7f;
    SerialSettings all = baud;
    all.stop_bits = StopBits::two;
    all.xon_out = true;
    all.eof_char = 0;
    const std::vector<Row> rows = {
        {"same", a, {}},
        {"baud", baud, {true, false, false, false}},
        {"B0 hangs up, is no rate", hangup, {}},
        {"stop bits", stop, {false, true, false, false}},
        {"rts/cts", flow, {false, false, true, false}},
        {"chars", chars, {false, false, false, true}},
        {"all four", all, {true, true, true, true}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        CHECK(compare(a, r.b) == r.expect);
        CHECK(compare(a, r.b).any() == (r.expect != SettingsChange{}));
    }
}

TEST_CASE("decode_packet splits data from control bytes") {
    const std::vector<std::uint8_t> data = {TIOCPKT_DATA, 'h', 'i'};
    const auto d = decode_packet(data);
    REQUIRE(d.data.size() == 2);
    CHECK(d.data[0] == 'h');
    CHECK_FALSE(d.settings);
    CHECK(purge_mask(d) == 0);

    const std::vector<std::uint8_t> both = {TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE};
    const auto f = decode_packet(both);
    CHECK(f.data.empty());
    CHECK(f.flush_read);
    CHECK(f.flush_write);
    CHECK(purge_mask(f) == 0xC);  // RXCLEAR 8 | TXCLEAR 4

    const std::vector<std::uint8_t> ioctl = {TIOCPKT_IOCTL};
    CHECK(decode_packet(ioctl).settings);
    CHECK(purge_mask(decode_packet(ioctl)) == 0);

    const std::vector<std::uint8_t> stop = {TIOCPKT_STOP}, start = {TIOCPKT_START};
    CHECK(decode_packet(stop).stop);
    CHECK(decode_packet(start).start);
    CHECK(decode_packet({}).data.empty());
}
