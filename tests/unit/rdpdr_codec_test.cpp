// The rdpdr codec on its golden messages (rdpdr_vectors.hpp): each decodes to the struct
// written out here, each struct encodes to the golden bytes, every decoded message re-encodes
// to itself, trailing bytes are accepted and counted, and PDUs of the wrong role, unknown
// PDUs and other components are dropped with their own status.
#include <doctest/doctest.h>

#include <comredir/redirector/codec/ntstatus.hpp>
#include <comredir/redirector/codec/pdu.hpp>

#include "rdpdr_vectors.hpp"

using namespace comredir::redirector::codec;
using rdpdr_test::goldens;
using rdpdr_test::unhex;

namespace {

std::vector<std::uint8_t> golden(std::string_view name) {
    for (const auto& g : goldens()) {
        if (g.name == name) return unhex(g.hex);
    }
    throw std::invalid_argument("no golden " + std::string(name));
}

template <class T>
T client(std::string_view name) {
    const auto r = decode_client_pdu(golden(name));
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.trailing == 0);
    return std::get<T>(r.pdu);
}

template <class T>
T server(std::string_view name) {
    const auto r = decode_server_pdu(golden(name));
    REQUIRE_MESSAGE(r.ok(), r.message);
    CHECK(r.trailing == 0);
    return std::get<T>(r.pdu);
}

IoRequest irp(std::uint32_t completion_id, RequestBody body) {
    return IoRequest{1, completion_id == 1 ? 0U : 7U, completion_id, 0, std::move(body)};
}

}  // namespace

TEST_CASE("handshake pdus decode to their structs and encode to their golden bytes") {
    const ClientAnnounceReply reply{1, 0x000C, 42};
    CHECK(client<ClientAnnounceReply>("client announce reply") == reply);
    CHECK(encode(reply) == golden("client announce reply"));

    const auto name = client<ClientName>("client name unicode");
    CHECK(name == make_client_name("PC1"));
    CHECK(is_unicode(name));
    CHECK(computer_name_utf8(name) == "PC1");
    CHECK(encode(make_client_name("PC1")) == golden("client name unicode"));
    const auto ansi = client<ClientName>("client name ansi");
    CHECK(ansi == make_client_name("PC1", false));
    CHECK(computer_name_utf8(ansi) == "PC1");

    const auto caps = client<ClientCapabilityResponse>("client capability response");
    REQUIRE(caps.capabilities.size() == 5);
    const auto* general = find_general(caps.capabilities);
    REQUIRE(general != nullptr);
    CHECK(general->version == 2);
    CHECK(general->os_type == 2);
    CHECK(general->protocol_minor == 0x000D);
    CHECK(general->io_code1 == 0xFFFF);
    CHECK(general->extended_pdu == 7);
    CHECK(general->special_type_device_cap == 0U);
    CHECK(general->tail.empty());
    CHECK(std::get<OtherCapability>(caps.capabilities[3]) ==
          OtherCapability{cap_type::drive, 2, {}});
    for (const auto type : {cap_type::general, cap_type::printer, cap_type::port, cap_type::drive,
                            cap_type::smartcard}) {
        CHECK(has_capability(caps.capabilities, type));
    }
    CHECK_FALSE(has_capability(caps.capabilities, 6));

    CHECK(server<ServerAnnounce>("server announce") == ServerAnnounce{1, 0x000C, 42});
    CHECK(encode(ServerAnnounce{1, 0x000C, 42}) == golden("server announce"));
    CHECK(encode(default_server_capabilities()) == golden("server capability request (default)"));
    CHECK(server<ServerCapabilityRequest>("server capability request (default)") ==
          default_server_capabilities());
    CHECK(encode(ClientIdConfirm{1, 0x000C, 42}) == golden("server client id confirm"));
    CHECK(server<ClientIdConfirm>("server client id confirm") == ClientIdConfirm{1, 0x000C, 42});
    CHECK(encode(UserLoggedOn{}) == golden("user logged on"));
    CHECK(std::holds_alternative<UserLoggedOn>(decode_server_pdu(golden("user logged on")).pdu));
}

TEST_CASE("device pdus decode to their structs and encode to their golden bytes") {
    const auto spec = client<DeviceListAnnounce>("device list announce (spec example)");
    REQUIRE(spec.devices.size() == 1);
    CHECK(spec.devices[0] == make_device(device_type::serial, 1, "COM2"));
    CHECK(dos_name(spec.devices[0]) == "COM2");

    DeviceListAnnounce two;
    two.devices.push_back(make_device(device_type::serial, 1, "COM1"));
    two.devices.push_back(make_device(device_type::filesystem, 2, "HOME"));
    two.devices[1].device_data = {'a', 'b', 0, 0};
    CHECK(client<DeviceListAnnounce>("device list announce two") == two);
    CHECK(encode(two) == golden("device list announce two"));

    CHECK(client<DeviceListRemove>("device list remove") == DeviceListRemove{{1, 2}});
    CHECK(encode(DeviceListRemove{{1, 2}}) == golden("device list remove"));

    const DeviceAnnounceResponse denied{1, ntstatus::access_denied};
    CHECK(server<DeviceAnnounceResponse>("device announce response (access denied)") == denied);
    CHECK(encode(denied) == golden("device announce response (access denied)"));

    // A name of 8 characters fills PreferredDosName without a null; longer ones are cut.
    CHECK(dos_name(make_device(device_type::serial, 3, "COM12345")) == "COM12345");
    CHECK(dos_name(make_device(device_type::serial, 3, "COM123456")) == "COM12345");
}

TEST_CASE("irp requests decode to their structs and encode to their golden bytes") {
    CreateRequest create;
    create.desired_access = 0xC0000000;  // GENERIC_READ | GENERIC_WRITE
    create.create_disposition = 1;       // FILE_OPEN
    const std::vector<std::pair<std::string, IoRequest>> cases = {
        {"create request (port)", irp(1, create)},
        {"close request", irp(2, CloseRequest{})},
        {"read request", irp(3, ReadRequest{4096, 0})},
        {"write request", irp(4, WriteRequest{0, {'a', 'b', 'c'}})},
        {"device control request set baud rate",
         irp(5, ControlRequest{0, ioctl::set_baud_rate, encode(SerialBaudRate{115200})})},
    };
    for (const auto& c : cases) {
        const auto& name = c.first;
        const auto& request = c.second;
        CAPTURE(name);
        CHECK(server<IoRequest>(name) == request);
        CHECK(encode(request) == golden(name));
    }
    CHECK(major_function(RequestBody{ControlRequest{}}) == irp_mj::device_control);
}

TEST_CASE("completions: header first, then the body for the request it answers") {
    const auto create = client<IoCompletion>("create completion");
    CHECK(create.device_id == 1);
    CHECK(create.completion_id == 5);
    CHECK(create.io_status == ntstatus::success);
    const auto c = decode_completion_body(create, irp_mj::create);
    REQUIRE(c.ok());
    CHECK(std::get<CreateCompletion>(c.body) == CreateCompletion{7, 0});
    CHECK(encode(make_completion(1, 5, 0, CreateCompletion{7, 0})) == golden("create completion"));

    // FreeRDP pads close and write completions: the extra byte is trailing, not an error.
    const auto close = decode_completion_body(client<IoCompletion>("close completion (freerdp: "
                                                                   "5 padding bytes)"),
                                              irp_mj::close);
    REQUIRE(close.ok());
    CHECK(close.trailing == 1);
    CHECK(std::holds_alternative<CloseCompletion>(close.body));
    const auto write = decode_completion_body(
        client<IoCompletion>("write completion (freerdp: 1 padding byte)"), irp_mj::write);
    REQUIRE(write.ok());
    CHECK(write.trailing == 1);
    CHECK(std::get<WriteCompletion>(write.body).length == 3);

    const auto read = decode_completion_body(client<IoCompletion>("read completion"), irp_mj::read);
    REQUIRE(read.ok());
    CHECK(std::get<ReadCompletion>(read.body).data == std::vector<std::uint8_t>{'a', 'b', 'c'});
    CHECK(encode(make_completion(1, 7, 0, ReadCompletion{{'a', 'b', 'c'}})) ==
          golden("read completion"));

    const auto baud =
        decode_completion_body(client<IoCompletion>("control completion get baud rate"),
                               irp_mj::device_control, ioctl::get_baud_rate);
    REQUIRE(baud.ok());
    const auto& ctl = std::get<ControlCompletion>(baud.body);
    CHECK(std::get<SerialBaudRate>(ctl.value).baud_rate == 115200);
    CHECK(encode(make_completion(1, 9, 0, ctl)) == golden("control completion get baud rate"));

    // The same body read for another major function is what it is, or a clean error.
    CHECK(decode_completion_body(create, 0x9).status == Status::unknown_major);
    CHECK(decode_completion_body(create, irp_mj::read).status == Status::length_exceeds_data);
}

TEST_CASE("every golden message re-encodes to itself; trailing bytes are counted") {
    for (const auto& g : goldens()) {
        CAPTURE(g.name);
        const auto bytes = unhex(g.hex);
        auto more = bytes;
        more.insert(more.end(), {0xAA, 0xBB, 0xCC});
        if (g.from_client) {
            const auto r = decode_client_pdu(bytes);
            REQUIRE(r.ok());
            CHECK(encode(r.pdu) == bytes);
            const auto t = decode_client_pdu(more);
            REQUIRE(t.ok());
            // A completion's body takes all bytes; its body decoder counts what is left.
            CHECK(t.trailing == (std::holds_alternative<IoCompletion>(t.pdu) ? 0U : 3U));
            if (!std::holds_alternative<IoCompletion>(t.pdu)) CHECK(t.pdu == r.pdu);
        } else {
            const auto r = decode_server_pdu(bytes);
            REQUIRE(r.ok());
            CHECK(encode(r.pdu) == bytes);
            const auto t = decode_server_pdu(more);
            REQUIRE(t.ok());
            CHECK(t.trailing == 3);
            CHECK(t.pdu == r.pdu);
        }
    }
}

TEST_CASE("unknown, foreign-role and other-component pdus are dropped; bad versions close") {
    struct Case {
        std::string hex;
        bool from_client;
        Status status;
        std::uint64_t offset;
        Severity severity;
    };
    const std::vector<Case> cases = {
        {"72 44 6e 49  01 00 0c 00 2a 00 00 00", true, Status::unexpected_packet, 2,
         Severity::drop_pdu},  // a server announce from a client
        {"72 44 52 49", true, Status::unexpected_packet, 2, Severity::drop_pdu},
        {"72 44 4e 43", false, Status::unexpected_packet, 2, Severity::drop_pdu},
        {"72 44 34 12", true, Status::unknown_packet, 2, Severity::drop_pdu},
        {"72 44 34 12", false, Status::unknown_packet, 2, Severity::drop_pdu},
        {"52 50 43 50  00 00 00 00", true, Status::unsupported_component, 0, Severity::drop_pdu},
        {"ff ff 43 43", true, Status::unsupported_component, 0, Severity::drop_pdu},
        {"72 44 43 43  02 00 0c 00 2a 00 00 00", true, Status::bad_version, 4,
         Severity::close_session},
        {"72 44 6e 49  00 00 0c 00 2a 00 00 00", false, Status::bad_version, 4,
         Severity::close_session},
        {"", true, Status::truncated, 0, Severity::close_session},
    };
    for (const auto& c : cases) {
        CAPTURE(c.hex);
        const auto bytes = unhex(c.hex);
        const auto check = [&c](const auto& res) {
            CHECK(res.status == c.status);
            CHECK(res.offset == c.offset);
            CHECK(res.severity == c.severity);
            CHECK(res.pdu.index() == 0);  // monostate
        };
        if (c.from_client) {
            check(decode_client_pdu(bytes));
        } else {
            check(decode_server_pdu(bytes));
        }
    }
    CHECK(decode_client_pdu(unhex("52 50 43 50")).message ==
          "rdpdr header: offset 0x0: component `0x5052` (printer) is not handled");
    CHECK(decode_client_pdu(unhex("72 44 6e 49")).message ==
          "rdpdr header: offset 0x2: packet id `0x496e` (server announce) is not sent by a "
          "client");
    CHECK(to_string(Status::count_exceeds_data) == "count_exceeds_data");
    CHECK(to_string(Severity::close_session) == "close_session");
}

TEST_CASE("computer names: utf-8 in, utf-16le on the wire, bad sequences shown as U+FFFD") {
    const auto name = make_client_name("Z\xC3\xBCrich-\xF0\x9F\x98\x80");  // "Zürich-😀"
    CHECK(name.computer_name ==
          unhex("5a 00 fc 00 72 00 69 00 63 00 68 00 2d 00 3d d8 00 de 00 00"));
    CHECK(computer_name_utf8(name) == "Z\xC3\xBCrich-\xF0\x9F\x98\x80");
    // A lone surrogate, and text after the first null, as a peer may send them.
    const ClientName odd{1, 0, unhex("41 00 00 d8 42 00 00 00 43 00 00 00")};
    CHECK(computer_name_utf8(odd) ==
          "A\xEF\xBF\xBD"
          "B");
    const ClientName ansi{0, 0, unhex("41 e9 00")};
    CHECK(computer_name_utf8(ansi) == "A\xEF\xBF\xBD");
    // Invalid UTF-8 from the caller is sent as U+FFFD.
    CHECK(make_client_name("\xC3").computer_name == unhex("fd ff 00 00"));
    CHECK(hex(0x1a) == "0x1a");
    CHECK(hex(0) == "0x0");
}
