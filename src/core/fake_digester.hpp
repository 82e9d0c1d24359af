// A deterministic stand-in for SHA-256 in pure tests (not cryptographic).
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "core/ports/crypto.hpp"

namespace caredesk::core {

class FakeDigester final : public Digester {
 public:
  std::string Sha256Hex(std::string_view data) const override {
    // Two different seeds so that short inputs still give 32 distinct hex chars.
    const auto a = std::hash<std::string_view>{}(data);
    const auto b = std::hash<std::string>{}(std::string(data) + "#");
    char out[33];
    std::snprintf(out, sizeof(out), "%016zx%016zx", a, b);
    return out;
  }
  Bytes HmacSha1(const Bytes& key, const Bytes& message) const override {
    Bytes out(key);
    out.insert(out.end(), message.begin(), message.end());
    return out;
  }
  std::string HmacSha256Hex(const Bytes& key, std::string_view message) const override {
    return Sha256Hex(std::string(key.begin(), key.end()) + "|" + std::string(message));
  }
  bool HmacSha256Matches(const Bytes& key, std::string_view message,
                         std::string_view mac_hex) const override {
    return HmacSha256Hex(key, message) == mac_hex;
  }
};

}  // namespace caredesk::core
