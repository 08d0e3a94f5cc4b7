// Device I/O requests ([MS-RDPEFS] 2.2.1.4 DR_DEVICE_IOREQUEST and 2.2.1.4.1-2.2.1.4.5):
// CREATE, CLOSE, READ, WRITE and DEVICE_CONTROL.

#include <comredir/redirector/codec/irp.hpp>
#include <iterator>

#include "internal.hpp"

namespace comredir::redirector::codec {

namespace detail {

namespace {

// [MS-RDPEFS] 2.2.1.4.1 DR_CREATE_REQ.
CreateRequest read_create(Reader& r) {
    CreateRequest c;
    c.desired_access = r.u32("DesiredAccess");
    c.allocation_size = r.u64("AllocationSize");
    c.file_attributes = r.u32("FileAttributes");
    c.shared_access = r.u32("SharedAccess");
    c.create_disposition = r.u32("CreateDisposition");
    c.create_options = r.u32("CreateOptions");
    const auto at = r.offset();
    const std::uint32_t length = r.u32("PathLength");  // bytes; 0 for ports
    if (r.check_length(length, kMaxPathLength, at, "PathLength")) c.path = r.copy(length, "Path");
    return c;
}

// [MS-RDPEFS] 2.2.1.4.3 DR_READ_REQ.
ReadRequest read_read(Reader& r) {
    ReadRequest q;
    q.length = r.u32("Length");
    q.offset = r.u64("Offset");
    (void)r.skip(kIoRequestPaddingSize, "Padding");
    return q;
}

// [MS-RDPEFS] 2.2.1.4.4 DR_WRITE_REQ: Length comes before Offset and Padding, and is checked
// against the bytes after them.
WriteRequest read_write(Reader& r) {
    WriteRequest q;
    const auto at = r.offset();
    const std::uint32_t length = r.u32("Length");
    q.offset = r.u64("Offset");
    (void)r.skip(kIoRequestPaddingSize, "Padding");
    if (r.check_length(length, kMaxIoLength, at, "Length")) q.data = r.copy(length, "WriteData");
    return q;
}

// [MS-RDPEFS] 2.2.1.4.5 DR_CONTROL_REQ.
ControlRequest read_control(Reader& r) {
    ControlRequest q;
    q.output_buffer_length = r.u32("OutputBufferLength");
    const auto at = r.offset();
    const std::uint32_t input_length = r.u32("InputBufferLength");
    q.io_control_code = r.u32("IoControlCode");
    (void)r.skip(kIoRequestPaddingSize, "Padding");
    if (r.check_length(input_length, kMaxIoLength, at, "InputBufferLength")) {
        q.input = r.copy(input_length, "InputBuffer");
    }
    return q;
}

}  // namespace

void read_io_request(Reader& r, IoRequest& out) {
    out.device_id = r.u32("DeviceId");
    out.file_id = r.u32("FileId");
    out.completion_id = r.u32("CompletionId");
    const auto major_at = r.offset();
    const std::uint32_t major = r.u32("MajorFunction");
    out.minor_function = r.u32("MinorFunction");
    if (!r.ok()) return;
    switch (major) {
        case irp_mj::create:
            out.body = read_create(r);
            break;
        case irp_mj::close:
            (void)r.skip(kCloseRequestPaddingSize, "Padding");  // 2.2.1.4.2
            out.body = CloseRequest{};
            break;
        case irp_mj::read:
            out.body = read_read(r);
            break;
        case irp_mj::write:
            out.body = read_write(r);
            break;
        case irp_mj::device_control:
            out.body = read_control(r);
            break;
        default:
            r.fail(Status::unknown_major, major_at,
                   "`MajorFunction` " + hex(major) +
                       " is not create, close, read, write or device control");
    }
}

}  // namespace detail

std::uint32_t major_function(const RequestBody& body) {
    static constexpr std::uint32_t majors[] = {irp_mj::create, irp_mj::close, irp_mj::read,
                                               irp_mj::write, irp_mj::device_control};
    const std::size_t i = body.index();  // variant_npos only after a failed assignment
    return i < std::size(majors) ? majors[i] : irp_mj::create;
}

std::vector<std::uint8_t> encode(const IoRequest& pdu) {
    auto w = detail::header(pakid::device_iorequest);
    w.u32(pdu.device_id).u32(pdu.file_id).u32(pdu.completion_id);
    w.u32(major_function(pdu.body)).u32(pdu.minor_function);
    if (const auto* c = std::get_if<CreateRequest>(&pdu.body)) {
        w.u32(c->desired_access).u64(c->allocation_size).u32(c->file_attributes);
        w.u32(c->shared_access).u32(c->create_disposition).u32(c->create_options);
        w.length32(c->path.size()).bytes(c->path);
    } else if (std::holds_alternative<CloseRequest>(pdu.body)) {
        w.zeros(kCloseRequestPaddingSize);
    } else if (const auto* q = std::get_if<ReadRequest>(&pdu.body)) {
        w.u32(q->length).u64(q->offset).zeros(kIoRequestPaddingSize);
    } else if (const auto* wr = std::get_if<WriteRequest>(&pdu.body)) {
        w.length32(wr->data.size()).u64(wr->offset).zeros(kIoRequestPaddingSize).bytes(wr->data);
    } else {
        const auto& ctl = std::get<ControlRequest>(pdu.body);
        w.u32(ctl.output_buffer_length).length32(ctl.input.size()).u32(ctl.io_control_code);
        w.zeros(kIoRequestPaddingSize).bytes(ctl.input);
    }
    return w.take();
}

}  // namespace comredir::redirector::codec
