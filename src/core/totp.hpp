// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as used by
// authenticator apps: HMAC-SHA1, 30-second steps, 6 digits. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/identity.hpp"
#include "core/ports/crypto.hpp"

namespace caredesk::core {

inline constexpr int kTotpDigits = 6;
inline constexpr std::chrono::seconds kTotpStep{30};
inline constexpr std::size_t kTotpSecretBytes = 20;

// RFC 4648 base32 without padding (what authenticator apps expect).
std::string Base32Encode(const Bytes& data);
std::optional<Bytes> Base32Decode(std::string_view text);

// The code for time step `counter` (HOTP) and for time `t` (TOTP), zero-padded.
std::string HotpCode(const Digester& digester, const Bytes& secret, std::uint64_t counter,
                     int digits = kTotpDigits);
std::string TotpCode(const Digester& digester, const Bytes& secret, TimePoint t,
                     int digits = kTotpDigits);

// True when `code` matches the step of `now` or one step either side (clock
// drift between phone and server).
bool VerifyTotp(const Digester& digester, const Bytes& secret, std::string_view code,
                TimePoint now);

// otpauth:// URI for a QR code or manual entry in an authenticator app.
std::string TotpProvisioningUri(std::string_view issuer, std::string_view account,
                                const Bytes& secret);

}  // namespace caredesk::core
