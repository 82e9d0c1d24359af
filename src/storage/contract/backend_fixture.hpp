// The storage contract: every test here runs once on SQLite and once on
// PostgreSQL (a throw-away cluster), against a fresh, migrated database.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "storage/storage.hpp"
#include "tests/support/backends.hpp"
#include "tests/support/temp_dir.hpp"

namespace caredesk::storage {

class StorageContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens a second, independent Storage on the same database (another "server").
  std::unique_ptr<Storage> OpenAnother() const;

  testing::TempDir dir_;
  StorageConfig config_;
  std::unique_ptr<Storage> storage_;
};

std::string ContractName(const ::testing::TestParamInfo<Backend>& info);

}  // namespace caredesk::storage

#define CAREDESK_STORAGE_CONTRACT(suite)                                               \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                            \
                           ::testing::Values(::caredesk::storage::Backend::kSqlite,    \
                                             ::caredesk::storage::Backend::kPostgres), \
                           ::caredesk::storage::ContractName)
