#include "storage/sqlite/group_sync.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/storage.hpp"

namespace caredesk::storage::sqlite {
namespace {

// A disk model: `written` counts writes in the page cache, a sync makes durable what was written
// when it started.
struct FakeDisk {
  std::atomic<int> written{0};
  std::mutex mutex;
  int durable = 0;  // guarded by mutex
  std::chrono::milliseconds latency{0};

  int Sync() {
    const int covered = written.load();
    std::this_thread::sleep_for(latency);
    std::lock_guard lock(mutex);
    durable = std::max(durable, covered);
    return 0;
  }
  int Durable() {
    std::lock_guard lock(mutex);
    return durable;
  }
};

TEST(GroupSyncTest, ALoneWriterGetsOneSyncPerCommit) {
  FakeDisk disk;
  GroupSync group([&] { return disk.Sync(); });
  for (int i = 1; i <= 5; ++i) {
    ++disk.written;
    ASSERT_EQ(group.WaitDurable(), 0);
    EXPECT_EQ(disk.Durable(), i);
  }
  EXPECT_EQ(group.Stats().commits, 5U);
  EXPECT_EQ(group.Stats().syncs, 5U);
}

TEST(GroupSyncTest, ConcurrentCommitsShareSyncsAndEachReturnsOnlyOnceItsWriteIsDurable) {
  FakeDisk disk;
  disk.latency = std::chrono::milliseconds(20);
  GroupSync group([&] { return disk.Sync(); });
  constexpr int kThreads = 32;
  constexpr int kCommitsEach = 5;
  std::atomic<int> not_durable{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCommitsEach; ++i) {
        const int mine = ++disk.written;
        if (group.WaitDurable() != 0 || disk.Durable() < mine) {
          ++not_durable;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(not_durable.load(), 0);
  const auto stats = group.Stats();
  EXPECT_EQ(stats.commits, static_cast<std::uint64_t>(kThreads * kCommitsEach));
  // 160 commits against 20 ms syncs: one per commit would take 3.2 s; grouped, a handful of
  // rounds per thread's commit suffices.
  EXPECT_LE(stats.syncs, stats.commits / 4) << stats.syncs << " syncs";
}

TEST(GroupSyncTest, AFailedSyncFailsTheCommitsItCoveredAndTheNextRoundStartsAfresh) {
  std::atomic<int> calls{0};
  GroupSync group([&] { return ++calls == 1 ? EIO : 0; });
  EXPECT_EQ(group.WaitDurable(), EIO);
  EXPECT_EQ(group.WaitDurable(), 0);
  EXPECT_EQ(group.Stats().failures, 1U);
  EXPECT_EQ(group.Stats().syncs, 2U);
}

class TempDirectory {
 public:
  TempDirectory() {
    path_ = std::filesystem::temp_directory_path() /
            ("caredesk-group-sync-" + std::to_string(::getpid()) + "-" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

TEST(GroupSyncTest, WalFileSyncSyncsTheWalOfARealDatabaseAndFailsForAMissingOne) {
  TempDirectory dir;
  EXPECT_EQ(WalFileSync(dir.File("missing.db"))(), ENOENT);

  StorageConfig config;
  config.url = "sqlite://" + dir.File("cases.db");
  auto storage = Storage::Open(config);
  ASSERT_TRUE(storage.ok()) << storage.error().message;
  ASSERT_TRUE((*storage)->Migrate().ok());
  ASSERT_TRUE(std::filesystem::exists(dir.File("cases.db-wal")));
  const auto stats = (*storage)->GroupCommitStats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_GT(stats->commits, 0U);
  EXPECT_GT(stats->syncs, 0U);
  EXPECT_EQ(stats->failures, 0U);
  EXPECT_EQ(WalFileSync(dir.File("cases.db"))(), 0);
  // The WAL stays after the last connection closes, so the descriptor keeps naming it.
  storage->reset();
  EXPECT_TRUE(std::filesystem::exists(dir.File("cases.db-wal")));

  config.sqlite_sync = SqliteSync::kFull;
  auto full = Storage::Open(config);
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE((*full)->GroupCommitStats().has_value());
}

}  // namespace
}  // namespace caredesk::storage::sqlite
