// JSON text columns (tags, reasons, the screening model): read and written the
// same way by every repository. Inside src/storage only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "storage/sql/connection.hpp"

namespace caredesk::storage::sql {

// Throws DbError(kOther) naming `column` when the text is not JSON.
inline nlohmann::json ParseJson(const std::string& text, std::string_view column) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    throw DbError(DbErrorKind::kOther, "column " + std::string(column) + " holds malformed JSON");
  }
  return j;
}

// Compact JSON; invalid UTF-8 is replaced rather than thrown on.
inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// "($1,$2,$3),($4,$5,$6)" for a multi-row INSERT of `rows` rows of `columns` values.
inline std::string ValuesPlaceholders(std::size_t rows, std::size_t columns) {
  std::string out;
  out.reserve(rows * columns * 5);
  for (std::size_t r = 0; r < rows; ++r) {
    out += r == 0 ? "(" : ",(";
    for (std::size_t c = 1; c <= columns; ++c) {
      out += "$";
      out += std::to_string(r * columns + c);
      out += c < columns ? "," : ")";
    }
  }
  return out;
}

}  // namespace caredesk::storage::sql
