// The I/O-free rdpdr session: handshake order and bytes, the policy answer per device,
// port I/O (one READ and one WRITE in flight), settings and purge as IOCTLs, hostile peers.
#include <doctest/doctest.h>

#include <algorithm>
#include <comredir/redirector/codec/ntstatus.hpp>
#include <comredir/redirector/codec/pdu.hpp>
#include <comredir/redirector/session/session.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace comredir::redirector;
using namespace comredir::redirector::session;
namespace nt = codec::ntstatus;

namespace {

struct Event {
    std::string what;
    std::uint32_t device = 0;
    std::string text;
};

class FakeHost : public SessionHost {
  public:
    std::vector<codec::ServerPdu> sent;
    std::vector<Event> events;
    std::vector<std::string> warnings;
    std::map<std::string, PortAnswer> answers;  // by port name; default: accept
    bool open_ok = true;
    std::vector<std::uint8_t> received;

    void send(std::vector<std::uint8_t> m) override {
        auto d = codec::decode_server_pdu(m);
        REQUIRE_MESSAGE(d.ok(), d.message);
        sent.push_back(d.pdu);
    }
    void log(LogLevel level, std::string_view m) override {
        if (level == LogLevel::warning || level == LogLevel::error) warnings.emplace_back(m);
    }
    PortAnswer port_announced(const AnnouncedDevice& d) override {
        events.push_back({"announced", d.device_id, d.name});
        auto it = answers.find(d.name);
        return it == answers.end() ? PortAnswer{true, 0} : it->second;
    }
    void device_refused(const AnnouncedDevice& d, std::uint32_t status) override {
        events.push_back({"refused", d.device_id, codec::hex(status)});
    }
    bool port_opened(std::uint32_t id) override {
        events.push_back({"opened", id, ""});
        return open_ok;
    }
    void port_data(std::uint32_t id, std::span<const std::uint8_t> data) override {
        (void)id;
        received.insert(received.end(), data.begin(), data.end());
    }
    void port_closed(std::uint32_t id, PortEnd why, std::string_view reason) override {
        events.push_back({"closed", id, std::string(to_string(why)) + ": " + std::string(reason)});
    }

    template <class T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const auto& p : sent)
            if (const auto* x = std::get_if<T>(&p)) out.push_back(*x);
        return out;
    }
    std::vector<codec::IoRequest> requests() const { return all<codec::IoRequest>(); }
    codec::IoRequest last_request() const {
        auto r = requests();
        REQUIRE_FALSE(r.empty());
        return r.back();
    }
};

std::vector<std::uint8_t> bytes(const codec::ClientPdu& p) {
    return codec::encode(p);
}

codec::ClientCapabilityResponse client_caps() {
    codec::GeneralCapability g;
    g.special_type_device_cap = 0;
    codec::ClientCapabilityResponse c;
    c.capabilities = {g, codec::OtherCapability{codec::cap_type::port, 1, {}}};
    return c;
}

const auto t0 = Clock::now();

// Runs the handshake as the FreeRDP 2.11 client does (RDPDR.md).
void handshake(Session& s, FakeHost& h) {
    s.start(t0);
    REQUIRE(s.receive(bytes(codec::ClientAnnounceReply{1, 0x0C, 1}), t0));
    REQUIRE(s.receive(bytes(codec::make_client_name("LAPTOP-7")), t0));
    REQUIRE(s.receive(bytes(client_caps()), t0));
    REQUIRE(s.receive(bytes(codec::DeviceListAnnounce{}), t0));
    REQUIRE(s.phase() == Phase::ready);
    h.sent.clear();
}

// Announces COM1 as device 5 and completes its CREATE with FileId 9.
void open_com1(Session& s, FakeHost& h) {
    codec::DeviceListAnnounce list;
    list.devices.push_back(codec::make_device(codec::device_type::serial, 5, "COM1"));
    REQUIRE(s.receive(bytes(list), t0));
    auto create = h.last_request();
    REQUIRE(std::holds_alternative<codec::CreateRequest>(create.body));
    REQUIRE(s.receive(bytes(codec::make_completion(5, create.completion_id, nt::success,
                                                   codec::CreateCompletion{9, 0})),
                      t0));
}

codec::IoRequest find_request(const FakeHost& h, std::uint32_t major, std::uint32_t ioctl = 0) {
    for (const auto& r : h.requests()) {
        if (codec::major_function(r.body) != major) continue;
        if (ioctl != 0 && std::get<codec::ControlRequest>(r.body).io_control_code != ioctl)
            continue;
        return r;
    }
    FAIL("no such request");
    return {};
}

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, path);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("the handshake sends announce, capabilities, id confirm and user logged on in order") {
    FakeHost h;
    Session s({.client_id = 7}, h);
    s.start(t0);
    REQUIRE(h.sent.size() == 1);
    CHECK(std::get<codec::ServerAnnounce>(h.sent[0]) == codec::ServerAnnounce{1, 0x0C, 7});
    CHECK(s.phase() == Phase::announced);

    CHECK(s.receive(bytes(codec::ClientAnnounceReply{1, 0x0C, 7}), t0));
    CHECK(h.sent.size() == 1);  // the server waits for the name
    CHECK(s.receive(bytes(codec::make_client_name("LAPTOP-7")), t0));
    CHECK(s.client_name() == "LAPTOP-7");
    REQUIRE(h.sent.size() == 3);
    const auto& caps = std::get<codec::ServerCapabilityRequest>(h.sent[1]);
    const auto* general = codec::find_general(caps.capabilities);
    REQUIRE(general != nullptr);
    CHECK(general->version == 2);
    CHECK(general->special_type_device_cap.has_value());  // Length 44
    CHECK((general->extended_pdu & codec::extended_pdu::user_loggedon) != 0);
    CHECK(codec::has_capability(caps.capabilities, codec::cap_type::port));
    CHECK(std::get<codec::ClientIdConfirm>(h.sent[2]).client_id == 7);

    CHECK(s.receive(bytes(client_caps()), t0));
    REQUIRE(h.sent.size() == 4);
    CHECK(std::holds_alternative<codec::UserLoggedOn>(h.sent[3]));
    CHECK(s.phase() == Phase::ready);
    CHECK(h.warnings.empty());
}

TEST_CASE("the real FreeRDP 2.11 client's messages drive the session to an open port") {
    // Captured from `xfreerdp /serial:COM1,<pty>` against comredir-redirector --capture.
    const std::string dir = std::string(COMREDIR_TEST_DATA) + "/rdpdr/";
    FakeHost h;
    Session s({.client_id = 1}, h);
    s.start(t0);
    for (const char* f : {"001.bin", "002.bin", "003.bin", "004.bin"}) {
        const auto m = read_file(dir + f);
        const auto d = codec::decode_client_pdu(m);
        REQUIRE_MESSAGE(d.ok(), d.message);
        CHECK(codec::encode(d.pdu) == m);  // byte for byte
        CHECK(s.receive(m, t0));
    }
    CHECK(s.client_name() == "vm");
    CHECK(s.phase() == Phase::ready);
    const auto list = read_file(dir + "005.bin");
    const auto d = codec::decode_client_pdu(list);
    REQUIRE(d.ok());
    const auto& devices = std::get<codec::DeviceListAnnounce>(d.pdu).devices;
    REQUIRE(devices.size() == 1);
    CHECK(devices[0].device_type == codec::device_type::serial);
    CHECK(codec::dos_name(devices[0]) == "COM1");
    CHECK(s.receive(list, t0));
    REQUIRE(h.events.size() == 1);
    CHECK(h.events[0].what == "announced");
    CHECK(h.events[0].text == "COM1");
    auto replies = h.all<codec::DeviceAnnounceResponse>();
    REQUIRE(replies.size() == 1);
    CHECK(replies[0] == codec::DeviceAnnounceResponse{devices[0].device_id, nt::success});
    CHECK(std::holds_alternative<codec::CreateRequest>(h.last_request().body));
}

TEST_CASE("the real client's completions decode for their requests and re-encode") {
    const std::string dir = std::string(COMREDIR_TEST_DATA) + "/rdpdr/";
    auto completion = [&](const char* file) {
        const auto m = read_file(dir + file);
        const auto d = codec::decode_client_pdu(m);
        REQUIRE_MESSAGE(d.ok(), d.message);
        CHECK(codec::encode(d.pdu) == m);
        return std::pair{m, std::get<codec::IoCompletion>(d.pdu)};
    };
    {
        const auto [m, c] = completion("freerdp-create-completion.bin");
        CHECK(c.completion_id == 1);
        const auto b = codec::decode_completion_body(c, codec::irp_mj::create);
        REQUIRE(b.ok());
        CHECK(std::get<codec::CreateCompletion>(b.body) == codec::CreateCompletion{2, 0});
        CHECK(codec::encode_body(b.body) == c.body);
    }
    {
        const auto [m, c] = completion("freerdp-ioctl-completion.bin");
        const auto b = codec::decode_completion_body(c, codec::irp_mj::device_control,
                                                     codec::ioctl::set_handflow);
        REQUIRE(b.ok());
        CHECK(std::get<codec::ControlCompletion>(b.body).output.empty());
    }
    {
        const auto [m, c] = completion("freerdp-read-completion.bin");
        const auto b = codec::decode_completion_body(c, codec::irp_mj::read);
        REQUIRE(b.ok());
        const auto& data = std::get<codec::ReadCompletion>(b.body).data;
        CHECK(std::string(data.begin(), data.end()) == "from the device");
        CHECK(b.trailing == 0);
    }
    {
        const auto [m, c] = completion("freerdp-write-completion.bin");
        const auto b = codec::decode_completion_body(c, codec::irp_mj::write);
        REQUIRE(b.ok());
        CHECK(std::get<codec::WriteCompletion>(b.body).length == 13);
        CHECK(b.trailing == 1);  // the optional padding byte of 2.2.1.5.4
    }
    // Fed to a session after the real handshake, the CREATE completion opens the port.
    FakeHost h;
    Session s({.client_id = 1}, h);
    s.start(t0);
    for (const char* f : {"001.bin", "002.bin", "003.bin", "004.bin", "005.bin"})
        REQUIRE(s.receive(read_file(dir + f), t0));
    REQUIRE(s.receive(read_file(dir + "freerdp-create-completion.bin"), t0));
    CHECK(s.open_ports() == std::vector<std::uint32_t>{1});
    CHECK(h.last_request().file_id == 2);
}

TEST_CASE("a denied port is answered with the host's status and never opened") {
    FakeHost h;
    h.answers["COM2"] = {false, nt::access_denied};
    Session s({}, h);
    handshake(s, h);
    codec::DeviceListAnnounce list;
    list.devices.push_back(codec::make_device(codec::device_type::serial, 3, "COM2"));
    list.devices.push_back(codec::make_device(codec::device_type::filesystem, 4, "HOME"));
    CHECK(s.receive(bytes(list), t0));
    const auto replies = h.all<codec::DeviceAnnounceResponse>();
    REQUIRE(replies.size() == 2);
    CHECK(replies[0] == codec::DeviceAnnounceResponse{3, nt::access_denied});
    CHECK(replies[1] == codec::DeviceAnnounceResponse{4, nt::not_supported});
    CHECK(h.requests().empty());
    CHECK(s.open_ports().empty());
    REQUIRE(h.events.size() == 2);
    CHECK(h.events[1].what == "refused");
    // The same id again is a peer bug: ignored, not answered twice.
    CHECK(s.receive(bytes(list), t0));
    CHECK(h.all<codec::DeviceAnnounceResponse>().size() == 2);
    CHECK(s.stats().dropped_pdus == 2);
}

TEST_CASE("an accepted port is created, set to 9600 8N1 without flow control, then read") {
    FakeHost h;
    Session s({}, h);
    handshake(s, h);
    open_com1(s, h);
    CHECK(s.open_ports() == std::vector<std::uint32_t>{5});
    const auto reqs = h.requests();
    REQUIRE(reqs.size() == 6);  // CREATE, 4 IOCTLs, READ
    auto ctl = [&](std::size_t i) { return std::get<codec::ControlRequest>(reqs[i].body); };
    CHECK(ctl(1).io_control_code == codec::ioctl::set_handflow);
    CHECK(ctl(1).input == codec::encode(codec::SerialValue{codec::SerialHandflow{0, 0, 128, 128}}));
    CHECK(ctl(2).io_control_code == codec::ioctl::set_baud_rate);
    CHECK(ctl(2).input == codec::encode(codec::SerialValue{codec::SerialBaudRate{9600}}));
    CHECK(ctl(3).io_control_code == codec::ioctl::set_line_control);
    CHECK(ctl(3).input == codec::encode(codec::SerialValue{codec::SerialLineControl{0, 0, 8}}));
    // READs return with what there is, or after 5 s without a byte.
    CHECK(ctl(4).io_control_code == codec::ioctl::set_timeouts);
    CHECK(ctl(4).input == codec::encode(codec::SerialValue{
                              codec::SerialTimeouts{0xFFFFFFFF, 0xFFFFFFFF, 5000, 0, 0}}));
    for (std::size_t i = 1; i < reqs.size(); ++i) CHECK(reqs[i].file_id == 9);
    CHECK(std::get<codec::ReadRequest>(reqs[5].body).length == 16384);
    std::set<std::uint32_t> ids;
    for (const auto& r : reqs) ids.insert(r.completion_id);
    CHECK(ids.size() == reqs.size());
}

TEST_CASE("one READ in flight: data goes to the host, then the next READ") {
    FakeHost h;
    Session s({}, h);
    handshake(s, h);
    open_com1(s, h);
    const auto read = find_request(h, codec::irp_mj::read);
    h.sent.clear();
    s.pause_reads(5, false, t0);  // already reading: nothing new
    CHECK(h.requests().empty());
    const std::vector<std::uint8_t> data{'h', 'i', 0, 0xFF};
    CHECK(s.receive(bytes(codec::make_completion(5, read.completion_id, nt::success,
                                                 codec::ReadCompletion{data})),
                    t0));
    CHECK(h.received == data);
    REQUIRE(h.requests().size() == 1);
    CHECK(std::holds_alternative<codec::ReadRequest>(h.last_request().body));
    CHECK(s.stats().bytes_from_client == 4);

    // Paused: a completed READ is not followed by another until resumed.
    const auto second = h.last_request();
    h.sent.clear();
    s.pause_reads(5, true, t0);
    CHECK(s.receive(bytes(codec::make_completion(5, second.completion_id, nt::success,
                                                 codec::ReadCompletion{{1}})),
                    t0));
    CHECK(h.requests().empty());
    s.pause_reads(5, false, t0);
    CHECK(h.requests().size() == 1);
}

TEST_CASE("a READ that timed out is asked again at once") {
    FakeHost h;
    Session s({}, h);
    handshake(s, h);
    open_com1(s, h);
    const auto read = find_request(h, codec::irp_mj::read);
    h.sent.clear();
    CHECK(s.receive(
        bytes(codec::make_completion(5, read.completion_id, nt::timeout, codec::ReadCompletion{})),
        t0));
    REQUIRE(h.requests().size() == 1);
    CHECK(std::holds_alternative<codec::ReadRequest>(h.last_request().body));
    CHECK(s.open_ports() == std::vector<std::uint32_t>{5});
}

TEST_CASE("an empty READ is retried after a pause, not in a loop") {
    FakeHost h;
    Session s({}, h);
    handshake(s, h);
    open_com1(s, h);
    const auto read = find_request(h, codec::irp_mj::read);
    h.sent.clear();
    CHECK(s.receive(
        bytes(codec::make_completion(5, read.completion_id, nt::success, codec::ReadCompletion{})),
        t0));
    CHECK(h.requests().empty());
    REQUIRE(s.next_deadline());
    CHECK(*s.next_deadline() == t0 + std::chrono::milliseconds(20));
    s.tick(t0 + std::chrono::milliseconds(19));
    CHECK(h.requests().empty());
    s.tick(t0 + std::chrono::milliseconds(20));
    CHECK(h.requests().size() == 1);
}

TEST_CASE("one WRITE in flight: bytes queue behind it and go out in order") {
    FakeHost h;
    Session s({.tx_capacity = 8}, h);
    handshake(s, h);
    open_com1(s, h);
    h.sent.clear();
    const std::vector<std::uint8_t> a{1, 2, 3}, b{4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    CHECK(s.write(5, a, t0) == 3);
    REQUIRE(h.requests().size() == 1);
    const auto w1 = h.last_request();
    CHECK(std::get<codec::WriteRequest>(w1.body).data == a);
    CHECK(s.tx_room(5) == 8);
    CHECK(s.write(5, b, t0) == 8);  // capped by the buffer
    CHECK(s.tx_room(5) == 0);
    CHECK(h.requests().size() == 1);  // still one in flight
    // A short write: the unwritten byte goes first in the next WRITE.
    CHECK(s.receive(
        bytes(codec::make_completion(5, w1.completion_id, nt::success, codec::WriteCompletion{2})),
        t0));
    const auto w2 = h.last_request();
    CHECK(std::get<codec::WriteRequest>(w2.body).data ==
          std::vector<std::uint8_t>{3, 4, 5, 6, 7, 8, 9, 10, 11});
    CHECK(s.stats().bytes_to_client == 3 + 9);
}

TEST_CASE("settings and flushes become the IOCTLs the FreeRDP client accepts") {
    FakeHost h;
    Session s({}, h);
    handshake(s, h);
    open_com1(s, h);
    h.sent.clear();
    port::SerialSettings before{.baud = 9600};
    port::SerialSettings after = before;
    after.baud = 115200;
    after.stop_bits = port::StopBits::two;
    after.rts_cts = true;
    after.xon_out = true;
    after.xon_char = 0x01;
    s.apply_settings(5, before, after, t0);
    const auto reqs = h.requests();
    REQUIRE(reqs.size() == 4);
    auto ctl = [&](std::size_t i) { return std::get<codec::ControlRequest>(reqs[i].body); };
    CHECK(ctl(0).io_control_code == codec::ioctl::set_baud_rate);
    CHECK(ctl(0).input == codec::encode(codec::SerialValue{codec::SerialBaudRate{115200}}));
    CHECK(ctl(1).input == codec::encode(codec::SerialValue{codec::SerialLineControl{2, 0, 8}}));
    CHECK(ctl(2).input ==
          codec::encode(codec::SerialValue{codec::SerialHandflow{
              codec::serial::cts_handshake,
              codec::serial::rts_handshake | codec::serial::auto_transmit, 128, 128}}));
    CHECK(ctl(3).input ==
          codec::encode(codec::SerialValue{codec::SerialChars{0, 0, 0, 0, 0x01, 0x13}}));
    h.sent.clear();
    s.purge(5, codec::serial::purge_rxclear, t0);
    REQUIRE(h.requests().size() == 1);
    CHECK(std::get<codec::ControlRequest>(h.last_request().body).input ==
          codec::encode(codec::SerialValue{codec::SerialPurgeMask{codec::serial::purge_rxclear}}));
    // B0 (hang up) is not a rate.
    h.sent.clear();
    auto b0 = after;
    b0.baud = 0;
    s.apply_settings(5, after, b0, t0);
    CHECK(h.requests().empty());
}

TEST_CASE("a failed CREATE or READ closes the port; removal and session end close it too") {
    SUBCASE("create fails") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        codec::DeviceListAnnounce list;
        list.devices.push_back(codec::make_device(codec::device_type::serial, 5, "COM1"));
        CHECK(s.receive(bytes(list), t0));
        const auto create = h.last_request();
        CHECK(s.receive(bytes(codec::make_completion(5, create.completion_id, 0xC0000034,
                                                     codec::CreateCompletion{0, 0})),
                        t0));
        REQUIRE(h.events.size() == 2);
        CHECK(h.events[1].what == "closed");
        CHECK(h.events[1].text ==
              "open_failed: the client could not open its device: status `0xc0000034`");
        CHECK(s.irps_in_flight() == 0);
    }
    SUBCASE("read fails") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        open_com1(s, h);
        const auto read = find_request(h, codec::irp_mj::read);
        CHECK(s.receive(bytes(codec::make_completion(5, read.completion_id, nt::unsuccessful,
                                                     codec::ReadCompletion{})),
                        t0));
        CHECK(h.events.back().text ==
              "io_failed: reading the client's device failed: status `0xc0000001`");
        CHECK(s.open_ports().empty());
        CHECK(s.irps_in_flight() == 0);  // the IOCTLs of the port are forgotten too
    }
    SUBCASE("removed, then its late completions are ignored") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        open_com1(s, h);
        const auto read = find_request(h, codec::irp_mj::read);
        CHECK(s.receive(bytes(codec::DeviceListRemove{{5}}), t0));
        CHECK(h.events.back().text == "removed: the client removed the device");
        CHECK(s.receive(bytes(codec::make_completion(5, read.completion_id, nt::success,
                                                     codec::ReadCompletion{{1, 2}})),
                        t0));
        CHECK(h.received.empty());
        CHECK(s.stats().unknown_completions == 1);
    }
    SUBCASE("host gives the port up: CLOSE is sent, port_closed once") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        open_com1(s, h);
        h.sent.clear();
        s.close_port(5, "shutting down", t0);
        REQUIRE(h.requests().size() == 1);
        CHECK(std::holds_alternative<codec::CloseRequest>(h.last_request().body));
        s.end("bye");
        CHECK(std::count_if(h.events.begin(), h.events.end(),
                            [](const Event& e) { return e.what == "closed"; }) == 1);
    }
    SUBCASE("the host cannot make the port available") {
        FakeHost h;
        h.open_ok = false;
        Session s({}, h);
        handshake(s, h);
        open_com1(s, h);
        CHECK(h.events.back().text == "host_closed: the host could not make the port available");
        CHECK(std::holds_alternative<codec::CloseRequest>(h.last_request().body));
        CHECK(s.open_ports().empty());
    }
    SUBCASE("session end") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        open_com1(s, h);
        s.end("the connection closed");
        CHECK(h.events.back().text == "session_end: the connection closed");
        CHECK(s.phase() == Phase::closed);
        const auto n = h.sent.size();
        CHECK_FALSE(s.receive(bytes(codec::DeviceListAnnounce{}), t0));
        CHECK(h.sent.size() == n);
    }
}

TEST_CASE("a port the host revokes gets one CLOSE with its FileId and nothing more") {
    const auto closes = [](const FakeHost& h) {
        return std::count_if(h.events.begin(), h.events.end(),
                             [](const Event& e) { return e.what == "closed"; });
    };
    SUBCASE("an open port") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        open_com1(s, h);
        const auto read = find_request(h, codec::irp_mj::read);
        h.sent.clear();
        s.close_port(5, "policy now denies it", t0);
        CHECK(h.events.back().what == "closed");
        CHECK(h.events.back().text == "host_closed: policy now denies it");
        CHECK(s.open_ports().empty());
        REQUIRE(h.requests().size() == 1);
        const auto close = h.last_request();
        CHECK(std::holds_alternative<codec::CloseRequest>(close.body));
        CHECK(close.device_id == 5);
        CHECK(close.file_id == 9);
        // The READ in flight completes with data: not delivered, and nothing new is asked
        // for the port (no READ, no WRITE, no CREATE), not even when its timers run.
        CHECK(s.receive(bytes(codec::make_completion(5, read.completion_id, nt::success,
                                                     codec::ReadCompletion{{1, 2}})),
                        t0));
        CHECK(h.received.empty());
        const std::vector<std::uint8_t> one{0x41};
        CHECK(s.write(5, one, t0) == 0);
        CHECK(s.tx_room(5) == 0);
        s.tick(t0 + std::chrono::seconds(10));
        CHECK(h.requests().size() == 1);
        // Revoked twice, or the session ends: the host hears of it once.
        s.close_port(5, "again", t0);
        CHECK(s.receive(bytes(codec::make_completion(5, close.completion_id, nt::success,
                                                     codec::CloseCompletion{})),
                        t0));
        s.end("bye");
        CHECK(h.requests().size() == 1);
        CHECK(closes(h) == 1);
    }
    SUBCASE("a port whose CREATE is in flight: CLOSE once the client made its handle") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        codec::DeviceListAnnounce list;
        list.devices.push_back(codec::make_device(codec::device_type::serial, 5, "COM1"));
        REQUIRE(s.receive(bytes(list), t0));
        const auto create = h.last_request();
        REQUIRE(std::holds_alternative<codec::CreateRequest>(create.body));
        h.sent.clear();
        s.close_port(5, "policy now denies it", t0);
        CHECK(h.events.back().text == "host_closed: policy now denies it");
        CHECK(h.requests().empty());
        CHECK(s.receive(bytes(codec::make_completion(5, create.completion_id, nt::success,
                                                     codec::CreateCompletion{11, 0})),
                        t0));
        REQUIRE(h.requests().size() == 1);  // no settings, no READ: only the CLOSE
        CHECK(std::holds_alternative<codec::CloseRequest>(h.last_request().body));
        CHECK(h.last_request().file_id == 11);
        CHECK(std::none_of(h.events.begin(), h.events.end(),
                           [](const Event& e) { return e.what == "opened"; }));
        CHECK(s.receive(bytes(codec::make_completion(5, h.last_request().completion_id, nt::success,
                                                     codec::CloseCompletion{})),
                        t0));
        CHECK(s.irps_in_flight() == 0);
        CHECK(closes(h) == 1);
    }
    SUBCASE("a port whose CREATE then fails: nothing to close") {
        FakeHost h;
        Session s({}, h);
        handshake(s, h);
        codec::DeviceListAnnounce list;
        list.devices.push_back(codec::make_device(codec::device_type::serial, 5, "COM1"));
        REQUIRE(s.receive(bytes(list), t0));
        const auto create = h.last_request();
        h.sent.clear();
        s.close_port(5, "policy now denies it", t0);
        CHECK(s.receive(bytes(codec::make_completion(5, create.completion_id, nt::unsuccessful,
                                                     codec::CreateCompletion{})),
                        t0));
        CHECK(h.requests().empty());
        CHECK(s.irps_in_flight() == 0);
        CHECK(closes(h) == 1);
    }
}

TEST_CASE("hostile peers: out-of-order PDUs, unknown and repeated completion ids, garbage") {
    FakeHost h;
    Session s({}, h);
    s.start(t0);
    // Devices and completions before the handshake are ignored, never answered.
    codec::DeviceListAnnounce list;
    list.devices.push_back(codec::make_device(codec::device_type::serial, 5, "COM1"));
    CHECK(s.receive(bytes(list), t0));
    CHECK(s.receive(bytes(codec::make_completion(5, 1, 0, codec::ReadCompletion{{1}})), t0));
    CHECK(s.receive(bytes(client_caps()), t0));  // capabilities before the name
    CHECK(h.sent.size() == 1);
    CHECK(s.stats().dropped_pdus == 3);
    // A message shorter than its header ends the session.
    CHECK_FALSE(s.receive(std::vector<std::uint8_t>{0x72, 0x44}, t0));
    CHECK(s.phase() == Phase::closed);

    FakeHost h2;
    Session s2({}, h2);
    handshake(s2, h2);
    open_com1(s2, h2);
    const auto read = find_request(h2, codec::irp_mj::read);
    const auto done = bytes(
        codec::make_completion(5, read.completion_id, nt::success, codec::ReadCompletion{{7}}));
    CHECK(s2.receive(done, t0));
    CHECK(s2.receive(done, t0));  // the same completion again: not trusted twice
    CHECK(h2.received == std::vector<std::uint8_t>{7});
    CHECK(s2.stats().unknown_completions == 1);
    // A READ completion claiming more data than the message holds is dropped.
    const auto next = h2.last_request();
    auto lying = bytes(codec::make_completion(5, next.completion_id, nt::success,
                                              codec::ReadCompletion{{1, 2, 3}}));
    lying[16] = 0xFF;  // Length
    CHECK(s2.receive(lying, t0));
    CHECK(h2.received == std::vector<std::uint8_t>{7});
    CHECK(s2.phase() == Phase::ready);
    REQUIRE(h2.events.back().what == "closed");  // the READ failed: so does the port
    CHECK(h2.events.back().text.starts_with(
        "io_failed: the client's read completion is malformed: "));
    // A malformed handshake PDU once the handshake is done is ignored, not fatal.
    auto caps = bytes(client_caps());
    caps.resize(8);
    caps[4] = 0xFF;
    caps[5] = 0xFF;
    CHECK(s2.receive(caps, t0));
    CHECK(s2.phase() == Phase::ready);
}

TEST_CASE("the in-flight table bounds the session and slow requests are reported once") {
    FakeHost h;
    Session s({.irp_capacity = 7, .irp_warn = std::chrono::milliseconds(100)}, h);
    handshake(s, h);
    open_com1(s, h);  // 4 IOCTLs + READ in flight
    CHECK(s.irps_in_flight() == 5);
    port::SerialSettings a{.baud = 9600}, b{.baud = 19200};
    s.apply_settings(5, a, b, t0);
    s.apply_settings(5, b, a, t0);
    s.apply_settings(5, a, b, t0);  // the table is full: refused, with a warning
    CHECK(s.irps_in_flight() == 7);
    CHECK(h.warnings.size() == 1);
    s.tick(t0 + std::chrono::milliseconds(150));
    CHECK(h.warnings.size() == 1 + 6);  // 6 IOCTLs; the pending READ is not slow
    s.tick(t0 + std::chrono::milliseconds(300));
    CHECK(h.warnings.size() == 7);
}
