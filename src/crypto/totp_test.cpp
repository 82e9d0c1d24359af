// RFC 6238 test vectors through the real HMAC-SHA1 of the crypto adapter.
#include "core/totp.hpp"

#include <gtest/gtest.h>

#include "crypto/sodium_digester.hpp"

namespace caredesk::crypto {
namespace {

core::Bytes Rfc6238Secret() {
  const std::string s = "12345678901234567890";
  return core::Bytes(s.begin(), s.end());
}

core::TimePoint At(std::int64_t unix_seconds) {
  return core::TimePoint(std::chrono::seconds(unix_seconds));
}

TEST(Totp, MatchesTheRfc6238Sha1Vectors) {
  SodiumDigester d;
  const auto secret = Rfc6238Secret();
  EXPECT_EQ(core::TotpCode(d, secret, At(59), 8), "94287082");
  EXPECT_EQ(core::TotpCode(d, secret, At(1111111109), 8), "07081804");
  EXPECT_EQ(core::TotpCode(d, secret, At(1111111111), 8), "14050471");
  EXPECT_EQ(core::TotpCode(d, secret, At(1234567890), 8), "89005924");
  EXPECT_EQ(core::TotpCode(d, secret, At(2000000000), 8), "69279037");
  // T = 20000000000 (year 2603) is past what system_clock's nanoseconds can hold:
  // check its step (T / 30) through HOTP directly.
  EXPECT_EQ(core::HotpCode(d, secret, 20000000000ULL / 30, 8), "65353130");
  EXPECT_EQ(core::TotpCode(d, secret, At(1234567890)), "005924");
}

TEST(Totp, AcceptsOneStepOfDriftAndNoMore) {
  SodiumDigester d;
  const auto secret = Rfc6238Secret();
  const auto now = At(1234567890);
  EXPECT_TRUE(core::VerifyTotp(d, secret, core::TotpCode(d, secret, now), now));
  EXPECT_TRUE(core::VerifyTotp(d, secret, core::TotpCode(d, secret, now - core::kTotpStep), now));
  EXPECT_TRUE(core::VerifyTotp(d, secret, core::TotpCode(d, secret, now + core::kTotpStep), now));
  EXPECT_FALSE(
      core::VerifyTotp(d, secret, core::TotpCode(d, secret, now - 2 * core::kTotpStep), now));
  EXPECT_FALSE(core::VerifyTotp(d, secret, "12345", now));
  EXPECT_FALSE(core::VerifyTotp(d, secret, "abcdef", now));
}

TEST(Base32, RoundTripsAndMatchesRfc4648) {
  const std::string foobar = "foobar";
  EXPECT_EQ(core::Base32Encode(core::Bytes(foobar.begin(), foobar.end())), "MZXW6YTBOI");
  const auto secret = Rfc6238Secret();
  EXPECT_EQ(core::Base32Decode(core::Base32Encode(secret)), secret);
  EXPECT_EQ(core::Base32Decode("gezd gnbv-gy3t qojq"), core::Base32Decode("GEZDGNBVGY3TQOJQ"));
  EXPECT_FALSE(core::Base32Decode("not base32!").has_value());
  EXPECT_NE(core::TotpProvisioningUri("CareDesk", "kim", secret).find("secret=GEZDGNBVGY3TQOJQ"),
            std::string::npos);
}

}  // namespace
}  // namespace caredesk::crypto
