#pragma once
// The rdpdr handshake PDUs ([MS-RDPEFS] 3.1.5.1, 2.2.2.2-2.2.2.8) as plain structs, and their
// encoders. Decoding goes through decode_client_pdu / decode_server_pdu (pdu.hpp).
//
// Every struct keeps what the wire carries, ignored fields included, so that decoding and
// re-encoding a message gives the same bytes (the fuzz target checks it).

#include <comredir/redirector/codec/constants.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace comredir::redirector::codec {

/// [MS-RDPEFS] 2.2.2.2 Server Announce Request (DR_CORE_SERVER_ANNOUNCE_REQ), 12 bytes.
struct ServerAnnounce {
    std::uint16_t version_major = kVersionMajor;        // VersionMajor: MUST be 1
    std::uint16_t version_minor = kVersionMinorServer;  // VersionMinor
    std::uint32_t client_id = 0;                        // ClientId
    bool operator==(const ServerAnnounce&) const = default;
};

/// [MS-RDPEFS] 2.2.2.3 Client Announce Reply (DR_CORE_CLIENT_ANNOUNCE_RSP), 12 bytes;
/// PacketId PAKID_CORE_CLIENTID_CONFIRM. The client echoes ClientId and answers with
/// min(its minor, the server's).
struct ClientAnnounceReply {
    std::uint16_t version_major = kVersionMajor;
    std::uint16_t version_minor = kVersionMinorServer;
    std::uint32_t client_id = 0;
    bool operator==(const ClientAnnounceReply&) const = default;
};

/// [MS-RDPEFS] 2.2.2.6 Server Client ID Confirm (DR_CORE_SERVER_CLIENTID_CONFIRM), 12 bytes;
/// sent after the capability exchange.
struct ClientIdConfirm {
    std::uint16_t version_major = kVersionMajor;
    std::uint16_t version_minor = kVersionMinorServer;
    std::uint32_t client_id = 0;
    bool operator==(const ClientIdConfirm&) const = default;
};

/// [MS-RDPEFS] 2.2.2.4 Client Name Request (DR_CORE_CLIENT_NAME_REQ).
struct ClientName {
    std::uint32_t unicode_flag = 1;  // UnicodeFlag: only bit 0 counts (1 = UTF-16LE, 0 = ASCII)
    std::uint32_t code_page = 0;     // CodePage: MUST be 0
    /// ComputerName exactly as sent (ComputerNameLen bytes, terminating null included).
    std::vector<std::uint8_t> computer_name;
    bool operator==(const ClientName&) const = default;
};
bool is_unicode(const ClientName& name);
/// The name up to its first null, as UTF-8 (invalid UTF-16 and non-ASCII bytes of an ASCII
/// name become U+FFFD): for logs and the policy gate's client name.
std::string computer_name_utf8(const ClientName& name);
/// A ClientName carrying `utf8` (UTF-16LE when `unicode`, else its ASCII bytes) + a null.
ClientName make_client_name(std::string_view utf8, bool unicode = true);

/// [MS-RDPEFS] 2.2.2.5 Server User Logged On (DR_CORE_USER_LOGGEDON): the header only.
struct UserLoggedOn {
    bool operator==(const UserLoggedOn&) const = default;
};

/// [MS-RDPEFS] 2.2.2.7.1 GENERAL_CAPS_SET: 40 bytes (version 1) or 44 (version 2, with
/// SpecialTypeDeviceCap). The FreeRDP 2.11 client accepts only version 2 with Length 44,
/// and announces serial ports only if extendedPDU has RDPDR_USER_LOGGEDON_PDU (RDPDR.md).
struct GeneralCapability {
    std::uint32_t version = kGeneralCapabilityVersion2;  // CAPABILITY_HEADER Version
    std::uint32_t os_type = 0;                           // osType: ignored
    std::uint32_t os_version = 0;                        // osVersion: ignored
    std::uint16_t protocol_major = kVersionMajor;        // protocolMajorVersion
    std::uint16_t protocol_minor = kVersionMinorServer;  // protocolMinorVersion
    std::uint32_t io_code1 = io_code1::all;              // ioCode1: IRP_MJ_* supported
    std::uint32_t io_code2 = 0;                          // ioCode2: MUST be 0
    std::uint32_t extended_pdu = 0;                      // extendedPDU
    std::uint32_t extra_flags1 = 0;                      // extraFlags1 (ENABLE_ASYNCIO)
    std::uint32_t extra_flags2 = 0;                      // extraFlags2: MUST be 0
    /// SpecialTypeDeviceCap: present when CapabilityLength is 44 or more.
    std::optional<std::uint32_t> special_type_device_cap;
    /// Bytes past the fields above within CapabilityLength (none from known peers).
    std::vector<std::uint8_t> tail;
    bool operator==(const GeneralCapability&) const = default;
};

/// Any other capability set ([MS-RDPEFS] 2.2.2.7.2-2.2.2.7.5: printer, port, drive,
/// smartcard are the 8-byte header alone) or an unknown type, kept by its CapabilityLength.
struct OtherCapability {
    std::uint16_t type = cap_type::port;  // CapabilityType
    std::uint32_t version = 1;            // Version
    std::vector<std::uint8_t> body;       // CapabilityLength - 8 bytes
    bool operator==(const OtherCapability&) const = default;
};

using Capability = std::variant<GeneralCapability, OtherCapability>;

/// [MS-RDPEFS] 2.2.2.7 Server Core Capability Request (DR_CORE_CAPABILITY_REQ).
struct ServerCapabilityRequest {
    std::uint16_t padding = 0;             // Padding (2 bytes): ignored
    std::vector<Capability> capabilities;  // numCapabilities entries
    bool operator==(const ServerCapabilityRequest&) const = default;
};

/// [MS-RDPEFS] 2.2.2.8 Client Core Capability Response: the same layout as the request.
struct ClientCapabilityResponse {
    std::uint16_t padding = 0;
    std::vector<Capability> capabilities;
    bool operator==(const ClientCapabilityResponse&) const = default;
};

/// What the redirector offers: general version 2 (Length 44; extendedPDU device remove,
/// client display name and user logged on; ioCode1 every IRP) and the port capability set.
ServerCapabilityRequest default_server_capabilities();
/// The client's general capability set, if it sent one (the first of that type).
const GeneralCapability* find_general(const std::vector<Capability>& capabilities);
/// Whether the peer sent a capability set of `type` (e.g. cap_type::port).
bool has_capability(const std::vector<Capability>& capabilities, std::uint16_t type);

std::vector<std::uint8_t> encode(const ServerAnnounce& pdu);
std::vector<std::uint8_t> encode(const ClientAnnounceReply& pdu);
std::vector<std::uint8_t> encode(const ClientIdConfirm& pdu);
std::vector<std::uint8_t> encode(const ClientName& pdu);
std::vector<std::uint8_t> encode(const UserLoggedOn& pdu);
/// Throws std::length_error if a capability set would not fit its u16 CapabilityLength or
/// there are more than 65535 of them (misuse).
std::vector<std::uint8_t> encode(const ServerCapabilityRequest& pdu);
std::vector<std::uint8_t> encode(const ClientCapabilityResponse& pdu);

}  // namespace comredir::redirector::codec
