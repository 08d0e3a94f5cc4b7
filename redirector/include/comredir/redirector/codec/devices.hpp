#pragma once
// Device announce and remove ([MS-RDPEFS] 2.2.2.9, 2.2.3.2) and the server's answer to an
// announced device (2.2.2.1), as plain structs and their encoders.

#include <array>
#include <comredir/redirector/codec/constants.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector::codec {

/// [MS-RDPEFS] 2.2.1.3 DEVICE_ANNOUNCE: 20 bytes + DeviceData.
struct DeviceAnnounce {
    std::uint32_t device_type = device_type::serial;  // DeviceType
    std::uint32_t device_id = 0;                      // DeviceId: chosen by the client
    /// PreferredDosName: 8 ASCII bytes, null-padded ("COM1\0\0\0\0"); peer data, validate
    /// before use as a file name.
    std::array<std::uint8_t, kPreferredDosNameSize> preferred_dos_name{};
    std::vector<std::uint8_t> device_data;  // DeviceDataLength bytes (0 for serial ports)
    bool operator==(const DeviceAnnounce&) const = default;
};
/// PreferredDosName up to its first null (at most 8 bytes), bytes as they are.
std::string dos_name(const DeviceAnnounce& device);
/// A DeviceAnnounce for `name` (its first 8 bytes, null-padded).
DeviceAnnounce make_device(std::uint32_t type, std::uint32_t id, std::string_view name);

/// [MS-RDPEFS] 2.2.2.9 Client Device List Announce Request (DR_CORE_DEVICELIST_ANNOUNCE_REQ).
struct DeviceListAnnounce {
    std::vector<DeviceAnnounce> devices;  // DeviceCount entries
    bool operator==(const DeviceListAnnounce&) const = default;
};

/// [MS-RDPEFS] 2.2.3.2 Client Drive Device List Remove (DR_DEVICELIST_REMOVE); any device
/// type in practice.
struct DeviceListRemove {
    std::vector<std::uint32_t> device_ids;  // DeviceCount entries
    bool operator==(const DeviceListRemove&) const = default;
};

/// [MS-RDPEFS] 2.2.2.1 Server Device Announce Response (DR_CORE_DEVICE_ANNOUNCE_RSP),
/// 12 bytes: where a policy denial is answered (ntstatus::access_denied).
struct DeviceAnnounceResponse {
    std::uint32_t device_id = 0;    // DeviceId
    std::uint32_t result_code = 0;  // ResultCode (NTSTATUS)
    bool operator==(const DeviceAnnounceResponse&) const = default;
};

/// Throws std::length_error for more than 4 GiB of anything (misuse).
std::vector<std::uint8_t> encode(const DeviceListAnnounce& pdu);
std::vector<std::uint8_t> encode(const DeviceListRemove& pdu);
std::vector<std::uint8_t> encode(const DeviceAnnounceResponse& pdu);

}  // namespace comredir::redirector::codec
