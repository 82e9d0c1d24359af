// Single-row durable commit rate of each storage backend: one INSERT per transaction, each
// committed, through the real adapter (Storage -> Database::Transact -> Connection), on the
// backend's durable settings: SQLite in WAL mode with synchronous=FULL (one fsync per commit,
// CareDesk's `database.sqlite_sync = full`), PostgreSQL with fsync=on and synchronous_commit=on
// (a throw-away cluster started here).
//
// durable_writes/<variant>/t<N>: the same transaction from N = 1, 8 and 64 threads at once (pool
// of N connections): SQLite with one fsync per commit (full), SQLite with CareDesk's group commit
// (the default), and PostgreSQL (which groups WAL flushes itself). Against the bare rates above.
//
// Baseline in the same run and the same directory: the raw rate of "write 100 bytes +
// fdatasync" on that disk, in place (like PostgreSQL's preallocated WAL segments and SQLite's
// reused WAL) and appending (the file grows, so metadata is flushed too). A durable commit cannot
// be faster than one such sync; the gap is what the database adds on top.
//
// Everything lives under $CAREDESK_BENCH_DIR (bench.sh sets it) or a new directory in /var/tmp.
// Memory file systems (tmpfs, ramfs) are refused: fsync there measures nothing.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/durable_pg_cluster.hpp"
#include "bench/timed_run.hpp"
#include "storage/sql/connection.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "storage/sql/database.hpp"
#include "storage/storage.hpp"

namespace {

namespace fs = std::filesystem;
namespace sql = caredesk::storage::sql;
using caredesk::bench::DurablePgCluster;
using caredesk::core::Result;
using caredesk::storage::Storage;
using caredesk::storage::StorageConfig;

// Same payload size for the commits and the raw syncs, so they write comparable amounts.
constexpr std::size_t kPayloadBytes = 100;
// Each case runs this long: long enough for p99 to mean something at disk speeds, short enough
// for the whole of bench.sh to stay near a minute.
constexpr caredesk::bench::RunLimits kLimits{std::chrono::milliseconds(2000), 1'000'000};
constexpr mode_t kTraversableByOthers = 0711;  // the 'postgres' user must reach its data dir
constexpr long kRamfsMagic = 0x858458f6;       // not in every linux/magic.h

constexpr int kExitSetupFailed = 2;

// Setup failures throw, so that the fixture's destructor cleans up what was started.
[[noreturn]] void Fail(const std::string& why) { throw std::runtime_error(why); }

std::string FileSystemName(long type) {
  switch (type) {
    case EXT4_SUPER_MAGIC:
      return "ext2/3/4";
    case XFS_SUPER_MAGIC:
      return "xfs";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlayfs";
    case TMPFS_MAGIC:
      return "tmpfs";
    case kRamfsMagic:
      return "ramfs";
    default: {
      constexpr std::size_t kHexBufferSize = 2 * sizeof(unsigned long) + 1;
      char hex[kHexBufferSize];
      std::snprintf(hex, sizeof(hex), "%lx", static_cast<unsigned long>(type));
      return std::string("fs type 0x") + hex;
    }
  }
}

struct Backend {
  std::unique_ptr<Storage> storage;
  std::atomic<std::int64_t> next_id{1};  // primary keys stay unique across runs and threads
};

constexpr int kMaxWriters = 64;
constexpr auto kWritersRun = std::chrono::seconds(2);

// Destroying it closes the databases, stops the cluster and removes what was written, also when
// SetUp failed halfway.
struct Fixture {
  Fixture() = default;
  ~Fixture() {
    for (auto* b : {&sqlite, &postgres, &sqlite_full, &sqlite_group, &postgres_pool}) {
      b->storage.reset();
    }
    pg.reset();  // stops the cluster and removes its directory
    std::error_code ec;
    if (owned_dir) {
      fs::remove_all(dir, ec);
    } else if (!dir.empty()) {
      for (const char* name : {"commit.db", "writes_full.db", "writes_group.db"}) {
        for (const char* suffix : {"", "-wal", "-shm"}) {
          fs::remove(dir / (std::string(name) + suffix), ec);
        }
      }
    }
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  fs::path dir;
  bool owned_dir = false;
  std::unique_ptr<DurablePgCluster> pg;
  Backend sqlite;
  Backend postgres;
  // durable_writes: pools of kMaxWriters connections.
  Backend sqlite_full;
  Backend sqlite_group;
  Backend postgres_pool;
};

bool InsertOne(Backend* backend, const std::string& payload) {
  const std::int64_t id = backend->next_id++;
  auto done = backend->storage->database().Transact(
      sql::TxMode::kWrite, [&](sql::Connection& c) -> Result<std::int64_t> {
        return c.Execute("INSERT INTO bench_commit (id, payload) VALUES ($1, $2)", {id, payload})
            .affected;
      });
  return done.ok() && *done == 1;
}

void BM_DurableCommit(benchmark::State& state, Backend* backend) {
  const std::string payload(kPayloadBytes, 'x');
  caredesk::bench::TimedRun(state, kLimits, "INSERT + COMMIT failed",
                            [&] { return InsertOne(backend, payload); });
}

// `writers` threads commit single-row transactions for kWritersRun; every commit is durable when
// Transact returns (the variants differ only in how).
void BM_DurableWriters(benchmark::State& state, Backend* backend, int writers) {
  using Clock = std::chrono::steady_clock;
  const std::string payload(kPayloadBytes, 'x');
  std::vector<double> latencies_us;
  std::int64_t failures = 0;
  double elapsed_s = 0;
  const auto group_before = backend->storage->GroupCommitStats();
  for (auto _ : state) {
    std::mutex mutex;
    const auto begin = Clock::now();
    const auto stop_at = begin + kWritersRun;
    std::vector<std::thread> threads;
    for (int t = 0; t < writers; ++t) {
      threads.emplace_back([&] {
        std::vector<double> mine;
        std::int64_t my_failures = 0;
        for (auto start = Clock::now(); start < stop_at;) {
          const bool ok = InsertOne(backend, payload);
          const auto end = Clock::now();
          if (ok) {
            mine.push_back(std::chrono::duration<double, std::micro>(end - start).count());
          } else {
            ++my_failures;
          }
          start = end;
        }
        std::lock_guard lock(mutex);
        latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
        failures += my_failures;
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    elapsed_s = std::chrono::duration<double>(Clock::now() - begin).count();
    state.SetIterationTime(elapsed_s);
  }
  if (latencies_us.empty() || failures > 0) {
    state.SkipWithError(("durable writes failed: " + std::to_string(failures)).c_str());
    return;
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  const auto at = [&](double p) {
    return latencies_us[static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1))];
  };
  const auto n = static_cast<double>(latencies_us.size());
  state.counters["writers"] = writers;
  state.counters["ops"] = n;
  state.counters["ops_per_s"] = n / elapsed_s;
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  if (const auto group_after = backend->storage->GroupCommitStats(); group_after && group_before) {
    const auto syncs = group_after->syncs - group_before->syncs;
    state.counters["commits_per_sync"] =
        syncs == 0 ? 0.0
                   : static_cast<double>(group_after->commits - group_before->commits) /
                         static_cast<double>(syncs);
  }
}

// write(100 bytes) + fdatasync, in place or appending.
void BM_RawFdatasync(benchmark::State& state, const fs::path* dir, bool append) {
  const std::string path = *dir / (append ? "fsync_append.dat" : "fsync_inplace.dat");
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    state.SkipWithError("cannot create the sync file");
    return;
  }
  const std::string payload(kPayloadBytes, 'x');
  off_t offset = 0;
  caredesk::bench::TimedRun(state, kLimits, "write or fdatasync failed", [&] {
    const bool ok = pwrite(fd, payload.data(), payload.size(), offset) ==
                        static_cast<ssize_t>(payload.size()) &&
                    fdatasync(fd) == 0;
    if (append) {
      offset += static_cast<off_t>(payload.size());
    }
    return ok;
  });
  close(fd);
  unlink(path.c_str());
}

std::unique_ptr<Storage> OpenStorage(const std::string& url,
                                     caredesk::storage::SqliteSync sync =
                                         caredesk::storage::SqliteSync::kFull,
                                     std::size_t pool_size = 1) {
  StorageConfig config;
  config.url = url;
  config.sqlite_sync = sync;
  config.pool_size = pool_size;  // one connection per client thread
  auto storage = Storage::Open(config);
  if (!storage.ok()) {
    Fail("cannot open " + url + ": " + storage.error().message + " " +
         storage.error().internal_detail);
  }
  auto created = (*storage)->database().Transact(sql::TxMode::kWrite, [](sql::Connection& c) {
    c.Execute("CREATE TABLE bench_commit (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)", {});
    return caredesk::core::Status{};
  });
  if (!created.ok()) {
    Fail("cannot create the table on " + url + ": " + created.error().internal_detail);
  }
  return std::move(*storage);
}

// Reads one setting with `query` (one row, one column) as text.
std::string Setting(Storage& storage, const std::string& query) {
  auto value = storage.database().Transact(
      sql::TxMode::kRead, [&](sql::Connection& c) -> Result<std::string> {
        const auto rows = c.Execute(query, {});
        return rows.empty() ? std::string("?") : rows.Text(0, 0);
      });
  return value.ok() ? *value : "?";
}

// Fails unless both backends are really configured to be durable; records what they run with.
void CheckDurability(Fixture* fixture) {
  const std::string journal = Setting(*fixture->sqlite.storage, "PRAGMA journal_mode");
  const std::string synchronous = Setting(*fixture->sqlite.storage, "PRAGMA synchronous");
  constexpr char kSqliteFull[] = "2";
  if (journal != "wal" || synchronous != kSqliteFull) {
    Fail("SQLite is not in WAL + synchronous=FULL (journal_mode=" + journal +
         ", synchronous=" + synchronous + ")");
  }
  benchmark::AddCustomContext("sqlite", "journal_mode=wal synchronous=FULL");
  const std::string fsync = Setting(*fixture->postgres.storage, "SHOW fsync");
  const std::string commit = Setting(*fixture->postgres.storage, "SHOW synchronous_commit");
  const std::string method = Setting(*fixture->postgres.storage, "SHOW wal_sync_method");
  if (fsync != "on" || commit != "on") {
    Fail("PostgreSQL is not durable (fsync=" + fsync + ", synchronous_commit=" + commit + ")");
  }
  benchmark::AddCustomContext("postgresql",
                              "fsync=on synchronous_commit=on wal_sync_method=" + method);
}

// Throws std::runtime_error when something cannot be set up.
void SetUp(Fixture* fixture) {
  if (const char* dir = std::getenv("CAREDESK_BENCH_DIR"); dir != nullptr && *dir != '\0') {
    fixture->dir = fs::absolute(dir);
    std::error_code ec;
    fs::create_directories(fixture->dir, ec);
  } else {
    char tmpl[] = "/var/tmp/caredesk-storage-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      Fail("mkdtemp in /var/tmp failed");
    }
    fixture->dir = tmpl;
    fixture->owned_dir = true;
    chmod(tmpl, kTraversableByOthers);
  }
  struct statfs info {};
  if (statfs(fixture->dir.c_str(), &info) != 0) {
    Fail("cannot statfs " + fixture->dir.string());
  }
  const auto type = static_cast<long>(info.f_type);
  if (type == TMPFS_MAGIC || type == kRamfsMagic) {
    Fail(fixture->dir.string() + " is on a memory file system; set CAREDESK_BENCH_DIR to a " +
         "directory on the disk to measure");
  }
  benchmark::AddCustomContext("work_dir", fixture->dir.string());
  benchmark::AddCustomContext("filesystem", FileSystemName(type));

  fixture->sqlite.storage = OpenStorage("sqlite://" + (fixture->dir / "commit.db").string());
  fixture->pg = DurablePgCluster::Start((fixture->dir / "pg").string());
  fixture->postgres.storage = OpenStorage(fixture->pg->url());
  CheckDurability(fixture);
  fixture->sqlite_full.storage =
      OpenStorage("sqlite://" + (fixture->dir / "writes_full.db").string(),
                  caredesk::storage::SqliteSync::kFull, kMaxWriters);
  fixture->sqlite_group.storage =
      OpenStorage("sqlite://" + (fixture->dir / "writes_group.db").string(),
                  caredesk::storage::SqliteSync::kGroup, kMaxWriters);
  // Its own table in the same cluster: the single-connection runs above keep theirs.
  {
    auto c = caredesk::storage::postgres::OpenPgConnection(fixture->pg->url());
    c->ExecuteScript("CREATE DATABASE bench_writers");
  }
  const std::string url = fixture->pg->url();
  fixture->postgres_pool.storage =
      OpenStorage(url.substr(0, url.rfind('/') + 1) + "bench_writers",
                  caredesk::storage::SqliteSync::kFull, kMaxWriters);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  try {
    Fixture fixture;
    SetUp(&fixture);
    const auto timed = [](benchmark::internal::Benchmark* b) {
      b->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
    };
    // The appending sync runs last: it leaves the file system journal busy for a moment.
    timed(benchmark::RegisterBenchmark("raw_fdatasync/inplace", BM_RawFdatasync, &fixture.dir,
                                       false));
    timed(benchmark::RegisterBenchmark("durable_commit/sqlite", BM_DurableCommit, &fixture.sqlite));
    timed(benchmark::RegisterBenchmark("durable_commit/postgresql", BM_DurableCommit,
                                       &fixture.postgres));
    for (const auto& [name, backend] :
         {std::pair{"sqlite_full", &fixture.sqlite_full},
          std::pair{"sqlite_group", &fixture.sqlite_group},
          std::pair{"postgresql", &fixture.postgres_pool}}) {
      for (const int writers : {1, 8, kMaxWriters}) {
        timed(benchmark::RegisterBenchmark(
            (std::string("durable_writes/") + name + "/t" + std::to_string(writers)).c_str(),
            BM_DurableWriters, backend, writers));
      }
    }
    timed(
        benchmark::RegisterBenchmark("raw_fdatasync/append", BM_RawFdatasync, &fixture.dir, true));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::cerr << "caredesk_storage_bench: " << e.what() << "\n";
    return kExitSetupFailed;
  }
  return 0;
}
