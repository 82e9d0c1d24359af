// caredesk backup / restore on SQLite and PostgreSQL: a backup taken while cases are being
// written is consistent and opens with the same key file; a backup of a stopped server restored
// into a new database has every row of every table, byte for byte; a non-empty target is refused
// unless replaced; an existing backup file is never overwritten.
#include "storage/backup.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/sql/migrations.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

std::string Text(const storage::sql::Value& v) {
  if (std::holds_alternative<storage::sql::Null>(v)) {
    return "NULL";
  }
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return std::to_string(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    return "'" + *s;
  }
  const auto& b = std::get<storage::sql::Blob>(v).bytes;
  return "x" + std::string(b.begin(), b.end());
}

// Every row of every table, in primary-key order, as text.
std::map<std::string, std::vector<std::string>> Dump(const storage::StorageConfig& config) {
  auto storage = storage::Storage::Open(config);
  EXPECT_TRUE(storage.ok());
  std::map<std::string, std::vector<std::string>> out;
  if (!storage.ok()) {
    return out;
  }
  auto tables = storage::CountRows(**storage);
  EXPECT_TRUE(tables.ok());
  for (const auto& [table, n] : *tables) {
    auto rows = (*storage)->database().Transact(
        storage::sql::TxMode::kRead, [&](storage::sql::Connection& c) {
          const auto r = c.Execute("SELECT * FROM \"" + table + "\"", {});
          std::vector<std::string> lines;
          for (const auto& row : r.rows) {
            std::string line;
            for (const auto& v : row) {
              line += Text(v) + "|";
            }
            lines.push_back(line);
          }
          std::sort(lines.begin(), lines.end());
          return core::Result<std::vector<std::string>>(lines);
        });
    EXPECT_TRUE(rows.ok());
    EXPECT_EQ(static_cast<std::int64_t>(rows->size()), n) << table;
    out[table] = std::move(*rows);
  }
  return out;
}

class BackupTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    seogyo_ = app_->storage().directory().EnsureDong(app_->district().id, "서교동", "서교")->id;
    EnsureUser(*app_, "kim", "counselor", seogyo_);
    kim_ = SignIn(port_, "kim");
  }

  std::int64_t Intake(int i) {
    const auto r =
        kim_.Post("/api/v1/cases",
                  Json{{"channel", "visit"},
                       {"dong_id", seogyo_},
                       {"primary_category", "housing"},
                       {"summary", "월세가 " + std::to_string(i % 5 + 1) + "달 밀렸어요 (" +
                                       std::to_string(i) + ")"},
                       {"resident",
                        {{"name", "주민" + std::to_string(i)},
                         {"phone", "010-7000-" + std::to_string(1000 + i)}}},
                       {"confirm_new_resident", true},
                       {"consultation",
                        {{"kind", "visit"}, {"notes", "보증금 문제 상담 " + std::to_string(i)}}},
                       {"follow_up", {{"kind", "counseling"}}}}
                      .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Body(r)["id"].get<std::int64_t>() : 0;
  }

  storage::StorageConfig NewDatabase(const std::string& name) {
    if (GetParam() == storage::Backend::kSqlite) {
      storage::StorageConfig c = config_.storage;
      c.url = "sqlite://" + dir_.File(name + ".db");
      return c;
    }
    return FreshStorageConfig(GetParam(), dir_);
  }

  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  Client kim_;
};

TEST_P(BackupTest, AnOnlineBackupIsConsistentAndOpensWithTheSameKey) {
  for (int i = 0; i < 5; ++i) {
    Intake(i);
  }
  // Intake goes on while the backup is taken.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 100; !stop && i < 160; ++i) {
      if (Intake(i) != 0) {
        ++written;
      }
    }
  });
  const std::string file = dir_.File("online.backup");
  auto report = storage::Backup(config_.storage, file);
  stop = true;
  writer.join();
  ASSERT_TRUE(report.ok()) << report.error().message << " " << report.error().internal_detail;
  EXPECT_GE(report->rows.at("cases"), 5);
  EXPECT_EQ(report->schema_version, storage::sql::Migrations().back().version);
  EXPECT_GT(report->bytes, 0);
  // Never over an existing file.
  auto again = storage::Backup(config_.storage, file);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);

  auto target = NewDatabase("online-restored");
  auto restored = storage::Restore(target, file, false);
  ASSERT_TRUE(restored.ok()) << restored.error().message << " " << restored.error().internal_detail;
  // One consistent state: every case has its consultation, its follow-up and its resident.
  EXPECT_EQ(restored->rows.at("cases"), report->rows.at("cases"));
  EXPECT_EQ(restored->rows.at("consultations"), restored->rows.at("cases"));
  EXPECT_EQ(restored->rows.at("follow_ups"), restored->rows.at("cases"));
  // Intake registers a new resident in its own transaction before the case: the one writer may
  // have been between the two when the snapshot was taken (a resident without a case yet).
  EXPECT_GE(restored->rows.at("residents"), restored->rows.at("cases"));
  EXPECT_LE(restored->rows.at("residents"), restored->rows.at("cases") + 1);

  // The same key file opens it: every case reads, summary and notes decrypted.
  app::Config other = config_;
  other.storage = target;
  auto opened = app::App::Open(other, TestOpenOptions());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto list = (*opened)->case_repository().ListCases((*opened)->district().id, {});
  ASSERT_TRUE(list.ok());
  for (const auto& summary : *list) {
    auto file_read = (*opened)->case_repository().GetCase((*opened)->district().id, summary.c.id);
    ASSERT_TRUE(file_read.ok()) << file_read.error().internal_detail;
    EXPECT_EQ(file_read->c.summary.rfind("월세가 ", 0), 0U);
    ASSERT_EQ(file_read->consultations.size(), 1U);
    EXPECT_EQ(file_read->consultations[0].notes.rfind("보증금 문제 상담", 0), 0U);
  }
  (*opened)->Stop();
}

TEST_P(BackupTest, ARestoreHasEveryRowOfEveryTableAndRefusesADatabaseInUse) {
  for (int i = 0; i < 4; ++i) {
    Intake(i);
  }
  app_->Stop();
  const std::string file = dir_.File("offline.backup");
  auto report = storage::Backup(config_.storage, file);
  ASSERT_TRUE(report.ok()) << report.error().message << " " << report.error().internal_detail;
  const auto original = Dump(config_.storage);
  ASSERT_GT(original.size(), 20U);
  EXPECT_EQ(original.at("cases").size(), 4U);
  EXPECT_FALSE(original.at("access_records").empty());

  auto target = NewDatabase("restored");
  ASSERT_TRUE(storage::Restore(target, file, false).ok());
  EXPECT_EQ(Dump(target), original);

  // Not into a database that has data, unless replaced.
  auto refused = storage::Restore(config_.storage, file, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  auto replaced = storage::Restore(target, file, true);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message << " " << replaced.error().internal_detail;
  EXPECT_EQ(Dump(target), original);

  auto missing = storage::Restore(NewDatabase("nothing"), dir_.File("no.backup"), false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
