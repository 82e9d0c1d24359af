#include "crypto/sodium_password_hasher.hpp"

#include <sodium.h>

#include <array>

#include "crypto/internal.hpp"

namespace caredesk::crypto {
namespace {

constexpr std::string_view kArgon2idPrefix = crypto_pwhash_argon2id_STRPREFIX;

// A std::string copy is NUL-terminated, as libsodium needs. Returns false for
// what cannot be an encoded hash: too long, or with an embedded NUL.
bool UsableEncoding(std::string_view encoded_hash) {
  return encoded_hash.size() < crypto_pwhash_STRBYTES &&
         encoded_hash.find('\0') == std::string_view::npos;
}

const char* CharsOf(std::string_view s) {
  return reinterpret_cast<const char*>(internal::BytesOf(s));
}

}  // namespace

PasswordCost PasswordCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

SodiumPasswordHasher::SodiumPasswordHasher(PasswordCost cost) : cost_(cost) {
  internal::EnsureSodium();
  if (cost_.opslimit < crypto_pwhash_OPSLIMIT_MIN || cost_.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      cost_.memlimit < crypto_pwhash_MEMLIMIT_MIN || cost_.memlimit > crypto_pwhash_MEMLIMIT_MAX) {
    core::Panic("Argon2id cost outside libsodium's limits");
  }
}

std::string SodiumPasswordHasher::Hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> encoded{};
  if (crypto_pwhash_str_alg(encoded.data(), CharsOf(password), password.size(), cost_.opslimit,
                            cost_.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    core::Panic("Argon2id hashing failed (out of memory)");
  }
  return encoded.data();
}

bool SodiumPasswordHasher::Verify(std::string_view encoded_hash, std::string_view password) const {
  if (!UsableEncoding(encoded_hash)) {
    return false;
  }
  const std::string encoded(encoded_hash);
  return crypto_pwhash_str_verify(encoded.c_str(), CharsOf(password), password.size()) == 0;
}

bool SodiumPasswordHasher::NeedsRehash(std::string_view encoded_hash) const {
  if (!UsableEncoding(encoded_hash) || !encoded_hash.starts_with(kArgon2idPrefix)) {
    return true;
  }
  const std::string encoded(encoded_hash);
  // 0: same parameters; 1: different; -1: not a valid Argon2id hash.
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), cost_.opslimit, cost_.memlimit) != 0;
}

}  // namespace caredesk::crypto
