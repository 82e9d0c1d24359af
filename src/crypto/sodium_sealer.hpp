// Sealer over libsodium's XChaCha20-Poly1305-IETF.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/ports/crypto.hpp"
#include "crypto/key_file.hpp"

namespace caredesk::crypto {

// The sealed form: version (1 byte, kSealVersion) | key id (4 bytes, big-endian)
// | random nonce (24 bytes) | ciphertext and Poly1305 tag (plaintext + 16 bytes).
// The context is the associated data. Key id 0 marks a value sealed with a
// per-record data key (SealWith) rather than a master key.
inline constexpr std::uint8_t kSealVersion = 0x01;
inline constexpr std::uint32_t kDataKeyId = 0;
inline constexpr std::size_t kSealHeaderBytes = 1 + 4 + 24;
inline constexpr std::size_t kSealTagBytes = 16;
// How much longer a sealed value is than its plaintext.
inline constexpr std::size_t kSealOverheadBytes = kSealHeaderBytes + kSealTagBytes;
inline constexpr std::size_t kDataKeyBytes = 32;

// Thread-safe: every seal draws a fresh nonce; the key ring is swapped whole.
//
// Key rotation without downtime: with `key_file_path`, the sealer re-reads the
// key file when it changes (checked at most every `kReloadCheckInterval` on a
// seal) and when it meets a value sealed with a key id it does not know yet,
// so every server picks up a key added by `caredesk rotate-key` by itself.
class SodiumSealer final : public core::Sealer {
 public:
  static constexpr std::chrono::seconds kReloadCheckInterval{5};

  explicit SodiumSealer(std::shared_ptr<const KeyRing> keys, std::string key_file_path = "");

  core::Bytes Seal(std::string_view plaintext, std::string_view context) const override;
  // kInternal (the detail names the reason, never the plaintext or a key) when
  // the value is too short, of an unknown version, sealed with a data key or an
  // unknown key, tampered with, or sealed under another context.
  core::Result<std::string> Open(const core::Bytes& sealed,
                                 std::string_view context) const override;
  std::uint32_t CurrentKeyId() const override;
  // The key id in the header; 0 for a data-key seal or a value too short to have one.
  std::uint32_t KeyIdOf(const core::Bytes& sealed) const override;

  core::Bytes NewDataKey() const override;
  // `data_key` must be kDataKeyBytes long (as NewDataKey makes them); another
  // length is a bug and aborts.
  core::Bytes SealWith(const core::Bytes& data_key, std::string_view plaintext,
                       std::string_view context) const override;
  // kInternal as Open, and also when `data_key` is not kDataKeyBytes long or the
  // value was sealed with a master key.
  core::Result<std::string> OpenWith(const core::Bytes& data_key, const core::Bytes& sealed,
                                     std::string_view context) const override;

 private:
  std::shared_ptr<const KeyRing> Keys() const;
  // Re-reads the key file if it changed (or `force`); keeps the old ring when
  // the file is unreadable or invalid (logged by the caller's next failure).
  void MaybeReload(bool force) const;

  const std::string key_file_path_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const KeyRing> keys_;               // guarded by mutex_
  mutable std::chrono::steady_clock::time_point last_check_;  // guarded by mutex_
  mutable std::int64_t file_stamp_ = 0;                       // guarded by mutex_
};

}  // namespace caredesk::crypto
