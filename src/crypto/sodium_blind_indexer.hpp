// BlindIndexer over keyed BLAKE2b (libsodium's crypto_generichash).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/ports/crypto.hpp"
#include "crypto/key_file.hpp"

namespace caredesk::crypto {

// Token = hex(BLAKE2b-128 keyed with the index key, over domain | 0x00 | value)
// as 32 lower-case hex characters. Deterministic for one key file, so equal
// values meet in an index; the domain keeps a phone token from matching a name
// token. Domains are constants of the code and must not contain 0x00 (a bug
// that aborts), which keeps the separator unambiguous. Thread-safe.
class SodiumBlindIndexer final : public core::BlindIndexer {
 public:
  static constexpr std::size_t kTokenBytes = 16;

  explicit SodiumBlindIndexer(std::shared_ptr<const KeyRing> keys);

  std::string Token(std::string_view domain, std::string_view normalized_value) const override;

 private:
  std::shared_ptr<const KeyRing> keys_;
};

}  // namespace caredesk::crypto
