#include "core/notification_service.hpp"

#include <algorithm>
#include <utility>

#include "core/access_record.hpp"

namespace caredesk::core {

namespace {

constexpr std::size_t kMaxDigestCaseNumbers = 10;

std::string Str(std::int64_t v) { return std::to_string(v); }

std::string SubjectOf(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kOverdueDigest:
      return "[CareDesk] 기한이 지난 일";
    case NotificationKind::kEmergencyCheckin:
      return "[CareDesk 긴급] 돌봄 기기 긴급 호출";
    default:
      return "[CareDesk]";
  }
}

// The resident's preference as the channel a message goes by; nullopt for the opt-out.
std::optional<NotificationChannel> ChannelOf(ContactPreference p) {
  switch (p) {
    case ContactPreference::kSms:
      return NotificationChannel::kSms;
    case ContactPreference::kAlimTalk:
      return NotificationChannel::kAlimTalk;
    case ContactPreference::kNone:
      return std::nullopt;
  }
  return std::nullopt;
}

TemplateView ViewOf(MessageTemplate t, bool builtin) {
  TemplateView v;
  v.builtin_body = DefaultTemplate(t.kind, t.channel).body;
  v.placeholders = PlaceholdersOf(t.kind);
  v.builtin = builtin;
  v.t = std::move(t);
  return v;
}

}  // namespace

NotificationService::NotificationService(NotificationPorts ports, DistrictId district,
                                         NotificationSettings settings)
    : p_(ports), district_(district), settings_(std::move(settings)) {}

Status NotificationService::RecordTemplate(const Actor& actor, const std::string& action,
                                           NotificationKind kind, NotificationChannel channel) {
  if (auto r = p_.access_log.Append(
          AllowedRecord(actor, p_.clock.Now(), action, "message_template",
                        std::string(Code(kind)) + "/" + std::string(Code(channel))));
      !r.ok()) {
    return std::move(r).error();
  }
  return {};
}

Status NotificationService::Allow(const Actor& actor) {
  if (const auto d = Authorize(actor, Action::kManageNotifications); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return {};
}

Result<std::string> NotificationService::TemplateBody(NotificationKind kind,
                                                      NotificationChannel channel) {
  auto stored = p_.outbox.ListTemplates(district_);
  if (!stored.ok()) {
    return std::move(stored).error();
  }
  for (const auto& t : *stored) {
    if (t.kind == kind && t.channel == channel) {
      return t.body;
    }
  }
  return DefaultTemplate(kind, channel).body;
}

Result<DeliveryReport> NotificationService::DeliverDue(int batch, int max_batches) {
  DeliveryReport report;
  if (p_.gateway == nullptr) {
    return report;  // nowhere to send: everything waits
  }
  for (int round = 0; round < max_batches; ++round) {
    const auto now = p_.clock.Now();
    auto claimed = p_.outbox.ClaimDue(district_, now, now + settings_.claim_lease, batch);
    if (!claimed.ok()) {
      return std::move(claimed).error();
    }
    for (const auto& c : *claimed) {
      bool unreachable = false;
      if (auto s = Deliver(c, report, unreachable); !s.ok()) {
        return std::move(s).error();
      }
      if (unreachable) {
        return report;
      }
    }
    if (static_cast<int>(claimed->size()) < batch) {
      break;
    }
  }
  return report;
}

Status NotificationService::Fail(const OutboxMessage& m, std::optional<NotificationChannel> channel,
                                 bool retryable, const std::string& detail,
                                 DeliveryReport& report) {
  const int attempts = m.attempts + 1;
  if (retryable && attempts < settings_.max_attempts) {
    ++report.retried;
    return p_.outbox.MarkFailed(m.id, channel, attempts, NextAttemptAt(p_.clock.Now(), attempts),
                                detail);
  }
  ++report.dead;
  return p_.outbox.MarkFailed(m.id, channel, attempts, std::nullopt, detail);
}

Status NotificationService::Deliver(const OutboxRepository::Claimed& claimed,
                                    DeliveryReport& report, bool& unreachable) {
  const OutboxMessage& m = claimed.message;
  const auto now = p_.clock.Now();
  OutgoingMessage out;
  out.message_id = settings_.district_code + "-" + Str(m.id);
  out.kind = m.n.kind;
  std::map<std::string, std::string> params = m.n.params;
  params["district"] = settings_.district_name;
  params["case_number"] = m.case_number;
  params["dong"] = claimed.dong_name;

  if (ForResident(m.n.kind)) {
    if (!m.n.resident_id) {
      ++report.skipped;
      return p_.outbox.MarkSkipped(m.id, "no resident", now);
    }
    auto resident = p_.cases.GetResident(district_, *m.n.resident_id);
    if (!resident.ok()) {
      if (resident.error().code == ErrorCode::kNotFound) {
        ++report.skipped;
        return p_.outbox.MarkSkipped(m.id, "resident not found", now);
      }
      return Fail(m, std::nullopt, true, resident.error().message, report);
    }
    Actor system;
    system.district_id = district_;
    system.role = Role::kAdmin;  // recorded as "system" below
    auto record = AllowedRecord(system, now, "read", "resident", Str(resident->id),
                                "notification delivery (outbox " + Str(m.id) + ")");
    record.role = "system";
    record.user_id = 0;
    if (auto s = p_.access_log.Append(record); !s.ok()) {
      return std::move(s).error();
    }
    const auto channel = ChannelOf(resident->contact_by);
    if (resident->erased || !channel) {
      ++report.skipped;
      return p_.outbox.MarkSkipped(m.id, resident->erased ? "erased" : "opted out", now);
    }
    if (resident->phone.empty()) {
      ++report.skipped;
      return p_.outbox.MarkSkipped(m.id, "no phone", now);
    }
    out.channel = *channel;
    out.to = resident->phone;
  } else {
    if (!m.n.user_id) {
      ++report.skipped;
      return p_.outbox.MarkSkipped(m.id, "no user", now);
    }
    auto user = p_.users.Get(*m.n.user_id);
    if (!user.ok() && user.error().code != ErrorCode::kNotFound) {
      return Fail(m, std::nullopt, true, user.error().message, report);  // e.g. database down
    }
    if (!user.ok() || !user->active || user->email.empty()) {
      ++report.skipped;
      return p_.outbox.MarkSkipped(
          m.id, !user.ok() ? "user not found" : (!user->active ? "inactive" : "no e-mail"), now);
    }
    out.channel = NotificationChannel::kEmail;
    out.to = user->email;
    out.subject = SubjectOf(m.n.kind);
  }
  auto body = TemplateBody(m.n.kind, out.channel);
  if (!body.ok()) {
    return std::move(body).error();
  }
  out.text = RenderTemplate(*body, params);
  const auto result = p_.gateway->Deliver(out);
  switch (result.outcome) {
    case DeliveryResult::Outcome::kDelivered:
      ++report.sent;
      return p_.outbox.MarkSent(m.id, out.channel, out.text, m.attempts + 1, p_.clock.Now());
    case DeliveryResult::Outcome::kRejected:
      return Fail(m, out.channel, false, result.detail, report);
    case DeliveryResult::Outcome::kRetry:
      unreachable = result.unreachable;
      return Fail(m, out.channel, true, result.detail, report);
  }
  return {};
}

Result<int> NotificationService::QueueOverdueDigests() {
  WorkFilter filter;
  filter.due_before = p_.clock.Now();
  constexpr int kMaxOverdue = 5000;
  filter.limit = kMaxOverdue;
  auto items = p_.cases.ListWork(district_, filter);
  if (!items.ok()) {
    return std::move(items).error();
  }
  std::map<UserId, std::vector<std::string>> by_owner;
  for (const auto& w : *items) {
    auto& numbers = by_owner[w.owner_id];
    if (std::find(numbers.begin(), numbers.end(), w.case_number) == numbers.end()) {
      numbers.push_back(w.case_number);
    }
  }
  std::map<UserId, std::size_t> counts;
  for (const auto& w : *items) {
    ++counts[w.owner_id];
  }
  std::vector<Notification> messages;
  for (auto& [owner, numbers] : by_owner) {
    if (owner == 0) {
      continue;
    }
    Notification n;
    n.kind = NotificationKind::kOverdueDigest;
    n.user_id = owner;
    n.params["count"] = Str(static_cast<std::int64_t>(counts[owner]));
    std::string list;
    for (std::size_t i = 0; i < numbers.size() && i < kMaxDigestCaseNumbers; ++i) {
      list += (i > 0 ? ", " : "") + numbers[i];
    }
    if (numbers.size() > kMaxDigestCaseNumbers) {
      list +=
          " 외 " + Str(static_cast<std::int64_t>(numbers.size() - kMaxDigestCaseNumbers)) + "건";
    }
    n.params["case_numbers"] = list;
    n.queued_at = p_.clock.Now();
    messages.push_back(std::move(n));
  }
  if (messages.empty()) {
    return 0;
  }
  if (auto s = p_.outbox.Enqueue(district_, messages); !s.ok()) {
    return std::move(s).error();
  }
  return static_cast<int>(messages.size());
}

std::map<std::string, std::string> NotificationService::ExampleParams(NotificationKind kind) {
  std::map<std::string, std::string> p{
      {"district", "마포구"}, {"dong", "서교동"}, {"case_number", "2026-서교-000123"}};
  if (kind == NotificationKind::kNextContact) {
    p["date"] = "12월 3일";
  }
  if (kind == NotificationKind::kOverdueDigest) {
    p = {{"district", "마포구"},
         {"count", "3"},
         {"case_numbers", "2026-서교-000123, 2026-서교-000131"}};
  }
  return p;
}

Result<std::vector<TemplateView>> NotificationService::Templates(const Actor& actor) {
  if (auto s = Allow(actor); !s.ok()) {
    return std::move(s).error();
  }
  auto stored = p_.outbox.ListTemplates(district_);
  if (!stored.ok()) {
    return std::move(stored).error();
  }
  std::vector<TemplateView> out;
  for (const auto& d : DefaultTemplates()) {
    const auto changed = std::find_if(stored->begin(), stored->end(), [&](const auto& s) {
      return s.kind == d.kind && s.channel == d.channel;
    });
    out.push_back(changed == stored->end() ? ViewOf(d, true) : ViewOf(*changed, false));
  }
  return out;
}

Result<TemplateView> NotificationService::PutTemplate(const Actor& actor, NotificationKind kind,
                                                      NotificationChannel channel,
                                                      const std::string& body) {
  if (auto s = Allow(actor); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = ValidateTemplate(kind, channel, body); !s.ok()) {
    return std::move(s).error();
  }
  MessageTemplate t;
  t.kind = kind;
  t.channel = channel;
  t.body = body;
  t.updated_by = actor.user_id;
  t.updated_at = p_.clock.Now();
  if (auto s = p_.outbox.PutTemplate(district_, t); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = RecordTemplate(actor, "update", kind, channel); !s.ok()) {
    return std::move(s).error();
  }
  return ViewOf(std::move(t), false);
}

Result<TemplateView> NotificationService::ResetTemplate(const Actor& actor, NotificationKind kind,
                                                        NotificationChannel channel) {
  if (auto s = Allow(actor); !s.ok()) {
    return std::move(s).error();
  }
  if (!GoesBy(kind, channel)) {
    return Error::NotFound("Template", "알림 문구");
  }
  if (auto s = p_.outbox.DeleteTemplate(district_, kind, channel); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = RecordTemplate(actor, "reset", kind, channel); !s.ok()) {
    return std::move(s).error();
  }
  return ViewOf(DefaultTemplate(kind, channel), true);
}

Result<std::string> NotificationService::Preview(const Actor& actor, NotificationKind kind,
                                                 NotificationChannel channel,
                                                 const std::string& body) {
  if (auto s = Allow(actor); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = ValidateTemplate(kind, channel, body); !s.ok()) {
    return std::move(s).error();
  }
  return RenderTemplate(body, ExampleParams(kind));
}

Result<OutboxView> NotificationService::Outbox(const Actor& actor, const OutboxQuery& query) {
  if (auto s = Allow(actor); !s.ok()) {
    return std::move(s).error();
  }
  constexpr int kMaxPage = 200;
  OutboxQuery q = query;
  q.limit = std::clamp(q.limit, 1, kMaxPage);
  // One more than the page tells whether there is a next one.
  OutboxQuery probe = q;
  probe.limit = q.limit + 1;
  auto messages = p_.outbox.ListOutbox(district_, probe);
  if (!messages.ok()) {
    return std::move(messages).error();
  }
  auto counts = p_.outbox.CountOutbox(district_);
  if (!counts.ok()) {
    return std::move(counts).error();
  }
  OutboxView v;
  if (static_cast<int>(messages->size()) > q.limit) {
    messages->resize(static_cast<std::size_t>(q.limit));
    v.next_before = messages->back().id;
  }
  v.messages = std::move(*messages);
  v.counts = std::move(*counts);
  return v;
}

Status NotificationService::Requeue(const Actor& actor, OutboxMessageId id) {
  if (auto s = Allow(actor); !s.ok()) {
    return s;
  }
  auto requeued = p_.outbox.Requeue(district_, id, p_.clock.Now());
  if (!requeued.ok()) {
    return std::move(requeued).error();
  }
  if (!*requeued) {
    return Error::Make(ErrorCode::kConflict,
                       "Only a message that was given up (dead) can be sent again.",
                       "보내기를 포기한 알림만 다시 보낼 수 있습니다.");
  }
  if (auto r = p_.access_log.Append(
          AllowedRecord(actor, p_.clock.Now(), "requeue", "outbox_message", Str(id)));
      !r.ok()) {
    return std::move(r).error();
  }
  return {};
}

}  // namespace caredesk::core
