// Fresh, migrated storage on either backend, for tests that must run on both.
#pragma once

#include <memory>
#include <string>

#include "storage/storage.hpp"
#include "tests/support/temp_dir.hpp"

namespace caredesk::testing {

// The StorageConfig of a new empty database on `backend` (a SQLite file in
// `dir`, or a new database in the shared PostgreSQL test cluster).
storage::StorageConfig FreshStorageConfig(storage::Backend backend, const TempDir& dir);

std::string BackendName(storage::Backend backend);

}  // namespace caredesk::testing
