// The notification outbox at work: delivers due messages through the gateway
// (retrying with backoff, giving up after a number of attempts), queues the
// staff's daily overdue digest, and lets an admin edit the message templates
// and see (and requeue) what went out.
//
// Recipients are looked up at delivery: a resident's phone and how they want
// to be reached (SMS, AlimTalk, or not at all), a staff member's e-mail. That
// read of a resident's personal data is an access record like any other (user
// 0, role "system", purpose "notification delivery").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/identity.hpp"
#include "core/notification.hpp"
#include "core/ports/case_repository.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/identity_repository.hpp"
#include "core/ports/notification_gateway.hpp"
#include "core/ports/outbox_repository.hpp"

namespace caredesk::core {

struct NotificationPorts {
  OutboxRepository& outbox;
  CaseRepository& cases;
  UserRepository& users;
  AccessLog& access_log;
  NotificationGateway* gateway;  // null: none configured, messages wait in the outbox
  const Clock& clock;
};

struct NotificationSettings {
  std::string district_code;  // message ids: "<code>-<outbox id>"
  std::string district_name;  // {{district}}
  int max_attempts = kDefaultMaxAttempts;
  // Longer than a batch of gateway calls can take (a batch × the gateway's timeout).
  std::chrono::seconds claim_lease{120};
};

struct DeliveryReport {
  int sent = 0;
  int retried = 0;
  int dead = 0;
  int skipped = 0;
  int Total() const { return sent + retried + dead + skipped; }
};

struct TemplateView {
  MessageTemplate t;
  bool builtin = true;  // no admin has changed it
  std::string builtin_body;
  std::vector<std::string_view> placeholders;
};

struct OutboxView {
  std::vector<OutboxMessage> messages;
  std::map<OutboxStatus, std::int64_t> counts;
  std::optional<OutboxMessageId> next_before;  // the next page's cursor
};

class NotificationService {
 public:
  NotificationService(NotificationPorts ports, DistrictId district, NotificationSettings settings);

  // Sends every due message, `batch` at a time, until none is due (at most `max_batches`). Stops
  // at the first message the gateway did not answer at all (down, timed out): the rest of the
  // batch stays claimed until the claim runs out, untried, instead of each waiting for a timeout.
  Result<DeliveryReport> DeliverDue(int batch = 50, int max_batches = 20);

  // One e-mail per staff member with overdue follow-ups or referrals (case numbers only).
  Result<int> QueueOverdueDigests();

  // Admin: the templates in effect, one per kind and channel.
  Result<std::vector<TemplateView>> Templates(const Actor& actor);
  Result<TemplateView> PutTemplate(const Actor& actor, NotificationKind kind,
                                   NotificationChannel channel, const std::string& body);
  Result<TemplateView> ResetTemplate(const Actor& actor, NotificationKind kind,
                                     NotificationChannel channel);
  // The text with example values, for the editor; validates like PutTemplate.
  Result<std::string> Preview(const Actor& actor, NotificationKind kind,
                              NotificationChannel channel, const std::string& body);

  Result<OutboxView> Outbox(const Actor& actor, const OutboxQuery& query);
  Status Requeue(const Actor& actor, OutboxMessageId id);

  // Example placeholder values (for previews and the docs).
  static std::map<std::string, std::string> ExampleParams(NotificationKind kind);

 private:
  Result<std::string> TemplateBody(NotificationKind kind, NotificationChannel channel);
  // `unreachable` is set when the gateway did not answer.
  Status Deliver(const OutboxRepository::Claimed& claimed, DeliveryReport& report,
                 bool& unreachable);
  Status Fail(const OutboxMessage& m, std::optional<NotificationChannel> channel, bool retryable,
              const std::string& detail, DeliveryReport& report);
  Status Allow(const Actor& actor);
  // The access record of an admin's change to a template.
  Status RecordTemplate(const Actor& actor, const std::string& action, NotificationKind kind,
                        NotificationChannel channel);

  NotificationPorts p_;
  DistrictId district_;
  NotificationSettings settings_;
};

}  // namespace caredesk::core
