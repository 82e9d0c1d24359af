// Backup and restore of the whole database, online and consistent.
//
// SQLite: the backup API copies the database page by page into a new file
// while servers keep writing (the copy is one consistent state), and the copy
// is checked with PRAGMA integrity_check. PostgreSQL: pg_dump's custom format
// (one snapshot of one transaction) and pg_restore in one transaction.
//
// The master key file is not in a backup and must not be: the backup holds the
// sealed data, the key file opens it. Keep them apart (operations docs).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/result.hpp"
#include "storage/storage.hpp"

namespace caredesk::storage {

struct BackupReport {
  Backend backend = Backend::kSqlite;
  std::string file;
  std::int64_t bytes = 0;
  int schema_version = 0;
  // Rows per table in the database backed up (or restored).
  std::map<std::string, std::int64_t> rows;
};

// Writes a backup of `config`'s database to `file`, which must not exist yet.
core::Result<BackupReport> Backup(const StorageConfig& config, const std::string& file);

// Restores `file` into `config`'s database. It must be empty (SQLite: no file, or a file without
// tables; PostgreSQL: no tables in the public schema) unless `replace`, which drops what is there
// first; every server on it must be stopped. The schema version of the backup must not be newer
// than this binary's.
core::Result<BackupReport> Restore(const StorageConfig& config, const std::string& file,
                                   bool replace);

// The database's tables (ours and the migration ledger) and their row counts.
core::Result<std::map<std::string, std::int64_t>> CountRows(Storage& storage);

}  // namespace caredesk::storage
