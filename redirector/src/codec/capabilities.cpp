// Core capability exchange ([MS-RDPEFS] 2.2.2.7 request, 2.2.2.8 response): capability sets
// parsed by type and CapabilityLength; unknown types kept by their length.

#include <comredir/redirector/codec/handshake.hpp>
#include <stdexcept>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace detail {

namespace {

// [MS-RDPEFS] 2.2.2.7.1 GENERAL_CAPS_SET, after its CAPABILITY_HEADER. `body` holds
// CapabilityLength - 8 >= 32 bytes, so the fixed fields cannot run short.
GeneralCapability read_general(Reader& body, std::uint32_t version) {
    GeneralCapability g;
    g.version = version;
    g.os_type = body.u32("osType");
    g.os_version = body.u32("osVersion");
    g.protocol_major = body.u16("protocolMajorVersion");
    g.protocol_minor = body.u16("protocolMinorVersion");
    g.io_code1 = body.u32("ioCode1");
    g.io_code2 = body.u32("ioCode2");
    g.extended_pdu = body.u32("extendedPDU");
    g.extra_flags1 = body.u32("extraFlags1");
    g.extra_flags2 = body.u32("extraFlags2");
    if (body.remaining() >= 4) g.special_type_device_cap = body.u32("SpecialTypeDeviceCap");
    g.tail = body.copy(body.remaining(), "tail");
    return g;
}

}  // namespace

void read_capabilities(Reader& r, std::uint16_t& padding, std::vector<Capability>& out) {
    const auto count_at = r.offset();
    const std::uint16_t count = r.u16("numCapabilities");
    padding = r.u16("Padding");  // ignored, kept for re-encoding
    if (!r.check_count(count, 0xFFFF, kCapabilityHeaderSize, count_at, "numCapabilities")) {
        return;
    }
    for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
        // [MS-RDPEFS] 2.2.1.2 CAPABILITY_HEADER: CapabilityType, CapabilityLength (header
        // included), Version.
        const auto start = r.offset();
        const std::uint16_t type = r.u16("CapabilityType");
        const auto length_at = r.offset();
        const std::uint16_t length = r.u16("CapabilityLength");
        const std::uint32_t version = r.u32("Version");
        if (!r.ok()) return;
        if (length < kCapabilityHeaderSize) {
            r.fail(Status::bad_capability, length_at,
                   "`CapabilityLength` " + std::to_string(length) +
                       " is shorter than the 8-byte header");
            return;
        }
        const std::size_t body_size = length - kCapabilityHeaderSize;
        if (body_size > r.remaining()) {
            r.fail(Status::length_exceeds_data, length_at,
                   "`CapabilityLength` " + std::to_string(length) + " exceeds the header and the " +
                       std::to_string(r.remaining()) + " bytes left");
            return;
        }
        Reader body(r.bytes(body_size, "capability set"), start + kCapabilityHeaderSize);
        if (type == cap_type::general) {
            if (length < kGeneralCapabilityV1Length) {
                r.fail(Status::bad_capability, length_at,
                       "general capability set `CapabilityLength` " + std::to_string(length) +
                           " is shorter than 40");
                return;
            }
            out.emplace_back(read_general(body, version));
        } else {
            out.emplace_back(OtherCapability{type, version, body.copy(body_size, "body")});
        }
    }
}

void write_capabilities(Writer& w, std::uint16_t padding, const std::vector<Capability>& caps) {
    if (caps.size() > 0xFFFF) throw std::length_error("rdpdr: more than 65535 capability sets");
    w.u16(static_cast<std::uint16_t>(caps.size())).u16(padding);
    for (const auto& cap : caps) {
        if (const auto* g = std::get_if<GeneralCapability>(&cap)) {
            const std::size_t length =
                kGeneralCapabilityV1Length + (g->special_type_device_cap ? 4 : 0) + g->tail.size();
            if (length > 0xFFFF) throw std::length_error("rdpdr: general capability set too long");
            w.u16(cap_type::general).u16(static_cast<std::uint16_t>(length)).u32(g->version);
            w.u32(g->os_type).u32(g->os_version).u16(g->protocol_major).u16(g->protocol_minor);
            w.u32(g->io_code1).u32(g->io_code2).u32(g->extended_pdu);
            w.u32(g->extra_flags1).u32(g->extra_flags2);
            if (g->special_type_device_cap) w.u32(*g->special_type_device_cap);
            w.bytes(g->tail);
        } else {
            const auto& o = std::get<OtherCapability>(cap);
            const std::size_t length = kCapabilityHeaderSize + o.body.size();
            if (length > 0xFFFF) throw std::length_error("rdpdr: capability set too long");
            w.u16(o.type).u16(static_cast<std::uint16_t>(length)).u32(o.version).bytes(o.body);
        }
    }
}

}  // namespace detail

ServerCapabilityRequest default_server_capabilities() {
    GeneralCapability general;
    general.version = kGeneralCapabilityVersion2;
    general.io_code1 = io_code1::all;
    general.extended_pdu = extended_pdu::device_remove | extended_pdu::client_display_name |
                           extended_pdu::user_loggedon;
    general.special_type_device_cap = 0;  // Length 44: the FreeRDP 2.11 client needs it
    ServerCapabilityRequest req;
    req.capabilities.emplace_back(general);
    req.capabilities.emplace_back(OtherCapability{cap_type::port, kPortCapabilityVersion1, {}});
    return req;
}

const GeneralCapability* find_general(const std::vector<Capability>& capabilities) {
    for (const auto& cap : capabilities) {
        if (const auto* g = std::get_if<GeneralCapability>(&cap)) return g;
    }
    return nullptr;
}

bool has_capability(const std::vector<Capability>& capabilities, std::uint16_t type) {
    for (const auto& cap : capabilities) {
        const auto* o = std::get_if<OtherCapability>(&cap);
        if (type == cap_type::general ? o == nullptr : (o != nullptr && o->type == type)) {
            return true;
        }
    }
    return false;
}

std::vector<std::uint8_t> encode(const ServerCapabilityRequest& pdu) {
    auto w = detail::header(pakid::server_capability);
    detail::write_capabilities(w, pdu.padding, pdu.capabilities);
    return w.take();
}

std::vector<std::uint8_t> encode(const ClientCapabilityResponse& pdu) {
    auto w = detail::header(pakid::client_capability);
    detail::write_capabilities(w, pdu.padding, pdu.capabilities);
    return w.take();
}

}  // namespace comredir::redirector::codec
