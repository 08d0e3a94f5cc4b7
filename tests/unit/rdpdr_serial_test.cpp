// [MS-RDPESP] IOCTL payloads: golden bytes written out from the ntddser.h layouts, encode ==
// golden, decode(golden) == struct for the IOCTL codes that carry each, every truncation,
// and the payloads inside device control requests and completions.
#include <doctest/doctest.h>

#include <comredir/redirector/codec/ntstatus.hpp>
#include <comredir/redirector/codec/pdu.hpp>
#include <comredir/redirector/codec/serial_ioctl.hpp>
#include <numeric>

#include "rdpdr_vectors.hpp"

using namespace comredir::redirector::codec;
using rdpdr_test::unhex;

namespace {

struct Payload {
    std::uint32_t code;  // an IOCTL carrying it
    bool output;         // in the completion's output (else the request's input)
    SerialValue value;
    std::string hex;
    std::vector<std::size_t> fields;  // field sizes in wire order (alignment bytes excluded)
};

SerialCommProp commprop() {
    SerialCommProp p;
    p.service_mask = 1;
    p.max_tx_queue = 4096;
    p.max_rx_queue = 4096;
    p.max_baud = 0x10000000;
    p.prov_sub_type = 1;
    p.prov_capabilities = 0xFF;
    p.settable_params = 0x7F;
    p.settable_baud = 0x1000FFFF;
    p.settable_data = 0x000F;
    p.settable_stop_parity = 0x1F07;
    p.current_tx_queue = 4096;
    p.current_rx_queue = 4096;
    return p;
}

const std::vector<Payload>& payloads() {
    static const std::vector<Payload> all = {
        {ioctl::set_baud_rate, false, SerialBaudRate{115200}, "00 c2 01 00", {4}},
        {ioctl::get_baud_rate, true, SerialBaudRate{9600}, "80 25 00 00", {4}},
        {ioctl::set_line_control,
         false,
         SerialLineControl{serial::stop_bits_2, serial::even_parity, 7},
         "02 02 07",
         {1, 1, 1}},
        {ioctl::get_line_control, true, SerialLineControl{}, "00 00 08", {1, 1, 1}},
        {ioctl::set_timeouts,
         false,
         SerialTimeouts{0xFFFFFFFF, 0, 0, 10, 1000},
         "ff ff ff ff 00 00 00 00 00 00 00 00 0a 00 00 00 e8 03 00 00",
         {4, 4, 4, 4, 4}},
        {ioctl::get_timeouts,
         true,
         SerialTimeouts{},
         "00000000 00000000 00000000 00000000 00000000",
         {4, 4, 4, 4, 4}},
        {ioctl::set_chars,
         false,
         SerialChars{0x1A, 0x3F, 0, 0x0A, 0x11, 0x13},
         "1a 3f 00 0a 11 13",
         {1, 1, 1, 1, 1, 1}},
        {ioctl::get_chars, true, SerialChars{}, "00 00 00 00 11 13", {1, 1, 1, 1, 1, 1}},
        {ioctl::set_handflow,
         false,
         SerialHandflow{serial::dtr_control | serial::cts_handshake,
                        serial::auto_transmit | serial::auto_receive | serial::rts_control, 128,
                        128},
         "09 00 00 00 43 00 00 00 80 00 00 00 80 00 00 00",
         {4, 4, 4, 4}},
        {ioctl::get_handflow,
         true,
         SerialHandflow{},
         "00 00 00 00 00 00 00 00 80 00 00 00 80 00 00 00",
         {4, 4, 4, 4}},
        {ioctl::set_queue_size,
         false,
         SerialQueueSize{4096, 4096},
         "00 10 00 00 00 10 00 00",
         {4, 4}},
        {ioctl::set_wait_mask,
         false,
         SerialWaitMask{serial::ev_rxchar | serial::ev_cts},
         "09 00 00 00",
         {4}},
        {ioctl::get_wait_mask, true, SerialWaitMask{serial::ev_dsr}, "10 00 00 00", {4}},
        {ioctl::wait_on_mask, true, SerialWaitMask{serial::ev_rxchar}, "01 00 00 00", {4}},
        {ioctl::purge,
         false,
         SerialPurgeMask{serial::purge_rxabort | serial::purge_rxclear},
         "0a 00 00 00",
         {4}},
        {ioctl::get_modemstatus,
         true,
         SerialModemStatus{serial::msr_cts | serial::msr_dsr},
         "30 00 00 00",
         {4}},
        {ioctl::get_dtrrts,
         true,
         SerialDtrRts{serial::dtr_state | serial::rts_state},
         "03 00 00 00",
         {4}},
        {ioctl::config_size, true, SerialConfigSize{0}, "00 00 00 00", {4}},
        {ioctl::immediate_char, false, SerialImmediateChar{0x13}, "13", {1}},
        {ioctl::get_commstatus,
         true,
         SerialStatus{0x4, 0x8, 10, 2, 0, 1},
         "04 00 00 00 08 00 00 00 0a 00 00 00 02 00 00 00 00 01 00 00",
         {4, 4, 4, 4, 1, 1}},
        {ioctl::get_properties,
         true,
         commprop(),
         "40 00 02 00  01 00 00 00  00 00 00 00  00 10 00 00  00 10 00 00  00 00 00 10"
         "  01 00 00 00  ff 00 00 00  7f 00 00 00  ff ff 00 10  0f 00  07 1f  00 10 00 00"
         "  00 10 00 00  00 00 00 00  00 00 00 00  00 00  00 00",
         {2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 4, 4, 4, 4, 2}},
    };
    return all;
}

SerialDecoded decode_payload(const Payload& p, std::span<const std::uint8_t> bytes,
                             std::uint64_t base) {
    return p.output ? decode_ioctl_output(p.code, bytes, base)
                    : decode_ioctl_input(p.code, bytes, base);
}

}  // namespace

TEST_CASE("serial payloads encode to their golden bytes and decode back") {
    for (const auto& p : payloads()) {
        const std::string name(ioctl_name(p.code));
        CAPTURE(name);
        const auto bytes = unhex(p.hex);
        CHECK(encode(p.value) == bytes);
        const auto d = decode_payload(p, bytes, 0);
        REQUIRE(d.ok());
        CHECK(d.value == p.value);
        // Bytes beyond the structure are ignored.
        auto more = bytes;
        more.push_back(0x55);
        CHECK(decode_payload(p, more, 0).value == p.value);
        // The other direction of the same code carries nothing.
        CHECK(std::holds_alternative<std::monostate>(
            (p.output ? decode_ioctl_input(p.code, bytes) : decode_ioctl_output(p.code, bytes))
                .value));
    }
}

TEST_CASE("every truncation of a serial payload names the field at its absolute offset") {
    constexpr std::uint64_t base = 0x20;
    for (const auto& p : payloads()) {
        const std::string name(ioctl_name(p.code));
        CAPTURE(name);
        const auto bytes = unhex(p.hex);
        const std::size_t fields =
            std::accumulate(p.fields.begin(), p.fields.end(), std::size_t{0});
        for (std::size_t k = 0; k < fields; ++k) {
            CAPTURE(k);
            std::size_t start = 0;
            for (const auto size : p.fields) {
                if (start + size > k) break;
                start += size;
            }
            const std::vector<std::uint8_t> cut(bytes.begin(),
                                                bytes.begin() + static_cast<long>(k));
            const auto d = decode_payload(p, cut, base);
            CHECK(d.error.status == Status::truncated);
            CHECK(d.error.offset == base + start);
            CHECK(d.error.message.rfind(name + (p.output ? " output: offset " : " input: offset "),
                                        0) == 0);
            CHECK(std::holds_alternative<std::monostate>(d.value));
        }
        // The fields alone suffice (the alignment bytes of SERIAL_STATUS and COMMPROP too).
        CHECK(decode_payload(p, std::span(bytes).first(fields), base).ok());
    }
}

TEST_CASE("ioctls without a payload, and unknown codes, decode to nothing") {
    for (const auto code : {ioctl::set_dtr, ioctl::clr_dtr, ioctl::set_rts, ioctl::clr_rts,
                            ioctl::set_xon, ioctl::set_xoff, ioctl::set_break_on,
                            ioctl::set_break_off, ioctl::reset_device, 0x00220000U}) {
        CAPTURE(code);
        const auto bytes = unhex("01 02 03");
        CHECK(decode_ioctl_input(code, bytes).ok());
        CHECK(std::holds_alternative<std::monostate>(decode_ioctl_input(code, bytes).value));
        CHECK(std::holds_alternative<std::monostate>(decode_ioctl_output(code, {}).value));
    }
    CHECK(encode(SerialValue{}).empty());
    CHECK(ioctl_name(ioctl::get_commstatus) == "IOCTL_SERIAL_GET_COMMSTATUS");
    CHECK(ioctl_name(ioctl::config_size) == "IOCTL_SERIAL_CONFIG_SIZE");
    CHECK(ioctl_name(0x00220000).empty());
    CHECK(decode_ioctl_output(0x00220000, unhex("01")).error.message.empty());
    CHECK(decode_ioctl_output(ioctl::get_baud_rate, unhex("01")).error.message ==
          "IOCTL_SERIAL_GET_BAUD_RATE output: offset 0x0: `BaudRate` needs 4 bytes, 1 left");
}

TEST_CASE("device control completions carry typed outputs; short ones are dropped") {
    const std::string header = "72 44 43 49  01 00 00 00  0b 00 00 00";
    const auto body = [&](std::string_view status_and_body, std::uint32_t code) {
        const auto r = decode_client_pdu(unhex(header + " " + std::string(status_and_body)));
        REQUIRE(r.ok());
        return decode_completion_body(std::get<IoCompletion>(r.pdu), irp_mj::device_control, code);
    };
    const auto full = body(
        "00 00 00 00  14 00 00 00  04 00 00 00 08 00 00 00 0a 00 00 00 02 00 00 00 00 01 00 00",
        ioctl::get_commstatus);
    REQUIRE(full.ok());
    CHECK(std::get<SerialStatus>(std::get<ControlCompletion>(full.body).value) ==
          SerialStatus{0x4, 0x8, 10, 2, 0, 1});

    const auto short_output =
        body("00 00 00 00  0a 00 00 00  04 00 00 00 08 00 00 00 0a 00", ioctl::get_commstatus);
    CHECK(short_output.status == Status::truncated);
    CHECK(short_output.offset == 0x1c);
    CHECK(short_output.severity == Severity::drop_pdu);
    CHECK(short_output.message ==
          "device io completion: offset 0x1c: `IOCTL_SERIAL_GET_COMMSTATUS` output: "
          "`AmountInInQueue` needs 4 bytes, 2 left");

    // FreeRDP in permissive mode: success with no output; a failure's output is not read.
    const auto empty = body("00 00 00 00  00 00 00 00", ioctl::get_modemstatus);
    REQUIRE(empty.ok());
    CHECK(std::holds_alternative<std::monostate>(std::get<ControlCompletion>(empty.body).value));
    const auto failed = body("bb 00 00 c0  01 00 00 00  00", ioctl::get_modemstatus);
    REQUIRE(failed.ok());
    CHECK(std::get<ControlCompletion>(failed.body).output == std::vector<std::uint8_t>{0});
    CHECK(std::holds_alternative<std::monostate>(std::get<ControlCompletion>(failed.body).value));
}

TEST_CASE("device control requests carry the input payload") {
    const SerialHandflow flow{serial::dtr_control, serial::rts_control, 128, 128};
    IoRequest req{3, 9, 12, 0, ControlRequest{0, ioctl::set_handflow, encode(flow)}};
    const auto bytes = encode(req);
    CHECK(bytes.size() == 24 + 32 + 16);
    const auto r = decode_server_pdu(bytes);
    REQUIRE(r.ok());
    const auto& ctl = std::get<ControlRequest>(std::get<IoRequest>(r.pdu).body);
    const auto d = decode_ioctl_input(ctl.io_control_code, ctl.input, 56);
    REQUIRE(d.ok());
    CHECK(std::get<SerialHandflow>(d.value) == flow);
    CHECK(ntstatus::is_error(ntstatus::cancelled));
    CHECK_FALSE(ntstatus::is_error(ntstatus::success));
}
