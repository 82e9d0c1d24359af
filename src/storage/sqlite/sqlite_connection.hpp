// SQLite adapter of the SQL port: WAL, durable commits (group commit or synchronous=FULL),
// foreign keys on, a busy timeout, and a per-connection prepared-statement cache.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "storage/sql/connection.hpp"
#include "storage/sqlite/group_sync.hpp"

namespace caredesk::storage::sqlite {

struct SqliteOptions {
  std::string path;  // a file; its directory is created if missing
  std::chrono::milliseconds busy_timeout{5000};
  // Shared by every connection to `path`: write commits run with synchronous=NORMAL and wait
  // for a group fdatasync of the WAL before they return. Null: synchronous=FULL, one sync per
  // commit inside the write lock.
  std::shared_ptr<GroupSync> group_sync;
};

// Opens a connection; throws sql::DbError(kUnavailable) when the file cannot be opened.
std::unique_ptr<sql::Connection> OpenSqliteConnection(const SqliteOptions& options);

}  // namespace caredesk::storage::sqlite
