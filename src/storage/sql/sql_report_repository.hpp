// Performance reports on SQLite and PostgreSQL (one SQL for both): GROUP BY counts only,
// so a report over a million cases moves a few hundred rows, never the cases.
#pragma once

#include "core/ports/crypto.hpp"
#include "core/ports/report_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlReportRepository final : public core::ReportRepository {
 public:
  SqlReportRepository(Database& db, const core::Sealer& sealer) : db_(db), sealer_(sealer) {}

  core::Result<core::ReportFacts> Facts(core::DistrictId district,
                                        const core::ReportFactsQuery& query) override;
  core::Result<core::ReportDefinition> CreateDefinition(const core::ReportDefinition& d) override;
  core::Result<std::vector<core::ReportDefinition>> ListDefinitions(
      core::DistrictId district) override;
  core::Result<core::ReportDefinition> GetDefinition(core::DistrictId district,
                                                     core::ReportDefinitionId id) override;
  core::Status DeleteDefinition(core::DistrictId district, core::ReportDefinitionId id) override;
  core::Result<core::ReportEdition> SaveEdition(const core::ReportEdition& e) override;
  core::Result<std::vector<core::ReportEdition>> ListEditions(
      core::DistrictId district, const core::ReportEditionFilter& filter) override;
  core::Result<core::ReportEdition> GetEdition(core::DistrictId district,
                                               core::ReportEditionId id) override;
  core::Result<core::WorkReportFacts> WorkFacts(core::DistrictId district,
                                                const core::WorkReportSubject& subject,
                                                core::TimePoint from, core::TimePoint to) override;
  core::Result<core::WorkReportComment> GetWorkComment(core::DistrictId district,
                                                       const core::WorkReportSubject& subject,
                                                       const core::Date& week) override;
  core::Result<core::WorkReportComment> SaveWorkComment(const core::WorkReportComment& comment,
                                                        std::int64_t expected_version) override;

 private:
  Database& db_;
  const core::Sealer& sealer_;
};

// The scope of a report as stored with a definition or an edition ({"dong_id":..}).
std::string ScopeJson(const core::ReportScope& scope);
core::ReportScope ScopeFromJson(const std::string& json);

}  // namespace caredesk::storage::sql
