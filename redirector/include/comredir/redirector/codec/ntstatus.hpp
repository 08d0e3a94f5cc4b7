#pragma once
// NTSTATUS values ([MS-ERREF] 2.3.1) the redirector sends (Device Announce Response
// ResultCode) or meets in IoStatus of completions.

#include <cstdint>

namespace comredir::redirector::codec::ntstatus {

inline constexpr std::uint32_t success = 0x00000000;                 // STATUS_SUCCESS
inline constexpr std::uint32_t pending = 0x00000103;                 // STATUS_PENDING
inline constexpr std::uint32_t timeout = 0x00000102;                 // STATUS_TIMEOUT
inline constexpr std::uint32_t unsuccessful = 0xC0000001;            // STATUS_UNSUCCESSFUL
inline constexpr std::uint32_t not_implemented = 0xC0000002;         // STATUS_NOT_IMPLEMENTED
inline constexpr std::uint32_t invalid_handle = 0xC0000008;          // STATUS_INVALID_HANDLE
inline constexpr std::uint32_t invalid_parameter = 0xC000000D;       // STATUS_INVALID_PARAMETER
inline constexpr std::uint32_t no_such_device = 0xC000000E;          // STATUS_NO_SUCH_DEVICE
inline constexpr std::uint32_t invalid_device_request = 0xC0000010;  // ..._DEVICE_REQUEST
inline constexpr std::uint32_t no_memory = 0xC0000017;               // STATUS_NO_MEMORY
inline constexpr std::uint32_t access_denied = 0xC0000022;           // STATUS_ACCESS_DENIED
inline constexpr std::uint32_t buffer_too_small = 0xC0000023;        // STATUS_BUFFER_TOO_SMALL
inline constexpr std::uint32_t device_busy = 0x80000011;             // STATUS_DEVICE_BUSY
inline constexpr std::uint32_t cancelled = 0xC0000120;               // STATUS_CANCELLED
inline constexpr std::uint32_t not_supported = 0xC00000BB;           // STATUS_NOT_SUPPORTED
inline constexpr std::uint32_t device_not_connected = 0xC000009D;    // STATUS_DEVICE_NOT_CONNECTED

/// NTSTATUS severity bits 30-31 = 3: an error.
constexpr bool is_error(std::uint32_t status) {
    return (status >> 30) == 3;
}

}  // namespace comredir::redirector::codec::ntstatus
