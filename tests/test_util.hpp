#pragma once
// Helpers shared by the unit tests: paths to data and whole-file reads.

#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace comredir::test {

inline std::string shared_data(const std::string& rel) {
    return std::string(COMREDIR_SHARED_DATA) + "/" + rel;
}
inline std::string test_data(const std::string& rel) {
    return std::string(COMREDIR_TEST_DATA) + "/" + rel;
}
inline std::string source_dir(const std::string& rel) {
    return std::string(COMREDIR_SOURCE_DIR) + "/" + rel;
}

inline std::vector<std::uint8_t> slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("test data missing: " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace comredir::test
