// Reports as staff and auditors use them: run one for a period and scope, save
// definitions, produce immutable editions (the monthly set on the 1st, or on demand),
// read them back; and the weekly work reports with their one editable field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/directory_repository.hpp"
#include "core/ports/identity_repository.hpp"
#include "core/ports/report_repository.hpp"
#include "core/report.hpp"
#include "core/work_report.hpp"

namespace caredesk::core {

// Turns a report into the text an edition keeps and back (the API's JSON; the HTTP
// adapter provides it, the core has no JSON).
class ReportCodec {
 public:
  virtual ~ReportCodec() = default;
  virtual std::string Encode(const Report& report) const = 0;
  virtual Result<Report> Decode(const std::string& text) const = 0;
};

struct ReportPorts {
  ReportRepository& reports;
  DirectoryRepository& directory;
  UserRepository& users;
  const ReportCodec& codec;
  const Digester& digester;
  const Clock& clock;
};

struct ReportEditionView {
  ReportEdition edition;
  Report report;
};

struct MonthlyRunResult {
  int produced = 0;
  int already_there = 0;  // another server (or an earlier run) produced it
  int failed = 0;
};

class ReportService {
 public:
  ReportService(ReportPorts ports, DistrictId district) : p_(ports), district_(district) {}

  // kViewReports on the scope's dong (none: the district). Dong-bound staff get their
  // dong when they name none. 422 for bad parameters.
  Result<Report> Run(const Actor& actor, ReportParameters params);

  Result<std::vector<ReportDefinition>> ListDefinitions(const Actor& actor);
  Result<ReportDefinition> CreateDefinition(const Actor& actor, ReportDefinition definition);
  Status DeleteDefinition(const Actor& actor, ReportDefinitionId id);

  // An edition of a definition for `period` (kManageReports), written once: 409 when it
  // already exists.
  Result<ReportEditionView> Produce(const Actor& actor, ReportDefinitionId id,
                                    const ReportPeriod& period);
  // The monthly set: every monthly definition for the month before `today`, by the system.
  Result<MonthlyRunResult> ProduceMonthly(const Date& today);

  Result<std::vector<ReportEdition>> ListEditions(const Actor& actor,
                                                  std::optional<ReportDefinitionId> definition);
  Result<ReportEditionView> GetEdition(const Actor& actor, ReportEditionId id);

  // The weekly work report of a user or a dong for the week `day` lies in.
  Result<WorkReport> WorkReportOf(const Actor& actor, const WorkReportSubject& subject,
                                  const Date& day);
  // 412 when `expected_version` is stale (0: there is no comment yet).
  Result<WorkReport> CommentWorkReport(const Actor& actor, const WorkReportSubject& subject,
                                       const Date& day, const std::string& comment,
                                       std::int64_t expected_version);

 private:
  Result<Report> Build(const ReportParameters& params);
  Result<ReportNames> Names();
  Status MayRead(const Actor& actor, const ReportScope& scope);
  Result<ResourceScope> WorkScope(const Actor& actor, const WorkReportSubject& subject,
                                  std::string& name);
  Result<ReportEditionView> Save(const ReportDefinition& d, const ReportPeriod& period,
                                 UserId by);

  ReportPorts p_;
  DistrictId district_;
};

}  // namespace caredesk::core
