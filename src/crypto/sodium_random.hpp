// RandomSource over libsodium's randombytes (the kernel CSPRNG).
#pragma once

#include <cstddef>
#include <string>

#include "core/ports/crypto.hpp"

namespace caredesk::crypto {

// Thread-safe.
class SodiumRandom final : public core::RandomSource {
 public:
  SodiumRandom();

  core::Bytes RandomBytes(std::size_t n) const override;
  std::string RandomHex(std::size_t n) const override;
};

}  // namespace caredesk::crypto
