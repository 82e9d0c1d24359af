// Digester: SHA-256 from libsodium, HMAC-SHA1 from OpenSSL (libsodium has no SHA-1).
#pragma once

#include <string>
#include <string_view>

#include "core/ports/crypto.hpp"

namespace caredesk::crypto {

// Thread-safe.
class SodiumDigester final : public core::Digester {
 public:
  SodiumDigester();

  // 64 lower-case hex characters.
  std::string Sha256Hex(std::string_view data) const override;
  // 20 bytes. A key longer than INT_MAX bytes is a bug and aborts.
  core::Bytes HmacSha1(const core::Bytes& key, const core::Bytes& message) const override;
  std::string HmacSha256Hex(const core::Bytes& key, std::string_view message) const override;
  bool HmacSha256Matches(const core::Bytes& key, std::string_view message,
                         std::string_view mac_hex) const override;
};

}  // namespace caredesk::crypto
