#include "storage/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <unordered_map>

namespace caredesk::storage::sqlite {
namespace {

using sql::DbError;
using sql::DbErrorKind;

DbErrorKind KindOf(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DbErrorKind::kRetryable;
    case SQLITE_CONSTRAINT:
      return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
                 ? DbErrorKind::kUniqueViolation
                 : DbErrorKind::kConstraint;
    case SQLITE_FULL:
      return DbErrorKind::kFull;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DbErrorKind::kUnavailable;
    default:
      return DbErrorKind::kOther;
  }
}

class SqliteConnection final : public sql::Connection {
 public:
  SqliteConnection(sqlite3* db, std::shared_ptr<GroupSync> group_sync)
      : db_(db), group_sync_(std::move(group_sync)) {}
  ~SqliteConnection() override {
    for (auto& [_, prepared] : statements_) {
      sqlite3_finalize(prepared.stmt);
    }
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }

  void Begin(sql::TxMode mode) override {
    // A write transaction takes the write lock up front: upgrading a read
    // transaction later can fail with SQLITE_BUSY that busy_timeout cannot wait out.
    ExecuteScript(mode == sql::TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    writing_ = mode == sql::TxMode::kWrite;
  }
  void Commit() override {
    ExecuteScript("COMMIT");
    if (writing_ && group_sync_) {
      // Committed but not yet durable: the caller must not acknowledge it before this returns.
      if (const int err = group_sync_->WaitDurable(); err != 0) {
        usable_ = false;
        throw DbError(err == ENOSPC ? DbErrorKind::kFull : DbErrorKind::kUnavailable,
                      std::string("sqlite: fdatasync of the WAL failed: ") + std::strerror(err));
      }
    }
  }
  void Rollback() noexcept override {
    if (sqlite3_get_autocommit(db_) == 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  sql::Rows Execute(std::string_view text, const sql::Params& params) override {
    const Prepared& prepared = Prepare(text);
    sqlite3_stmt* stmt = prepared.stmt;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    Bind(prepared, params);
    sql::Rows out;
    const int ncol = sqlite3_column_count(stmt);
    for (int i = 0; i < ncol; ++i) {
      out.columns.emplace_back(sqlite3_column_name(stmt, i));
    }
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        const std::string msg = sqlite3_errmsg(db_);
        const int ext = sqlite3_extended_errcode(db_);
        sqlite3_reset(stmt);
        Fail(ext, msg);
      }
      auto& row = out.rows.emplace_back();
      row.reserve(ncol);
      for (int i = 0; i < ncol; ++i) {
        row.push_back(Column(stmt, i));
      }
    }
    out.affected = sqlite3_changes(db_);
    sqlite3_reset(stmt);
    return out;
  }

  void ExecuteScript(std::string_view text) override {
    char* err = nullptr;
    const std::string script(text);
    const int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Fail(sqlite3_extended_errcode(db_), msg);
    }
  }

  bool IsUsable() const override { return usable_; }

 private:
  [[noreturn]] void Fail(int rc, const std::string& msg) {
    const auto kind = KindOf(rc);
    if (kind == DbErrorKind::kUnavailable) {
      usable_ = false;
    }
    throw DbError(kind, "sqlite: " + msg);
  }

  // A cached statement and where each $n sits among its parameters: looked up
  // once, because sqlite3_bind_parameter_index is a linear search (a multi-row
  // INSERT of 1,800 parameters would pay it 1,800 times per execution).
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> index;  // index[n - 1]: SQLite's index of $n, 0 when absent
  };

  const Prepared& Prepare(std::string_view text) {
    const std::string key(text);
    if (auto it = statements_.find(key); it != statements_.end()) {
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      Fail(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
    }
    Prepared p;
    p.stmt = stmt;
    const int count = sqlite3_bind_parameter_count(stmt);
    p.index.assign(static_cast<std::size_t>(count), 0);
    for (int idx = 1; idx <= count; ++idx) {
      const char* name = sqlite3_bind_parameter_name(stmt, idx);
      if (name == nullptr || name[0] != '$') {
        continue;
      }
      const long n = std::strtol(name + 1, nullptr, 10);
      if (n >= 1 && n <= count) {
        p.index[static_cast<std::size_t>(n - 1)] = idx;
      }
    }
    return statements_.emplace(key, std::move(p)).first->second;
  }

  void Bind(const Prepared& prepared, const sql::Params& params) {
    sqlite3_stmt* stmt = prepared.stmt;
    const int expected = sqlite3_bind_parameter_count(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = i < prepared.index.size() ? prepared.index[i] : 0;
      if (idx == 0) {
        throw DbError(DbErrorKind::kOther,
                      "sqlite: statement has no parameter $" + std::to_string(i + 1));
      }
      const auto& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<sql::Null>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else if (const auto* b = std::get_if<sql::Blob>(&v)) {
        rc = sqlite3_bind_blob64(stmt, idx, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) {
        Fail(rc, sqlite3_errmsg(db_));
      }
    }
    if (static_cast<std::size_t>(expected) != params.size()) {
      throw DbError(DbErrorKind::kOther, "sqlite: expected " + std::to_string(expected) +
                                             " parameters, got " + std::to_string(params.size()));
    }
  }

  static sql::Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
        return sql::Blob{std::vector<std::uint8_t>(p, p + n)};
      }
      default:
        return sql::Null{};
    }
  }

  sqlite3* db_;
  const std::shared_ptr<GroupSync> group_sync_;
  bool writing_ = false;
  bool usable_ = true;
  std::unordered_map<std::string, Prepared> statements_;
};

}  // namespace

std::unique_ptr<sql::Connection> OpenSqliteConnection(const SqliteOptions& options) {
  const std::filesystem::path path(options.path);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(options.path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    throw DbError(DbErrorKind::kUnavailable, "sqlite: cannot open " + options.path + ": " + msg);
  }
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  sqlite3_extended_result_codes(db, 1);
  auto conn = std::make_unique<SqliteConnection>(db, options.group_sync);
  // WAL lets readers run beside the one writer. An acknowledged write survives a power cut
  // either way: FULL syncs the WAL inside every COMMIT; with group commit COMMIT only writes
  // it (NORMAL) and Commit() waits for the shared sync. NORMAL still syncs around checkpoints.
  if (options.group_sync) {
    // Keep the WAL file when the last connection closes, so the group sync's descriptor keeps
    // naming the file that SQLite writes.
    int persist = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    conn->ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  } else {
    conn->ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  }
  return conn;
}

}  // namespace caredesk::storage::sqlite
