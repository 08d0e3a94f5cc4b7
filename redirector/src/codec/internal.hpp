#pragma once
// Codec internals shared by the source files: the body readers behind decode_client_pdu and
// decode_server_pdu (each starts right after the 4-byte RDPDR_HEADER and reports through the
// Reader's sticky error), header writing, message formatting and UTF-16 helpers.

#include <comredir/redirector/codec/devices.hpp>
#include <comredir/redirector/codec/handshake.hpp>
#include <comredir/redirector/codec/irp.hpp>
#include <comredir/redirector/codec/reader.hpp>
#include <comredir/redirector/codec/serial_ioctl.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector::codec::detail {

/// A Writer holding the RDPDR_HEADER (component core) for `packet_id`.
Writer header(std::uint16_t packet_id);
/// "<context>: offset 0x..: <detail>".
std::string format(std::string_view context, std::uint64_t offset, std::string_view detail);

// handshake.cpp: the three 12-byte announce/confirm layouts share one reader.
struct Announce {
    std::uint16_t version_major = 0;
    std::uint16_t version_minor = 0;
    std::uint32_t client_id = 0;
};
Announce read_announce(Reader& r);
void read_client_name(Reader& r, ClientName& out);

// capabilities.cpp: DR_CORE_CAPABILITY_REQ / _RSP after the header.
void read_capabilities(Reader& r, std::uint16_t& padding, std::vector<Capability>& out);
void write_capabilities(Writer& w, std::uint16_t padding, const std::vector<Capability>& caps);

// devices.cpp
void read_device_list(Reader& r, DeviceListAnnounce& out);
void read_device_remove(Reader& r, DeviceListRemove& out);
void read_device_reply(Reader& r, DeviceAnnounceResponse& out);

// irp_request.cpp, irp_completion.cpp
void read_io_request(Reader& r, IoRequest& out);
void read_io_completion(Reader& r, IoCompletion& out);

// serial_ioctl.cpp: the payload for `code`; the Reader's error carries the detail.
void read_ioctl(Reader& r, std::uint32_t code, bool output, SerialValue& out);

// utf16.cpp
std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes);  // stops at a null
std::vector<std::uint8_t> utf8_to_utf16le(std::string_view utf8);  // no terminator

}  // namespace comredir::redirector::codec::detail
