// Ports for cryptography. Core decides what is protected and when; the crypto
// adapter (libsodium) decides how. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace caredesk::core {

// Authenticated encryption of one field (XChaCha20-Poly1305). The sealed form
// names the key that sealed it, so keys can rotate while old records stay
// readable. `context` (e.g. "resident.phone:42") is bound as associated data:
// a sealed value copied into another field or record fails to open.
class Sealer {
 public:
  virtual ~Sealer() = default;
  virtual Bytes Seal(std::string_view plaintext, std::string_view context) const = 0;
  // kInternal when the value was tampered with, the context differs, or the key is unknown.
  virtual Result<std::string> Open(const Bytes& sealed, std::string_view context) const = 0;
  // The id of the key that new seals use; records sealed with another need re-sealing.
  virtual std::uint32_t CurrentKeyId() const = 0;
  virtual std::uint32_t KeyIdOf(const Bytes& sealed) const = 0;

  // Per-record data keys (crypto-shredding): a fresh random 32-byte key, and
  // sealing with it instead of the master key. The data key itself is stored
  // sealed by Seal(); destroying that stored copy makes the data unreadable.
  virtual Bytes NewDataKey() const = 0;
  virtual Bytes SealWith(const Bytes& data_key, std::string_view plaintext,
                         std::string_view context) const = 0;
  virtual Result<std::string> OpenWith(const Bytes& data_key, const Bytes& sealed,
                                       std::string_view context) const = 0;
};

// Keyed one-way tokens for equality lookups over protected values (blind
// indexes) and for the n-grams of the search index: a stolen database reveals
// neither values nor words. `domain` separates uses ("phone", "name", "ngram").
class BlindIndexer {
 public:
  virtual ~BlindIndexer() = default;
  virtual std::string Token(std::string_view domain, std::string_view normalized_value) const = 0;
};

// Password hashing (Argon2id). The encoded hash carries its own salt and cost.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string Hash(std::string_view password) const = 0;
  virtual bool Verify(std::string_view encoded_hash, std::string_view password) const = 0;
  // True when the hash was made with weaker parameters than current ones.
  virtual bool NeedsRehash(std::string_view encoded_hash) const = 0;
};

// Unpredictable tokens: session ids, CSRF tokens, TOTP secrets.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual Bytes RandomBytes(std::size_t n) const = 0;
  // `n` random bytes as lower-case hex (2n characters).
  virtual std::string RandomHex(std::size_t n) const = 0;
};

// One-way digest (SHA-256) for session-token storage and the access-record chain.
class Digester {
 public:
  virtual ~Digester() = default;
  virtual std::string Sha256Hex(std::string_view data) const = 0;
  // HMAC-SHA1, as RFC 6238 (TOTP) uses it with authenticator apps.
  virtual Bytes HmacSha1(const Bytes& key, const Bytes& message) const = 0;
  // HMAC-SHA256 as 64 lower-case hex characters (check-in devices sign with it).
  virtual std::string HmacSha256Hex(const Bytes& key, std::string_view message) const = 0;
  // Whether `mac_hex` is HMAC-SHA256(key, message), compared in constant time.
  virtual bool HmacSha256Matches(const Bytes& key, std::string_view message,
                                 std::string_view mac_hex) const = 0;
};

}  // namespace caredesk::core
