// Per-client token buckets: `rate` requests per second on average, bursts up
// to `burst`. Beyond that the server answers 429 rate_limited. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace caredesk::http {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // rate <= 0 disables limiting.
  RateLimiter(double rate_per_second, double burst);

  // Takes one token for `client` at time `now`; false when the bucket is empty.
  bool Allow(const std::string& client, TimePoint now);

  // Seconds until `client` has a token again (for Retry-After), at least 1.
  int RetryAfterSeconds(const std::string& client, TimePoint now);

 private:
  struct Bucket {
    double tokens;
    TimePoint updated;
  };
  void Refill(Bucket& b, TimePoint now) const;
  void PruneIfLarge(TimePoint now);

  const double rate_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
};

}  // namespace caredesk::http
