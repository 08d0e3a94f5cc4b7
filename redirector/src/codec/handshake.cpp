// Server Announce, Client Announce Reply, Client ID Confirm, Client Name and User Logged On
// ([MS-RDPEFS] 2.2.2.2-2.2.2.6).

#include <comredir/redirector/codec/handshake.hpp>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace detail {

Writer header(std::uint16_t packet_id) {
    Writer w;
    w.u16(kComponentCore).u16(packet_id);  // RDPDR_HEADER [MS-RDPEFS] 2.2.1.1
    return w;
}

std::string format(std::string_view context, std::uint64_t offset, std::string_view detail) {
    return std::string(context) + ": offset " + hex(offset) + ": " + std::string(detail);
}

// [MS-RDPEFS] 2.2.2.2 / 2.2.2.3 / 2.2.2.6: VersionMajor, VersionMinor, ClientId.
Announce read_announce(Reader& r) {
    Announce a;
    const auto at = r.offset();
    a.version_major = r.u16("VersionMajor");  // MUST be 0x0001
    a.version_minor = r.u16("VersionMinor");
    a.client_id = r.u32("ClientId");
    if (r.ok() && a.version_major != kVersionMajor) {
        r.fail(Status::bad_version, at,
               "`VersionMajor` " + std::to_string(a.version_major) + " is not 1");
    }
    return a;
}

// [MS-RDPEFS] 2.2.2.4 DR_CORE_CLIENT_NAME_REQ.
void read_client_name(Reader& r, ClientName& out) {
    out.unicode_flag = r.u32("UnicodeFlag");  // bit 0 only; the other 31 bits are ignored
    out.code_page = r.u32("CodePage");        // MUST be 0, ignored
    const auto at = r.offset();
    const std::uint32_t len = r.u32("ComputerNameLen");  // bytes, terminating null included
    if (!r.check_length(len, kMaxComputerNameLen, at, "ComputerNameLen")) return;
    const bool unicode = (out.unicode_flag & 1U) != 0;
    if (unicode && len % 2 != 0) {
        r.fail(Status::bad_name, at,
               "`ComputerNameLen` " + std::to_string(len) + " is odd for a unicode name");
        return;
    }
    const auto name = r.bytes(len, "ComputerName");
    const std::size_t unit = unicode ? 2 : 1;
    bool terminated = name.size() >= unit;
    for (std::size_t i = 0; terminated && i < unit; ++i)
        terminated = name[name.size() - 1 - i] == 0;
    if (!terminated) {
        r.fail(Status::bad_name, at + 4, "`ComputerName` does not end with a null character");
        return;
    }
    out.computer_name.assign(name.begin(), name.end());
}

}  // namespace detail

bool is_unicode(const ClientName& name) {
    return (name.unicode_flag & 1U) != 0;
}

std::string computer_name_utf8(const ClientName& name) {
    if (is_unicode(name)) return detail::utf16le_to_utf8(name.computer_name);
    std::string out;
    for (const std::uint8_t b : name.computer_name) {
        if (b == 0) break;
        if (b < 0x80) {
            out.push_back(static_cast<char>(b));
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD: CodePage is 0, so no byte above ASCII has a meaning
        }
    }
    return out;
}

ClientName make_client_name(std::string_view utf8, bool unicode) {
    ClientName n;
    n.unicode_flag = unicode ? 1 : 0;
    if (unicode) {
        n.computer_name = detail::utf8_to_utf16le(utf8);
        n.computer_name.insert(n.computer_name.end(), 2, 0);
    } else {
        n.computer_name.assign(utf8.begin(), utf8.end());
        n.computer_name.push_back(0);
    }
    return n;
}

namespace {
template <class T>
std::vector<std::uint8_t> encode_announce(std::uint16_t packet_id, const T& pdu) {
    auto w = detail::header(packet_id);
    w.u16(pdu.version_major).u16(pdu.version_minor).u32(pdu.client_id);
    return w.take();
}
}  // namespace

std::vector<std::uint8_t> encode(const ServerAnnounce& pdu) {
    return encode_announce(pakid::server_announce, pdu);
}
std::vector<std::uint8_t> encode(const ClientAnnounceReply& pdu) {
    return encode_announce(pakid::clientid_confirm, pdu);
}
std::vector<std::uint8_t> encode(const ClientIdConfirm& pdu) {
    return encode_announce(pakid::clientid_confirm, pdu);
}

std::vector<std::uint8_t> encode(const ClientName& pdu) {
    auto w = detail::header(pakid::client_name);
    w.u32(pdu.unicode_flag).u32(pdu.code_page).length32(pdu.computer_name.size());
    w.bytes(pdu.computer_name);
    return w.take();
}

std::vector<std::uint8_t> encode(const UserLoggedOn& /*pdu*/) {
    return detail::header(pakid::user_loggedon).take();
}

}  // namespace comredir::redirector::codec
