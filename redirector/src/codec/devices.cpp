// Device List Announce ([MS-RDPEFS] 2.2.2.9 with 2.2.1.3 DEVICE_ANNOUNCE), Device List Remove
// (2.2.3.2) and the Server Device Announce Response (2.2.2.1).

#include <algorithm>
#include <comredir/redirector/codec/devices.hpp>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace detail {

void read_device_list(Reader& r, DeviceListAnnounce& out) {
    const auto count_at = r.offset();
    const std::uint32_t count = r.u32("DeviceCount");
    // Each DEVICE_ANNOUNCE takes 20 bytes at least: the count is bounded by the bytes present
    // before any is read (and entries are appended one by one, never reserved from it).
    if (!r.check_count(count, kMaxDeviceCount, kDeviceAnnounceFixedSize, count_at, "DeviceCount")) {
        return;
    }
    for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
        DeviceAnnounce d;
        d.device_type = r.u32("DeviceType");
        d.device_id = r.u32("DeviceId");
        const auto name = r.bytes(kPreferredDosNameSize, "PreferredDosName");
        std::copy(name.begin(), name.end(), d.preferred_dos_name.begin());
        const auto length_at = r.offset();
        const std::uint32_t length = r.u32("DeviceDataLength");
        if (!r.check_length(length, kMaxDeviceDataLength, length_at, "DeviceDataLength")) return;
        d.device_data = r.copy(length, "DeviceData");
        out.devices.push_back(std::move(d));
    }
}

void read_device_remove(Reader& r, DeviceListRemove& out) {
    const auto count_at = r.offset();
    const std::uint32_t count = r.u32("DeviceCount");
    if (!r.check_count(count, kMaxDeviceCount, 4, count_at, "DeviceCount")) return;
    for (std::uint32_t i = 0; i < count && r.ok(); ++i) out.device_ids.push_back(r.u32("DeviceId"));
}

void read_device_reply(Reader& r, DeviceAnnounceResponse& out) {
    out.device_id = r.u32("DeviceId");
    out.result_code = r.u32("ResultCode");
}

}  // namespace detail

std::string dos_name(const DeviceAnnounce& device) {
    const auto& n = device.preferred_dos_name;
    const auto end = std::find(n.begin(), n.end(), std::uint8_t{0});
    return {n.begin(), end};
}

DeviceAnnounce make_device(std::uint32_t type, std::uint32_t id, std::string_view name) {
    DeviceAnnounce d;
    d.device_type = type;
    d.device_id = id;
    const std::size_t n = std::min(name.size(), d.preferred_dos_name.size());
    std::copy_n(name.begin(), n, d.preferred_dos_name.begin());
    return d;
}

std::vector<std::uint8_t> encode(const DeviceListAnnounce& pdu) {
    auto w = detail::header(pakid::devicelist_announce);
    w.length32(pdu.devices.size());
    for (const auto& d : pdu.devices) {
        w.u32(d.device_type).u32(d.device_id).bytes(d.preferred_dos_name);
        w.length32(d.device_data.size()).bytes(d.device_data);
    }
    return w.take();
}

std::vector<std::uint8_t> encode(const DeviceListRemove& pdu) {
    auto w = detail::header(pakid::devicelist_remove);
    w.length32(pdu.device_ids.size());
    for (const auto id : pdu.device_ids) w.u32(id);
    return w.take();
}

std::vector<std::uint8_t> encode(const DeviceAnnounceResponse& pdu) {
    auto w = detail::header(pakid::device_reply);
    w.u32(pdu.device_id).u32(pdu.result_code);
    return w.take();
}

}  // namespace comredir::redirector::codec
