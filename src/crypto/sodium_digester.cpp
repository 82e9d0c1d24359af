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

namespace {

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> HmacSha256(const core::Bytes& key,
                                                                   std::string_view message) {
  // The init/update/final form takes a key of any length (RFC 2104).
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, internal::BytesOf(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, internal::BytesOf(message), message.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

}  // namespace

std::string SodiumDigester::HmacSha256Hex(const core::Bytes& key, std::string_view message) const {
  const auto mac = HmacSha256(key, message);
  return internal::LowerHex(mac.data(), mac.size());
}

bool SodiumDigester::HmacSha256Matches(const core::Bytes& key, std::string_view message,
                                       std::string_view mac_hex) const {
  const std::string expected = HmacSha256Hex(key, message);
  return mac_hex.size() == expected.size() &&
         sodium_memcmp(expected.data(), mac_hex.data(), expected.size()) == 0;
}

}  // namespace caredesk::crypto
