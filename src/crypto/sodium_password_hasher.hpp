// PasswordHasher over libsodium's Argon2id.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/ports/crypto.hpp"

namespace caredesk::crypto {

// The Argon2id cost of new hashes.
struct PasswordCost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;

  // libsodium's interactive preset (2 passes, 64 MiB): the production default.
  static PasswordCost Interactive();
  // The smallest cost libsodium accepts: fast, for tests only.
  static PasswordCost Minimum();
};

// Hashes are libsodium's encoded strings ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"),
// each with its own random salt. Thread-safe. Each Hash and Verify uses
// `memlimit` bytes of memory for its duration.
class SodiumPasswordHasher final : public core::PasswordHasher {
 public:
  // A cost outside libsodium's limits is a bug and aborts.
  explicit SodiumPasswordHasher(PasswordCost cost = PasswordCost::Interactive());

  // Aborts when the memory for Argon2id cannot be allocated: the port has no
  // way to report it, and an empty hash would lock the account out silently.
  std::string Hash(std::string_view password) const override;
  // False for a wrong password and for anything that is not an encoded hash.
  bool Verify(std::string_view encoded_hash, std::string_view password) const override;
  // True when the hash was made with other parameters than this hasher's, or
  // is not an Argon2id hash at all.
  bool NeedsRehash(std::string_view encoded_hash) const override;

 private:
  PasswordCost cost_;
};

}  // namespace caredesk::crypto
