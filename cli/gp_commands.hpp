#pragma once
// The verbs of `comredir-policy gp`, each in its own file, attached by add_gp().

#include "command.hpp"

namespace comredir::cli {

Command add_gp_dump(CLI::App& gp);
Command add_gp_list(CLI::App& gp);
Command add_gp_set(CLI::App& gp);

}  // namespace comredir::cli
