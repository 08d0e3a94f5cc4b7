#pragma once
// `comredir-policy intune get|set|unset` (cmd_intune_edit.cpp) and `intune export`
// (cmd_intune_export.cpp): what the two files share.

#include <cstdint>
#include <string>
#include <vector>

#include "command.hpp"

namespace comredir::cli {

/// `intune export`, attached to the intune group (by add_intune_edit).
std::vector<Command> add_intune_export(CLI::App& intune);

/// A file's lines for a --dry-run diff: CRLF and LF alike, no line ends.
std::vector<std::string> text_lines(const std::vector<std::uint8_t>& bytes);

}  // namespace comredir::cli
