#pragma once
// Device I/O requests the server sends ([MS-RDPEFS] 2.2.1.4) and the client's completions
// (2.2.1.5), for the five major functions a serial port needs.
//
// A completion does not say which request it answers: only the server knows the major
// function (and IOCTL code) behind a CompletionId. So decode_client_pdu gives an IoCompletion
// with its 16-byte header decoded and the body as raw bytes, and decode_completion_body reads
// the body once the session has looked the CompletionId up.

#include <array>
#include <comredir/redirector/codec/constants.hpp>
#include <comredir/redirector/codec/serial_ioctl.hpp>
#include <comredir/redirector/codec/status.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace comredir::redirector::codec {

/// [MS-RDPEFS] 2.2.1.4.1 DR_CREATE_REQ: 32 bytes + Path. Ports are opened with PathLength 0.
struct CreateRequest {
    std::uint32_t desired_access = 0;      // DesiredAccess
    std::uint64_t allocation_size = 0;     // AllocationSize
    std::uint32_t file_attributes = 0;     // FileAttributes
    std::uint32_t shared_access = 0;       // SharedAccess
    std::uint32_t create_disposition = 0;  // CreateDisposition
    std::uint32_t create_options = 0;      // CreateOptions
    std::vector<std::uint8_t> path;        // PathLength bytes (UTF-16LE, null included)
    bool operator==(const CreateRequest&) const = default;
};
/// [MS-RDPEFS] 2.2.1.4.2 DR_CLOSE_REQ: 32 bytes of padding.
struct CloseRequest {
    bool operator==(const CloseRequest&) const = default;
};
/// [MS-RDPEFS] 2.2.1.4.3 DR_READ_REQ: Length, Offset (u64), 20 bytes of padding.
struct ReadRequest {
    std::uint32_t length = 0;
    std::uint64_t offset = 0;
    bool operator==(const ReadRequest&) const = default;
};
/// [MS-RDPEFS] 2.2.1.4.4 DR_WRITE_REQ: Length, Offset (u64), 20 bytes of padding, data.
struct WriteRequest {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> data;  // Length bytes
    bool operator==(const WriteRequest&) const = default;
};
/// [MS-RDPEFS] 2.2.1.4.5 DR_CONTROL_REQ: OutputBufferLength, InputBufferLength,
/// IoControlCode, 20 bytes of padding, InputBuffer.
struct ControlRequest {
    std::uint32_t output_buffer_length = 0;
    std::uint32_t io_control_code = 0;
    std::vector<std::uint8_t> input;  // InputBufferLength bytes (encode(SerialValue))
    bool operator==(const ControlRequest&) const = default;
};
using RequestBody =
    std::variant<CreateRequest, CloseRequest, ReadRequest, WriteRequest, ControlRequest>;

/// [MS-RDPEFS] 2.2.1.4 DR_DEVICE_IOREQUEST: header (24 bytes) + body. MajorFunction follows
/// from the body's type.
struct IoRequest {
    std::uint32_t device_id = 0;       // DeviceId: from the client's announce
    std::uint32_t file_id = 0;         // FileId: from the CREATE completion (0 for CREATE)
    std::uint32_t completion_id = 0;   // CompletionId: unique among IRPs in flight
    std::uint32_t minor_function = 0;  // MinorFunction: 0 for these major functions
    RequestBody body;
    bool operator==(const IoRequest&) const = default;
};
std::uint32_t major_function(const RequestBody& body);

/// [MS-RDPEFS] 2.2.1.5 DR_DEVICE_IOCOMPLETION: the 16-byte header, body undecoded.
struct IoCompletion {
    std::uint32_t device_id = 0;      // DeviceId
    std::uint32_t completion_id = 0;  // CompletionId: the request's
    std::uint32_t io_status = 0;      // IoStatus (NTSTATUS)
    std::vector<std::uint8_t> body;   // everything after the header, as received
    bool operator==(const IoCompletion&) const = default;
};

/// [MS-RDPEFS] 2.2.1.5.1 DR_CREATE_RSP: FileId, Information (optional: may be left out when
/// IoStatus is success; the codec accepts its absence whatever the status).
struct CreateCompletion {
    std::uint32_t file_id = 0;
    std::optional<std::uint8_t> information;
    bool operator==(const CreateCompletion&) const = default;
};
/// [MS-RDPEFS] 2.2.1.5.2 DR_CLOSE_RSP: 4 bytes of padding (FreeRDP sends 5: the fifth is
/// reported as trailing). Kept so re-encoding gives the same bytes.
struct CloseCompletion {
    std::array<std::uint8_t, kCloseCompletionPaddingSize> padding{};
    bool operator==(const CloseCompletion&) const = default;
};
/// [MS-RDPEFS] 2.2.1.5.3 DR_READ_RSP: Length, ReadData.
struct ReadCompletion {
    std::vector<std::uint8_t> data;
    bool operator==(const ReadCompletion&) const = default;
};
/// [MS-RDPEFS] 2.2.1.5.4 DR_WRITE_RSP: Length; its optional padding byte is trailing.
struct WriteCompletion {
    std::uint32_t length = 0;
    bool operator==(const WriteCompletion&) const = default;
};
/// [MS-RDPEFS] 2.2.1.5.5 DR_CONTROL_RSP: OutputBufferLength, OutputBuffer (may be shorter
/// than asked; the FreeRDP client in permissive mode answers success with 0 bytes).
struct ControlCompletion {
    std::vector<std::uint8_t> output;
    /// The output decoded for the request's IoControlCode when IoStatus is success and the
    /// output is not empty; monostate otherwise. encode() writes `output`, not this.
    SerialValue value;
    bool operator==(const ControlCompletion&) const = default;
};
using CompletionBody = std::variant<CreateCompletion, CloseCompletion, ReadCompletion,
                                    WriteCompletion, ControlCompletion>;

/// Reads `completion.body` for the request it answers. Offsets in the result count from the
/// start of the message (header included). Errors are all Severity::drop_pdu; `trailing`
/// counts the bytes after the body (accepted and ignored). A major function other than the
/// five above is `unknown_major`.
struct CompletionDecoded {
    Status status = Status::ok;
    Severity severity = Severity::none;
    std::uint64_t offset = 0;
    std::string message;
    std::size_t trailing = 0;
    CompletionBody body;
    bool ok() const { return status == Status::ok; }
};
CompletionDecoded decode_completion_body(const IoCompletion& completion,
                                         std::uint32_t major_function,
                                         std::uint32_t io_control_code = 0);

/// Throws std::length_error for buffers of 4 GiB or more (misuse).
std::vector<std::uint8_t> encode(const IoRequest& pdu);
std::vector<std::uint8_t> encode(const IoCompletion& pdu);
/// The body bytes of a completion (what IoCompletion::body holds).
std::vector<std::uint8_t> encode_body(const CompletionBody& body);
IoCompletion make_completion(std::uint32_t device_id, std::uint32_t completion_id,
                             std::uint32_t io_status, const CompletionBody& body);

}  // namespace comredir::redirector::codec
