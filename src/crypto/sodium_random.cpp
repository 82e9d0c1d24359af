#include "crypto/sodium_random.hpp"

#include <sodium.h>

#include "crypto/internal.hpp"

namespace caredesk::crypto {

SodiumRandom::SodiumRandom() { internal::EnsureSodium(); }

core::Bytes SodiumRandom::RandomBytes(std::size_t n) const {
  core::Bytes out(n);
  if (n > 0) {
    randombytes_buf(out.data(), n);
  }
  return out;
}

std::string SodiumRandom::RandomHex(std::size_t n) const {
  core::Bytes bytes = RandomBytes(n);
  std::string hex = internal::LowerHex(bytes.data(), bytes.size());
  // The hex is the secret now; the raw copy goes.
  sodium_memzero(bytes.data(), bytes.size());
  return hex;
}

}  // namespace caredesk::crypto
