#pragma once
// Wire constants of [MS-RDPEFS] (file system / device redirection) that the serial
// redirector speaks, fixed sizes, and the codec's caps on peer lengths.

#include <cstddef>
#include <cstdint>

namespace comredir::redirector::codec {

// [MS-RDPEFS] 2.2.1.1 RDPDR_HEADER: Component (u16) + PacketId (u16).
inline constexpr std::size_t kHeaderSize = 4;
inline constexpr std::uint16_t kComponentCore = 0x4472;     // RDPDR_CTYP_CORE
inline constexpr std::uint16_t kComponentPrinter = 0x5052;  // RDPDR_CTYP_PRN ([MS-RDPEPC])

namespace pakid {  // [MS-RDPEFS] 2.2.1.1 PacketId, component core
inline constexpr std::uint16_t server_announce = 0x496E;      // 2.2.2.2
inline constexpr std::uint16_t clientid_confirm = 0x4343;     // 2.2.2.3 client, 2.2.2.6 server
inline constexpr std::uint16_t client_name = 0x434E;          // 2.2.2.4
inline constexpr std::uint16_t devicelist_announce = 0x4441;  // 2.2.2.9
inline constexpr std::uint16_t device_reply = 0x6472;         // 2.2.2.1
inline constexpr std::uint16_t device_iorequest = 0x4952;     // 2.2.1.4
inline constexpr std::uint16_t device_iocompletion = 0x4943;  // 2.2.1.5
inline constexpr std::uint16_t server_capability = 0x5350;    // 2.2.2.7
inline constexpr std::uint16_t client_capability = 0x4350;    // 2.2.2.8
inline constexpr std::uint16_t devicelist_remove = 0x444D;    // 2.2.3.2
inline constexpr std::uint16_t user_loggedon = 0x554C;        // 2.2.2.5
// Component printer ([MS-RDPEPC] 2.2.2): known, never decoded here (dropped).
inline constexpr std::uint16_t prn_cache_data = 0x5043;
inline constexpr std::uint16_t prn_using_xps = 0x5543;
}  // namespace pakid

// [MS-RDPEFS] 2.2.2.2: VersionMajor is always 1; the minor the server offers.
inline constexpr std::uint16_t kVersionMajor = 0x0001;
inline constexpr std::uint16_t kVersionMinorServer = 0x000C;

namespace device_type {                                  // [MS-RDPEFS] 2.2.1.3 DeviceType
inline constexpr std::uint32_t serial = 0x00000001;      // RDPDR_DTYP_SERIAL
inline constexpr std::uint32_t parallel = 0x00000002;    // RDPDR_DTYP_PARALLEL
inline constexpr std::uint32_t print = 0x00000004;       // RDPDR_DTYP_PRINT
inline constexpr std::uint32_t filesystem = 0x00000008;  // RDPDR_DTYP_FILESYSTEM
inline constexpr std::uint32_t smartcard = 0x00000020;   // RDPDR_DTYP_SMARTCARD
}  // namespace device_type

namespace irp_mj {  // [MS-RDPEFS] 2.2.1.4 MajorFunction (the ones this codec carries)
inline constexpr std::uint32_t create = 0x00000000;
inline constexpr std::uint32_t close = 0x00000002;
inline constexpr std::uint32_t read = 0x00000003;
inline constexpr std::uint32_t write = 0x00000004;
inline constexpr std::uint32_t device_control = 0x0000000E;
}  // namespace irp_mj

namespace cap_type {  // [MS-RDPEFS] 2.2.1.2 CAPABILITY_HEADER CapabilityType
inline constexpr std::uint16_t general = 0x0001;    // CAP_GENERAL_TYPE
inline constexpr std::uint16_t printer = 0x0002;    // CAP_PRINTER_TYPE
inline constexpr std::uint16_t port = 0x0003;       // CAP_PORT_TYPE
inline constexpr std::uint16_t drive = 0x0004;      // CAP_DRIVE_TYPE
inline constexpr std::uint16_t smartcard = 0x0005;  // CAP_SMARTCARD_TYPE
}  // namespace cap_type

// [MS-RDPEFS] 2.2.2.7.1 GENERAL_CAPS_SET.
inline constexpr std::uint32_t kGeneralCapabilityVersion1 = 0x00000001;
inline constexpr std::uint32_t kGeneralCapabilityVersion2 = 0x00000002;
inline constexpr std::uint32_t kPortCapabilityVersion1 = 0x00000001;  // 2.2.2.7.3
namespace io_code1 {                                                  // ioCode1 bits
inline constexpr std::uint32_t create = 0x00000001;
inline constexpr std::uint32_t cleanup = 0x00000002;
inline constexpr std::uint32_t close = 0x00000004;
inline constexpr std::uint32_t read = 0x00000008;
inline constexpr std::uint32_t write = 0x00000010;
inline constexpr std::uint32_t flush_buffers = 0x00000020;
inline constexpr std::uint32_t shutdown = 0x00000040;
inline constexpr std::uint32_t device_control = 0x00000080;
inline constexpr std::uint32_t all = 0x0000FFFF;  // every bit 2.2.2.7.1 defines
}  // namespace io_code1
namespace extended_pdu {                                          // extendedPDU bits
inline constexpr std::uint32_t device_remove = 0x00000001;        // RDPDR_DEVICE_REMOVE_PDUS
inline constexpr std::uint32_t client_display_name = 0x00000002;  // RDPDR_CLIENT_DISPLAY_NAME_PDU
inline constexpr std::uint32_t user_loggedon = 0x00000004;        // RDPDR_USER_LOGGEDON_PDU
}  // namespace extended_pdu
inline constexpr std::uint32_t kEnableAsyncIo = 0x00000001;  // extraFlags1 ENABLE_ASYNCIO

// Fixed sizes, in bytes, of what precedes the variable parts.
inline constexpr std::size_t kCapabilityHeaderSize = 8;        // 2.2.1.2
inline constexpr std::size_t kGeneralCapabilityV1Length = 40;  // 2.2.2.7.1, header included
inline constexpr std::size_t kGeneralCapabilityV2Length = 44;  // + SpecialTypeDeviceCap
inline constexpr std::size_t kDeviceAnnounceFixedSize = 20;    // 2.2.1.3, before DeviceData
inline constexpr std::size_t kPreferredDosNameSize = 8;        // 2.2.1.3
inline constexpr std::size_t kIoRequestHeaderSize = 24;        // 2.2.1.4
inline constexpr std::size_t kIoCompletionHeaderSize = 16;     // 2.2.1.5
inline constexpr std::size_t kIoRequestPaddingSize = 20;       // 2.2.1.4.3-5 Padding
inline constexpr std::size_t kCloseRequestPaddingSize = 32;    // 2.2.1.4.2 Padding
inline constexpr std::size_t kCloseCompletionPaddingSize = 4;  // 2.2.1.5.2 Padding

// Caps on peer lengths and counts: a value above its cap is `too_large` even when the bytes
// are present; below it, the bytes must be present before anything is allocated.
inline constexpr std::uint32_t kMaxComputerNameLen = 1024;    // ComputerNameLen (bytes)
inline constexpr std::uint32_t kMaxDeviceCount = 1024;        // DeviceCount (announce, remove)
inline constexpr std::uint32_t kMaxDeviceDataLength = 65536;  // DeviceDataLength
inline constexpr std::uint32_t kMaxPathLength = 65536;        // CREATE PathLength (bytes)
inline constexpr std::uint32_t kMaxIoLength = 1048576;        // READ/WRITE/IOCTL buffer bytes

}  // namespace comredir::redirector::codec
