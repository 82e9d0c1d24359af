// The resident portal's own state: wrong guesses at a receipt's phone digits
// (core/portal.hpp), kept in the database so that every app server counts the
// same guesses and a restart forgets none.
#pragma once

#include <string>

#include "core/portal.hpp"
#include "core/result.hpp"

namespace caredesk::core {

class LookupThrottle {
 public:
  virtual ~LookupThrottle() = default;
  // The state of `receipt` (canonical form); all empty when it was never guessed wrong.
  virtual Result<LookupThrottleState> Get(DistrictId district, const std::string& receipt) = 0;
  // Applies AfterFailure at `now` atomically (two servers' guesses both count) and returns
  // the new state. Also forgets receipts whose window and lock ended before `forget_before`.
  virtual Result<LookupThrottleState> RecordFailure(DistrictId district, const std::string& receipt,
                                                    TimePoint now, TimePoint forget_before) = 0;
  // After the right digits: the count starts again.
  virtual Status Clear(DistrictId district, const std::string& receipt) = 0;
};

}  // namespace caredesk::core
