#pragma once
// The console protocol's control messages (docs/console-protocol.md): JSON objects in
// WebSocket text frames, one message per frame, with a `type` member. Terminal bytes travel
// in binary frames and are not parsed here. I/O-free; parsing never throws.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace comredir::console {

/// The WebSocket subprotocol of version 1. A client offers it and, as a second protocol,
/// `csrf.<token>` (the CSRF token the login returned); the server selects this one.
inline constexpr std::string_view kSubprotocol = "comredir.console.v1";
inline constexpr std::string_view kCsrfPrefix = "csrf.";
/// Largest control message accepted (bytes of JSON).
inline constexpr std::size_t kMaxControlBytes = 4096;
/// Largest Break a client may ask for.
inline constexpr std::uint32_t kMaxBreakMs = 5000;
inline constexpr std::uint32_t kDefaultBreakMs = 250;

/// What a client may ask for.
enum class ControlType {
    takeover,  ///< take the writer seat, even from its holder
    request,   ///< take the writer seat if it is free
    release,   ///< give the writer seat up, stay as a spectator
    paste,     ///< the next binary frame is a paste of `length` bytes
    nmi,       ///< owner: inject a non-maskable interrupt (qemu targets)
    restart,   ///< owner: reset the machine (qemu targets)
    brk,       ///< writer: a serial Break of `ms` milliseconds (`"break"` on the wire)
    pause,     ///< stop sending output to me (the client's terminal is behind)
    resume,    ///< send output again
};
std::string_view to_string(ControlType t);

struct ControlMessage {
    ControlType type = ControlType::request;
    std::uint32_t length = 0;            ///< paste: bytes in the next binary frame
    std::uint32_t ms = kDefaultBreakMs;  ///< break
};

enum class ControlStatus { ok, too_large, bad_json, not_object, bad_type, bad_field };
std::string_view to_string(ControlStatus s);

struct ControlParse {
    ControlStatus status = ControlStatus::ok;
    std::size_t offset = 0;  ///< bad_json: byte offset of the error
    std::string message;     ///< one lowercase line, values in backticks
    ControlMessage message_value;
    bool ok() const { return status == ControlStatus::ok; }
};

/// Parses one text frame. Unknown members are ignored (later versions may add some).
ControlParse parse_control(std::string_view text);

}  // namespace comredir::console
