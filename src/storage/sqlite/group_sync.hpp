// Group commit for SQLite. With synchronous=FULL every COMMIT fsyncs the WAL while it still
// holds the one write lock, so durable writes are capped at the disk's fsync rate however many
// requests wait. Instead CareDesk commits with synchronous=NORMAL (the WAL is written, not yet
// synced) and, before the write is acknowledged, waits here for one fdatasync of the WAL that
// started after its COMMIT returned. Commits that arrive while a sync runs share the next one,
// and the next writer already holds the write lock meanwhile.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace caredesk::storage::sqlite {

struct GroupSyncStats {
  std::uint64_t commits = 0;  // write transactions that waited for durability
  std::uint64_t syncs = 0;    // fdatasyncs run for them
  std::uint64_t failures = 0; // syncs that failed (their commits were reported unavailable)
};

class GroupSync {
 public:
  // `sync` makes everything written so far durable; returns 0 or an errno value.
  explicit GroupSync(std::function<int()> sync);

  // Call after COMMIT returned: blocks until a sync that started after that point has finished.
  // Returns 0 or the errno of that sync; on an error the commit may or may not survive a crash.
  int WaitDurable();

  GroupSyncStats Stats() const;

 private:
  struct Round {
    bool done = false;
    int error = 0;
  };

  const std::function<int()> sync_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::shared_ptr<Round> next_;  // the round commits join until a sync starts; guarded by mutex_
  bool syncing_ = false;         // guarded by mutex_
  GroupSyncStats stats_;         // guarded by mutex_
};

// The sync function for the database at `database_path`: fdatasync of its `-wal` file, opened
// once and reopened when the file was replaced. A missing WAL means SQLite checkpointed it into
// the database file (which SQLite syncs after a checkpoint); the database file is synced then.
std::function<int()> WalFileSync(const std::string& database_path);

}  // namespace caredesk::storage::sqlite
