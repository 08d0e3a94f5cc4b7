// [MS-RDPESP] IOCTL payloads: ntddser.h structures, little-endian (serial_ioctl.hpp).

#include <comredir/redirector/codec/serial_ioctl.hpp>
#include <type_traits>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace {

struct Named {
    std::uint32_t code;
    std::string_view name;
};
constexpr Named kNames[] = {
    {ioctl::set_baud_rate, "IOCTL_SERIAL_SET_BAUD_RATE"},
    {ioctl::set_queue_size, "IOCTL_SERIAL_SET_QUEUE_SIZE"},
    {ioctl::set_line_control, "IOCTL_SERIAL_SET_LINE_CONTROL"},
    {ioctl::set_break_on, "IOCTL_SERIAL_SET_BREAK_ON"},
    {ioctl::set_break_off, "IOCTL_SERIAL_SET_BREAK_OFF"},
    {ioctl::immediate_char, "IOCTL_SERIAL_IMMEDIATE_CHAR"},
    {ioctl::set_timeouts, "IOCTL_SERIAL_SET_TIMEOUTS"},
    {ioctl::get_timeouts, "IOCTL_SERIAL_GET_TIMEOUTS"},
    {ioctl::set_dtr, "IOCTL_SERIAL_SET_DTR"},
    {ioctl::clr_dtr, "IOCTL_SERIAL_CLR_DTR"},
    {ioctl::reset_device, "IOCTL_SERIAL_RESET_DEVICE"},
    {ioctl::set_rts, "IOCTL_SERIAL_SET_RTS"},
    {ioctl::clr_rts, "IOCTL_SERIAL_CLR_RTS"},
    {ioctl::set_xoff, "IOCTL_SERIAL_SET_XOFF"},
    {ioctl::set_xon, "IOCTL_SERIAL_SET_XON"},
    {ioctl::get_wait_mask, "IOCTL_SERIAL_GET_WAIT_MASK"},
    {ioctl::set_wait_mask, "IOCTL_SERIAL_SET_WAIT_MASK"},
    {ioctl::wait_on_mask, "IOCTL_SERIAL_WAIT_ON_MASK"},
    {ioctl::purge, "IOCTL_SERIAL_PURGE"},
    {ioctl::get_baud_rate, "IOCTL_SERIAL_GET_BAUD_RATE"},
    {ioctl::get_line_control, "IOCTL_SERIAL_GET_LINE_CONTROL"},
    {ioctl::get_chars, "IOCTL_SERIAL_GET_CHARS"},
    {ioctl::set_chars, "IOCTL_SERIAL_SET_CHARS"},
    {ioctl::get_handflow, "IOCTL_SERIAL_GET_HANDFLOW"},
    {ioctl::set_handflow, "IOCTL_SERIAL_SET_HANDFLOW"},
    {ioctl::get_modemstatus, "IOCTL_SERIAL_GET_MODEMSTATUS"},
    {ioctl::get_commstatus, "IOCTL_SERIAL_GET_COMMSTATUS"},
    {ioctl::get_properties, "IOCTL_SERIAL_GET_PROPERTIES"},
    {ioctl::get_dtrrts, "IOCTL_SERIAL_GET_DTRRTS"},
    {ioctl::config_size, "IOCTL_SERIAL_CONFIG_SIZE"},
};

SerialValue read_value(Reader& r, const SerialValue& kind) {
    return std::visit(
        [&r](const auto& k) -> SerialValue {
            using T = std::decay_t<decltype(k)>;
            if constexpr (std::is_same_v<T, SerialBaudRate>) {
                return SerialBaudRate{r.u32("BaudRate")};
            } else if constexpr (std::is_same_v<T, SerialLineControl>) {
                SerialLineControl v;
                v.stop_bits = r.u8("StopBits");
                v.parity = r.u8("Parity");
                v.word_length = r.u8("WordLength");
                return v;
            } else if constexpr (std::is_same_v<T, SerialTimeouts>) {
                SerialTimeouts v;
                v.read_interval = r.u32("ReadIntervalTimeout");
                v.read_total_multiplier = r.u32("ReadTotalTimeoutMultiplier");
                v.read_total_constant = r.u32("ReadTotalTimeoutConstant");
                v.write_total_multiplier = r.u32("WriteTotalTimeoutMultiplier");
                v.write_total_constant = r.u32("WriteTotalTimeoutConstant");
                return v;
            } else if constexpr (std::is_same_v<T, SerialChars>) {
                SerialChars v;
                v.eof_char = r.u8("EofChar");
                v.error_char = r.u8("ErrorChar");
                v.break_char = r.u8("BreakChar");
                v.event_char = r.u8("EventChar");
                v.xon_char = r.u8("XonChar");
                v.xoff_char = r.u8("XoffChar");
                return v;
            } else if constexpr (std::is_same_v<T, SerialHandflow>) {
                SerialHandflow v;
                v.control_handshake = r.u32("ControlHandShake");
                v.flow_replace = r.u32("FlowReplace");
                v.xon_limit = r.u32("XonLimit");
                v.xoff_limit = r.u32("XoffLimit");
                return v;
            } else if constexpr (std::is_same_v<T, SerialQueueSize>) {
                SerialQueueSize v;
                v.in_size = r.u32("InSize");
                v.out_size = r.u32("OutSize");
                return v;
            } else if constexpr (std::is_same_v<T, SerialWaitMask>) {
                return SerialWaitMask{r.u32("WaitMask")};
            } else if constexpr (std::is_same_v<T, SerialPurgeMask>) {
                return SerialPurgeMask{r.u32("PurgeMask")};
            } else if constexpr (std::is_same_v<T, SerialModemStatus>) {
                return SerialModemStatus{r.u32("ModemStatus")};
            } else if constexpr (std::is_same_v<T, SerialDtrRts>) {
                return SerialDtrRts{r.u32("DtrRts")};
            } else if constexpr (std::is_same_v<T, SerialConfigSize>) {
                return SerialConfigSize{r.u32("ConfigSize")};
            } else if constexpr (std::is_same_v<T, SerialImmediateChar>) {
                return SerialImmediateChar{r.u8("ImmediateChar")};
            } else if constexpr (std::is_same_v<T, SerialStatus>) {
                SerialStatus v;
                v.errors = r.u32("Errors");
                v.hold_reasons = r.u32("HoldReasons");
                v.amount_in_in_queue = r.u32("AmountInInQueue");
                v.amount_in_out_queue = r.u32("AmountInOutQueue");
                v.eof_received = r.u8("EofReceived");
                v.wait_for_immediate = r.u8("WaitForImmediate");
                return v;  // + 2 alignment bytes, ignored
            } else if constexpr (std::is_same_v<T, SerialCommProp>) {
                SerialCommProp v;
                v.packet_length = r.u16("PacketLength");
                v.packet_version = r.u16("PacketVersion");
                v.service_mask = r.u32("ServiceMask");
                v.reserved1 = r.u32("Reserved1");
                v.max_tx_queue = r.u32("MaxTxQueue");
                v.max_rx_queue = r.u32("MaxRxQueue");
                v.max_baud = r.u32("MaxBaud");
                v.prov_sub_type = r.u32("ProvSubType");
                v.prov_capabilities = r.u32("ProvCapabilities");
                v.settable_params = r.u32("SettableParams");
                v.settable_baud = r.u32("SettableBaud");
                v.settable_data = r.u16("SettableData");
                v.settable_stop_parity = r.u16("SettableStopParity");
                v.current_tx_queue = r.u32("CurrentTxQueue");
                v.current_rx_queue = r.u32("CurrentRxQueue");
                v.prov_spec1 = r.u32("ProvSpec1");
                v.prov_spec2 = r.u32("ProvSpec2");
                v.prov_char = r.u16("ProvChar");
                return v;  // + 2 alignment bytes, ignored
            } else {
                return std::monostate{};
            }
        },
        kind);
}

// Which payload a code carries in a request's input or a completion's output.
SerialValue kind_of(std::uint32_t code, bool output) {
    if (output) {
        switch (code) {
            case ioctl::get_baud_rate:
                return SerialBaudRate{};
            case ioctl::get_line_control:
                return SerialLineControl{};
            case ioctl::get_timeouts:
                return SerialTimeouts{};
            case ioctl::get_chars:
                return SerialChars{};
            case ioctl::get_handflow:
                return SerialHandflow{};
            case ioctl::get_wait_mask:
            case ioctl::wait_on_mask:
                return SerialWaitMask{};
            case ioctl::get_modemstatus:
                return SerialModemStatus{};
            case ioctl::get_commstatus:
                return SerialStatus{};
            case ioctl::get_properties:
                return SerialCommProp{};
            case ioctl::get_dtrrts:
                return SerialDtrRts{};
            case ioctl::config_size:
                return SerialConfigSize{};
            default:
                return std::monostate{};
        }
    }
    switch (code) {
        case ioctl::set_baud_rate:
            return SerialBaudRate{};
        case ioctl::set_queue_size:
            return SerialQueueSize{};
        case ioctl::set_line_control:
            return SerialLineControl{};
        case ioctl::immediate_char:
            return SerialImmediateChar{};
        case ioctl::set_timeouts:
            return SerialTimeouts{};
        case ioctl::set_wait_mask:
            return SerialWaitMask{};
        case ioctl::purge:
            return SerialPurgeMask{};
        case ioctl::set_chars:
            return SerialChars{};
        case ioctl::set_handflow:
            return SerialHandflow{};
        default:
            return std::monostate{};
    }
}

SerialDecoded decode(std::uint32_t code, std::span<const std::uint8_t> buffer, std::uint64_t base,
                     bool output) {
    SerialDecoded out;
    Reader r(buffer, base);
    detail::read_ioctl(r, code, output, out.value);
    if (!r.ok()) {
        const auto name = ioctl_name(code);
        out.error = r.error();
        out.error.message = detail::format(
            (name.empty() ? hex(code) : std::string(name)) + (output ? " output" : " input"),
            out.error.offset, out.error.message);
        out.value = std::monostate{};
    }
    return out;
}

}  // namespace

namespace detail {
void read_ioctl(Reader& r, std::uint32_t code, bool output, SerialValue& out) {
    const SerialValue value = read_value(r, kind_of(code, output));
    if (r.ok()) out = value;
}
}  // namespace detail

std::string_view ioctl_name(std::uint32_t code) {
    for (const auto& n : kNames) {
        if (n.code == code) return n.name;
    }
    return {};
}

std::vector<std::uint8_t> encode(const SerialValue& value) {
    Writer w;
    std::visit(
        [&w](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, SerialBaudRate>) {
                w.u32(v.baud_rate);
            } else if constexpr (std::is_same_v<T, SerialLineControl>) {
                w.u8(v.stop_bits).u8(v.parity).u8(v.word_length);
            } else if constexpr (std::is_same_v<T, SerialTimeouts>) {
                w.u32(v.read_interval).u32(v.read_total_multiplier).u32(v.read_total_constant);
                w.u32(v.write_total_multiplier).u32(v.write_total_constant);
            } else if constexpr (std::is_same_v<T, SerialChars>) {
                w.u8(v.eof_char).u8(v.error_char).u8(v.break_char).u8(v.event_char);
                w.u8(v.xon_char).u8(v.xoff_char);
            } else if constexpr (std::is_same_v<T, SerialHandflow>) {
                w.u32(v.control_handshake).u32(v.flow_replace).u32(v.xon_limit).u32(v.xoff_limit);
            } else if constexpr (std::is_same_v<T, SerialQueueSize>) {
                w.u32(v.in_size).u32(v.out_size);
            } else if constexpr (std::is_same_v<T, SerialWaitMask> ||
                                 std::is_same_v<T, SerialPurgeMask>) {
                w.u32(v.mask);
            } else if constexpr (std::is_same_v<T, SerialModemStatus>) {
                w.u32(v.status);
            } else if constexpr (std::is_same_v<T, SerialDtrRts>) {
                w.u32(v.state);
            } else if constexpr (std::is_same_v<T, SerialConfigSize>) {
                w.u32(v.size);
            } else if constexpr (std::is_same_v<T, SerialImmediateChar>) {
                w.u8(v.ch);
            } else if constexpr (std::is_same_v<T, SerialStatus>) {
                w.u32(v.errors).u32(v.hold_reasons).u32(v.amount_in_in_queue);
                w.u32(v.amount_in_out_queue).u8(v.eof_received).u8(v.wait_for_immediate);
                w.zeros(2);  // alignment: sizeof(SERIAL_STATUS) is 20
            } else if constexpr (std::is_same_v<T, SerialCommProp>) {
                w.u16(v.packet_length).u16(v.packet_version).u32(v.service_mask);
                w.u32(v.reserved1).u32(v.max_tx_queue).u32(v.max_rx_queue).u32(v.max_baud);
                w.u32(v.prov_sub_type).u32(v.prov_capabilities).u32(v.settable_params);
                w.u32(v.settable_baud).u16(v.settable_data).u16(v.settable_stop_parity);
                w.u32(v.current_tx_queue).u32(v.current_rx_queue).u32(v.prov_spec1);
                w.u32(v.prov_spec2).u16(v.prov_char);
                w.zeros(2);  // alignment: sizeof(SERIAL_COMMPROP) is 64
            }
        },
        value);
    return w.take();
}

SerialDecoded decode_ioctl_input(std::uint32_t code, std::span<const std::uint8_t> buffer,
                                 std::uint64_t base) {
    return decode(code, buffer, base, false);
}

SerialDecoded decode_ioctl_output(std::uint32_t code, std::span<const std::uint8_t> buffer,
                                  std::uint64_t base) {
    return decode(code, buffer, base, true);
}

}  // namespace comredir::redirector::codec
