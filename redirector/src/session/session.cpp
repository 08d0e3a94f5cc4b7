// The handshake and the dispatch of client messages ([MS-RDPEFS] 3.3.5). Port I/O is in
// session_ports.cpp.
#include <algorithm>
#include <comredir/redirector/codec/ntstatus.hpp>
#include <comredir/redirector/session/session.hpp>
#include <string>
#include <type_traits>
#include <variant>

namespace comredir::redirector::session {

namespace ntstatus = codec::ntstatus;

std::string_view to_string(PortEnd e) {
    switch (e) {
        case PortEnd::removed:
            return "removed";
        case PortEnd::open_failed:
            return "open_failed";
        case PortEnd::io_failed:
            return "io_failed";
        case PortEnd::host_closed:
            return "host_closed";
        case PortEnd::session_end:
            return "session_end";
    }
    return "unknown";
}

std::string_view to_string(Phase p) {
    switch (p) {
        case Phase::idle:
            return "idle";
        case Phase::announced:
            return "announced";
        case Phase::replied:
            return "replied";
        case Phase::negotiating:
            return "negotiating";
        case Phase::ready:
            return "ready";
        case Phase::closed:
            return "closed";
    }
    return "unknown";
}

Session::Session(SessionConfig config, SessionHost& host)
    : config_(config), host_(host), irps_(config.irp_capacity) {}

void Session::send(std::vector<std::uint8_t> bytes) {
    if (phase_ != Phase::closed) host_.send(std::move(bytes));
}

void Session::drop(std::string_view what) {
    ++stats_.dropped_pdus;
    host_.log(LogLevel::warning, std::string("ignored client message: ") + std::string(what));
}

void Session::fail(std::string_view reason) {
    // The peer's doing, not the daemon's: a warning.
    host_.log(LogLevel::warning, std::string("ending the session: ") + std::string(reason));
    end(reason);
}

Session::Port* Session::find(std::uint32_t device_id) {
    auto it = ports_.find(device_id);
    return it == ports_.end() ? nullptr : &it->second;
}
const Session::Port* Session::find(std::uint32_t device_id) const {
    auto it = ports_.find(device_id);
    return it == ports_.end() ? nullptr : &it->second;
}

void Session::start(Clock::time_point now) {
    (void)now;
    if (phase_ != Phase::idle) return;
    phase_ = Phase::announced;
    send(codec::encode(codec::ServerPdu{codec::ServerAnnounce{.client_id = config_.client_id}}));
}

bool Session::receive(std::span<const std::uint8_t> message, Clock::time_point now) {
    if (phase_ == Phase::closed) return false;
    auto d = codec::decode_client_pdu(message);
    if (!d.ok()) {
        // A malformed handshake PDU ends the session only while the handshake needs it; once
        // ready, a repeated one is just ignored. A message without a header always ends it.
        const bool handshake_done = phase_ == Phase::ready && message.size() >= codec::kHeaderSize;
        if (d.severity == codec::Severity::close_session && !handshake_done) {
            fail(d.message);
            return false;
        }
        drop(d.message);
        return true;
    }
    on_pdu(d.pdu, now);
    return phase_ != Phase::closed;
}

void Session::on_pdu(const codec::ClientPdu& pdu, Clock::time_point now) {
    std::visit(
        [&](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, codec::ClientAnnounceReply>) {
                on_announce_reply(p);
            } else if constexpr (std::is_same_v<T, codec::ClientName>) {
                on_name(p);
            } else if constexpr (std::is_same_v<T, codec::ClientCapabilityResponse>) {
                on_capabilities(p);
            } else if constexpr (std::is_same_v<T, codec::DeviceListAnnounce>) {
                on_devices(p, now);
            } else if constexpr (std::is_same_v<T, codec::DeviceListRemove>) {
                on_remove(p);
            } else if constexpr (std::is_same_v<T, codec::IoCompletion>) {
                on_completion(p, now);
            }
        },
        pdu);
}

// [MS-RDPEFS] 3.3.5.1.2: the client echoes the ClientId (or picks its own for version
// minor < 12); the session keeps the version it answered with.
void Session::on_announce_reply(const codec::ClientAnnounceReply& r) {
    if (phase_ != Phase::announced) return drop("client announce reply out of order");
    if (r.client_id != config_.client_id)
        host_.log(LogLevel::warning, "client announce reply carries client id `" +
                                         std::to_string(r.client_id) + "`, expected `" +
                                         std::to_string(config_.client_id) + "`");
    version_minor_ = r.version_minor;
    phase_ = Phase::replied;
}

// 3.3.5.1.3: after the Client Name the server sends its capabilities, then confirms the id.
void Session::on_name(const codec::ClientName& n) {
    if (phase_ != Phase::replied) return drop("client name out of order");
    client_name_ = codec::computer_name_utf8(n);
    host_.client_named(client_name_);
    send(codec::encode(codec::ServerPdu{codec::default_server_capabilities()}));
    send(codec::encode(codec::ServerPdu{codec::ClientIdConfirm{
        .version_minor = codec::kVersionMinorServer, .client_id = config_.client_id}}));
    phase_ = Phase::negotiating;
}

// 3.3.5.1.5: the general capability set is required; ports need the port set. Devices come
// only after Server User Logged On (RDPDR.md).
void Session::on_capabilities(const codec::ClientCapabilityResponse& c) {
    if (phase_ != Phase::negotiating) return drop("client capability response out of order");
    if (codec::find_general(c.capabilities) == nullptr)
        return fail("the client sent no general capability set");
    if (!codec::has_capability(c.capabilities, codec::cap_type::port))
        host_.log(LogLevel::info, "the client has no port capability: it redirects no ports");
    phase_ = Phase::ready;
    send(codec::encode(codec::ServerPdu{codec::UserLoggedOn{}}));
}

void Session::on_devices(const codec::DeviceListAnnounce& list, Clock::time_point now) {
    if (phase_ != Phase::ready) {
        if (list.devices.empty()) return;  // FreeRDP's first, empty list
        return drop("device list announce before the handshake finished");
    }
    for (const auto& d : list.devices) {
        AnnouncedDevice dev{d.device_id, d.device_type, codec::dos_name(d)};
        if (find(d.device_id) != nullptr ||
            std::find(refused_.begin(), refused_.end(), d.device_id) != refused_.end()) {
            drop("device id `" + std::to_string(d.device_id) + "` announced twice");
            continue;
        }
        auto refuse = [&](std::uint32_t status) {
            refused_.push_back(d.device_id);
            send(codec::encode(
                codec::ServerPdu{codec::DeviceAnnounceResponse{d.device_id, status}}));
        };
        if (d.device_type != codec::device_type::serial) {
            refuse(ntstatus::not_supported);
            host_.device_refused(dev, ntstatus::not_supported);
            continue;
        }
        if (ports_.size() >= config_.max_ports) {
            host_.log(LogLevel::warning, "refusing port `" + dev.name + "`: `" +
                                             std::to_string(config_.max_ports) +
                                             "` ports already open in this session");
            refuse(ntstatus::access_denied);
            continue;
        }
        PortAnswer answer = host_.port_announced(dev);
        if (!answer.accept) {
            refuse(answer.status != 0 ? answer.status : ntstatus::access_denied);
            continue;
        }
        send(codec::encode(
            codec::ServerPdu{codec::DeviceAnnounceResponse{d.device_id, ntstatus::success}}));
        Port& p = ports_[d.device_id];
        p.device_id = d.device_id;
        p.name = dev.name;
        // 2.2.1.4.1: ports are opened with PathLength 0; the FreeRDP client opens its device
        // read/write, exclusive, whatever the request says.
        codec::CreateRequest create;
        create.desired_access = 0xC0000000;  // GENERIC_READ | GENERIC_WRITE
        create.create_disposition = 1;       // FILE_OPEN
        host_.log(LogLevel::debug, "port `" + p.name + "`: CREATE");
        if (!send_irp(p, create, now))
            finish(d.device_id, PortEnd::open_failed, "too many requests in flight");
    }
}

void Session::on_remove(const codec::DeviceListRemove& list) {
    for (std::uint32_t id : list.device_ids) {
        std::erase(refused_, id);
        if (find(id) != nullptr) finish(id, PortEnd::removed, "the client removed the device");
    }
}

void Session::on_completion(const codec::IoCompletion& c, Clock::time_point now) {
    auto entry = irps_.complete(c.completion_id);
    warned_.erase(c.completion_id);
    if (!entry) {
        ++stats_.unknown_completions;
        return drop("completion id `" + std::to_string(c.completion_id) + "` is not in flight");
    }
    if (entry->device_id != c.device_id) {
        ++stats_.unknown_completions;
        host_.log(LogLevel::warning, "completion id `" + std::to_string(c.completion_id) +
                                         "` names device `" + std::to_string(c.device_id) +
                                         "`, sent to `" + std::to_string(entry->device_id) + "`");
    }
    Port* p = find(entry->device_id);
    if (p == nullptr) return;  // the port is gone: nothing waits for this
    // READs wait for data and WRITEs for the client's line speed: only the others measure
    // the network.
    if (entry->major_function != codec::irp_mj::read &&
        entry->major_function != codec::irp_mj::write)
        host_.round_trip(p->device_id,
                         std::chrono::duration_cast<std::chrono::microseconds>(now - entry->sent));
    on_port_completion(*p, *entry, c, now);
}

void Session::end(std::string_view reason) {
    if (phase_ == Phase::closed) return;
    phase_ = Phase::closed;
    auto ports = std::move(ports_);
    ports_.clear();
    for (auto& [id, p] : ports) {
        irps_.take_device(id);
        if (!p.told_closed) host_.port_closed(id, PortEnd::session_end, reason);
    }
}

std::vector<std::uint32_t> Session::open_ports() const {
    std::vector<std::uint32_t> out;
    for (const auto& [id, p] : ports_) {
        if (p.state == PortState::open) out.push_back(id);
    }
    return out;
}

}  // namespace comredir::redirector::session
