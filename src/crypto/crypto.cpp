#include "crypto/crypto.hpp"

#include <sodium.h>

#include <utility>

#include "crypto/internal.hpp"
#include "crypto/sodium_blind_indexer.hpp"
#include "crypto/sodium_digester.hpp"
#include "crypto/sodium_random.hpp"
#include "crypto/sodium_sealer.hpp"

namespace caredesk::crypto {

core::Status InitSodium() {
  // A function-local static is initialised exactly once, even under concurrent first calls.
  static const int kInitResult = sodium_init();
  if (kInitResult < 0) {
    return core::Error::Make(core::ErrorCode::kInternal,
                             "The cryptography library could not be initialised.",
                             "암호화 라이브러리를 초기화할 수 없습니다.",
                             "sodium_init() failed: no usable randomness source");
  }
  return {};
}

core::Result<CryptoSuite> OpenCrypto(const std::string& key_file_path, PasswordCost password_cost) {
  if (auto init = InitSodium(); !init.ok()) {
    return std::move(init).error();
  }
  auto ring = LoadKeyFile(key_file_path);
  if (!ring.ok()) {
    return std::move(ring).error();
  }
  // The sealer and the indexer each need part of the ring; they share it.
  auto keys = std::make_shared<const KeyRing>(std::move(*ring));
  CryptoSuite suite;
  suite.sealer = std::make_unique<SodiumSealer>(keys, key_file_path);
  suite.indexer = std::make_unique<SodiumBlindIndexer>(keys);
  suite.hasher = std::make_unique<SodiumPasswordHasher>(password_cost);
  suite.random = std::make_unique<SodiumRandom>();
  suite.digester = std::make_unique<SodiumDigester>();
  return suite;
}

namespace internal {

void EnsureSodium() {
  if (!InitSodium().ok()) {
    core::Panic("libsodium could not be initialised (no usable randomness source)");
  }
}

std::string LowerHex(const unsigned char* data, std::size_t size) {
  // sodium_bin2hex writes 2 * size characters and a terminating NUL.
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), BytesOf(data), size);
  hex.pop_back();
  return hex;
}

const unsigned char* BytesOf(std::string_view s) {
  static constexpr unsigned char kEmpty = 0;
  if (s.data() == nullptr) {
    return &kEmpty;
  }
  return reinterpret_cast<const unsigned char*>(s.data());
}

const unsigned char* BytesOf(const unsigned char* data) {
  static constexpr unsigned char kEmpty = 0;
  return data == nullptr ? &kEmpty : data;
}

}  // namespace internal
}  // namespace caredesk::crypto
