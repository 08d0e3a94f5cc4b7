// Names of statuses and severities, and the hex offsets of messages.

#include <comredir/redirector/codec/status.hpp>

namespace comredir::redirector::codec {

std::string_view to_string(Status status) {
    switch (status) {
        case Status::ok:
            return "ok";
        case Status::truncated:
            return "truncated";
        case Status::too_large:
            return "too_large";
        case Status::length_exceeds_data:
            return "length_exceeds_data";
        case Status::count_exceeds_data:
            return "count_exceeds_data";
        case Status::unsupported_component:
            return "unsupported_component";
        case Status::unknown_packet:
            return "unknown_packet";
        case Status::unexpected_packet:
            return "unexpected_packet";
        case Status::bad_version:
            return "bad_version";
        case Status::bad_name:
            return "bad_name";
        case Status::bad_capability:
            return "bad_capability";
        case Status::unknown_major:
            return "unknown_major";
    }
    return "unknown";
}

std::string_view to_string(Severity severity) {
    switch (severity) {
        case Severity::none:
            return "none";
        case Severity::drop_pdu:
            return "drop_pdu";
        case Severity::close_session:
            return "close_session";
    }
    return "unknown";
}

std::string hex(std::uint64_t value) {
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[value & 0xFU]);
        value >>= 4U;
    } while (value != 0);
    return "0x" + out;
}

}  // namespace comredir::redirector::codec
