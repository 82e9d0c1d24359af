#include "storage/backup.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <vector>

#include "storage/sql/migrations.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

namespace caredesk::storage {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using core::Result;

Error Failed(const std::string& en, const std::string& ko, const std::string& detail = {}) {
  return Error::Make(ErrorCode::kInternal, en, ko, detail);
}

Error Refused(const std::string& en, const std::string& ko) {
  return Error::Make(ErrorCode::kConflict, en, ko);
}

// --- SQLite --------------------------------------------------------------------------------

struct SqliteHandle {
  sqlite3* db = nullptr;
  SqliteHandle() = default;
  SqliteHandle(const SqliteHandle&) = delete;
  SqliteHandle& operator=(const SqliteHandle&) = delete;
  ~SqliteHandle() {
    if (db != nullptr) {
      sqlite3_close_v2(db);
    }
  }
};

Result<void> OpenSqlite(const std::string& path, int flags, SqliteHandle& h) {
  if (sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr) != SQLITE_OK) {
    return Failed("Cannot open the SQLite file " + path + ".",
                  "SQLite 파일을 열 수 없습니다: " + path,
                  h.db != nullptr ? sqlite3_errmsg(h.db) : "out of memory");
  }
  constexpr int kBusyMs = 10000;
  sqlite3_busy_timeout(h.db, kBusyMs);
  return {};
}

// One text value of a query (the first column of the first row), or empty.
std::string QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(st);
  return out;
}

// Copies every page of `from` into `to` (the backup API: consistent while others write; a write
// in the middle restarts the copy, and the steps are small so writers are not held up long).
Result<void> CopySqlite(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) {
    return Failed("The SQLite backup could not start.", "SQLite 백업을 시작하지 못했습니다.",
                  sqlite3_errmsg(to));
  }
  constexpr int kPagesPerStep = 256;
  constexpr int kPauseMs = 5;
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(b, kPagesPerStep);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      sqlite3_sleep(kPauseMs);
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    return Failed("The SQLite backup failed.", "SQLite 백업에 실패했습니다.", sqlite3_errstr(rc));
  }
  return {};
}

Result<int> CheckSqliteCopy(const std::string& path) {
  SqliteHandle h;
  if (auto s = OpenSqlite(path, SQLITE_OPEN_READONLY, h); !s.ok()) {
    return std::move(s).error();
  }
  const std::string integrity = QueryText(h.db, "PRAGMA integrity_check");
  if (integrity != "ok") {
    return Failed("The copy does not pass SQLite's integrity check.",
                  "복사본이 SQLite 무결성 검사를 통과하지 못했습니다.", integrity);
  }
  const std::string version = QueryText(h.db, "SELECT MAX(version) FROM schema_migrations");
  return version.empty() ? 0 : std::stoi(version);
}

// Rows per table of a SQLite file, read-only (the backup stays untouched).
Result<std::map<std::string, std::int64_t>> SqliteCounts(const std::string& path) {
  SqliteHandle h;
  if (auto s = OpenSqlite(path, SQLITE_OPEN_READONLY, h); !s.ok()) {
    return std::move(s).error();
  }
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h.db,
                         "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                         "'sqlite_%' ORDER BY 1",
                         -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
  }
  sqlite3_finalize(st);
  std::map<std::string, std::int64_t> out;
  for (const auto& t : tables) {
    const std::string sql = "SELECT COUNT(*) FROM \"" + t + "\"";
    out[t] = std::stoll(QueryText(h.db, sql.c_str()));
  }
  return out;
}

bool SqliteHasTables(const std::string& path) {
  if (!fs::exists(path) || fs::file_size(path) == 0) {
    return false;
  }
  SqliteHandle h;
  if (!OpenSqlite(path, SQLITE_OPEN_READONLY, h).ok()) {
    return true;  // something is there that we cannot read: do not overwrite it
  }
  return QueryText(h.db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") != "0";
}

// --- PostgreSQL through its own tools ------------------------------------------------------

// The newest installed client tool (Debian keeps one per version), else the PATH's.
std::string PgTool(const std::string& name) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto tool = e.path() / "bin" / name;
    if (fs::exists(tool, ec)) {
      found.push_back(tool);
    }
  }
  if (found.empty()) {
    return name;
  }
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    const auto va = a.parent_path().parent_path().filename().string();
    const auto vb = b.parent_path().parent_path().filename().string();
    return std::stoi(va) < std::stoi(vb);
  });
  return found.back().string();
}

// Runs `argv` (no shell) with PGPASSWORD set when given; returns its stderr when it fails.
Result<void> Run(const std::vector<std::string>& argv, const std::string& password) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("PGPASSWORD=", 0) != 0) {
      env_strings.emplace_back(*e);
    }
  }
  if (!password.empty()) {
    env_strings.push_back("PGPASSWORD=" + password);
  }
  std::vector<char*> env;
  for (auto& s : env_strings) {
    env.push_back(s.data());
  }
  env.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) {
    cargs.push_back(a.data());
  }
  cargs.push_back(nullptr);

  std::array<int, 2> err{};
  if (pipe2(err.data(), O_CLOEXEC) != 0) {
    return Failed("Cannot start " + argv[0] + ".", argv[0] + "을(를) 시작할 수 없습니다.", "pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, cargs[0], &actions, nullptr, cargs.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(err[1]);
  if (spawned != 0) {
    close(err[0]);
    return Failed("Cannot run " + argv[0] + " (is the PostgreSQL client installed?).",
                  argv[0] + "을(를) 실행할 수 없습니다 (PostgreSQL 클라이언트가 설치되어 있나요?).",
                  std::strerror(spawned));
  }
  std::string output;
  std::array<char, 4096> buf{};
  for (ssize_t n = 0; (n = read(err[0], buf.data(), buf.size())) > 0;) {
    output.append(buf.data(), static_cast<std::size_t>(n));
  }
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Failed(argv[0] + " failed.", argv[0] + " 실행에 실패했습니다.", output);
  }
  return {};
}

Result<std::int64_t> PublicTables(Storage& storage) {
  return storage.database().Transact(
      sql::TxMode::kRead, [](sql::Connection& c) -> Result<std::int64_t> {
        const auto r = c.Execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", {});
        return r.Int(0, 0);
      });
}

Result<BackupReport> Describe(const StorageConfig& config, Backend backend,
                              const std::string& file) {
  auto storage = Storage::Open(config);
  if (!storage.ok()) {
    return std::move(storage).error();
  }
  BackupReport report;
  report.backend = backend;
  report.file = file;
  std::error_code ec;
  report.bytes = static_cast<std::int64_t>(fs::file_size(file, ec));
  auto version = (*storage)->SchemaVersion();
  if (!version.ok()) {
    return std::move(version).error();
  }
  report.schema_version = *version;
  auto rows = CountRows(**storage);
  if (!rows.ok()) {
    return std::move(rows).error();
  }
  report.rows = std::move(*rows);
  return report;
}

int LatestSchemaVersion() {
  return sql::Migrations().empty() ? 0 : sql::Migrations().back().version;
}

}  // namespace

Result<std::map<std::string, std::int64_t>> CountRows(Storage& storage) {
  auto& db = storage.database();
  return db.Transact(
      sql::TxMode::kRead, [&](sql::Connection& c) -> Result<std::map<std::string, std::int64_t>> {
        const auto tables =
            c.Execute(db.dialect() == sql::Dialect::kPostgres
                          ? "SELECT table_name FROM information_schema.tables WHERE "
                            "table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
                          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' ORDER BY 1",
                      {});
        std::map<std::string, std::int64_t> out;
        for (std::size_t i = 0; i < tables.size(); ++i) {
          const std::string t = tables.Text(i, 0);
          out[t] = c.Execute("SELECT COUNT(*) FROM \"" + t + "\"", {}).Int(0, 0);
        }
        return out;
      });
}

Result<BackupReport> Backup(const StorageConfig& config, const std::string& file) {
  auto parsed = ParseStorageUrl(config.url);
  if (!parsed.ok()) {
    return std::move(parsed).error();
  }
  if (fs::exists(file)) {
    return Refused("The backup file " + file + " exists already; name a new one.",
                   "백업 파일 " + file + " 이(가) 이미 있습니다. 새 이름을 주세요.");
  }
  const std::string partial = file + ".partial";
  std::error_code ec;
  fs::remove(partial, ec);
  if (parsed->backend == Backend::kSqlite) {
    if (!fs::exists(parsed->target)) {
      return Error::Make(ErrorCode::kNotFound, "There is no database at " + parsed->target + ".",
                         parsed->target + " 에 데이터베이스가 없습니다.");
    }
    {
      SqliteHandle from;
      SqliteHandle to;
      if (auto s = OpenSqlite(parsed->target, SQLITE_OPEN_READONLY, from); !s.ok()) {
        return std::move(s).error();
      }
      if (auto s = OpenSqlite(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, to); !s.ok()) {
        return std::move(s).error();
      }
      if (auto s = CopySqlite(from.db, to.db); !s.ok()) {
        fs::remove(partial, ec);
        return std::move(s).error();
      }
      // A self-contained file: no WAL beside it.
      (void)QueryText(to.db, "PRAGMA journal_mode=DELETE");
    }
    if (auto checked = CheckSqliteCopy(partial); !checked.ok()) {
      fs::remove(partial, ec);
      return std::move(checked).error();
    }
  } else {
    // pg_dump reads the snapshot of this transaction, which counts the rows: the report tells
    // exactly what the backup holds, however many cases were written meanwhile.
    auto storage = Storage::Open(config);
    if (!storage.ok()) {
      return std::move(storage).error();
    }
    auto counted = (*storage)->database().Transact(
        sql::TxMode::kRead, [&](sql::Connection& c) -> Result<BackupReport> {
          c.Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", {});
          const std::string snapshot = c.Execute("SELECT pg_export_snapshot()", {}).Text(0, 0);
          if (auto s =
                  Run({PgTool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                       "--snapshot=" + snapshot, "--file=" + partial, "--dbname=" + parsed->target},
                      config.password);
              !s.ok()) {
            return std::move(s).error();
          }
          BackupReport report;
          report.backend = Backend::kPostgres;
          report.schema_version = static_cast<int>(
              c.Execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}).Int(0, 0));
          const auto tables = c.Execute(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND "
              "table_type = 'BASE TABLE' ORDER BY 1",
              {});
          for (std::size_t i = 0; i < tables.size(); ++i) {
            const std::string t = tables.Text(i, 0);
            report.rows[t] = c.Execute("SELECT COUNT(*) FROM \"" + t + "\"", {}).Int(0, 0);
          }
          return report;
        });
    (*storage)->Close();
    if (!counted.ok()) {
      fs::remove(partial, ec);
      return std::move(counted).error();
    }
    // The archive must be readable back.
    if (auto s = Run({PgTool("pg_restore"), "--list", partial}, ""); !s.ok()) {
      fs::remove(partial, ec);
      return std::move(s).error();
    }
    fs::rename(partial, file, ec);
    if (ec) {
      return Failed("Cannot name the backup " + file + ".", "백업 파일 이름을 정할 수 없습니다.",
                    ec.message());
    }
    counted->file = file;
    counted->bytes = static_cast<std::int64_t>(fs::file_size(file, ec));
    return counted;
  }
  // Only a complete, checked backup gets the name asked for.
  fs::rename(partial, file, ec);
  if (ec) {
    return Failed("Cannot name the backup " + file + ".", "백업 파일 이름을 정할 수 없습니다.",
                  ec.message());
  }
  {
    // What the backup holds, counted in it.
    BackupReport report;
    report.file = file;
    report.bytes = static_cast<std::int64_t>(fs::file_size(file, ec));
    auto version = CheckSqliteCopy(file);
    auto rows = SqliteCounts(file);
    if (!version.ok() || !rows.ok()) {
      return !version.ok() ? std::move(version).error() : std::move(rows).error();
    }
    report.schema_version = *version;
    report.rows = std::move(*rows);
    return report;
  }
}

Result<BackupReport> Restore(const StorageConfig& config, const std::string& file, bool replace) {
  auto parsed = ParseStorageUrl(config.url);
  if (!parsed.ok()) {
    return std::move(parsed).error();
  }
  if (!fs::exists(file)) {
    return Error::Make(ErrorCode::kNotFound, "There is no backup file " + file + ".",
                       "백업 파일 " + file + " 이(가) 없습니다.");
  }
  const std::string not_empty_en =
      "The target database is not empty. Restore into a new one, or pass --replace (every server "
      "on it stopped) to overwrite it.";
  const std::string not_empty_ko =
      "복원할 데이터베이스가 비어 있지 않습니다. 새 데이터베이스에 복원하거나, 서버를 모두 멈춘 뒤 "
      "--replace 로 덮어쓰세요.";
  if (parsed->backend == Backend::kSqlite) {
    auto version = CheckSqliteCopy(file);
    if (!version.ok()) {
      return std::move(version).error();
    }
    if (*version > LatestSchemaVersion()) {
      return Refused("The backup is from a newer CareDesk (schema " + std::to_string(*version) +
                         "); restore it with that version.",
                     "더 새로운 CareDesk의 백업입니다 (스키마 " + std::to_string(*version) +
                         "). 그 버전으로 복원하세요.");
    }
    if (SqliteHasTables(parsed->target) && !replace) {
      return Refused(not_empty_en, not_empty_ko);
    }
    if (const auto dir = fs::path(parsed->target).parent_path(); !dir.empty()) {
      std::error_code ec;
      fs::create_directories(dir, ec);
    }
    {
      SqliteHandle from;
      SqliteHandle to;
      if (auto s = OpenSqlite(file, SQLITE_OPEN_READONLY, from); !s.ok()) {
        return std::move(s).error();
      }
      if (auto s = OpenSqlite(parsed->target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, to);
          !s.ok()) {
        return std::move(s).error();
      }
      if (auto s = CopySqlite(from.db, to.db); !s.ok()) {
        return std::move(s).error();
      }
    }
    if (auto checked = CheckSqliteCopy(parsed->target); !checked.ok()) {
      return std::move(checked).error();
    }
  } else {
    auto storage = Storage::Open(config);
    if (!storage.ok()) {
      return std::move(storage).error();
    }
    auto tables = PublicTables(**storage);
    if (!tables.ok()) {
      return std::move(tables).error();
    }
    (*storage)->Close();
    if (*tables > 0 && !replace) {
      return Refused(not_empty_en, not_empty_ko);
    }
    std::vector<std::string> argv = {PgTool("pg_restore"), "--no-owner",
                                     "--no-privileges",    "--single-transaction",
                                     "--exit-on-error",    "--dbname=" + parsed->target};
    if (*tables > 0) {
      argv.emplace_back("--clean");
      argv.emplace_back("--if-exists");
    }
    argv.push_back(file);
    if (auto s = Run(argv, config.password); !s.ok()) {
      return std::move(s).error();
    }
  }
  auto report = Describe(config, parsed->backend, file);
  if (report.ok() && report->schema_version > LatestSchemaVersion()) {
    return Refused("The restored database is from a newer CareDesk; use that version.",
                   "복원한 데이터베이스는 더 새로운 CareDesk의 것입니다. 그 버전을 쓰세요.");
  }
  return report;
}

}  // namespace caredesk::storage
