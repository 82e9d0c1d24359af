// Port: the current time. Core never reads the system clock; tests use a fake.
#pragma once

#include <chrono>

namespace caredesk::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

}  // namespace caredesk::core
