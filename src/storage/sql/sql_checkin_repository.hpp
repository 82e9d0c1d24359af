// Check-in devices and check-ins on SQLite and PostgreSQL (one SQL for both).
#pragma once

#include "core/ports/checkin_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlCheckinRepository final : public core::CheckinRepository {
 public:
  explicit SqlCheckinRepository(Database& db) : db_(db) {}
  core::Result<core::CheckinDevice> CreateDevice(
      const core::CheckinDevice& device,
      const std::function<core::Bytes(core::CheckinDeviceId)>& seal) override;
  core::Result<std::vector<core::CheckinDevice>> ListDevices(core::DistrictId district,
                                                             core::ResidentId resident) override;
  core::Result<core::CheckinDevice> GetDevice(core::DistrictId district,
                                              core::CheckinDeviceId id) override;
  core::Result<DeviceSecret> FindDevice(core::DistrictId district,
                                        const std::string& device_uid) override;
  core::Result<core::CheckinDevice> SetActive(core::DistrictId district, core::CheckinDeviceId id,
                                              bool active) override;
  core::Result<core::CheckinDevice> RecordCheckin(core::CheckinDeviceId device,
                                                  const std::string& nonce,
                                                  core::CheckinResult result,
                                                  core::TimePoint reported_at,
                                                  core::TimePoint received_at) override;
  core::Status SetOpenCase(core::CheckinDeviceId device,
                           std::optional<core::CaseId> case_id) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
