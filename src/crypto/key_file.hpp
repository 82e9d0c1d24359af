// The master key file: a small text file kept outside the database (and its
// backups), holding the keys that protect every sealed field and blind index.
//
// Format, one entry per line; blank lines and lines starting with '#' are ignored:
//   seal <id> <64 hex chars>   a 32-byte XChaCha20-Poly1305 key. Ids are positive
//                              integers; the highest id seals new values, older
//                              ones stay to open what they sealed (key rotation).
//   index <64 hex chars>       exactly one: the key for blind indexes and n-gram
//                              tokens. It never rotates, because a new one would
//                              invalidate every stored index.
// The file must not be accessible by group or others (mode 0600 or stricter).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace caredesk::crypto {

// 32 key bytes in memory that is locked against swapping where the OS allows
// it, and wiped when released. Move-only, so the bytes exist exactly once.
class SecretKey {
 public:
  static constexpr std::size_t kSize = 32;

  // Zero-filled. Call after InitSodium() (the factories in this library do).
  SecretKey();
  SecretKey(SecretKey&&) noexcept = default;
  SecretKey& operator=(SecretKey&&) noexcept = default;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey() = default;

  // Fills the key from the operating system's CSPRNG.
  static SecretKey Random();

  const unsigned char* data() const { return bytes_.get(); }
  unsigned char* data() { return bytes_.get(); }

 private:
  struct Wipe {
    void operator()(unsigned char* p) const;
  };
  std::unique_ptr<unsigned char, Wipe> bytes_;
};

// The keys of one key file. Immutable once loaded; thread-safe to read.
class KeyRing {
 public:
  // `seal_keys` must not be empty (a broken invariant aborts).
  KeyRing(std::map<std::uint32_t, SecretKey> seal_keys, SecretKey index_key);

  // The key with `id`, or nullptr when this ring has none.
  const SecretKey* SealKey(std::uint32_t id) const;
  // The highest id: the key that seals new values.
  std::uint32_t CurrentSealKeyId() const { return seal_keys_.rbegin()->first; }
  const SecretKey& IndexKey() const { return index_key_; }
  std::size_t SealKeyCount() const { return seal_keys_.size(); }

 private:
  std::map<std::uint32_t, SecretKey> seal_keys_;
  SecretKey index_key_;
};

// Reads and validates a key file. Fails (with the path and, for content
// errors, the line number; never with key material) when the file is missing
// or unreadable, accessible by group or others, or malformed: an unknown or
// incomplete line, a key that is not 64 hex characters, a seal id that is not
// a positive 32-bit integer or appears twice, no seal key, or not exactly one
// index key.
core::Result<KeyRing> LoadKeyFile(const std::string& path);

// Creates a key file with `seal 1 <random>` and `index <random>`, mode 0600,
// flushed to disk. Refuses to overwrite an existing file (or symlink).
core::Status GenerateKeyFile(const std::string& path);

// Appends `seal <highest id + 1> <random>` to a valid key file, keeping its
// existing lines, and returns the new id. Atomic: a temporary file in the same
// directory (mode 0600, same owner as the old file) is written and fsync'ed,
// then renamed over the old one; a symlinked path updates the link's target.
// Concurrent calls on the same directory are serialised with a lock.
// Running servers keep their loaded keys until restarted.
core::Result<std::uint32_t> AddSealKey(const std::string& path);

}  // namespace caredesk::crypto
