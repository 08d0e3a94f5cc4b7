#include "diff.hpp"

#include <dtl/dtl.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
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

void print_preview(nlohmann::json report, const std::string& diff, const std::string& file,
                   bool json) {
    if (json) {
        report["diff"] = diff;
        std::cout << report.dump(2) << '\n';
    } else {
        std::cout << (diff.empty() ? "no change to " + file + "\n" : diff);
    }
}

}  // namespace comredir::cli
