#include "channel_pump.hpp"

#include <freerdp/channels/wtsvc.h>
#include <freerdp/freerdp.h>
#include <freerdp/peer.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#include <algorithm>
#include <comredir/host/log.hpp>
#include <cstdlib>
#include <cstring>

namespace comredir::redirector::daemon {

namespace {

constexpr const char* kRdpdr = "rdpdr";
constexpr const char* kDrdynvc = "drdynvc";  // FreeRDP's manager opens and serves it

// The fd behind a channel's receive-queue event (readable while messages are queued).
int channel_event_fd(void* channel) {
    void* buffer = nullptr;
    DWORD size = 0;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): WinPR out-parameter API
    if (WTSVirtualChannelQuery(channel, WTSVirtualEventHandle, &buffer, &size) == 0 ||
        buffer == nullptr || size < sizeof(HANDLE)) {
        if (buffer != nullptr) WTSFreeMemory(buffer);
        return -1;
    }
    HANDLE event = nullptr;
    std::memcpy(&event, buffer, sizeof(HANDLE));
    WTSFreeMemory(buffer);
    return GetEventFileDescriptor(event);
}

}  // namespace

bool ChannelPump::open(freerdp_peer* peer, std::string& error) {
    if (opened_) return true;
    opened_ = true;
    size_t count = 0;
    char** names = WTSGetAcceptedChannelNames(peer, &count);
    for (size_t i = 0; names != nullptr && i < count; ++i) {
        const std::string name = names[i] != nullptr ? names[i] : "";
        if (name.empty() || name == kDrdynvc || WTSIsChannelJoinedByName(peer, name.c_str()) == 0)
            continue;
        // The WTS API takes a non-const name it never writes.
        std::string mutable_name = name;
        void* handle = WTSVirtualChannelOpen(vcm_, WTS_CURRENT_SESSION, mutable_name.data());
        if (handle == nullptr) {
            error = "cannot open joined channel `" + name + "`";
            break;
        }
        Channel c{name, handle, channel_event_fd(handle), 0};
        if (c.fd < 0) {
            WTSVirtualChannelClose(handle);
            error = "channel `" + name + "` has no event to wait on";
            break;
        }
        if (name == kRdpdr) rdpdr_ = handle;
        channels_.push_back(std::move(c));
    }
    std::free(static_cast<void*>(names));  // the array; the names belong to FreeRDP
    return error.empty();
}

std::string ChannelPump::channel_names() const {
    std::string out;
    for (const auto& c : channels_) {
        if (!out.empty()) out += ", ";
        out += "`" + c.name + "`";
    }
    return out.empty() ? std::string("none") : out;
}

void ChannelPump::fds(std::vector<pollfd>& out) const {
    int manager = GetEventFileDescriptor(WTSVirtualChannelManagerGetEventHandle(vcm_));
    if (manager >= 0) out.push_back({manager, POLLIN, 0});
    for (const auto& c : channels_) out.push_back({c.fd, POLLIN, 0});
}

bool ChannelPump::read_one(Channel& c, bool& got, std::vector<std::uint8_t>& out,
                           std::string& error) {
    got = false;
    ULONG size = 0;
    // A NULL buffer asks for the size of the next message without taking it.
    if (WTSVirtualChannelRead(c.handle, 0, nullptr, 0, &size) == 0) return true;  // empty
    got = true;
    const bool keep = c.handle == rdpdr_;
    if (keep && size > kMaxRdpdrMessage) {
        error = "client sent an rdpdr message of " + std::to_string(size) + " bytes (limit " +
                std::to_string(kMaxRdpdrMessage) + ")";
        return false;
    }
    out.resize(keep ? size : std::min<ULONG>(size, 4096));
    ULONG left = size;
    while (left > 0) {
        const ULONG chunk = keep ? left : std::min<ULONG>(left, 4096);
        ULONG n = 0;
        auto* dest = reinterpret_cast<PCHAR>(out.data() + (keep ? size - left : 0));
        if (WTSVirtualChannelRead(c.handle, 0, dest, chunk, &n) == 0 || n == 0 || n > left) {
            error = "reading channel `" + c.name + "` failed";
            return false;
        }
        left -= n;
    }
    if (!keep) c.dropped_bytes += size;
    return true;
}

bool ChannelPump::pump(const std::function<void(std::span<const std::uint8_t>)>& sink,
                       std::string& error) {
    for (auto& c : channels_) {
        for (;;) {
            bool got = false;
            if (!read_one(c, got, buffer_, error)) return false;
            if (!got) break;
            if (c.handle == rdpdr_) {
                sink(buffer_);
            } else {
                host::log_debug("dropped data on channel `" + c.name + "` (" +
                                std::to_string(c.dropped_bytes) + " bytes so far)");
            }
        }
    }
    return true;
}

bool ChannelPump::write(std::span<const std::uint8_t> message) {
    if (rdpdr_ == nullptr || message.empty() || message.size() > kMaxRdpdrMessage) return false;
    ULONG written = 0;
    // The WTS API takes a non-const buffer it only copies from.
    auto* data = const_cast<PCHAR>(reinterpret_cast<const char*>(message.data()));
    return WTSVirtualChannelWrite(rdpdr_, data, static_cast<ULONG>(message.size()), &written) !=
               0 &&
           written == message.size();
}

bool ChannelPump::flush() {
    return WTSVirtualChannelManagerCheckFileDescriptor(vcm_) != 0;
}

void ChannelPump::close() {
    for (auto& c : channels_) WTSVirtualChannelClose(c.handle);
    channels_.clear();
    rdpdr_ = nullptr;
}

}  // namespace comredir::redirector::daemon
