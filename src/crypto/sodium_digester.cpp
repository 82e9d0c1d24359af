#include "crypto/sodium_digester.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <limits>

#include "crypto/internal.hpp"

namespace caredesk::crypto {

SodiumDigester::SodiumDigester() { internal::EnsureSodium(); }

std::string SodiumDigester::Sha256Hex(std::string_view data) const {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), internal::BytesOf(data), data.size());
  return internal::LowerHex(digest.data(), digest.size());
}

core::Bytes SodiumDigester::HmacSha1(const core::Bytes& key, const core::Bytes& message) const {
  if (key.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    core::Panic("HMAC-SHA1 key too long");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha1(), internal::BytesOf(key.data()), static_cast<int>(key.size()),
           internal::BytesOf(message.data()), message.size(), mac.data(), &mac_size) == nullptr) {
    core::Panic("HMAC-SHA1 failed");
  }
  return {mac.begin(), mac.begin() + mac_size};
}

}  // namespace caredesk::crypto
