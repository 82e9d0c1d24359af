// Versioned schema migrations, written once with a few dialect placeholders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

struct Migration {
  int version;
  std::string_view name;
  std::string_view script;  // may use {{pk}}, {{bigint}}, {{blob}}
};

// All migrations in version order. Append only: never edit a released one.
const std::vector<Migration>& Migrations();

// `script` with the placeholders replaced for `dialect`.
std::string RenderForDialect(std::string_view script, Dialect dialect);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<int> applied;
};

// Applies every migration not yet recorded in schema_migrations, each in its
// own transaction. Safe to run concurrently from several servers: PostgreSQL
// takes an advisory lock, SQLite's BEGIN IMMEDIATE serialises writers.
core::Result<MigrationReport> Migrate(Database& db);

// The highest applied version, 0 for an empty database.
core::Result<int> SchemaVersion(Database& db);

}  // namespace caredesk::storage::sql
