// libFuzzer: the console's control messages and the room they drive. The input is a script
// of operations on a room with three clients (a reader, two contributors): control frames
// (parsed by parse_control), input, target output, attach/detach and the passing of time.
// Invariants: never a crash, at most one writer, a reader never holds the seat, and no
// byte from a client without the seat ever reaches the target.
#include <comredir/console/protocol.hpp>
#include <comredir/console/room.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace comredir::console;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    RoomSettings s;
    s.target = "fuzz";
    s.type = "serial";
    s.baud = 0;  // unpaced: whatever is queued can be taken at once
    s.paste_limit = 64;
    s.idle_timeout = std::chrono::seconds(5);
    s.client_queue = 4096;
    s.logout_sequence = "exit\r";
    Room room(s);
    Now now{std::chrono::steady_clock::time_point{}, Clock::time_point{}};
    const Role roles[] = {Role::reader, Role::contributor, Role::contributor};
    std::size_t i = 0;
    while (i + 2 <= size) {
        const std::uint8_t op = data[i] % 8;
        const ClientId who = 1 + data[i + 1] % 3;
        i += 2;
        const std::size_t len = i < size ? std::min<std::size_t>(data[i], size - i - 1) : 0;
        const std::uint8_t* body = data + std::min(size, i + 1);
        const std::string_view text(reinterpret_cast<const char*>(body), len);
        switch (op) {
            case 0: {
                const auto r = parse_control(text);
                if (r.ok())
                    room.control(who, r.message_value, now);
                else
                    room.bad_control(who, r.message, now);
                break;
            }
            case 1: {
                (void)room.take_target_input(now);
                const auto holder = room.writer_user();
                const bool writer = holder && *holder == "u" + std::to_string(who);
                room.input(who, {body, len}, now);
                // Input never changes the seat, so nothing but the writer's bytes may leave.
                if (!writer && !room.take_target_input(now).empty()) std::abort();
                break;
            }
            case 2:
                room.output({body, len}, now);
                break;
            case 3:
                room.attach({who, "u" + std::to_string(who), "addr", roles[who - 1], (len & 1) != 0,
                             (len & 2) != 0},
                            now);
                break;
            case 4:
                room.detach(who, "left", now);
                break;
            case 5:
                now.mono += std::chrono::milliseconds(len * 40);
                now.wall += std::chrono::milliseconds(len * 40);
                room.tick(now);
                break;
            case 6:
                (void)room.take_output(who, len * 16);
                break;
            default:
                (void)room.take_texts(who);
                (void)room.take_disconnects();
                (void)room.take_audit();
                (void)room.take_commands();
                break;
        }
        i += 1 + len;
        std::size_t writers = 0;
        for (const auto& m : room.status(now)) {
            if (m.seat == Seat::writer) {
                ++writers;
                if (m.role == Role::reader) std::abort();
            }
        }
        if (writers > 1) std::abort();
        (void)room.take_target_input(now);
    }
    return 0;
}
