// Performance reports: the counts behind them (aggregates only), the saved report
// definitions, the immutable editions, and the comments of the weekly work reports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "core/result.hpp"
#include "core/work_report.hpp"

namespace caredesk::core {

struct ReportEditionFilter {
  std::optional<ReportDefinitionId> definition_id;
  // Readers limited to a dong see the editions of that dong's scope only.
  std::optional<DongId> dong_id;
  bool district_scope_only = false;  // with dong_id: never the district-wide ones
  int limit = 100;
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;

  // The counts of `query.parts` for the district, in one read transaction.
  virtual Result<ReportFacts> Facts(DistrictId district, const ReportFactsQuery& query) = 0;

  // kConflict when the district has a definition of that name.
  virtual Result<ReportDefinition> CreateDefinition(const ReportDefinition& d) = 0;
  virtual Result<std::vector<ReportDefinition>> ListDefinitions(DistrictId district) = 0;
  virtual Result<ReportDefinition> GetDefinition(DistrictId district, ReportDefinitionId id) = 0;
  // Editions keep the definition's name and parameters, so deleting it loses nothing.
  virtual Status DeleteDefinition(DistrictId district, ReportDefinitionId id) = 0;

  // Editions are written once. kConflict when the definition already has an edition for
  // that period (the monthly job on several app servers produces it once).
  virtual Result<ReportEdition> SaveEdition(const ReportEdition& e) = 0;
  // Newest first, without content_json.
  virtual Result<std::vector<ReportEdition>> ListEditions(DistrictId district,
                                                          const ReportEditionFilter& filter) = 0;
  virtual Result<ReportEdition> GetEdition(DistrictId district, ReportEditionId id) = 0;

  // The weekly work reports: what the records say, and the one editable field.
  virtual Result<WorkReportFacts> WorkFacts(DistrictId district, const WorkReportSubject& subject,
                                            TimePoint from, TimePoint to) = 0;
  // kNotFound when there is no comment yet.
  virtual Result<WorkReportComment> GetWorkComment(DistrictId district,
                                                   const WorkReportSubject& subject,
                                                   const Date& week) = 0;
  // Creates (expected_version 0) or updates the comment; kPreconditionFailed when the stored
  // version is not `expected_version`.
  virtual Result<WorkReportComment> SaveWorkComment(const WorkReportComment& comment,
                                                    std::int64_t expected_version) = 0;
};

}  // namespace caredesk::core
