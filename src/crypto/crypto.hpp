// The crypto adapter's entry point: the composition root opens the key file
// here and receives one implementation of every crypto port.
#pragma once

#include <memory>
#include <string>

#include "core/ports/crypto.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"
#include "crypto/sodium_password_hasher.hpp"

namespace caredesk::crypto {

struct CryptoSuite {
  std::unique_ptr<core::Sealer> sealer;
  std::unique_ptr<core::BlindIndexer> indexer;
  std::unique_ptr<core::PasswordHasher> hasher;
  std::unique_ptr<core::RandomSource> random;
  std::unique_ptr<core::Digester> digester;
};

// Initialises libsodium (once; later calls are cheap). Thread-safe. Fails only
// when the system offers no usable randomness source.
core::Status InitSodium();

// Initialises libsodium and loads the key file (see LoadKeyFile for what is
// refused). `password_cost` is the Argon2id cost of new password hashes;
// tests pass PasswordCost::Minimum() for speed.
core::Result<CryptoSuite> OpenCrypto(const std::string& key_file_path,
                                     PasswordCost password_cost = PasswordCost::Interactive());

}  // namespace caredesk::crypto
