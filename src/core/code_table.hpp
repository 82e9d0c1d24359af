// The code <-> enum tables every stable API identifier needs, once: a table is
// an array of {value, code, label_ko} rows, and these look a row up either way.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace caredesk::core {

template <typename T>
struct CodeRow {
  T value;
  std::string_view code;
  std::string_view label_ko;
};

template <typename T, typename Table>
const CodeRow<T>& RowOf(const Table& table, T value) {
  for (const auto& row : table) {
    if (row.value == value) {
      return row;
    }
  }
  return table[0];
}

template <typename T, typename Table>
std::optional<T> ParseIn(const Table& table, std::string_view code) {
  for (const auto& row : table) {
    if (row.code == code) {
      return row.value;
    }
  }
  return std::nullopt;
}

template <typename T, typename Table>
std::vector<T> ValuesOf(const Table& table) {
  std::vector<T> out;
  for (const auto& row : table) {
    out.push_back(row.value);
  }
  return out;
}

}  // namespace caredesk::core
