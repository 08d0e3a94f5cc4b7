#pragma once
// Keys for Windows' Special Administration Console (SAC) on `windowsSac` targets. EMS
// consoles have no function keys of their own: clients send the VT100+ sequences Windows
// documents for headless (EMS) administration — F1 = Esc 1 ... F9 = Esc 9, F10 = Esc 0,
// F11 = Esc !, F12 = Esc @ — and Esc Tab switches SAC channels. I/O-free.

#include <string>
#include <string_view>

namespace comredir::console {

/// Esc Tab: the SAC channel switch.
inline constexpr std::string_view kSacChannelSwitch = "\x1b\t";

/// The EMS sequence of F`n` (1-12), empty for other numbers.
std::string ems_function_key(int n);

/// `bytes` typed on a local xterm-like terminal with its function-key sequences (`Esc O P`
/// ... `Esc [ 24 ~`) replaced by their EMS sequences; everything else unchanged. A sequence
/// split across two calls is not recognised (terminals send each key in one write).
std::string ems_translate(std::string_view bytes);

}  // namespace comredir::console
