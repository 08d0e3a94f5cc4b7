// Every golden rdpdr message cut to every length: the exact status, offset and severity, no
// crash, nothing read past the cut (each cut is its own heap buffer of exactly that size, so
// AddressSanitizer sees any over-read), and the same outcome when the bytes after the cut are
// there but outside the span (decoding must not depend on slack).
#include <doctest/doctest.h>

#include <comredir/redirector/codec/pdu.hpp>

#include "rdpdr_vectors.hpp"

using namespace comredir::redirector::codec;
using rdpdr_test::expected_cut;
using rdpdr_test::goldens;
using rdpdr_test::unhex;

namespace {

struct Outcome {
    Status status;
    Severity severity;
    std::uint64_t offset;
    std::string message;
    bool operator==(const Outcome&) const = default;
};

template <class Result>
Outcome outcome(const Result& r) {
    return {r.status, r.severity, r.offset, r.message};
}

Outcome decode(bool from_client, std::span<const std::uint8_t> bytes) {
    if (from_client) return outcome(decode_client_pdu(bytes));
    return outcome(decode_server_pdu(bytes));
}

}  // namespace

TEST_CASE("every truncation of every golden message gives its exact status and offset") {
    for (const auto& g : goldens()) {
        const auto full = unhex(g.hex);
        for (std::size_t k = 0; k < full.size(); ++k) {
            CAPTURE(g.name);
            CAPTURE(k);
            const std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<long>(k));
            const auto got = decode(g.from_client, cut);
            const auto want = expected_cut(g.cuts, k);
            CHECK(got.status == want.status);
            CHECK(got.offset == want.offset);
            if (want.status == Status::ok) {
                CHECK(got.severity == Severity::none);
                CHECK(got.message.empty());
            } else {
                CHECK(got.severity == (k < 4 ? Severity::close_session : g.body_severity));
                CHECK_FALSE(got.message.empty());
                CHECK(got.message.find('\n') == std::string::npos);
            }
            // The same bytes followed by slack outside the span decode the same way.
            std::vector<std::uint8_t> padded = cut;
            padded.insert(padded.end(), 64, 0xFF);
            CHECK(decode(g.from_client, std::span(padded).first(k)) == got);
        }
        CAPTURE(g.name);
        CHECK(decode(g.from_client, full).status == Status::ok);
    }
}

TEST_CASE("every truncation of a completion body gives its exact status and offset") {
    for (const auto& g : goldens()) {
        if (g.body_cuts.empty()) continue;
        const auto full = unhex(g.hex);
        for (std::size_t k = kIoCompletionHeaderSize; k <= full.size(); ++k) {
            CAPTURE(g.name);
            CAPTURE(k);
            const std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<long>(k));
            const auto header = decode_client_pdu(cut);
            REQUIRE(header.ok());
            const auto& completion = std::get<IoCompletion>(header.pdu);
            const auto body = decode_completion_body(completion, g.major, g.ioctl);
            const auto want =
                k == full.size() ? rdpdr_test::Cut{k, Status::ok, 0} : expected_cut(g.body_cuts, k);
            CHECK(body.status == want.status);
            CHECK(body.offset == want.offset);
            CHECK(body.severity ==
                  (want.status == Status::ok ? Severity::none : Severity::drop_pdu));
            CHECK(body.message.empty() == (want.status == Status::ok));
        }
    }
}

TEST_CASE("error messages name the pdu, the offset and the field") {
    const auto name = unhex("72 44 4e 43  01 00 00 00  00 00 00 00  08 00 00 00  50 00");
    CHECK(decode_client_pdu(name).message ==
          "client name: offset 0xc: `ComputerNameLen` 8 exceeds the 2 bytes left");
    CHECK(decode_client_pdu(unhex("72 44 4e")).message ==
          "rdpdr header: offset 0x2: `PacketId` needs 2 bytes, 1 left");
    const auto caps = unhex("72 44 50 43  01 00 00 00  01 00 2c 00 02 00 00 00");
    CHECK(decode_client_pdu(caps).message ==
          "client capability response: offset 0xa: `CapabilityLength` 44 exceeds the header and "
          "the 0 bytes left");
    const auto read = unhex("72 44 43 49  01 00 00 00  07 00 00 00  00 00 00 00  03 00 00 00  61");
    const auto c = decode_client_pdu(read);
    REQUIRE(c.ok());
    CHECK(decode_completion_body(std::get<IoCompletion>(c.pdu), irp_mj::read).message ==
          "device io completion: offset 0x10: `Length` 3 exceeds the 1 bytes left");
}
