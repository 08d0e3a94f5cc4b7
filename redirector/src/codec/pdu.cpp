// One message in, one PDU out: the RDPDR_HEADER ([MS-RDPEFS] 2.2.1.1) picks the body reader;
// errors get their severity here (pdu.hpp).

#include <comredir/redirector/codec/pdu.hpp>
#include <type_traits>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace {

template <class Result>
Result failed(const Reader& r, std::string_view context, Severity severity, Result res) {
    const auto& e = r.error();
    res.status = e.status;
    res.severity = severity;
    res.offset = e.offset;
    res.message = detail::format(context, e.offset, e.message);
    return res;
}

// Reads the 4-byte header into `res`; false (with the error set) if it cannot go on.
template <class Result>
bool read_header(Reader& r, Result& res) {
    const std::uint16_t component = r.u16("Component");
    const std::uint16_t packet_id = r.u16("PacketId");
    if (!r.ok()) {
        res = failed(r, "rdpdr header", Severity::close_session, std::move(res));
        return false;
    }
    res.component = component;
    res.packet_id = packet_id;
    if (component != kComponentCore) {
        r.fail(Status::unsupported_component, 0,
               "component `" + hex(component) + "`" +
                   (component == kComponentPrinter ? " (printer) is not handled" : " is not core"));
        res = failed(r, "rdpdr header", Severity::drop_pdu, std::move(res));
        return false;
    }
    return true;
}

template <class Result>
Result unknown(Reader& r, Result res, bool from_client, bool known_other_role) {
    const auto id = res.packet_id;
    if (known_other_role) {
        r.fail(Status::unexpected_packet, 2,
               "packet id `" + hex(id) + "` (" + std::string(pdu_name(id, !from_client)) +
                   ") is not sent by a " + (from_client ? "client" : "server"));
    } else {
        r.fail(Status::unknown_packet, 2, "unknown packet id `" + hex(id) + "`");
    }
    return failed(r, "rdpdr header", Severity::drop_pdu, std::move(res));
}

// Finishes a decoded body: the error with its severity, or the PDU and the trailing count.
template <class Result, class Pdu>
Result finish(const Reader& r, Result res, Pdu pdu, Severity on_error, bool from_client) {
    if (!r.ok()) {
        const auto name = pdu_name(res.packet_id, from_client);
        return failed(r, name, on_error, std::move(res));
    }
    res.trailing = r.remaining();
    res.pdu = std::move(pdu);
    return res;
}

template <class T>
T from_announce(const detail::Announce& a) {
    return T{a.version_major, a.version_minor, a.client_id};
}

}  // namespace

DecodeResult decode_client_pdu(std::span<const std::uint8_t> message) {
    DecodeResult res;
    Reader r(message);
    if (!read_header(r, res)) return res;
    switch (res.packet_id) {
        case pakid::clientid_confirm: {  // 2.2.2.3 Client Announce Reply
            const auto a = detail::read_announce(r);
            return finish(r, std::move(res), from_announce<ClientAnnounceReply>(a),
                          Severity::close_session, true);
        }
        case pakid::client_name: {
            ClientName pdu;
            detail::read_client_name(r, pdu);
            return finish(r, std::move(res), std::move(pdu), Severity::drop_pdu, true);
        }
        case pakid::client_capability: {
            ClientCapabilityResponse pdu;
            detail::read_capabilities(r, pdu.padding, pdu.capabilities);
            return finish(r, std::move(res), std::move(pdu), Severity::close_session, true);
        }
        case pakid::devicelist_announce: {
            DeviceListAnnounce pdu;
            detail::read_device_list(r, pdu);
            return finish(r, std::move(res), std::move(pdu), Severity::drop_pdu, true);
        }
        case pakid::devicelist_remove: {
            DeviceListRemove pdu;
            detail::read_device_remove(r, pdu);
            return finish(r, std::move(res), std::move(pdu), Severity::drop_pdu, true);
        }
        case pakid::device_iocompletion: {
            IoCompletion pdu;
            detail::read_io_completion(r, pdu);
            return finish(r, std::move(res), std::move(pdu), Severity::drop_pdu, true);
        }
        case pakid::server_announce:
        case pakid::server_capability:
        case pakid::device_reply:
        case pakid::device_iorequest:
        case pakid::user_loggedon:
            return unknown(r, std::move(res), true, true);
        default:
            return unknown(r, std::move(res), true, false);
    }
}

ServerDecodeResult decode_server_pdu(std::span<const std::uint8_t> message) {
    ServerDecodeResult res;
    Reader r(message);
    if (!read_header(r, res)) return res;
    switch (res.packet_id) {
        case pakid::server_announce: {
            const auto a = detail::read_announce(r);
            return finish(r, std::move(res), from_announce<ServerAnnounce>(a),
                          Severity::close_session, false);
        }
        case pakid::server_capability: {
            ServerCapabilityRequest pdu;
            detail::read_capabilities(r, pdu.padding, pdu.capabilities);
            return finish(r, std::move(res), std::move(pdu), Severity::close_session, false);
        }
        case pakid::clientid_confirm: {  // 2.2.2.6 Server Client ID Confirm
            const auto a = detail::read_announce(r);
            return finish(r, std::move(res), from_announce<ClientIdConfirm>(a),
                          Severity::close_session, false);
        }
        case pakid::user_loggedon:
            return finish(r, std::move(res), UserLoggedOn{}, Severity::drop_pdu, false);
        case pakid::device_reply: {
            DeviceAnnounceResponse pdu;
            detail::read_device_reply(r, pdu);
            return finish(r, std::move(res), pdu, Severity::drop_pdu, false);
        }
        case pakid::device_iorequest: {
            IoRequest pdu;
            detail::read_io_request(r, pdu);
            return finish(r, std::move(res), std::move(pdu), Severity::drop_pdu, false);
        }
        case pakid::client_name:
        case pakid::client_capability:
        case pakid::devicelist_announce:
        case pakid::devicelist_remove:
        case pakid::device_iocompletion:
            return unknown(r, std::move(res), false, true);
        default:
            return unknown(r, std::move(res), false, false);
    }
}

std::vector<std::uint8_t> encode(const ClientPdu& pdu) {
    return std::visit(
        [](const auto& p) -> std::vector<std::uint8_t> {
            if constexpr (std::is_same_v<std::decay_t<decltype(p)>, std::monostate>) {
                return {};
            } else {
                return encode(p);
            }
        },
        pdu);
}

std::vector<std::uint8_t> encode(const ServerPdu& pdu) {
    return std::visit(
        [](const auto& p) -> std::vector<std::uint8_t> {
            if constexpr (std::is_same_v<std::decay_t<decltype(p)>, std::monostate>) {
                return {};
            } else {
                return encode(p);
            }
        },
        pdu);
}

std::string_view pdu_name(std::uint16_t packet_id, bool from_client) {
    switch (packet_id) {
        case pakid::server_announce:
            return "server announce";
        case pakid::clientid_confirm:
            return from_client ? "client announce reply" : "server client id confirm";
        case pakid::client_name:
            return "client name";
        case pakid::devicelist_announce:
            return "device list announce";
        case pakid::device_reply:
            return "device announce response";
        case pakid::device_iorequest:
            return "device io request";
        case pakid::device_iocompletion:
            return "device io completion";
        case pakid::server_capability:
            return "server capability request";
        case pakid::client_capability:
            return "client capability response";
        case pakid::devicelist_remove:
            return "device list remove";
        case pakid::user_loggedon:
            return "user logged on";
        default:
            return "rdpdr pdu";
    }
}

}  // namespace comredir::redirector::codec
