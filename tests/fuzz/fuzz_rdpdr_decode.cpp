// libFuzzer target for the rdpdr codec's decoders, above all the server side's
// decode_client_pdu: whatever the input, no crash, a consistent result, and whatever decodes
// re-encodes to the same bytes (client PDUs keep every field, so they are canonical; server
// PDUs drop padding, so they must re-decode to the same struct). Completion bodies are read
// for every major function and output IOCTL. Seeds: tests/fuzz/seeds/rdpdr_decode/.

#include <algorithm>
#include <comredir/redirector/codec/pdu.hpp>
#include <comredir/redirector/codec/serial_ioctl.hpp>
#include <cstddef>
#include <cstdint>
#include <span>

using namespace comredir::redirector::codec;

namespace {

void require(bool condition) {
    if (!condition) __builtin_trap();
}

template <class Result>
void check_result(const Result& r, std::size_t size) {
    require(r.ok() == r.message.empty());
    require(r.offset <= size);
    require(r.ok() == (r.severity == Severity::none));
    require(r.ok() ? r.trailing <= size : r.pdu.index() == 0);
}

constexpr std::uint32_t kMajors[] = {irp_mj::create, irp_mj::close, irp_mj::read, irp_mj::write,
                                     irp_mj::device_control};
constexpr std::uint32_t kOutputCodes[] = {
    ioctl::get_baud_rate,  ioctl::get_line_control, ioctl::get_timeouts, ioctl::get_chars,
    ioctl::get_handflow,   ioctl::get_wait_mask,    ioctl::wait_on_mask, ioctl::get_modemstatus,
    ioctl::get_commstatus, ioctl::get_properties,   ioctl::get_dtrrts,   ioctl::config_size};

void completion_bodies(const IoCompletion& c) {
    for (const auto major : kMajors) {
        for (const auto code : kOutputCodes) {
            const auto b = decode_completion_body(c, major, code);
            require(b.ok() == b.message.empty());
            require(b.offset <= kIoCompletionHeaderSize + c.body.size());
            if (b.ok()) {
                const auto bytes = encode_body(b.body);
                require(b.trailing <= c.body.size());
                require(std::equal(bytes.begin(), bytes.end(), c.body.begin(),
                                   c.body.end() - static_cast<long>(b.trailing)));
            }
            if (major != irp_mj::device_control) break;  // the code only matters for control
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto in = std::span<const std::uint8_t>(data, size);

    const auto client = decode_client_pdu(in);
    check_result(client, size);
    if (client.ok()) {
        const auto bytes = encode(client.pdu);
        require(bytes.size() + client.trailing == size);
        require(std::equal(bytes.begin(), bytes.end(), in.begin()));
        if (const auto* c = std::get_if<IoCompletion>(&client.pdu)) completion_bodies(*c);
    }

    const auto server = decode_server_pdu(in);
    check_result(server, size);
    if (server.ok()) {
        const auto bytes = encode(server.pdu);
        require(bytes.size() + server.trailing == size);
        const auto again = decode_server_pdu(bytes);
        require(again.ok() && again.trailing == 0 && again.pdu == server.pdu);
    }

    for (const auto code : kOutputCodes) {
        const auto d = decode_ioctl_output(code, in);
        require(d.ok() == d.error.message.empty());
        if (d.ok()) require(decode_ioctl_output(code, encode(d.value)).value == d.value);
    }
    return 0;
}
