#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsABurstThenTheSustainedRate) {
  RateLimiter limiter(2.0, 3.0);  // 2/s, bursts of 3
  const RateLimiter::TimePoint t0{};
  EXPECT_TRUE(limiter.Allow("a", t0));
  EXPECT_TRUE(limiter.Allow("a", t0));
  EXPECT_TRUE(limiter.Allow("a", t0));
  EXPECT_FALSE(limiter.Allow("a", t0));
  EXPECT_EQ(limiter.RetryAfterSeconds("a", t0), 1);
  // Another client has its own bucket.
  EXPECT_TRUE(limiter.Allow("b", t0));
  // Half a second later one token is back, not more.
  EXPECT_TRUE(limiter.Allow("a", t0 + 500ms));
  EXPECT_FALSE(limiter.Allow("a", t0 + 500ms));
  // Long idle refills only up to the burst.
  const auto later = t0 + 60s;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.Allow("a", later));
  }
  EXPECT_FALSE(limiter.Allow("a", later));
}

TEST(RateLimiter, ZeroRateMeansUnlimited) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.Allow("a", RateLimiter::TimePoint{}));
  }
}

TEST(RateLimiter, SlowRatesGiveLongerRetryAfter) {
  RateLimiter limiter(0.1, 1.0);  // one request per 10 s
  const RateLimiter::TimePoint t0{};
  EXPECT_TRUE(limiter.Allow("a", t0));
  EXPECT_FALSE(limiter.Allow("a", t0));
  EXPECT_EQ(limiter.RetryAfterSeconds("a", t0), 10);
}

}  // namespace
}  // namespace caredesk::http
