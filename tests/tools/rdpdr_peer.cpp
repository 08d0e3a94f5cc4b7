// rdpdr_peer: a scripted RDP client for tests. It connects with FreeRDP's client library
// (TLS, user name and password), joins the `rdpdr` static channel itself (no FreeRDP
// device redirection plugin), answers the server's handshake like a client, and then sends
// raw rdpdr messages from a script, however malformed. Every message the server sends is
// printed as one line: `recv <pdu name> <hex>`.
//
//   rdpdr_peer HOST PORT USER PASSWORD SCRIPT SECONDS
//
// SCRIPT: one message per line in hex (spaces allowed), `#` comments. The messages are sent
// after Server User Logged On, in order. The tool then stays connected for SECONDS.
// Exit: 0 still connected at the end, 3 the server disconnected (after `disconnected`),
// 2 usage, 1 could not connect.

#include <freerdp/channels/channels.h>
#include <freerdp/client/channels.h>
#include <freerdp/freerdp.h>
#include <freerdp/settings.h>
#include <freerdp/svc.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#include <chrono>
#include <comredir/redirector/codec/pdu.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

namespace codec = comredir::redirector::codec;
using Bytes = std::vector<std::uint8_t>;

struct Peer {
    CHANNEL_ENTRY_POINTS_FREERDP_EX entry{};
    void* init_handle = nullptr;
    DWORD open_handle = 0;
    bool open = false;
    Bytes partial;
    std::vector<Bytes> script;
    bool script_sent = false;
};
Peer g_peer;  // FreeRDP's channel callbacks carry it as lpUserParam too

std::string hex(const Bytes& b) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto c : b) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

bool parse_hex(const std::string& line, Bytes& out) {
    std::string h;
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') h += c;
    if (h.size() % 2 != 0) return false;
    for (std::size_t i = 0; i < h.size(); i += 2) {
        char* end = nullptr;
        const std::string two = h.substr(i, 2);
        const long v = std::strtol(two.c_str(), &end, 16);
        if (end != two.c_str() + 2) return false;
        out.push_back(static_cast<std::uint8_t>(v));
    }
    return true;
}

void send(Peer& p, const Bytes& m) {
    if (!p.open || m.empty()) return;
    // The library keeps the buffer until WRITE_COMPLETE / WRITE_CANCELLED, where it is freed.
    auto* copy = static_cast<std::uint8_t*>(std::malloc(m.size()));
    std::memcpy(copy, m.data(), m.size());
    const UINT rc = p.entry.pVirtualChannelWriteEx(p.init_handle, p.open_handle, copy,
                                                   static_cast<ULONG>(m.size()), copy);
    if (rc != CHANNEL_RC_OK) {
        std::free(copy);
        std::printf("write-failed %u\n", rc);
    }
}

codec::ClientCapabilityResponse client_caps() {
    codec::GeneralCapability g;
    g.extended_pdu = codec::extended_pdu::device_remove | codec::extended_pdu::user_loggedon;
    g.special_type_device_cap = 0;
    codec::ClientCapabilityResponse c;
    c.capabilities = {g, codec::OtherCapability{codec::cap_type::port, 1, {}}};
    return c;
}

void on_message(Peer& p, const Bytes& m) {
    const auto d = codec::decode_server_pdu(m);
    const std::uint16_t packet = m.size() >= 4 ? static_cast<std::uint16_t>(m[2] | (m[3] << 8)) : 0;
    std::printf("recv %s %s\n",
                d.ok() ? std::string(codec::pdu_name(packet, false)).c_str() : "invalid",
                hex(m).c_str());
    std::fflush(stdout);
    if (!d.ok()) return;
    if (const auto* a = std::get_if<codec::ServerAnnounce>(&d.pdu)) {
        send(p, codec::encode(codec::ClientPdu{codec::ClientAnnounceReply{1, 0x0C, a->client_id}}));
        send(p, codec::encode(codec::ClientPdu{codec::make_client_name("bad-peer")}));
    } else if (std::holds_alternative<codec::ServerCapabilityRequest>(d.pdu)) {
        send(p, codec::encode(codec::ClientPdu{client_caps()}));
    } else if (std::holds_alternative<codec::UserLoggedOn>(d.pdu) && !p.script_sent) {
        p.script_sent = true;
        for (const auto& s : p.script) send(p, s);
    }
}

VOID VCAPITYPE open_event(LPVOID user, DWORD, UINT event, LPVOID data, UINT32 length, UINT32 total,
                          UINT32 flags) {
    auto& p = *static_cast<Peer*>(user);
    switch (event) {
        case CHANNEL_EVENT_DATA_RECEIVED: {
            if ((flags & CHANNEL_FLAG_FIRST) != 0) p.partial.clear();
            const auto* b = static_cast<const std::uint8_t*>(data);
            p.partial.insert(p.partial.end(), b, b + length);
            if ((flags & CHANNEL_FLAG_LAST) != 0 && p.partial.size() == total)
                on_message(p, p.partial);
            break;
        }
        case CHANNEL_EVENT_WRITE_COMPLETE:
        case CHANNEL_EVENT_WRITE_CANCELLED:
            std::free(data);
            break;
        default:
            break;
    }
}

VOID VCAPITYPE init_event(LPVOID user, LPVOID init_handle, UINT event, LPVOID, UINT) {
    auto& p = *static_cast<Peer*>(user);
    if (event == CHANNEL_EVENT_CONNECTED) {
        char name[] = "rdpdr";
        p.open = p.entry.pVirtualChannelOpenEx(init_handle, &p.open_handle, name, open_event) ==
                 CHANNEL_RC_OK;
        std::printf("channel %s\n", p.open ? "open" : "refused");
    } else if (event == CHANNEL_EVENT_DISCONNECTED || event == CHANNEL_EVENT_TERMINATED) {
        p.open = false;
    }
}

BOOL VCAPITYPE channel_entry(PCHANNEL_ENTRY_POINTS_EX points, PVOID init_handle) {
    auto* ex = reinterpret_cast<CHANNEL_ENTRY_POINTS_FREERDP_EX*>(points);
    g_peer.entry = *ex;
    g_peer.init_handle = init_handle;
    CHANNEL_DEF def{};
    std::strcpy(def.name, "rdpdr");
    def.options =
        CHANNEL_OPTION_INITIALIZED | CHANNEL_OPTION_ENCRYPT_RDP | CHANNEL_OPTION_COMPRESS_RDP;
    return ex->pVirtualChannelInitEx(&g_peer, nullptr, init_handle, &def, 1,
                                     VIRTUAL_CHANNEL_VERSION_WIN2000, init_event) == CHANNEL_RC_OK;
}

BOOL pre_connect(freerdp* instance) {
    return freerdp_channels_client_load_ex(instance->context->channels, instance->settings,
                                           channel_entry, nullptr) == 0;
}

BOOL post_connect(freerdp*) {
    return TRUE;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: rdpdr_peer HOST PORT USER PASSWORD SCRIPT SECONDS\n");
        return 2;
    }
    std::ifstream script(argv[5]);
    if (!script) {
        std::fprintf(stderr, "rdpdr_peer: cannot read `%s`\n", argv[5]);
        return 2;
    }
    for (std::string line; std::getline(script, line);) {
        if (line.empty() || line[0] == '#') continue;
        Bytes m;
        if (!parse_hex(line, m)) {
            std::fprintf(stderr, "rdpdr_peer: `%s`: not hex: `%s`\n", argv[5], line.c_str());
            return 2;
        }
        g_peer.script.push_back(std::move(m));
    }
    freerdp* instance = freerdp_new();
    instance->PreConnect = pre_connect;
    instance->PostConnect = post_connect;
    if (instance == nullptr || freerdp_context_new(instance) == 0) return 1;
    rdpSettings* s = instance->settings;
    freerdp_settings_set_string(s, FreeRDP_ServerHostname, argv[1]);
    freerdp_settings_set_uint32(s, FreeRDP_ServerPort, static_cast<UINT32>(std::atoi(argv[2])));
    freerdp_settings_set_string(s, FreeRDP_Username, argv[3]);
    freerdp_settings_set_string(s, FreeRDP_Password, argv[4]);
    freerdp_settings_set_string(s, FreeRDP_ClientHostname, "bad-peer");
    freerdp_settings_set_bool(s, FreeRDP_IgnoreCertificate, TRUE);
    freerdp_settings_set_bool(s, FreeRDP_RdpSecurity, FALSE);
    freerdp_settings_set_bool(s, FreeRDP_TlsSecurity, TRUE);
    freerdp_settings_set_bool(s, FreeRDP_NlaSecurity, FALSE);
    freerdp_settings_set_bool(s, FreeRDP_DeviceRedirection, FALSE);
    freerdp_settings_set_uint32(s, FreeRDP_DesktopWidth, 640);
    freerdp_settings_set_uint32(s, FreeRDP_DesktopHeight, 480);
    if (freerdp_connect(instance) == 0) {
        std::printf("connect-failed\n");
        freerdp_context_free(instance);
        freerdp_free(instance);
        return 1;
    }
    std::printf("connected\n");
    std::fflush(stdout);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[6]));
    int rc = 0;
    while (std::chrono::steady_clock::now() < until) {
        HANDLE handles[64];
        const DWORD n = freerdp_get_event_handles(instance->context, handles, 64);
        if (n == 0) break;
        WaitForMultipleObjects(n, handles, FALSE, 100);
        if (freerdp_check_event_handles(instance->context) == 0 ||
            freerdp_shall_disconnect(instance) != 0) {
            rc = 3;
            break;
        }
    }
    std::printf(rc == 0 ? "still-connected\n" : "disconnected\n");
    std::fflush(stdout);
    freerdp_disconnect(instance);
    freerdp_context_free(instance);
    freerdp_free(instance);
    return rc;
}
