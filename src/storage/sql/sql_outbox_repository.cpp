#include "storage/sql/sql_outbox_repository.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::Error;
using core::OutboxMessage;
using core::Result;
using core::Status;

constexpr std::string_view kColumns =
    "o.id, o.district_id, o.kind, o.resident_id, o.user_id, o.case_id, o.params, o.status, "
    "o.attempts, o.created_at, o.next_attempt_at, o.sent_at, o.channel, o.last_error, "
    "COALESCE(c.number, ''), COALESCE(d.name, '') FROM outbox o "
    "LEFT JOIN cases c ON c.id = o.case_id LEFT JOIN dongs d ON d.id = c.dong_id ";

Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

std::string ParamsJson(const std::map<std::string, std::string>& params) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : params) {
    j[k] = v;
  }
  return j.dump();
}

std::map<std::string, std::string> ParamsFrom(const std::string& text) {
  std::map<std::string, std::string> out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return out;
  }
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) {
      out[k] = v.get<std::string>();
    }
  }
  return out;
}

core::OutboxRepository::Claimed MessageAt(const Rows& r, std::size_t i) {
  core::OutboxRepository::Claimed out;
  OutboxMessage& m = out.message;
  m.id = r.Int(i, 0);
  m.district_id = r.Int(i, 1);
  m.n.kind =
      core::Parse<core::NotificationKind>(r.Text(i, 2)).value_or(core::NotificationKind::kReceipt);
  if (!r.IsNull(i, 3)) {
    m.n.resident_id = r.Int(i, 3);
  }
  if (!r.IsNull(i, 4)) {
    m.n.user_id = r.Int(i, 4);
  }
  if (!r.IsNull(i, 5)) {
    m.n.case_id = r.Int(i, 5);
  }
  m.n.params = ParamsFrom(r.Text(i, 6));
  m.status = core::Parse<core::OutboxStatus>(r.Text(i, 7)).value_or(core::OutboxStatus::kPending);
  m.attempts = static_cast<int>(r.Int(i, 8));
  m.created_at = FromMicros(r.Int(i, 9));
  m.n.queued_at = m.created_at;
  m.next_attempt_at = FromMicros(r.Int(i, 10));
  if (!r.IsNull(i, 11)) {
    m.sent_at = FromMicros(r.Int(i, 11));
  }
  if (!r.IsNull(i, 12)) {
    m.channel = core::Parse<core::NotificationChannel>(r.Text(i, 12));
  }
  m.last_error = r.Text(i, 13);
  m.case_number = r.Text(i, 14);
  out.dong_name = r.Text(i, 15);
  return out;
}

// Gateways answer with anything; keep operators' view of it short.
std::string Clip(const std::string& s) {
  constexpr std::size_t kMax = 500;
  if (s.size() <= kMax) {
    return s;
  }
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0U) == 0x80U) {
    --end;  // not inside a UTF-8 sequence
  }
  return s.substr(0, end);
}

}  // namespace

void InsertNotifications(Connection& c, core::DistrictId district,
                         const std::vector<core::Notification>& messages,
                         std::optional<core::CaseId> case_id) {
  for (const auto& n : messages) {
    const auto at = ToMicros(n.queued_at);
    c.Execute(
        "INSERT INTO outbox (district_id, kind, resident_id, user_id, case_id, params, created_at, "
        "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        {district, std::string(core::Code(n.kind)), Opt(n.resident_id), Opt(n.user_id),
         Opt(n.case_id ? n.case_id : case_id), ParamsJson(n.params), at});
  }
}

Status SqlOutboxRepository::Enqueue(core::DistrictId district,
                                    const std::vector<core::Notification>& messages) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    InsertNotifications(c, district, messages);
    return {};
  });
}

Result<std::vector<core::OutboxRepository::Claimed>> SqlOutboxRepository::ClaimDue(
    core::DistrictId district, core::TimePoint now, core::TimePoint lease_until, int limit) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<std::vector<Claimed>> {
    // SKIP LOCKED: a second server claiming at the same moment takes other rows instead of
    // waiting for these and then claiming them again. SQLite has one writer at a time.
    const std::string lock = c.dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
    const auto ids = c.Execute(
        "UPDATE outbox SET claimed_until = $3 WHERE id IN (SELECT id FROM outbox WHERE "
        "district_id = $1 AND status = 'pending' AND next_attempt_at <= $2 AND claimed_until <= "
        "$2 ORDER BY id LIMIT $4" +
            lock + ") RETURNING id",
        {district, ToMicros(now), ToMicros(lease_until), static_cast<std::int64_t>(limit)});
    std::vector<Claimed> out;
    if (ids.empty()) {
      return out;
    }
    std::string in;
    Params params;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      in += (i > 0 ? ", $" : "$") + std::to_string(i + 1);
      params.emplace_back(ids.Int(i, 0));
    }
    const auto r = c.Execute(
        "SELECT " + std::string(kColumns) + "WHERE o.id IN (" + in + ") ORDER BY o.id", params);
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(MessageAt(r, i));
    }
    return out;
  });
}

Status SqlOutboxRepository::MarkSent(core::OutboxMessageId id, core::NotificationChannel channel,
                                     const std::string& body, int attempts, core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "UPDATE outbox SET status = 'sent', channel = $2, body = $3, attempts = $4, sent_at = $5, "
        "claimed_until = 0, last_error = '' WHERE id = $1",
        {id, std::string(core::Code(channel)), body, static_cast<std::int64_t>(attempts),
         ToMicros(at)});
    return {};
  });
}

Status SqlOutboxRepository::MarkFailed(core::OutboxMessageId id,
                                       std::optional<core::NotificationChannel> channel,
                                       int attempts, std::optional<core::TimePoint> next_attempt,
                                       const std::string& error) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "UPDATE outbox SET status = $2, channel = COALESCE($3, channel), attempts = $4, "
        "next_attempt_at = COALESCE($5, next_attempt_at), claimed_until = 0, last_error = $6 "
        "WHERE id = $1",
        {id, std::string(next_attempt ? "pending" : "dead"),
         channel ? Value(std::string(core::Code(*channel))) : Value(Null{}),
         static_cast<std::int64_t>(attempts),
         next_attempt ? Value(ToMicros(*next_attempt)) : Value(Null{}), Clip(error)});
    return {};
  });
}

Status SqlOutboxRepository::MarkSkipped(core::OutboxMessageId id, const std::string& reason,
                                        core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "UPDATE outbox SET status = 'skipped', last_error = $2, sent_at = $3, claimed_until = 0 "
        "WHERE id = $1",
        {id, Clip(reason), ToMicros(at)});
    return {};
  });
}

Result<std::vector<OutboxMessage>> SqlOutboxRepository::ListOutbox(core::DistrictId district,
                                                                   const core::OutboxQuery& q) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<OutboxMessage>> {
    std::string where = "WHERE o.district_id = $1";
    Params params{district};
    if (q.status) {
      params.emplace_back(std::string(core::Code(*q.status)));
      where += " AND o.status = $" + std::to_string(params.size());
    }
    if (q.before_id) {
      params.emplace_back(*q.before_id);
      where += " AND o.id < $" + std::to_string(params.size());
    }
    params.emplace_back(static_cast<std::int64_t>(q.limit));
    const auto r = c.Execute("SELECT " + std::string(kColumns) + where +
                                 " ORDER BY o.id DESC LIMIT $" + std::to_string(params.size()),
                             params);
    std::vector<OutboxMessage> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(MessageAt(r, i).message);
    }
    return out;
  });
}

Result<std::map<core::OutboxStatus, std::int64_t>> SqlOutboxRepository::CountOutbox(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead,
                      [&](Connection& c) -> Result<std::map<core::OutboxStatus, std::int64_t>> {
                        const auto r = c.Execute(
                            "SELECT status, COUNT(*) FROM outbox WHERE district_id = $1 "
                            "GROUP BY status",
                            {district});
                        std::map<core::OutboxStatus, std::int64_t> out;
                        for (const auto s : core::AllValues<core::OutboxStatus>()) {
                          out[s] = 0;
                        }
                        for (std::size_t i = 0; i < r.size(); ++i) {
                          if (const auto s = core::Parse<core::OutboxStatus>(r.Text(i, 0))) {
                            out[*s] = r.Int(i, 1);
                          }
                        }
                        return out;
                      });
}

Result<bool> SqlOutboxRepository::Requeue(core::DistrictId district, core::OutboxMessageId id,
                                          core::TimePoint now) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<bool> {
    const auto exists =
        c.Execute("SELECT status FROM outbox WHERE id = $1 AND district_id = $2", {id, district});
    if (exists.empty()) {
      return Error::NotFound("Outbox message", "알림");
    }
    const auto r = c.Execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $3, "
        "claimed_until = 0 WHERE id = $1 AND district_id = $2 AND status = 'dead'",
        {id, district, ToMicros(now)});
    return r.affected > 0;
  });
}

Result<std::vector<core::MessageTemplate>> SqlOutboxRepository::ListTemplates(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead,
                      [&](Connection& c) -> Result<std::vector<core::MessageTemplate>> {
                        const auto r = c.Execute(
                            "SELECT kind, channel, body, updated_by, updated_at FROM "
                            "message_templates WHERE district_id = $1",
                            {district});
                        std::vector<core::MessageTemplate> out;
                        for (std::size_t i = 0; i < r.size(); ++i) {
                          const auto kind = core::Parse<core::NotificationKind>(r.Text(i, 0));
                          const auto channel = core::Parse<core::NotificationChannel>(r.Text(i, 1));
                          if (!kind || !channel) {
                            continue;  // a kind this version no longer has
                          }
                          core::MessageTemplate t;
                          t.kind = *kind;
                          t.channel = *channel;
                          t.body = r.Text(i, 2);
                          t.updated_by = r.Int(i, 3);
                          t.updated_at = FromMicros(r.Int(i, 4));
                          out.push_back(std::move(t));
                        }
                        return out;
                      });
}

Status SqlOutboxRepository::PutTemplate(core::DistrictId district, const core::MessageTemplate& t) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "INSERT INTO message_templates (district_id, kind, channel, body, updated_by, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (district_id, kind, channel) DO UPDATE SET "
        "body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        {district, std::string(core::Code(t.kind)), std::string(core::Code(t.channel)), t.body,
         t.updated_by, ToMicros(t.updated_at.value_or(core::TimePoint{}))});
    return {};
  });
}

Status SqlOutboxRepository::DeleteTemplate(core::DistrictId district, core::NotificationKind kind,
                                           core::NotificationChannel channel) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute("DELETE FROM message_templates WHERE district_id = $1 AND kind = $2 AND channel = $3",
              {district, std::string(core::Code(kind)), std::string(core::Code(channel))});
    return {};
  });
}

}  // namespace caredesk::storage::sql
