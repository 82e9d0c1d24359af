#include "tests/support/backends.hpp"

#include "tests/support/pg_cluster.hpp"

namespace caredesk::testing {

storage::StorageConfig FreshStorageConfig(storage::Backend backend, const TempDir& dir) {
  storage::StorageConfig config;
  config.pool_size = 4;
  if (backend == storage::Backend::kSqlite) {
    config.url = "sqlite://" + dir.File("test.db");
  } else {
    config.url = PgCluster::Shared().CreateDatabase();
  }
  return config;
}

std::string BackendName(storage::Backend backend) {
  return backend == storage::Backend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace caredesk::testing
