#include "storage/sqlite/group_sync.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace caredesk::storage::sqlite {

GroupSync::GroupSync(std::function<int()> sync) : sync_(std::move(sync)) {}

int GroupSync::WaitDurable() {
  std::unique_lock lock(mutex_);
  ++stats_.commits;
  if (!next_) {
    next_ = std::make_shared<Round>();
  }
  // Rounds start in order and only one runs at a time, so when none runs, ours has not started:
  // it is next_, and this thread runs it for everyone who joined.
  const std::shared_ptr<Round> mine = next_;
  while (!mine->done) {
    if (syncing_) {
      finished_.wait(lock);
      continue;
    }
    syncing_ = true;
    next_.reset();
    lock.unlock();
    const int error = sync_();
    lock.lock();
    syncing_ = false;
    mine->done = true;
    mine->error = error;
    ++stats_.syncs;
    if (error != 0) {
      ++stats_.failures;
    }
    finished_.notify_all();
  }
  return mine->error;
}

GroupSyncStats GroupSync::Stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

namespace {

// Holds the WAL open between rounds; only the thread running a round touches it.
class WalFile {
 public:
  explicit WalFile(std::string database_path)
      : database_(std::move(database_path)), wal_(database_ + "-wal") {}
  ~WalFile() { CloseFd(); }
  WalFile(const WalFile&) = delete;
  WalFile& operator=(const WalFile&) = delete;

  int Sync() {
    struct stat now {};
    if (::stat(wal_.c_str(), &now) != 0) {
      CloseFd();
      return errno == ENOENT ? SyncPath(database_) : errno;
    }
    if (fd_ < 0 || now.st_ino != inode_ || now.st_dev != device_) {
      CloseFd();
      fd_ = ::open(wal_.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) {
        return errno;
      }
      inode_ = now.st_ino;
      device_ = now.st_dev;
    }
    // fdatasync flushes the file's pages whichever descriptor wrote them.
    return ::fdatasync(fd_) == 0 ? 0 : errno;
  }

 private:
  static int SyncPath(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return errno;
    }
    const int rc = ::fdatasync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return rc;
  }
  void CloseFd() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  const std::string database_;
  const std::string wal_;
  int fd_ = -1;
  ino_t inode_ = 0;
  dev_t device_ = 0;
};

}  // namespace

std::function<int()> WalFileSync(const std::string& database_path) {
  auto wal = std::make_shared<WalFile>(database_path);
  return [wal] { return wal->Sync(); };
}

}  // namespace caredesk::storage::sqlite
