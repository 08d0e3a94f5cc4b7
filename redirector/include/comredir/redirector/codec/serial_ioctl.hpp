#pragma once
// [MS-RDPESP] serial IOCTLs: the IoControlCode values carried in DR_CONTROL_REQ
// ([MS-RDPEFS] 2.2.1.4.5, [MS-RDPESP] 3.2.5.1.6) and the payloads of their input and output
// buffers. [MS-RDPESP] defers the payload layouts to the WDK's ntddser.h structures: little-
// endian, with the alignment padding a Windows driver writes (SERIAL_STATUS is 20 bytes,
// SERIAL_COMMPROP 64); the decoders need the fields only and ignore the padding.

#include <comredir/redirector/codec/status.hpp>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

namespace comredir::redirector::codec {

namespace ioctl {  // IoControlCode values (RDPDR.md; WinPR's comm.h has the same)
inline constexpr std::uint32_t set_baud_rate = 0x001B0004;
inline constexpr std::uint32_t set_queue_size = 0x001B0008;
inline constexpr std::uint32_t set_line_control = 0x001B000C;
inline constexpr std::uint32_t set_break_on = 0x001B0010;
inline constexpr std::uint32_t set_break_off = 0x001B0014;
inline constexpr std::uint32_t immediate_char = 0x001B0018;
inline constexpr std::uint32_t set_timeouts = 0x001B001C;
inline constexpr std::uint32_t get_timeouts = 0x001B0020;
inline constexpr std::uint32_t set_dtr = 0x001B0024;
inline constexpr std::uint32_t clr_dtr = 0x001B0028;
inline constexpr std::uint32_t reset_device = 0x001B002C;
inline constexpr std::uint32_t set_rts = 0x001B0030;
inline constexpr std::uint32_t clr_rts = 0x001B0034;
inline constexpr std::uint32_t set_xoff = 0x001B0038;
inline constexpr std::uint32_t set_xon = 0x001B003C;
inline constexpr std::uint32_t get_wait_mask = 0x001B0040;
inline constexpr std::uint32_t set_wait_mask = 0x001B0044;
inline constexpr std::uint32_t wait_on_mask = 0x001B0048;
inline constexpr std::uint32_t purge = 0x001B004C;
inline constexpr std::uint32_t get_baud_rate = 0x001B0050;
inline constexpr std::uint32_t get_line_control = 0x001B0054;
inline constexpr std::uint32_t get_chars = 0x001B0058;
inline constexpr std::uint32_t set_chars = 0x001B005C;
inline constexpr std::uint32_t get_handflow = 0x001B0060;
inline constexpr std::uint32_t set_handflow = 0x001B0064;
inline constexpr std::uint32_t get_modemstatus = 0x001B0068;
inline constexpr std::uint32_t get_commstatus = 0x001B006C;
inline constexpr std::uint32_t get_properties = 0x001B0074;
inline constexpr std::uint32_t get_dtrrts = 0x001B0078;
inline constexpr std::uint32_t config_size = 0x001B0080;
}  // namespace ioctl
/// "IOCTL_SERIAL_SET_BAUD_RATE" for logs; "" for a code not listed above.
std::string_view ioctl_name(std::uint32_t code);

namespace serial {  // flag and enumeration values of the payloads (ntddser.h)
inline constexpr std::uint8_t stop_bit_1 = 0, stop_bits_1_5 = 1, stop_bits_2 = 2;
inline constexpr std::uint8_t no_parity = 0, odd_parity = 1, even_parity = 2, mark_parity = 3,
                              space_parity = 4;
inline constexpr std::uint32_t purge_txabort = 0x1, purge_rxabort = 0x2, purge_txclear = 0x4,
                               purge_rxclear = 0x8;
inline constexpr std::uint32_t ev_rxchar = 0x0001, ev_rxflag = 0x0002, ev_txempty = 0x0004,
                               ev_cts = 0x0008, ev_dsr = 0x0010, ev_rlsd = 0x0020,
                               ev_break = 0x0040, ev_err = 0x0080, ev_ring = 0x0100;
inline constexpr std::uint32_t msr_dcts = 0x01, msr_ddsr = 0x02, msr_teri = 0x04, msr_ddcd = 0x08,
                               msr_cts = 0x10, msr_dsr = 0x20, msr_ri = 0x40, msr_dcd = 0x80;
inline constexpr std::uint32_t dtr_state = 0x1, rts_state = 0x2;  // GET_DTRRTS
// SERIAL_HANDFLOW ControlHandShake and FlowReplace bits.
inline constexpr std::uint32_t dtr_control = 0x01, dtr_handshake = 0x02, cts_handshake = 0x08,
                               dsr_handshake = 0x10, dcd_handshake = 0x20;
inline constexpr std::uint32_t auto_transmit = 0x01, auto_receive = 0x02, rts_control = 0x40,
                               rts_handshake = 0x80;
}  // namespace serial

struct SerialBaudRate {  // SERIAL_BAUD_RATE, 4 bytes: SET_/GET_BAUD_RATE
    std::uint32_t baud_rate = 0;
    bool operator==(const SerialBaudRate&) const = default;
};
struct SerialLineControl {  // SERIAL_LINE_CONTROL, 3 bytes: SET_/GET_LINE_CONTROL
    std::uint8_t stop_bits = serial::stop_bit_1;
    std::uint8_t parity = serial::no_parity;
    std::uint8_t word_length = 8;  // 5-8
    bool operator==(const SerialLineControl&) const = default;
};
struct SerialTimeouts {  // SERIAL_TIMEOUTS, 20 bytes: SET_/GET_TIMEOUTS
    std::uint32_t read_interval = 0;
    std::uint32_t read_total_multiplier = 0;
    std::uint32_t read_total_constant = 0;
    std::uint32_t write_total_multiplier = 0;
    std::uint32_t write_total_constant = 0;
    bool operator==(const SerialTimeouts&) const = default;
};
struct SerialChars {  // SERIAL_CHARS, 6 bytes: SET_/GET_CHARS
    std::uint8_t eof_char = 0;
    std::uint8_t error_char = 0;
    std::uint8_t break_char = 0;
    std::uint8_t event_char = 0;
    std::uint8_t xon_char = 0x11;
    std::uint8_t xoff_char = 0x13;
    bool operator==(const SerialChars&) const = default;
};
struct SerialHandflow {  // SERIAL_HANDFLOW, 16 bytes: SET_/GET_HANDFLOW
    std::uint32_t control_handshake = 0;
    std::uint32_t flow_replace = 0;
    std::uint32_t xon_limit = 128;  // the FreeRDP client refuses others (RDPDR.md)
    std::uint32_t xoff_limit = 128;
    bool operator==(const SerialHandflow&) const = default;
};
struct SerialQueueSize {  // SERIAL_QUEUE_SIZE, 8 bytes: SET_QUEUE_SIZE
    std::uint32_t in_size = 0;
    std::uint32_t out_size = 0;
    bool operator==(const SerialQueueSize&) const = default;
};
struct SerialWaitMask {  // ULONG: SET_/GET_WAIT_MASK, and WAIT_ON_MASK's events (ev_*)
    std::uint32_t mask = 0;
    bool operator==(const SerialWaitMask&) const = default;
};
struct SerialPurgeMask {  // ULONG: PURGE (purge_*)
    std::uint32_t mask = 0;
    bool operator==(const SerialPurgeMask&) const = default;
};
struct SerialModemStatus {  // ULONG: GET_MODEMSTATUS (msr_*)
    std::uint32_t status = 0;
    bool operator==(const SerialModemStatus&) const = default;
};
struct SerialDtrRts {  // ULONG: GET_DTRRTS (dtr_state, rts_state)
    std::uint32_t state = 0;
    bool operator==(const SerialDtrRts&) const = default;
};
struct SerialConfigSize {  // ULONG: CONFIG_SIZE
    std::uint32_t size = 0;
    bool operator==(const SerialConfigSize&) const = default;
};
struct SerialImmediateChar {  // UCHAR: IMMEDIATE_CHAR
    std::uint8_t ch = 0;
    bool operator==(const SerialImmediateChar&) const = default;
};
/// SERIAL_STATUS: GET_COMMSTATUS; 18 bytes of fields + 2 alignment bytes (20 on the wire).
struct SerialStatus {
    std::uint32_t errors = 0;
    std::uint32_t hold_reasons = 0;
    std::uint32_t amount_in_in_queue = 0;
    std::uint32_t amount_in_out_queue = 0;
    std::uint8_t eof_received = 0;
    std::uint8_t wait_for_immediate = 0;
    bool operator==(const SerialStatus&) const = default;
};
/// SERIAL_COMMPROP: GET_PROPERTIES; 62 bytes of fields + 2 alignment bytes (64 on the wire).
struct SerialCommProp {
    std::uint16_t packet_length = 64;
    std::uint16_t packet_version = 2;
    std::uint32_t service_mask = 0;
    std::uint32_t reserved1 = 0;
    std::uint32_t max_tx_queue = 0;
    std::uint32_t max_rx_queue = 0;
    std::uint32_t max_baud = 0;
    std::uint32_t prov_sub_type = 0;
    std::uint32_t prov_capabilities = 0;
    std::uint32_t settable_params = 0;
    std::uint32_t settable_baud = 0;
    std::uint16_t settable_data = 0;
    std::uint16_t settable_stop_parity = 0;
    std::uint32_t current_tx_queue = 0;
    std::uint32_t current_rx_queue = 0;
    std::uint32_t prov_spec1 = 0;
    std::uint32_t prov_spec2 = 0;
    std::uint16_t prov_char = 0;
    bool operator==(const SerialCommProp&) const = default;
};

/// A typed payload; monostate for an IOCTL without one in that direction (or unknown).
using SerialValue = std::variant<std::monostate, SerialBaudRate, SerialLineControl, SerialTimeouts,
                                 SerialChars, SerialHandflow, SerialQueueSize, SerialWaitMask,
                                 SerialPurgeMask, SerialModemStatus, SerialDtrRts, SerialConfigSize,
                                 SerialImmediateChar, SerialStatus, SerialCommProp>;

/// The wire bytes of a payload (monostate: none).
std::vector<std::uint8_t> encode(const SerialValue& value);

/// The payload a request's input buffer carries for `code` (SET_*, PURGE, IMMEDIATE_CHAR...).
/// `base` is the buffer's offset in its message, for error offsets. Bytes beyond the
/// structure are ignored; a buffer shorter than it is `truncated`.
struct SerialDecoded {
    DecodeError error;
    SerialValue value;
    bool ok() const { return error.ok(); }
};
SerialDecoded decode_ioctl_input(std::uint32_t code, std::span<const std::uint8_t> buffer,
                                 std::uint64_t base = 0);
/// The payload a completion's output buffer carries for `code` (GET_*, WAIT_ON_MASK...).
SerialDecoded decode_ioctl_output(std::uint32_t code, std::span<const std::uint8_t> buffer,
                                  std::uint64_t base = 0);

}  // namespace comredir::redirector::codec
