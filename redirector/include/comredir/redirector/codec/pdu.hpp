#pragma once
// One rdpdr channel message in, one PDU out. The static virtual channel hands over whole
// reassembled messages ([MS-RDPBCGR] 3.1.5.2.2.1; WTSVirtualChannelRead), one PDU each, and
// the RDPDR_HEADER has no length, so the codec decodes whole messages: no partial input,
// no state. Bytes after a complete PDU are accepted and counted in `trailing` (peers pad
// some PDUs: FreeRDP's close and write completions), never read as another PDU.
//
// Severity, by what failed:
//   close_session - the message cannot be identified (shorter than its 4-byte header) or a
//                   handshake PDU the session cannot go on without is malformed (Client
//                   Announce Reply, Client Core Capability Response; VersionMajor not 1).
//   drop_pdu      - anything else: unknown component or PacketId, a PacketId of the other
//                   role, a malformed Client Name, device list or completion. The session
//                   ignores the message (and, for a completion it can match, fails the IRP).

#include <comredir/redirector/codec/devices.hpp>
#include <comredir/redirector/codec/handshake.hpp>
#include <comredir/redirector/codec/irp.hpp>
#include <comredir/redirector/codec/status.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace comredir::redirector::codec {

/// What a server receives from a client.
using ClientPdu =
    std::variant<std::monostate, ClientAnnounceReply, ClientName, ClientCapabilityResponse,
                 DeviceListAnnounce, DeviceListRemove, IoCompletion>;
/// What a client receives from a server.
using ServerPdu = std::variant<std::monostate, ServerAnnounce, ServerCapabilityRequest,
                               ClientIdConfirm, UserLoggedOn, DeviceAnnounceResponse, IoRequest>;

template <class Pdu>
struct Decoded {
    Status status = Status::ok;
    Severity severity = Severity::none;
    std::uint64_t offset = 0;     // of the problem, from the start of the message
    std::string message;          // one line: "<pdu>: offset 0x..: <detail>"; empty when ok
    std::uint16_t component = 0;  // RDPDR_HEADER, when at least 4 bytes came
    std::uint16_t packet_id = 0;
    std::size_t trailing = 0;  // bytes after the PDU (ok only)
    Pdu pdu;                   // monostate unless ok
    bool ok() const { return status == Status::ok; }
};
using DecodeResult = Decoded<ClientPdu>;
using ServerDecodeResult = Decoded<ServerPdu>;

/// The server side's decoder: never throws on peer data, never allocates more than the
/// message holds (peer lengths and counts are checked against the bytes present and capped).
DecodeResult decode_client_pdu(std::span<const std::uint8_t> message);
/// The client side's decoder (tests and the test client that plays the client role).
ServerDecodeResult decode_server_pdu(std::span<const std::uint8_t> message);

/// The PDU's wire bytes; monostate gives an empty vector.
std::vector<std::uint8_t> encode(const ClientPdu& pdu);
std::vector<std::uint8_t> encode(const ServerPdu& pdu);

/// "client name" for a PacketId of the given direction (messages and logs).
std::string_view pdu_name(std::uint16_t packet_id, bool from_client);

}  // namespace comredir::redirector::codec
