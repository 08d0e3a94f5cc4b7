#pragma once
// A plain-text table: columns padded to their widest cell, the last column left free.

#include <ostream>
#include <string>
#include <vector>

namespace comredir::cli {

class Table {
  public:
    explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out, const std::string& indent = "") const;

  private:
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace comredir::cli
