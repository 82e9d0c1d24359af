// The low-level SQL port that the SQLite and PostgreSQL adapters implement.
// Repositories are written once against it in SQL that both backends accept
// (parameters are $1..$n on both). Nothing outside src/storage sees this file.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace caredesk::storage::sql {

enum class Dialect { kSqlite, kPostgres };

struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob&) const = default;
};

using Null = std::monostate;
using Value = std::variant<Null, std::int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

// The result of one statement. Rows hold values converted to the five kinds
// above (PostgreSQL integer types become int64, bytea becomes Blob).
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  std::int64_t Int(std::size_t row, std::size_t col) const;
  double Real(std::size_t row, std::size_t col) const;
  std::string Text(std::size_t row, std::size_t col) const;
  bool IsNull(std::size_t row, std::size_t col) const;
};

// What went wrong, as far as callers need to know. Thrown only inside
// src/storage; Database::Transact turns it into a core::Error.
enum class DbErrorKind {
  kUniqueViolation,  // -> kConflict
  kRetryable,        // busy / serialization failure / deadlock: run the transaction again
  kUnavailable,      // connection lost or refused: the pool drops the connection
  kFull,             // the disk (or PostgreSQL's) is full: nothing was written
  kConstraint,       // other constraint (FK, CHECK, NOT NULL): a bug or bad reference
  kOther,
};

class DbError : public std::runtime_error {
 public:
  DbError(DbErrorKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  DbErrorKind kind() const { return kind_; }

 private:
  DbErrorKind kind_;
};

enum class TxMode { kRead, kWrite };

// One database session. Not thread-safe: the pool hands it to one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  virtual void Begin(TxMode mode) = 0;
  virtual void Commit() = 0;
  virtual void Rollback() noexcept = 0;

  // Runs one statement with $1..$n parameters. Throws DbError.
  virtual Rows Execute(std::string_view sql, const Params& params) = 0;
  // Runs several statements without parameters (migrations). Throws DbError.
  virtual void ExecuteScript(std::string_view sql) = 0;
  // False once the connection is known to be broken; the pool then discards it.
  virtual bool IsUsable() const = 0;
};

}  // namespace caredesk::storage::sql
