// The peer-bug classes of RDPDR.md against the codec: lengths beyond the buffer
// (CVE-2020-11089 class), huge lengths and counts (never allocated from: this binary counts
// the largest allocation made while decoding), odd and unterminated names (off-by-one string
// reads), lengths below a structure's fixed part. Duplicate CompletionIds, unknown DeviceIds
// and IRPs before the handshake are the session layer's (session/irp_table.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <comredir/redirector/codec/pdu.hpp>
#include <cstdlib>
#include <new>

#include "rdpdr_vectors.hpp"

using namespace comredir::redirector::codec;
using rdpdr_test::unhex;

namespace {
bool g_tracking = false;
std::size_t g_largest = 0;
}  // namespace

// Replaced for this test binary only: record the largest single allocation while tracking.
// GCC flags free() on memory from operator new although both sides here are malloc/free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
    if (g_tracking) g_largest = std::max(g_largest, size);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
    std::free(p);
}
#pragma GCC diagnostic pop

namespace {

struct Case {
    std::string name;
    std::vector<std::uint8_t> bytes;
    bool from_client;
    Status status;
    std::uint64_t offset;
    Severity severity;
};

// The bytes of `hex`, then `zeros` zero bytes, then the bytes of `tail`.
std::vector<std::uint8_t> cat(std::string_view hex, std::size_t zeros, std::string_view tail = "") {
    auto out = unhex(hex);
    out.insert(out.end(), zeros, 0);
    const auto end = unhex(tail);
    out.insert(out.end(), end.begin(), end.end());
    return out;
}

}  // namespace

TEST_CASE("huge, short and inconsistent lengths are rejected without allocating from them") {
    constexpr auto drop = Severity::drop_pdu;
    constexpr auto close = Severity::close_session;
    const std::string irp = "72 44 52 49  01 00 00 00  07 00 00 00  05 00 00 00";
    const std::vector<Case> cases = {
        {"name length 0xffffffff", unhex("72 44 4e 43 01 00 00 00 00 00 00 00 ff ff ff ff"), true,
         Status::too_large, 12, drop},
        {"name length above the cap, bytes present",
         cat("72 44 4e 43 01 00 00 00 00 00 00 00 02 04 00 00", 1026), true, Status::too_large, 12,
         drop},
        {"name length at the cap, no bytes",
         unhex("72 44 4e 43 01 00 00 00 00 00 00 00 00 04 00 00"), true,
         Status::length_exceeds_data, 12, drop},
        {"odd unicode name length",
         unhex("72 44 4e 43 01 00 00 00 00 00 00 00 03 00 00 00 50 00 00"), true, Status::bad_name,
         12, drop},
        {"unicode name without its null",
         unhex("72 44 4e 43 01 00 00 00 00 00 00 00 04 00 00 00 50 00 43 00"), true,
         Status::bad_name, 16, drop},
        {"unicode name with half a null",
         unhex("72 44 4e 43 01 00 00 00 00 00 00 00 04 00 00 00 50 00 00 01"), true,
         Status::bad_name, 16, drop},
        {"empty ascii name", unhex("72 44 4e 43 00 00 00 00 00 00 00 00 00 00 00 00"), true,
         Status::bad_name, 16, drop},
        {"ascii name without its null",
         unhex("72 44 4e 43 00 00 00 00 00 00 00 00 02 00 00 00 50 43"), true, Status::bad_name, 16,
         drop},
        {"65535 capability sets in 8 bytes",
         unhex("72 44 50 43 ff ff 00 00 01 00 2c 00 02 00 00 00"), true, Status::count_exceeds_data,
         4, close},
        {"capability length 0xffff", unhex("72 44 50 43 01 00 00 00 03 00 ff ff 01 00 00 00"), true,
         Status::length_exceeds_data, 10, close},
        {"capability length below its header",
         unhex("72 44 50 43 01 00 00 00 03 00 04 00 01 00 00 00"), true, Status::bad_capability, 10,
         close},
        {"general capability set of 36 bytes",
         cat("72 44 50 43 01 00 00 00 01 00 24 00 02 00 00 00", 28), true, Status::bad_capability,
         10, close},
        {"device count 0xffffffff", unhex("72 44 41 44 ff ff ff ff"), true, Status::too_large, 4,
         drop},
        {"device count above the cap", cat("72 44 41 44 01 04 00 00", std::size_t{1025} * 20), true,
         Status::too_large, 4, drop},
        {"device count at the cap, no bytes", unhex("72 44 41 44 00 04 00 00"), true,
         Status::count_exceeds_data, 4, drop},
        {"device data length 0xffffffff",
         unhex(
             "72 44 41 44 01 00 00 00 01 00 00 00 01 00 00 00 43 4f 4d 31 00 00 00 00 ff ff ff ff"),
         true, Status::too_large, 24, drop},
        {"device data length beyond the bytes",
         unhex(
             "72 44 41 44 01 00 00 00 01 00 00 00 01 00 00 00 43 4f 4d 31 00 00 00 00 64 00 00 00"),
         true, Status::length_exceeds_data, 24, drop},
        {"remove count 0xffffffff", unhex("72 44 4d 44 ff ff ff ff 01 00 00 00"), true,
         Status::too_large, 4, drop},
        {"write length 0xffffffff", cat(irp + " 04 00 00 00 00 00 00 00 ff ff ff ff", 28), false,
         Status::too_large, 24, drop},
        {"control input length 0xffffffff",
         cat(irp + " 0e 00 00 00 00 00 00 00 00 00 00 00 ff ff ff ff", 24), false,
         Status::too_large, 28, drop},
        {"create path length 0xffffffff", cat(irp + " 00 00 00 00 00 00 00 00", 28, "ff ff ff ff"),
         false, Status::too_large, 52, drop},
        {"unknown major function", cat(irp + " 09 00 00 00 00 00 00 00", 32), false,
         Status::unknown_major, 16, drop},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const auto check = [&c](const auto& decode) {
            g_largest = 0;
            g_tracking = true;
            const auto r = decode(c.bytes);
            g_tracking = false;
            CHECK(g_largest > 0);  // the replacement is in use (error messages allocate)
            CHECK(g_largest < 4096);
            CHECK(r.status == c.status);
            CHECK(r.offset == c.offset);
            CHECK(r.severity == c.severity);
        };
        if (c.from_client) {
            check([](const auto& b) { return decode_client_pdu(b); });
        } else {
            check([](const auto& b) { return decode_server_pdu(b); });
        }
    }
}

TEST_CASE("huge lengths in completion bodies are rejected without allocating from them") {
    const std::string header = "72 44 43 49  01 00 00 00  07 00 00 00  00 00 00 00";
    for (const auto major : {irp_mj::read, irp_mj::device_control}) {
        CAPTURE(major);
        const auto r = decode_client_pdu(unhex(header + " ff ff ff ff 61 62"));
        REQUIRE(r.ok());
        g_largest = 0;
        g_tracking = true;
        const auto body =
            decode_completion_body(std::get<IoCompletion>(r.pdu), major, ioctl::get_baud_rate);
        g_tracking = false;
        CHECK(g_largest < 4096);
        CHECK(body.status == Status::too_large);
        CHECK(body.offset == 16);
        CHECK(body.severity == Severity::drop_pdu);
    }
}

TEST_CASE("peer variations the spec allows are accepted") {
    // UnicodeFlag: only bit 0 counts.
    const auto ansi =
        decode_client_pdu(unhex("72 44 4e 43 fe ff ff ff 00 00 00 00 03 00 00 00 50 43 00"));
    REQUIRE(ansi.ok());
    CHECK_FALSE(is_unicode(std::get<ClientName>(ansi.pdu)));
    CHECK(computer_name_utf8(std::get<ClientName>(ansi.pdu)) == "PC");
    // Unknown capability set types are kept by their length; a version-1 general set has no
    // SpecialTypeDeviceCap; both re-encode to the same bytes.
    const auto caps = unhex(
        "72 44 50 43 02 00 00 00  99 00 0c 00 01 00 00 00 01 02 03 04"
        "  01 00 28 00 01 00 00 00  00 00 00 00 00 00 00 00 01 00 05 00 ff ff 00 00"
        "  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    const auto r = decode_client_pdu(caps);
    REQUIRE_MESSAGE(r.ok(), r.message);
    const auto& rsp = std::get<ClientCapabilityResponse>(r.pdu);
    REQUIRE(rsp.capabilities.size() == 2);
    CHECK(std::get<OtherCapability>(rsp.capabilities[0]) == OtherCapability{0x99, 1, {1, 2, 3, 4}});
    const auto& general = std::get<GeneralCapability>(rsp.capabilities[1]);
    CHECK(general.version == 1);
    CHECK_FALSE(general.special_type_device_cap.has_value());
    CHECK(encode(rsp) == caps);
    // A create completion may leave Information out.
    const auto create =
        decode_client_pdu(unhex("72 44 43 49 01 00 00 00 05 00 00 00 01 00 00 c0 00 00 00 00"));
    REQUIRE(create.ok());
    const auto body = decode_completion_body(std::get<IoCompletion>(create.pdu), irp_mj::create);
    REQUIRE(body.ok());
    CHECK_FALSE(std::get<CreateCompletion>(body.body).information.has_value());
}
