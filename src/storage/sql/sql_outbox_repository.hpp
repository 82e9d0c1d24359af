// The notification outbox and message templates on SQLite and PostgreSQL (one SQL for both;
// claiming uses FOR UPDATE SKIP LOCKED on PostgreSQL so two servers never claim one message).
#pragma once

#include <vector>

#include "core/ports/outbox_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

// Inserts `messages` in the caller's transaction; a message without a case id gets `case_id`.
void InsertNotifications(Connection& c, core::DistrictId district,
                         const std::vector<core::Notification>& messages,
                         std::optional<core::CaseId> case_id = std::nullopt);

class SqlOutboxRepository final : public core::OutboxRepository {
 public:
  explicit SqlOutboxRepository(Database& db) : db_(db) {}
  core::Status Enqueue(core::DistrictId district,
                       const std::vector<core::Notification>& messages) override;
  core::Result<std::vector<Claimed>> ClaimDue(core::DistrictId district, core::TimePoint now,
                                              core::TimePoint lease_until, int limit) override;
  core::Status MarkSent(core::OutboxMessageId id, core::NotificationChannel channel,
                        const std::string& body, int attempts, core::TimePoint at) override;
  core::Status MarkFailed(core::OutboxMessageId id,
                          std::optional<core::NotificationChannel> channel, int attempts,
                          std::optional<core::TimePoint> next_attempt,
                          const std::string& error) override;
  core::Status MarkSkipped(core::OutboxMessageId id, const std::string& reason,
                           core::TimePoint at) override;
  core::Result<std::vector<core::OutboxMessage>> ListOutbox(
      core::DistrictId district, const core::OutboxQuery& query) override;
  core::Result<std::map<core::OutboxStatus, std::int64_t>> CountOutbox(
      core::DistrictId district) override;
  core::Result<bool> Requeue(core::DistrictId district, core::OutboxMessageId id,
                             core::TimePoint now) override;
  core::Result<std::vector<core::MessageTemplate>> ListTemplates(
      core::DistrictId district) override;
  core::Status PutTemplate(core::DistrictId district, const core::MessageTemplate& t) override;
  core::Status DeleteTemplate(core::DistrictId district, core::NotificationKind kind,
                              core::NotificationChannel channel) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
