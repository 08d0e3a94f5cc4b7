#pragma once
// The verbs of `comredir-policy admx`, each in its own file, attached by add_admx().

#include "command.hpp"

namespace comredir::cli {

Command add_admx_install(CLI::App& admx);
Command add_admx_list(CLI::App& admx);
Command add_admx_show(CLI::App& admx);
Command add_admx_validate(CLI::App& admx);

}  // namespace comredir::cli
