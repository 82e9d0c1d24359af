#include "crypto/sodium_blind_indexer.hpp"

#include <sodium.h>

#include <array>
#include <utility>

#include "crypto/internal.hpp"

namespace caredesk::crypto {

static_assert(SodiumBlindIndexer::kTokenBytes >= crypto_generichash_BYTES_MIN);
static_assert(SecretKey::kSize >= crypto_generichash_KEYBYTES_MIN &&
              SecretKey::kSize <= crypto_generichash_KEYBYTES_MAX);

SodiumBlindIndexer::SodiumBlindIndexer(std::shared_ptr<const KeyRing> keys)
    : keys_(std::move(keys)) {
  internal::EnsureSodium();
  if (keys_ == nullptr) {
    core::Panic("SodiumBlindIndexer needs a key ring");
  }
}

std::string SodiumBlindIndexer::Token(std::string_view domain,
                                      std::string_view normalized_value) const {
  if (domain.find('\0') != std::string_view::npos) {
    core::Panic("blind index domain contains a NUL byte");
  }
  static constexpr unsigned char kSeparator = 0x00;
  crypto_generichash_state state;
  std::array<unsigned char, kTokenBytes> token{};
  crypto_generichash_init(&state, keys_->IndexKey().data(), SecretKey::kSize, token.size());
  crypto_generichash_update(&state, internal::BytesOf(domain), domain.size());
  crypto_generichash_update(&state, &kSeparator, sizeof(kSeparator));
  crypto_generichash_update(&state, internal::BytesOf(normalized_value), normalized_value.size());
  crypto_generichash_final(&state, token.data(), token.size());
  // The state holds key-derived material.
  sodium_memzero(&state, sizeof(state));
  return internal::LowerHex(token.data(), token.size());
}

}  // namespace caredesk::crypto
