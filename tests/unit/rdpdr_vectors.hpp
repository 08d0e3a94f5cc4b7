#pragma once
// Golden rdpdr messages, written out by hand from the layouts of [MS-RDPEFS] 2.2 (and one
// annotated example of [MS-RDPESP] 4.1), with the exact outcome of every truncation.
//
// A Cut {k, status, offset} says: a message cut to k bytes (and to every length up to the
// next cut) decodes to `status` at `offset`. The full length always decodes.

#include <comredir/redirector/codec/pdu.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rdpdr_test {

using comredir::redirector::codec::Severity;
using comredir::redirector::codec::Status;

inline std::vector<std::uint8_t> unhex(std::string_view text) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : text) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (v < 0) continue;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("odd hex digit count");
    return out;
}

struct Cut {
    std::size_t from;
    Status status;
    std::uint64_t offset;
};

struct Golden {
    std::string name;
    std::string hex;
    bool from_client;            // decode_client_pdu (else decode_server_pdu)
    Severity body_severity;      // severity of errors past the header
    std::vector<Cut> cuts;       // for cuts of 4 bytes or more (the header's cuts are common)
    std::uint32_t major = 0;     // completions: the request's major function ...
    std::uint32_t ioctl = 0;     // ... and IOCTL code, for decode_completion_body
    std::vector<Cut> body_cuts;  // completions: outcomes of decode_completion_body
};

inline const std::vector<Cut> kIrpHeaderCuts = {{4, Status::truncated, 4},
                                                {8, Status::truncated, 8},
                                                {12, Status::truncated, 12},
                                                {16, Status::truncated, 16},
                                                {20, Status::truncated, 20}};

inline std::vector<Cut> irp_cuts(std::vector<Cut> body) {
    auto cuts = kIrpHeaderCuts;
    cuts.insert(cuts.end(), body.begin(), body.end());
    return cuts;
}

inline const std::vector<Cut> kCompletionHeaderCuts = {{4, Status::truncated, 4},
                                                       {8, Status::truncated, 8},
                                                       {12, Status::truncated, 12},
                                                       {16, Status::ok, 0}};

/// A message without a completion body to read.
inline Golden pdu(std::string name, std::string hex, bool from_client, Severity severity,
                  std::vector<Cut> cuts) {
    return Golden{
        std::move(name), std::move(hex), from_client, severity, std::move(cuts), 0, 0, {}};
}
/// A completion (client to server) whose body is read for `major` and `ioctl`.
inline Golden completion(std::string name, std::string hex, std::uint32_t major,
                         std::uint32_t ioctl, std::vector<Cut> body_cuts) {
    return Golden{std::move(name),       std::move(hex), true,  Severity::drop_pdu,
                  kCompletionHeaderCuts, major,          ioctl, std::move(body_cuts)};
}

inline const std::vector<Golden>& goldens() {
    using S = Status;
    static const std::vector<Golden> all = {
        // ---- client to server
        pdu("client announce reply", "72 44 43 43  01 00  0c 00  2a 00 00 00", true,
            Severity::close_session,
            {{4, S::truncated, 4}, {6, S::truncated, 6}, {8, S::truncated, 8}}),
        pdu("client name unicode",
            "72 44 4e 43  01 00 00 00  00 00 00 00  08 00 00 00  50 00 43 00 31 00 00 00", true,
            Severity::drop_pdu,
            {{4, S::truncated, 4},
             {8, S::truncated, 8},
             {12, S::truncated, 12},
             {16, S::length_exceeds_data, 12}}),
        pdu("client name ansi", "72 44 4e 43  00 00 00 00  00 00 00 00  04 00 00 00  50 43 31 00",
            true, Severity::drop_pdu,
            {{4, S::truncated, 4},
             {8, S::truncated, 8},
             {12, S::truncated, 12},
             {16, S::length_exceeds_data, 12}}),
        pdu("client capability response",
            "72 44 50 43  05 00  00 00"
            "  01 00 2c 00 02 00 00 00  02 00 00 00  00 00 00 00  01 00 0d 00  ff ff 00 00"
            "  00 00 00 00  07 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
            "  02 00 08 00 01 00 00 00  03 00 08 00 01 00 00 00  04 00 08 00 02 00 00 00"
            "  05 00 08 00 01 00 00 00",
            true, Severity::close_session,
            {{4, S::truncated, 4},
             {6, S::truncated, 6},
             {8, S::count_exceeds_data, 4},
             {48, S::length_exceeds_data, 10},
             {52, S::truncated, 52},
             {54, S::truncated, 54},
             {56, S::truncated, 56},
             {60, S::truncated, 60},
             {62, S::truncated, 62},
             {64, S::truncated, 64},
             {68, S::truncated, 68},
             {70, S::truncated, 70},
             {72, S::truncated, 72},
             {76, S::truncated, 76},
             {78, S::truncated, 78},
             {80, S::truncated, 80}}),
        // [MS-RDPESP] 4.1: COM2 announced as device 1.
        pdu("device list announce (spec example)",
            "72 44 41 44  01 00 00 00"
            "  01 00 00 00  01 00 00 00  43 4f 4d 32 00 00 00 00  00 00 00 00",
            true, Severity::drop_pdu, {{4, S::truncated, 4}, {8, S::count_exceeds_data, 4}}),
        pdu("device list announce two",
            "72 44 41 44  02 00 00 00"
            "  01 00 00 00  01 00 00 00  43 4f 4d 31 00 00 00 00  00 00 00 00"
            "  08 00 00 00  02 00 00 00  48 4f 4d 45 00 00 00 00  04 00 00 00  61 62 00 00",
            true, Severity::drop_pdu,
            {{4, S::truncated, 4},
             {8, S::count_exceeds_data, 4},
             {48, S::length_exceeds_data, 44}}),
        pdu("device list remove", "72 44 4d 44  02 00 00 00  01 00 00 00  02 00 00 00", true,
            Severity::drop_pdu, {{4, S::truncated, 4}, {8, S::count_exceeds_data, 4}}),
        completion("create completion",
                   "72 44 43 49  01 00 00 00  05 00 00 00  00 00 00 00  07 00 00 00  00", 0x0, 0,
                   {{16, S::truncated, 16}, {20, S::ok, 0}}),
        completion("close completion (freerdp: 5 padding bytes)",
                   "72 44 43 49  01 00 00 00  06 00 00 00  00 00 00 00  00 00 00 00 00", 0x2, 0,
                   {{16, S::truncated, 16}, {20, S::ok, 0}}),
        completion("read completion",
                   "72 44 43 49  01 00 00 00  07 00 00 00  00 00 00 00  03 00 00 00  61 62 63", 0x3,
                   0, {{16, S::truncated, 16}, {20, S::length_exceeds_data, 16}}),
        completion("write completion (freerdp: 1 padding byte)",
                   "72 44 43 49  01 00 00 00  08 00 00 00  00 00 00 00  03 00 00 00  00", 0x4, 0,
                   {{16, S::truncated, 16}, {20, S::ok, 0}}),
        completion("control completion get baud rate",
                   "72 44 43 49  01 00 00 00  09 00 00 00  00 00 00 00  04 00 00 00  00 c2 01 00",
                   0xE, 0x001B0050, {{16, S::truncated, 16}, {20, S::length_exceeds_data, 16}}),
        // ---- server to client
        pdu("server announce", "72 44 6e 49  01 00  0c 00  2a 00 00 00", false,
            Severity::close_session,
            {{4, S::truncated, 4}, {6, S::truncated, 6}, {8, S::truncated, 8}}),
        pdu("server capability request (default)",
            "72 44 50 53  02 00  00 00"
            "  01 00 2c 00 02 00 00 00  00 00 00 00  00 00 00 00  01 00 0c 00  ff ff 00 00"
            "  00 00 00 00  07 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
            "  03 00 08 00 01 00 00 00",
            false, Severity::close_session,
            {{4, S::truncated, 4},
             {6, S::truncated, 6},
             {8, S::count_exceeds_data, 4},
             {24, S::length_exceeds_data, 10},
             {52, S::truncated, 52},
             {54, S::truncated, 54},
             {56, S::truncated, 56}}),
        pdu("server client id confirm", "72 44 43 43  01 00  0c 00  2a 00 00 00", false,
            Severity::close_session,
            {{4, S::truncated, 4}, {6, S::truncated, 6}, {8, S::truncated, 8}}),
        pdu("user logged on", "72 44 4c 55", false, Severity::drop_pdu, {}),
        pdu("device announce response (access denied)", "72 44 72 64  01 00 00 00  22 00 00 c0",
            false, Severity::drop_pdu, {{4, S::truncated, 4}, {8, S::truncated, 8}}),
        pdu("create request (port)",
            "72 44 52 49  01 00 00 00  00 00 00 00  01 00 00 00  00 00 00 00  00 00 00 00"
            "  00 00 00 c0  00 00 00 00 00 00 00 00  00 00 00 00  00 00 00 00  01 00 00 00"
            "  00 00 00 00  00 00 00 00",
            false, Severity::drop_pdu,
            irp_cuts({{24, S::truncated, 24},
                      {28, S::truncated, 28},
                      {36, S::truncated, 36},
                      {40, S::truncated, 40},
                      {44, S::truncated, 44},
                      {48, S::truncated, 48},
                      {52, S::truncated, 52}})),
        pdu("close request",
            "72 44 52 49  01 00 00 00  07 00 00 00  02 00 00 00  02 00 00 00  00 00 00 00"
            "  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
            "  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00",
            false, Severity::drop_pdu, irp_cuts({{24, S::truncated, 24}})),
        pdu("read request",
            "72 44 52 49  01 00 00 00  07 00 00 00  03 00 00 00  03 00 00 00  00 00 00 00"
            "  00 10 00 00  00 00 00 00 00 00 00 00"
            "  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
            false, Severity::drop_pdu,
            irp_cuts({{24, S::truncated, 24}, {28, S::truncated, 28}, {36, S::truncated, 36}})),
        pdu("write request",
            "72 44 52 49  01 00 00 00  07 00 00 00  04 00 00 00  04 00 00 00  00 00 00 00"
            "  03 00 00 00  00 00 00 00 00 00 00 00"
            "  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  61 62 63",
            false, Severity::drop_pdu,
            irp_cuts({{24, S::truncated, 24},
                      {28, S::truncated, 28},
                      {36, S::truncated, 36},
                      {56, S::length_exceeds_data, 24}})),
        pdu("device control request set baud rate",
            "72 44 52 49  01 00 00 00  07 00 00 00  05 00 00 00  0e 00 00 00  00 00 00 00"
            "  00 00 00 00  04 00 00 00  04 00 1b 00"
            "  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  00 c2 01 00",
            false, Severity::drop_pdu,
            irp_cuts({{24, S::truncated, 24},
                      {28, S::truncated, 28},
                      {32, S::truncated, 32},
                      {36, S::truncated, 36},
                      {56, S::length_exceeds_data, 28}})),
    };
    return all;
}

/// The expected outcome for a cut to `k` bytes (header cuts included).
inline Cut expected_cut(const std::vector<Cut>& cuts, std::size_t k) {
    Cut e{0, Status::truncated, 0};
    if (k >= 2) e = {2, Status::truncated, 2};
    for (const auto& c : cuts) {
        if (c.from <= k) e = c;
    }
    return e;
}

}  // namespace rdpdr_test
