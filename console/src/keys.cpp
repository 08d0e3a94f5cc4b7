#include <comredir/console/keys.hpp>

namespace comredir::console {

namespace {

// xterm's function keys: F1-F4 as SS3 P..S, F5-F12 as CSI n ~.
constexpr std::pair<std::string_view, int> kXterm[] = {
    {"\x1bOP", 1},   {"\x1bOQ", 2},    {"\x1bOR", 3},    {"\x1bOS", 4},
    {"\x1b[15~", 5}, {"\x1b[17~", 6},  {"\x1b[18~", 7},  {"\x1b[19~", 8},
    {"\x1b[20~", 9}, {"\x1b[21~", 10}, {"\x1b[23~", 11}, {"\x1b[24~", 12},
    {"\x1b[11~", 1}, {"\x1b[12~", 2},  {"\x1b[13~", 3},  {"\x1b[14~", 4},  // rxvt/VT220
};

}  // namespace

std::string ems_function_key(int n) {
    static constexpr std::string_view kLast = "1234567890!@";
    if (n < 1 || n > 12) return {};
    return std::string("\x1b") + kLast[static_cast<std::size_t>(n - 1)];
}

std::string ems_translate(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        bool matched = false;
        if (bytes[i] == '\x1b') {
            for (const auto& [seq, n] : kXterm) {
                if (bytes.substr(i, seq.size()) == seq) {
                    out += ems_function_key(n);
                    i += seq.size();
                    matched = true;
                    break;
                }
            }
        }
        if (!matched) out += bytes[i++];
    }
    return out;
}

}  // namespace comredir::console
