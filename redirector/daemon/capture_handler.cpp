#include "capture_handler.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "log.hpp"

namespace comredir::redirector::daemon {

namespace {

namespace fs = std::filesystem;

constexpr std::uint16_t kCore = 0x4472;  // RDPDR_CTYP_CORE
constexpr std::uint16_t kServerAnnounce = 0x496E;
constexpr std::uint16_t kClientIdConfirm = 0x4343;
constexpr std::uint16_t kClientName = 0x434E;
constexpr std::uint16_t kServerCapability = 0x5350;
constexpr std::uint16_t kClientCapability = 0x4350;
constexpr std::uint16_t kUserLoggedOn = 0x554C;
constexpr std::uint16_t kVersionMinor = 0x000C;
constexpr std::size_t kMaxFiles = 10000;

class Bytes {
  public:
    Bytes& u16(std::uint16_t v) {
        b_.push_back(static_cast<std::uint8_t>(v));
        b_.push_back(static_cast<std::uint8_t>(v >> 8));
        return *this;
    }
    Bytes& u32(std::uint32_t v) { return u16(static_cast<std::uint16_t>(v)).u16(v >> 16); }
    const std::vector<std::uint8_t>& get() const { return b_; }

  private:
    std::vector<std::uint8_t> b_;
};

// [MS-RDPEFS] 2.2.2.2 / 2.2.2.6: header, VersionMajor 1, VersionMinor, ClientId.
std::vector<std::uint8_t> announce(std::uint16_t packet, std::uint32_t client_id) {
    return Bytes().u16(kCore).u16(packet).u16(1).u16(kVersionMinor).u32(client_id).get();
}

// [MS-RDPEFS] 2.2.2.7: two capability sets. General (2.2.2.7.1) version 2, 44 bytes:
// every ioCode1 bit, extendedPDU = device remove | display name | user logged on.
std::vector<std::uint8_t> core_capability_request() {
    Bytes b;
    b.u16(kCore).u16(kServerCapability).u16(2).u16(0);  // numCapabilities, padding
    b.u16(0x0001).u16(44).u32(2);                       // CAP_GENERAL_TYPE, length, v2
    b.u32(0).u32(0);                                    // osType, osVersion (ignored)
    b.u16(1).u16(kVersionMinor);                        // protocol major, minor
    b.u32(0xFFFF).u32(0);                               // ioCode1, ioCode2
    b.u32(0x7).u32(0).u32(0);                           // extendedPDU, extraFlags1, 2
    b.u32(0);                                           // SpecialTypeDeviceCap
    b.u16(0x0003).u16(8).u32(1);                        // CAP_PORT_TYPE, length, v1
    return b.get();
}

class CaptureHandler final : public ChannelHandler {
  public:
    CaptureHandler(fs::path dir, ConnectionInfo info)
        : dir_(std::move(dir)), info_(std::move(info)) {}

    void on_open(ChannelSender& sender) override {
        sender_ = &sender;
        if (dir_.empty()) {
            send(announce(kServerAnnounce, client_id()));
            return;
        }
        std::error_code ec;
        fs::create_directories(dir_, ec);
        if (ec) log_error("capture: cannot create `" + dir_.string() + "`: " + ec.message());
        nlohmann::json j{{"connection", info_.id},
                         {"user", info_.user},
                         {"domain", info_.domain},
                         {"peerAddress", info_.peer_address},
                         {"clientName", info_.client_name},
                         {"clientAddress", info_.client_address},
                         {"clientBuild", info_.client_build},
                         {"osMajorType", info_.os_major_type},
                         {"osMinorType", info_.os_minor_type}};
        std::ofstream(dir_ / "connection.json") << j.dump(2) << '\n';
        send(announce(kServerAnnounce, client_id()));
    }

    void on_message(std::span<const std::uint8_t> m) override {
        ++count_;
        if (!dir_.empty() && count_ <= kMaxFiles) {
            std::array<char, 16> name{};
            std::snprintf(name.data(), name.size(), "%03zu.bin", count_);
            std::ofstream out(dir_ / name.data(), std::ios::binary);
            out.write(reinterpret_cast<const char*>(m.data()),
                      static_cast<std::streamsize>(m.size()));
            if (!out) log_error("capture: cannot write `" + (dir_ / name.data()).string() + "`");
        }
        if (m.size() < 4) return;
        const auto component = static_cast<std::uint16_t>(m[0] | (m[1] << 8));
        const auto packet = static_cast<std::uint16_t>(m[2] | (m[3] << 8));
        log_debug("capture: connection " + std::to_string(info_.id) + ": message " +
                  std::to_string(count_) + " component `0x" + hex(component) + "` packet `0x" +
                  hex(packet) + "`, " + std::to_string(m.size()) + " bytes");
        if (component != kCore) return;
        if (packet == kClientName) {
            send(core_capability_request());
            send(announce(kClientIdConfirm, client_id()));
        } else if (packet == kClientCapability) {
            send(Bytes().u16(kCore).u16(kUserLoggedOn).get());
        }
    }

    void on_close() override { sender_ = nullptr; }

  private:
    std::uint32_t client_id() const { return static_cast<std::uint32_t>(info_.id); }
    void send(const std::vector<std::uint8_t>& m) {
        if (sender_ != nullptr && !sender_->send(m)) log_error("capture: cannot queue a message");
    }
    static std::string hex(std::uint16_t v) {
        std::array<char, 8> s{};
        std::snprintf(s.data(), s.size(), "%04x", v);
        return s.data();
    }

    fs::path dir_;
    ConnectionInfo info_;
    ChannelSender* sender_ = nullptr;
    std::size_t count_ = 0;
};

}  // namespace

std::unique_ptr<ChannelHandler> make_capture_handler(const std::string& dir,
                                                     const ConnectionInfo& info) {
    fs::path where = dir.empty() ? fs::path() : fs::path(dir) / std::to_string(info.id);
    return std::make_unique<CaptureHandler>(std::move(where), info);
}

}  // namespace comredir::redirector::daemon
