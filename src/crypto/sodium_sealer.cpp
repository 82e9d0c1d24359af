#include "crypto/sodium_sealer.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <utility>

#include "crypto/internal.hpp"

namespace caredesk::crypto {
namespace {

constexpr std::size_t kVersionOffset = 0;
constexpr std::size_t kKeyIdOffset = 1;
constexpr std::size_t kNonceOffset = 5;
constexpr std::size_t kBitsPerByte = 8;
constexpr std::size_t kKeyIdBytes = kNonceOffset - kKeyIdOffset;

static_assert(kNonceOffset + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kSealHeaderBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kSealTagBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SecretKey::kSize);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kDataKeyBytes);

core::Bytes SealUnder(const unsigned char* key, std::uint32_t key_id, std::string_view plaintext,
                      std::string_view context) {
  core::Bytes out(kSealOverheadBytes + plaintext.size());
  out[kVersionOffset] = kSealVersion;
  for (std::size_t i = 0; i < kKeyIdBytes; ++i) {
    out[kKeyIdOffset + i] =
        static_cast<std::uint8_t>(key_id >> (kBitsPerByte * (kKeyIdBytes - 1 - i)));
  }
  unsigned char* nonce = out.data() + kNonceOffset;
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(
          out.data() + kSealHeaderBytes, &written, internal::BytesOf(plaintext), plaintext.size(),
          internal::BytesOf(context), context.size(), nullptr, nonce, key) != 0 ||
      written != plaintext.size() + kSealTagBytes) {
    core::Panic("XChaCha20-Poly1305 encryption failed");
  }
  return out;
}

// The header of a sealed value; `valid` is false when it is too short or of another version.
struct Header {
  bool valid = false;
  std::uint32_t key_id = 0;
};

Header ReadHeader(const core::Bytes& sealed) {
  Header h;
  if (sealed.size() < kSealOverheadBytes || sealed[kVersionOffset] != kSealVersion) {
    return h;
  }
  for (std::size_t i = 0; i < kKeyIdBytes; ++i) {
    h.key_id = (h.key_id << kBitsPerByte) | sealed[kKeyIdOffset + i];
  }
  h.valid = true;
  return h;
}

core::Result<std::string> OpenUnder(const unsigned char* key, const core::Bytes& sealed,
                                    std::string_view context) {
  const std::size_t cipher_size = sealed.size() - kSealHeaderBytes;
  std::string plaintext(cipher_size - kSealTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &written, nullptr,
          sealed.data() + kSealHeaderBytes, cipher_size, internal::BytesOf(context), context.size(),
          sealed.data() + kNonceOffset, key) != 0) {
    return core::Error::Internal(
        "sealed value failed authentication (tampered with, wrong key or wrong context; "
        "context '" +
        std::string(context) + "')");
  }
  plaintext.resize(written);
  return plaintext;
}

core::Error Malformed(std::string_view context) {
  return core::Error::Internal("sealed value too short or of an unknown version (context '" +
                               std::string(context) + "')");
}

}  // namespace

namespace {

// The key file's modification time and size, as one number that changes when the file does.
std::int64_t FileStamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return 0;
  }
  constexpr std::int64_t kNanos = 1000000000;
  return (static_cast<std::int64_t>(st.st_mtim.tv_sec) * kNanos + st.st_mtim.tv_nsec) ^
         (static_cast<std::int64_t>(st.st_size) << 1) ^ static_cast<std::int64_t>(st.st_ino);
}

}  // namespace

SodiumSealer::SodiumSealer(std::shared_ptr<const KeyRing> keys, std::string key_file_path)
    : key_file_path_(std::move(key_file_path)),
      keys_(std::move(keys)),
      last_check_(std::chrono::steady_clock::now()) {
  internal::EnsureSodium();
  if (keys_ == nullptr) {
    core::Panic("SodiumSealer needs a key ring");
  }
  if (!key_file_path_.empty()) {
    file_stamp_ = FileStamp(key_file_path_);
  }
}

std::shared_ptr<const KeyRing> SodiumSealer::Keys() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

void SodiumSealer::MaybeReload(bool force) const {
  if (key_file_path_.empty()) {
    return;
  }
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_check_ < kReloadCheckInterval) {
    return;
  }
  last_check_ = now;
  const auto stamp = FileStamp(key_file_path_);
  if (stamp == file_stamp_ && !force) {
    return;
  }
  auto ring = LoadKeyFile(key_file_path_);
  if (!ring.ok()) {
    return;  // keep sealing with the keys we have; a broken file must not stop the service
  }
  // Never drop a key we had: values sealed with it must stay readable.
  if (ring->CurrentSealKeyId() < keys_->CurrentSealKeyId()) {
    return;
  }
  file_stamp_ = stamp;
  keys_ = std::make_shared<const KeyRing>(std::move(*ring));
}

core::Bytes SodiumSealer::Seal(std::string_view plaintext, std::string_view context) const {
  MaybeReload(false);
  const auto keys = Keys();
  const std::uint32_t id = keys->CurrentSealKeyId();
  return SealUnder(keys->SealKey(id)->data(), id, plaintext, context);
}

core::Result<std::string> SodiumSealer::Open(const core::Bytes& sealed,
                                             std::string_view context) const {
  const Header h = ReadHeader(sealed);
  if (!h.valid) {
    return Malformed(context);
  }
  if (h.key_id == kDataKeyId) {
    return core::Error::Internal("value was sealed with a data key, not a master key (context '" +
                                 std::string(context) + "')");
  }
  auto keys = Keys();
  if (keys->SealKey(h.key_id) == nullptr) {
    MaybeReload(true);  // sealed by a server that already has a newer key
    keys = Keys();
  }
  const SecretKey* key = keys->SealKey(h.key_id);
  if (key == nullptr) {
    return core::Error::Internal("value was sealed with unknown key id " +
                                 std::to_string(h.key_id) + " (context '" + std::string(context) +
                                 "')");
  }
  return OpenUnder(key->data(), sealed, context);
}

std::uint32_t SodiumSealer::CurrentKeyId() const {
  MaybeReload(false);
  return Keys()->CurrentSealKeyId();
}

std::uint32_t SodiumSealer::KeyIdOf(const core::Bytes& sealed) const {
  return ReadHeader(sealed).key_id;
}

core::Bytes SodiumSealer::NewDataKey() const {
  core::Bytes key(kDataKeyBytes);
  crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
  return key;
}

core::Bytes SodiumSealer::SealWith(const core::Bytes& data_key, std::string_view plaintext,
                                   std::string_view context) const {
  if (data_key.size() != kDataKeyBytes) {
    core::Panic("SealWith: a data key must be 32 bytes (use NewDataKey)");
  }
  return SealUnder(data_key.data(), kDataKeyId, plaintext, context);
}

core::Result<std::string> SodiumSealer::OpenWith(const core::Bytes& data_key,
                                                 const core::Bytes& sealed,
                                                 std::string_view context) const {
  if (data_key.size() != kDataKeyBytes) {
    return core::Error::Internal("data key is " + std::to_string(data_key.size()) +
                                 " bytes, not 32 (context '" + std::string(context) + "')");
  }
  const Header h = ReadHeader(sealed);
  if (!h.valid) {
    return Malformed(context);
  }
  if (h.key_id != kDataKeyId) {
    return core::Error::Internal("value was sealed with master key " + std::to_string(h.key_id) +
                                 ", not a data key (context '" + std::string(context) + "')");
  }
  return OpenUnder(data_key.data(), sealed, context);
}

}  // namespace caredesk::crypto
