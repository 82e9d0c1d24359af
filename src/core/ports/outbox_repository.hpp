// Port: the notification outbox and the district's message templates.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/notification.hpp"
#include "core/result.hpp"

namespace caredesk::core {

struct OutboxQuery {
  std::optional<OutboxStatus> status;
  std::optional<OutboxMessageId> before_id;  // the next page: older than this
  int limit = 50;
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  // Messages that no case write carries (digests, alerts), in one transaction.
  virtual Status Enqueue(DistrictId district, const std::vector<Notification>& messages) = 0;
  // Claims up to `limit` pending messages due at `now`, oldest first, until `lease_until`: a
  // claimed message is not claimed again (by this or another server) before then, so a server
  // that dies mid-send gives its messages back when the lease runs out. Each comes with its
  // case number and the case's dong name.
  struct Claimed {
    OutboxMessage message;
    std::string dong_name;
  };
  virtual Result<std::vector<Claimed>> ClaimDue(DistrictId district, TimePoint now,
                                                TimePoint lease_until, int limit) = 0;
  virtual Status MarkSent(OutboxMessageId id, NotificationChannel channel, const std::string& body,
                          int attempts, TimePoint at) = 0;
  // `next_attempt` nullopt: dead (no more attempts).
  virtual Status MarkFailed(OutboxMessageId id, std::optional<NotificationChannel> channel,
                            int attempts, std::optional<TimePoint> next_attempt,
                            const std::string& error) = 0;
  virtual Status MarkSkipped(OutboxMessageId id, const std::string& reason, TimePoint at) = 0;
  // Newest first.
  virtual Result<std::vector<OutboxMessage>> ListOutbox(DistrictId district,
                                                        const OutboxQuery& query) = 0;
  virtual Result<std::map<OutboxStatus, std::int64_t>> CountOutbox(DistrictId district) = 0;
  // A dead message back to pending with its attempts reset; false when it is not dead.
  virtual Result<bool> Requeue(DistrictId district, OutboxMessageId id, TimePoint now) = 0;

  // The templates an admin changed (the built-in ones are in the core).
  virtual Result<std::vector<MessageTemplate>> ListTemplates(DistrictId district) = 0;
  virtual Status PutTemplate(DistrictId district, const MessageTemplate& t) = 0;
  // Back to the built-in text.
  virtual Status DeleteTemplate(DistrictId district, NotificationKind kind,
                                NotificationChannel channel) = 0;
};

}  // namespace caredesk::core
