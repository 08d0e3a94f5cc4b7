// Device I/O completions ([MS-RDPEFS] 2.2.1.5 DR_DEVICE_IOCOMPLETION and 2.2.1.5.1-2.2.1.5.5):
// the header when the message arrives, the body once the session knows the request.

#include <algorithm>
#include <comredir/redirector/codec/irp.hpp>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace detail {

void read_io_completion(Reader& r, IoCompletion& out) {
    out.device_id = r.u32("DeviceId");
    out.completion_id = r.u32("CompletionId");
    out.io_status = r.u32("IoStatus");
    if (r.ok()) out.body = r.copy(r.remaining(), "body");  // bounded by the message itself
}

}  // namespace detail

namespace {

// [MS-RDPEFS] 2.2.1.5.1 DR_CREATE_RSP.
CreateCompletion read_create(Reader& r) {
    CreateCompletion c;
    c.file_id = r.u32("FileId");
    if (r.ok() && r.remaining() >= 1) c.information = r.u8("Information");  // optional
    return c;
}

// [MS-RDPEFS] 2.2.1.5.2 DR_CLOSE_RSP.
CloseCompletion read_close(Reader& r) {
    CloseCompletion c;
    const auto pad = r.bytes(kCloseCompletionPaddingSize, "Padding");
    std::copy(pad.begin(), pad.end(), c.padding.begin());
    return c;
}

// [MS-RDPEFS] 2.2.1.5.3 DR_READ_RSP.
ReadCompletion read_read(Reader& r) {
    ReadCompletion c;
    const auto at = r.offset();
    const std::uint32_t length = r.u32("Length");
    if (r.check_length(length, kMaxIoLength, at, "Length")) c.data = r.copy(length, "ReadData");
    return c;
}

// [MS-RDPEFS] 2.2.1.5.5 DR_CONTROL_RSP; the output is decoded for the IOCTL when it can be.
ControlCompletion read_control(Reader& r, std::uint32_t io_status, std::uint32_t code) {
    ControlCompletion c;
    const auto at = r.offset();
    const std::uint32_t length = r.u32("OutputBufferLength");
    if (!r.check_length(length, kMaxIoLength, at, "OutputBufferLength")) return c;
    const auto output_at = r.offset();
    c.output = r.copy(length, "OutputBuffer");
    if (io_status != 0 || c.output.empty()) return c;
    Reader payload(c.output, output_at);
    detail::read_ioctl(payload, code, true, c.value);
    if (!payload.ok()) {
        const auto& e = payload.error();
        const auto name = ioctl_name(code);
        r.fail(e.status, e.offset,
               "`" + (name.empty() ? hex(code) : std::string(name)) + "` output: " + e.message);
    }
    return c;
}

}  // namespace

CompletionDecoded decode_completion_body(const IoCompletion& completion,
                                         std::uint32_t major_function,
                                         std::uint32_t io_control_code) {
    CompletionDecoded out;
    Reader r(completion.body, kIoCompletionHeaderSize);
    switch (major_function) {
        case irp_mj::create:
            out.body = read_create(r);
            break;
        case irp_mj::close:
            out.body = read_close(r);
            break;
        case irp_mj::read:
            out.body = read_read(r);
            break;
        case irp_mj::write:
            out.body = WriteCompletion{r.u32("Length")};
            break;  // 2.2.1.5.4
        case irp_mj::device_control:
            out.body = read_control(r, completion.io_status, io_control_code);
            break;
        default:
            r.fail(Status::unknown_major, 0,
                   "`MajorFunction` " + hex(major_function) +
                       " is not create, close, read, write or device control");
    }
    if (!r.ok()) {
        const auto& e = r.error();
        out.status = e.status;
        out.severity = Severity::drop_pdu;
        out.offset = e.offset;
        out.message = detail::format("device io completion", e.offset, e.message);
        out.body = CompletionBody{};
        return out;
    }
    out.trailing = r.remaining();
    return out;
}

std::vector<std::uint8_t> encode_body(const CompletionBody& body) {
    Writer w;
    if (const auto* c = std::get_if<CreateCompletion>(&body)) {
        w.u32(c->file_id);
        if (c->information) w.u8(*c->information);
    } else if (const auto* cl = std::get_if<CloseCompletion>(&body)) {
        w.bytes(cl->padding);
    } else if (const auto* rd = std::get_if<ReadCompletion>(&body)) {
        w.length32(rd->data.size()).bytes(rd->data);
    } else if (const auto* wr = std::get_if<WriteCompletion>(&body)) {
        w.u32(wr->length);
    } else if (const auto* ctl = std::get_if<ControlCompletion>(&body)) {
        w.length32(ctl->output.size()).bytes(ctl->output);
    }
    return w.take();
}

IoCompletion make_completion(std::uint32_t device_id, std::uint32_t completion_id,
                             std::uint32_t io_status, const CompletionBody& body) {
    return IoCompletion{device_id, completion_id, io_status, encode_body(body)};
}

std::vector<std::uint8_t> encode(const IoCompletion& pdu) {
    auto w = detail::header(pakid::device_iocompletion);
    w.u32(pdu.device_id).u32(pdu.completion_id).u32(pdu.io_status).bytes(pdu.body);
    return w.take();
}

}  // namespace comredir::redirector::codec
