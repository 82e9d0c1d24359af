// Demo data: 마포구, its 16 dongs and their desks, and an agency directory.
#pragma once

#include "core/directory.hpp"
#include "core/result.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

struct DemoSummary {
  int dongs = 0;
  int desks = 0;
  int agencies_created = 0;
  int agencies_total = 0;
};

// Idempotent: running it again creates nothing new and changes nothing.
core::Result<DemoSummary> SeedDemo(storage::Storage& storage, const core::District& district);

}  // namespace caredesk::app
