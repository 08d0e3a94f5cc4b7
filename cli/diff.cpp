#include "diff.hpp"

#include <dtl/dtl.hpp>
#include <sstream>

namespace comredir::cli {

std::string unified_diff(const std::vector<std::string>& before,
                         const std::vector<std::string>& after, const std::string& from,
                         const std::string& to) {
    if (before == after) return {};
    dtl::Diff<std::string> d(before, after);
    d.onHuge();
    d.compose();
    d.composeUnifiedHunks();
    std::ostringstream out;
    out << "--- " << from << "\n+++ " << to << '\n';
    d.printUnifiedFormat(out);
    return out.str();
}

}  // namespace comredir::cli
