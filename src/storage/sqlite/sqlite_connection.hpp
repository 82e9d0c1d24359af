// SQLite adapter of the SQL port: WAL, synchronous=FULL, foreign keys on,
// a busy timeout, and a per-connection prepared-statement cache.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "storage/sql/connection.hpp"

namespace caredesk::storage::sqlite {

struct SqliteOptions {
  std::string path;  // a file; its directory is created if missing
  std::chrono::milliseconds busy_timeout{5000};
};

// Opens a connection; throws sql::DbError(kUnavailable) when the file cannot be opened.
std::unique_ptr<sql::Connection> OpenSqliteConnection(const SqliteOptions& options);

}  // namespace caredesk::storage::sqlite
