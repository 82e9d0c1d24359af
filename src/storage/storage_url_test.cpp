#include <gtest/gtest.h>

#include "storage/storage.hpp"

namespace caredesk::storage {
namespace {

TEST(ParseStorageUrl, AcceptsSqliteAbsoluteAndRelativePaths) {
  auto abs = ParseStorageUrl("sqlite:///var/lib/caredesk/caredesk.db");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->backend, Backend::kSqlite);
  EXPECT_EQ(abs->target, "/var/lib/caredesk/caredesk.db");
  auto rel = ParseStorageUrl("sqlite://var/caredesk.db");
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->target, "var/caredesk.db");
}

TEST(ParseStorageUrl, AcceptsPostgres) {
  auto pg = ParseStorageUrl("postgresql://caredesk@db.internal:5432/caredesk");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(pg->backend, Backend::kPostgres);
}

TEST(ParseStorageUrl, RejectsOtherSchemesAndEmptyPaths) {
  EXPECT_FALSE(ParseStorageUrl("mysql://x").ok());
  EXPECT_FALSE(ParseStorageUrl("sqlite://").ok());
  EXPECT_FALSE(ParseStorageUrl("/tmp/x.db").ok());
}

TEST(RedactUrl, HidesPasswords) {
  EXPECT_EQ(RedactUrl("postgresql://care:s3cret@db:5432/caredesk"),
            "postgresql://care:***@db:5432/caredesk");
  EXPECT_EQ(RedactUrl("postgresql://db/caredesk?password=s3cret&sslmode=require"),
            "postgresql://db/caredesk?password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("sqlite://var/caredesk.db"), "sqlite://var/caredesk.db");
  EXPECT_EQ(RedactUrl("postgresql://care@db/caredesk"), "postgresql://care@db/caredesk");
}

}  // namespace
}  // namespace caredesk::storage
