// The blind-spot screening's data on SQLite and PostgreSQL (one SQL for both).
#pragma once

#include "core/ports/screening_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlScreeningRepository final : public core::ScreeningRepository {
 public:
  explicit SqlScreeningRepository(Database& db) : db_(db) {}

  core::Result<core::ScreeningImport> Import(
      const core::ScreeningImport& record,
      const std::function<core::Result<core::ScreeningImport>(core::ScreeningImportWriter&)>& feed)
      override;
  core::Result<std::vector<core::ScreeningImport>> ListImports(core::DistrictId district) override;
  core::Result<std::optional<core::ScreeningModel>> LatestModel(core::DistrictId district) override;
  core::Result<core::ScreeningModel> GetModel(core::DistrictId district, int version) override;
  core::Result<core::ScreeningModel> SaveModel(core::DistrictId district,
                                               const core::ScreeningModel& model, core::UserId by,
                                               core::TimePoint at) override;
  core::Status ScanHouseholds(core::DistrictId district, core::Date since,
                              const core::HouseholdVisitor& visit) override;
  core::Result<core::ScreeningRun> CreateRun(const core::ScreeningRun& run,
                                             const std::vector<core::OutreachFlag>& flags) override;
  core::Result<std::vector<core::ScreeningRun>> ListRuns(core::DistrictId district) override;
  core::Result<core::ScreeningRun> GetRun(core::DistrictId district,
                                          core::ScreeningRunId id) override;
  core::Result<std::vector<core::OutreachFlag>> ListFlags(core::DistrictId district,
                                                          core::ScreeningRunId run,
                                                          std::optional<core::DongId> dong) override;
  core::Result<core::OutreachFlag> GetFlag(core::DistrictId district,
                                           core::OutreachFlagId id) override;
  core::Status AttachCase(core::OutreachFlagId flag, core::CaseId case_id,
                          core::ResidentId resident) override;
  core::Result<std::optional<core::ResidentId>> LinkedResident(
      core::DistrictId district, const std::string& household_id) override;
  core::Result<core::OutreachFlag> RecordOutcome(const core::OutreachFlag& flag) override;
  core::Result<core::OutreachFunnel> Funnel(core::DistrictId district,
                                            std::optional<core::ScreeningRunId> run,
                                            std::optional<core::DongId> dong) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
