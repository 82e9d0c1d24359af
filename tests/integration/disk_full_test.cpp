// Disk full on SQLite: the database lives on a small tmpfs of its own, which the test fills to
// the last byte. Writes must be refused with 507 storage_full (never 500, never a half-written
// case), reads that need no record go on, a read of personal data is either refused the same way
// or has its access record, and once space is freed the server writes again by itself, with
// every acknowledged case intact and PRAGMA integrity_check clean.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

// A tmpfs of `bytes` mounted on `dir` for the object's lifetime (needs root: CI runs as root).
class SmallFileSystem {
 public:
  SmallFileSystem(const std::string& dir, std::size_t bytes) : dir_(dir) {
    std::filesystem::create_directories(dir);
    const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
    if (::mount("caredesk-test", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) ==
        0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallFileSystem() {
    if (mounted_) {
      ::umount2(dir_.c_str(), MNT_DETACH);
    }
  }
  SmallFileSystem(const SmallFileSystem&) = delete;
  SmallFileSystem& operator=(const SmallFileSystem&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

  // Writes a filler file until the file system refuses with ENOSPC; returns the bytes written.
  std::size_t Fill() {
    const std::string path = dir_ + "/filler";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0) << std::strerror(errno);
    std::size_t total = 0;
    // Large chunks first, then smaller ones, down to single bytes: nothing is left.
    for (std::size_t chunk = 1 << 16; chunk > 0; chunk /= 4) {
      const std::vector<char> bytes(chunk, 'x');
      while (true) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n <= 0) {
          EXPECT_EQ(errno, ENOSPC) << std::strerror(errno);
          break;
        }
        total += static_cast<std::size_t>(n);
      }
    }
    ::close(fd);
    return total;
  }
  void Free() { std::filesystem::remove(dir_ + "/filler"); }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

constexpr std::size_t kFileSystemBytes = 16 << 20;

TEST(DiskFullTest, WritesAreRefusedWith507ReadsGoOnAndTheServerRecoversWhenSpaceIsFreed) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
  }
  TempDir dir;
  SmallFileSystem fs(dir.File("small"), kFileSystemBytes);
  ASSERT_TRUE(fs.mounted()) << "cannot mount a tmpfs: " << fs.error();

  app::Config config = TestConfig(storage::Backend::kSqlite, dir);
  const std::string db_path = dir.File("small") + "/caredesk.db";
  config.storage.url = "sqlite://" + db_path;
  std::uint16_t port = 0;
  auto app = StartApp(config, &port);
  ASSERT_NE(app, nullptr);
  const auto dong = app->storage().directory().EnsureDong(app->district().id, "서교동", "서교");
  ASSERT_TRUE(dong.ok());
  EnsureUser(*app, "kim", "counselor", dong->id);
  const Client kim = SignIn(port, "kim");

  int serial = 0;
  const auto intake = [&] {
    ++serial;
    return kim.Post(
        "/api/v1/cases",
        Json{{"channel", "visit"},
             {"dong_id", dong->id},
             {"primary_category", "housing"},
             {"summary", "월세가 밀렸어요 " + std::to_string(serial)},
             {"resident",
              {{"name", "주민" + std::to_string(serial)},
               {"phone", "010-7100-" + std::to_string(1000 + serial)}}},
             {"confirm_new_resident", true},
             // Notes large enough that a few cases need new pages in the WAL.
             {"consultation", {{"kind", "visit"}, {"notes", std::string(3000, 'n')}}},
             {"follow_up", {{"kind", "counseling"}}}}
            .dump());
  };
  std::vector<std::int64_t> acknowledged;
  for (int i = 0; i < 3; ++i) {
    const auto r = intake();
    ASSERT_EQ(r.status, 201) << r.body;
    acknowledged.push_back(Body(r)["id"].get<std::int64_t>());
  }

  EXPECT_GT(fs.Fill(), 0U);

  // Writes: refused with a clear error; an intake that still fitted in reused WAL space is fine,
  // but the full disk must be hit within a few attempts.
  int refused = 0;
  for (int i = 0; i < 20 && refused < 3; ++i) {
    const auto r = intake();
    if (r.status == 201) {
      acknowledged.push_back(Body(r)["id"].get<std::int64_t>());
      continue;
    }
    ASSERT_EQ(r.status, 507) << r.body;
    const auto body = Body(r);
    EXPECT_EQ(body["error"]["code"], "storage_full");
    EXPECT_NE(body["error"]["message_ko"].get<std::string>().find("저장 공간"), std::string::npos);
    ++refused;
  }
  EXPECT_EQ(refused, 3);

  // Reads that write nothing go on.
  EXPECT_EQ(kim.Get("/api/v1/agencies").status, 200);
  EXPECT_EQ(kim.Get("/api/v1/dongs").status, 200);
  EXPECT_EQ(Request(port, "GET", "/healthz").status, 200);
  // A read of personal data needs its access record: refused the same way, or recorded.
  const auto read_while_full = kim.Get("/api/v1/cases/" + std::to_string(acknowledged.front()));
  EXPECT_TRUE(read_while_full.status == 507 || read_while_full.status == 200)
      << read_while_full.status << " " << read_while_full.body;

  // Space comes back: the server writes again without a restart.
  fs.Free();
  const auto after = intake();
  ASSERT_EQ(after.status, 201) << after.body;
  acknowledged.push_back(Body(after)["id"].get<std::int64_t>());
  for (const auto id : acknowledged) {
    const auto r = kim.Get("/api/v1/cases/" + std::to_string(id));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Body(r)["consultations"].size(), 1U) << "case " << id;
  }
  if (read_while_full.status == 200) {
    const auto records = app->storage().database().Transact(
        storage::sql::TxMode::kRead, [&](storage::sql::Connection& c) {
          return core::Result<std::int64_t>(
              c.Execute("SELECT COUNT(*) FROM access_records WHERE action = 'read' AND "
                        "target_type = 'case' AND target_id = $1",
                        {std::to_string(acknowledged.front())})
                  .Int(0, 0));
        });
    ASSERT_TRUE(records.ok());
    EXPECT_GE(*records, 2) << "the read while the disk was full has no access record";
  }
  app.reset();

  auto reopened = storage::Storage::Open(config.storage);
  ASSERT_TRUE(reopened.ok());
  const auto integrity = (*reopened)->database().Transact(
      storage::sql::TxMode::kRead, [](storage::sql::Connection& c) {
        return core::Result<std::string>(c.Execute("PRAGMA integrity_check", {}).Text(0, 0));
      });
  ASSERT_TRUE(integrity.ok());
  EXPECT_EQ(*integrity, "ok");
}

}  // namespace
}  // namespace caredesk::testing
