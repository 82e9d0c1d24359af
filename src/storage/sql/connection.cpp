#include "storage/sql/connection.hpp"

namespace caredesk::storage::sql {

double Rows::Real(std::size_t row, std::size_t col) const {
  const Value& v = rows.at(row).at(col);
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    return static_cast<double>(*i);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    return std::stod(*s);
  }
  throw DbError(DbErrorKind::kOther, "column " + columns.at(col) + " is not a number");
}

std::int64_t Rows::Int(std::size_t row, std::size_t col) const {
  const Value& v = rows.at(row).at(col);
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return static_cast<std::int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    return std::stoll(*s);
  }
  throw DbError(DbErrorKind::kOther, "column " + columns.at(col) + " is not an integer");
}

std::string Rows::Text(std::size_t row, std::size_t col) const {
  const Value& v = rows.at(row).at(col);
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    return std::to_string(*i);
  }
  if (std::holds_alternative<Null>(v)) {
    return {};
  }
  throw DbError(DbErrorKind::kOther, "column " + columns.at(col) + " is not text");
}

bool Rows::IsNull(std::size_t row, std::size_t col) const {
  return std::holds_alternative<Null>(rows.at(row).at(col));
}

}  // namespace caredesk::storage::sql
