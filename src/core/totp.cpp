#include "core/totp.hpp"

#include <cctype>

namespace caredesk::core {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kBitsPerBase32Char = 5;
constexpr int kDriftSteps = 1;

std::string UriEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(const Bytes& data) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const auto byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= kBitsPerBase32Char) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - kBitsPerBase32Char)) & 0x1F]);
      bits -= kBitsPerBase32Char;
    }
  }
  if (bits > 0) {
    out.push_back(kBase32Alphabet[(buffer << (kBitsPerBase32Char - bits)) & 0x1F]);
  }
  return out;
}

std::optional<Bytes> Base32Decode(std::string_view text) {
  Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char ch : text) {
    if (ch == '=' || ch == ' ' || ch == '-') {
      continue;
    }
    const auto pos =
        kBase32Alphabet.find(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    if (pos == std::string_view::npos) {
      return std::nullopt;
    }
    buffer = (buffer << kBitsPerBase32Char) | static_cast<std::uint32_t>(pos);
    bits += kBitsPerBase32Char;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string HotpCode(const Digester& digester, const Bytes& secret, std::uint64_t counter,
                     int digits) {
  Bytes message(8);
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  const Bytes mac = digester.HmacSha1(secret, message);
  // RFC 4226 section 5.3: dynamic truncation.
  const std::size_t offset = mac.back() & 0x0F;
  const std::uint32_t binary = ((mac[offset] & 0x7FU) << 24) | (mac[offset + 1] << 16) |
                               (mac[offset + 2] << 8) | mac[offset + 3];
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) {
    modulus *= 10;
  }
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::string TotpCode(const Digester& digester, const Bytes& secret, TimePoint t, int digits) {
  const auto step =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()) / kTotpStep;
  return HotpCode(digester, secret, static_cast<std::uint64_t>(step), digits);
}

bool VerifyTotp(const Digester& digester, const Bytes& secret, std::string_view code,
                TimePoint now) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) {
    return false;
  }
  bool match = false;
  for (int d = -kDriftSteps; d <= kDriftSteps; ++d) {
    // No early exit: every candidate is computed and compared in full.
    const auto candidate = TotpCode(digester, secret, now + d * kTotpStep);
    unsigned char diff = 0;
    for (std::size_t i = 0; i < candidate.size(); ++i) {
      diff |= static_cast<unsigned char>(candidate[i] ^ code[i]);
    }
    match = match || diff == 0;
  }
  return match;
}

std::string TotpProvisioningUri(std::string_view issuer, std::string_view account,
                                const Bytes& secret) {
  return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) +
         "?secret=" + Base32Encode(secret) + "&issuer=" + UriEscape(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace caredesk::core
