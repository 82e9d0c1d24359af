// A clock that moves only when told to. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "core/ports/clock.hpp"

namespace caredesk::testing {

class FakeClock final : public core::Clock {
 public:
  // Starts at 2026-11-23T09:00:00Z (a Monday morning at the desk).
  FakeClock() : now_us_(1795424400LL * 1000000) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::microseconds(now_us_.load()));
  }
  void Advance(std::chrono::microseconds d) { now_us_ += d.count(); }

 private:
  std::atomic<std::int64_t> now_us_;
};

}  // namespace caredesk::testing
