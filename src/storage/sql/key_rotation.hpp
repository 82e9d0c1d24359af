// Master-key rotation: re-seals what is sealed directly with a master key (the
// per-record data keys and the users' TOTP secrets) under the current one.
// Everything else is sealed with data keys, so rotation touches a few small
// rows per resident, never the notes themselves.
#pragma once

#include <cstdint>

#include "core/ports/crypto.hpp"
#include "core/result.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

struct ResealReport {
  std::uint32_t current_key_id = 0;
  std::int64_t data_keys_resealed = 0;
  std::int64_t totp_secrets_resealed = 0;
  std::int64_t device_secrets_resealed = 0;
  std::int64_t comments_resealed = 0;  // weekly work report comments
  // Values still sealed with an older key after the pass (sealed meanwhile by a
  // server that had not yet loaded the new key): run the pass again.
  std::int64_t remaining = 0;
};

// Re-seals in batches of `batch_size`, one transaction per batch, so servers
// keep working meanwhile. Safe to run again and concurrently with servers.
core::Result<ResealReport> ResealUnderCurrentKey(Database& db, const core::Sealer& sealer,
                                                 int batch_size = 500);

}  // namespace caredesk::storage::sql
