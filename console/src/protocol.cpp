#include <comredir/console/protocol.hpp>
#include <limits>
#include <nlohmann/json.hpp>

namespace comredir::console {

std::string_view to_string(ControlType t) {
    switch (t) {
        case ControlType::takeover:
            return "takeover";
        case ControlType::request:
            return "request";
        case ControlType::release:
            return "release";
        case ControlType::paste:
            return "paste";
        case ControlType::nmi:
            return "nmi";
        case ControlType::restart:
            return "restart";
        case ControlType::brk:
            return "break";
        case ControlType::pause:
            return "pause";
        case ControlType::resume:
            return "resume";
    }
    return "?";
}

std::string_view to_string(ControlStatus s) {
    switch (s) {
        case ControlStatus::ok:
            return "ok";
        case ControlStatus::too_large:
            return "too_large";
        case ControlStatus::bad_json:
            return "bad_json";
        case ControlStatus::not_object:
            return "not_object";
        case ControlStatus::bad_type:
            return "bad_type";
        case ControlStatus::bad_field:
            return "bad_field";
    }
    return "?";
}

namespace {

constexpr ControlType kTypes[] = {ControlType::takeover, ControlType::request, ControlType::release,
                                  ControlType::paste,    ControlType::nmi,     ControlType::restart,
                                  ControlType::brk,      ControlType::pause,   ControlType::resume};

ControlParse fail(ControlStatus s, std::string message, std::size_t offset = 0) {
    ControlParse r;
    r.status = s;
    r.offset = offset;
    r.message = std::move(message);
    return r;
}

/// A short, printable rendering of a peer's value for a message.
std::string shown(const nlohmann::json& v) {
    std::string s = v.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return s;
}

/// `name`: an unsigned integer in [lo, hi], or absent (`fallback`).
bool read_uint(const nlohmann::json& j, const char* name, std::uint32_t lo, std::uint32_t hi,
               std::uint32_t& out, ControlParse& err) {
    auto it = j.find(name);
    if (it == j.end()) return true;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() < lo ||
        it->get<std::uint64_t>() > hi) {
        err = fail(ControlStatus::bad_field, "control message: `" + std::string(name) + "` " +
                                                 shown(*it) + " is not a whole number from " +
                                                 std::to_string(lo) + " to " + std::to_string(hi));
        return false;
    }
    out = static_cast<std::uint32_t>(it->get<std::uint64_t>());
    return true;
}

}  // namespace

ControlParse parse_control(std::string_view text) {
    if (text.size() > kMaxControlBytes)
        return fail(ControlStatus::too_large, "control message of " + std::to_string(text.size()) +
                                                  " bytes: the limit is " +
                                                  std::to_string(kMaxControlBytes));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based and points one past the offending byte.
        const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
        return fail(ControlStatus::bad_json,
                    "control message: not JSON at byte " + std::to_string(at), at);
    } catch (const nlohmann::json::out_of_range&) {
        // A number too large for a double (`1E666`): valid JSON text nlohmann cannot hold.
        return fail(ControlStatus::bad_json, "control message: a number out of range");
    }
    if (!j.is_object()) return fail(ControlStatus::not_object, "control message: not an object");
    auto t = j.find("type");
    if (t == j.end() || !t->is_string())
        return fail(ControlStatus::bad_type, "control message: no `type` string");
    const auto& name = t->get_ref<const std::string&>();
    ControlParse r;
    bool known = false;
    for (ControlType k : kTypes) {
        if (to_string(k) == name) {
            r.message_value.type = k;
            known = true;
        }
    }
    if (!known) return fail(ControlStatus::bad_type, "control message: unknown type " + shown(*t));
    if (r.message_value.type == ControlType::paste) {
        if (j.find("length") == j.end())
            return fail(ControlStatus::bad_field, "control message: `paste` needs `length`");
        if (!read_uint(j, "length", 1, std::numeric_limits<std::uint32_t>::max(),
                       r.message_value.length, r))
            return r;
    }
    if (r.message_value.type == ControlType::brk &&
        !read_uint(j, "ms", 1, kMaxBreakMs, r.message_value.ms, r))
        return r;
    return r;
}

}  // namespace comredir::console
