// Notifications: the text messages CareDesk sends residents (receipt, next
// contact date, resolved) and the e-mails it sends staff (overdue work, an
// emergency from a check-in device). Pure: which messages a change of a case
// calls for, the message templates and their placeholders, and the retry
// schedule of the outbox.
//
// Every message goes through the outbox (a table written in the same
// transaction as the change that called for it), so a gateway that is down
// loses nothing: the dispatcher retries with backoff and gives up (dead letter)
// after a number of attempts. A message carries no personal data of its own:
// the recipient's phone or e-mail and the case number are looked up when it is
// sent, so a resident who opts out (or is erased) meanwhile gets nothing.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/identity.hpp"

namespace caredesk::core {

using OutboxMessageId = std::int64_t;

enum class NotificationKind {
  kReceipt,           // resident: the case was received, with its number
  kNextContact,       // resident: when we will contact them next
  kResolved,          // resident: the case was resolved
  kAnswered,          // resident: a counselor wrote them an answer (read in the portal)
  kOverdueDigest,     // staff: their overdue follow-ups and referrals
  kEmergencyCheckin,  // staff (supervisors): a check-in device's emergency opened a case
};
std::string_view Code(NotificationKind v);
template <>
std::optional<NotificationKind> Parse<NotificationKind>(std::string_view code);
template <>
std::vector<NotificationKind> AllValues<NotificationKind>();
bool ForResident(NotificationKind kind);  // else for staff

enum class NotificationChannel { kSms, kAlimTalk, kEmail };
std::string_view Code(NotificationChannel v);
template <>
std::optional<NotificationChannel> Parse<NotificationChannel>(std::string_view code);
template <>
std::vector<NotificationChannel> AllValues<NotificationChannel>();
// The channels a kind can go by: SMS and AlimTalk for residents, e-mail for staff.
std::vector<NotificationChannel> ChannelsFor(NotificationKind kind);
bool GoesBy(NotificationKind kind, NotificationChannel channel);

enum class OutboxStatus {
  kPending,  // waiting for its (next) attempt
  kSent,     // the gateway accepted it
  kSkipped,  // nobody to send it to: opted out, erased, no phone or e-mail
  kDead,     // given up: rejected by the gateway, or out of attempts
};
std::string_view Code(OutboxStatus v);
template <>
std::optional<OutboxStatus> Parse<OutboxStatus>(std::string_view code);
template <>
std::vector<OutboxStatus> AllValues<OutboxStatus>();

// A message a change calls for, before it is in the outbox. The case id is
// filled in by the repository for a case it creates in the same transaction.
struct Notification {
  NotificationKind kind = NotificationKind::kReceipt;
  std::optional<ResidentId> resident_id;  // residents' kinds
  std::optional<UserId> user_id;          // staff kinds
  std::optional<CaseId> case_id;
  // Placeholder values known when the message is queued (e.g. date); codes,
  // dates and counts only, never personal data.
  std::map<std::string, std::string> params;
  TimePoint queued_at;  // the first attempt is due then
};

struct OutboxMessage {
  OutboxMessageId id = 0;
  DistrictId district_id = 0;
  Notification n;
  OutboxStatus status = OutboxStatus::kPending;
  int attempts = 0;
  TimePoint created_at;
  TimePoint next_attempt_at;
  std::optional<TimePoint> sent_at;
  std::optional<NotificationChannel> channel;  // set at the attempt
  std::string last_error;                      // the gateway's last answer, for operators
  std::string case_number;                     // looked up, for lists
};

// --- Which messages a change of a case calls for -----------------------------------

// Residents are sent text messages only about a case they brought themselves
// (visit, phone, online): the subject of a neighbour's report, of outreach or of
// a check-in device hears from a person first, not from a text message.
bool ResidentAskedThemselves(Channel channel);

// `before` is null for a case being created. The receipt for a new case; the
// next contact date when the change added a follow-up that contacts the
// resident (counseling, welfare check, home visit; the earliest one); the
// resolved message when the case moved to resolved; the answered message when
// the change added a consultation with an answer for the resident. The resident's preference
// is checked when the message is sent, not here.
std::vector<Notification> PlanCaseNotifications(const CaseFile* before, const CaseFile& after,
                                                TimePoint now);

// --- Templates ----------------------------------------------------------------------

struct MessageTemplate {
  NotificationKind kind = NotificationKind::kReceipt;
  NotificationChannel channel = NotificationChannel::kSms;
  std::string body;       // with {{placeholders}}
  UserId updated_by = 0;  // 0: the built-in text
  std::optional<TimePoint> updated_at;
};

// The built-in text of every kind and channel it can go by.
const std::vector<MessageTemplate>& DefaultTemplates();
const MessageTemplate& DefaultTemplate(NotificationKind kind, NotificationChannel channel);

// The placeholders a kind's template may use, e.g. {"case_number", "dong", "district"}.
std::vector<std::string_view> PlaceholdersOf(NotificationKind kind);

inline constexpr std::size_t kMaxTemplateChars = 1000;

// kValidation (field `body`) for an empty or too long text, a placeholder the
// kind does not have, or an unclosed {{; kValidation (field `channel`) for a
// channel the kind does not go by.
Status ValidateTemplate(NotificationKind kind, NotificationChannel channel, std::string_view body);

// Replaces every {{name}} by params[name] (empty when missing).
std::string RenderTemplate(std::string_view body, const std::map<std::string, std::string>& params);

// --- Retries --------------------------------------------------------------------------

inline constexpr int kDefaultMaxAttempts = 8;
// When to try again after `attempts` failed attempts (1, 2, ...): 30 s, 1 min,
// 2 min, ... doubling up to one hour.
TimePoint NextAttemptAt(TimePoint now, int attempts);

}  // namespace caredesk::core
