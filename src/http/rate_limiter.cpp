#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace caredesk::http {
namespace {

// Above this many tracked clients, full (idle) buckets are forgotten.
constexpr std::size_t kPruneThreshold = 10000;

}  // namespace

RateLimiter::RateLimiter(double rate_per_second, double burst)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)) {}

void RateLimiter::Refill(Bucket& b, TimePoint now) const {
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.updated = now;
  }
}

void RateLimiter::PruneIfLarge(TimePoint now) {
  if (buckets_.size() < kPruneThreshold) {
    return;
  }
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

bool RateLimiter::Allow(const std::string& client, TimePoint now) {
  if (rate_ <= 0) {
    return true;
  }
  std::lock_guard lock(mutex_);
  PruneIfLarge(now);
  auto [it, inserted] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens < 1.0) {
    return false;
  }
  b.tokens -= 1.0;
  return true;
}

int RateLimiter::RetryAfterSeconds(const std::string& client, TimePoint now) {
  if (rate_ <= 0) {
    return 1;
  }
  std::lock_guard lock(mutex_);
  const auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    return 1;
  }
  Refill(it->second, now);
  const double missing = std::max(0.0, 1.0 - it->second.tokens);
  return std::max(1, static_cast<int>(std::ceil(missing / rate_)));
}

}  // namespace caredesk::http
