#pragma once
// Outcome of decoding one rdpdr message: a status per grammar construct, the byte offset of
// the problem (from the start of the message) and how the session must react (severity).

#include <cstdint>
#include <string>
#include <string_view>

namespace comredir::redirector::codec {

enum class Status : std::uint8_t {
    ok,
    truncated,              ///< a fixed-size field runs past the end of the message
    too_large,              ///< a peer length or count above the codec's cap (constants.hpp)
    length_exceeds_data,    ///< a peer length larger than the bytes that follow it
    count_exceeds_data,     ///< a peer count whose smallest encoding exceeds the bytes present
    unsupported_component,  ///< RDPDR_HEADER Component other than core (printer: [MS-RDPEPC])
    unknown_packet,         ///< PacketId not defined by [MS-RDPEFS] 2.2.1.1
    unexpected_packet,      ///< a known PacketId that the sender's role never sends
    bad_version,            ///< announce VersionMajor is not 1
    bad_name,               ///< computer name: odd length for Unicode, or no terminating null
    bad_capability,         ///< CapabilityLength shorter than the capability set's fixed part
    unknown_major,          ///< IRP MajorFunction this codec does not carry
};
std::string_view to_string(Status status);

/// What the session does with a message that failed to decode ([ARCHITECTURE] example 6).
enum class Severity : std::uint8_t {
    none,           ///< decoded
    drop_pdu,       ///< ignore this message (log it); the session goes on
    close_session,  ///< the channel can no longer be trusted or the handshake cannot go on
};
std::string_view to_string(Severity severity);

/// First error met while reading (see Reader); `message` is one lowercase line.
struct DecodeError {
    Status status = Status::ok;
    std::uint64_t offset = 0;
    std::string message;
    bool ok() const { return status == Status::ok; }
};

/// `0x1a` for offsets in messages.
std::string hex(std::uint64_t value);

}  // namespace comredir::redirector::codec
