// Port: where messages go out (an SMS / AlimTalk / e-mail provider behind a
// webhook, or a file for the demo).
#pragma once

#include <string>

#include "core/notification.hpp"

namespace caredesk::core {

struct OutgoingMessage {
  std::string message_id;  // stable across retries: the gateway drops a repeat
  NotificationKind kind = NotificationKind::kReceipt;
  NotificationChannel channel = NotificationChannel::kSms;
  std::string to;       // phone digits or e-mail address
  std::string subject;  // e-mail only
  std::string text;
};

struct DeliveryResult {
  enum class Outcome {
    kDelivered,  // accepted
    kRetry,      // down, overloaded, timed out: try again later
    kRejected,   // refused for good (bad number, bad request): no retry
  };
  Outcome outcome = Outcome::kRetry;
  std::string detail;  // e.g. "HTTP 503", for operators
  // Nobody answered (refused, timed out): the next messages would fare no better.
  bool unreachable = false;
};

class NotificationGateway {
 public:
  virtual ~NotificationGateway() = default;
  // Thread-safe.
  virtual DeliveryResult Deliver(const OutgoingMessage& message) = 0;
};

}  // namespace caredesk::core
