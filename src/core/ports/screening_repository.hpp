// Port: the blind-spot screening's data — what agencies sent, the model's
// versions, the runs with their outreach lists, and the outcomes.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/screening.hpp"

namespace caredesk::core {

// Receives one import's rows inside its transaction. Both calls may throw the
// storage adapter's own errors: let them pass (the import then rolls back).
class ScreeningImportWriter {
 public:
  virtual ~ScreeningImportWriter() = default;
  // Inserts or replaces households (by household_id).
  virtual void AddHouseholds(std::span<const StoredHousehold> households) = 0;
  // Adds signals, one per household, indicator and reported_on date: a row sent
  // again (a batch imported twice) replaces the stored one.
  virtual void AddSignals(std::span<const RiskSignal> signals) = 0;
  // Whether a household is stored (from an earlier import or this one's AddHouseholds).
  virtual bool HouseholdKnown(const std::string& household_id) = 0;
};

// What the history of each household needs, in one pass.
using HouseholdVisitor = std::function<void(const StoredHousehold&, std::span<const RiskSignal>,
                                            const HouseholdHistory&)>;

class ScreeningRepository {
 public:
  virtual ~ScreeningRepository() = default;

  // Runs `feed` in one write transaction and records the import; an error from
  // `feed` (or the database) leaves nothing behind.
  virtual Result<ScreeningImport> Import(
      const ScreeningImport& record,
      const std::function<Result<ScreeningImport>(ScreeningImportWriter&)>& feed) = 0;
  virtual Result<std::vector<ScreeningImport>> ListImports(DistrictId district) = 0;

  // The newest saved model; nullopt before an admin saved one (the default applies).
  virtual Result<std::optional<ScreeningModel>> LatestModel(DistrictId district) = 0;
  virtual Result<ScreeningModel> GetModel(DistrictId district, int version) = 0;
  // Saves `model` as the next version (its version field is ignored) and returns it.
  virtual Result<ScreeningModel> SaveModel(DistrictId district, const ScreeningModel& model,
                                           UserId by, TimePoint at) = 0;

  // Every stored household in household-id order, with its signals reported on or
  // after `since` and its history. Reads page by page (memory stays flat).
  virtual Status ScanHouseholds(DistrictId district, Date since,
                                const HouseholdVisitor& visit) = 0;

  // Stores a run with its flags (ids assigned) in one transaction.
  virtual Result<ScreeningRun> CreateRun(const ScreeningRun& run,
                                         const std::vector<OutreachFlag>& flags) = 0;
  virtual Result<std::vector<ScreeningRun>> ListRuns(DistrictId district) = 0;
  virtual Result<ScreeningRun> GetRun(DistrictId district, ScreeningRunId id) = 0;
  // Best first within each dong; `dong` limits to one.
  virtual Result<std::vector<OutreachFlag>> ListFlags(DistrictId district, ScreeningRunId run,
                                                      std::optional<DongId> dong) = 0;
  virtual Result<OutreachFlag> GetFlag(DistrictId district, OutreachFlagId id) = 0;
  // The flag's outreach case, and the household is the resident's from now on.
  virtual Status AttachCase(OutreachFlagId flag, CaseId case_id, ResidentId resident) = 0;
  // The resident a household was linked to by an earlier outreach case.
  virtual Result<std::optional<ResidentId>> LinkedResident(DistrictId district,
                                                           const std::string& household_id) = 0;
  virtual Result<OutreachFlag> RecordOutcome(const OutreachFlag& flag) = 0;
  virtual Result<OutreachFunnel> Funnel(DistrictId district, std::optional<ScreeningRunId> run,
                                        std::optional<DongId> dong) = 0;
};

}  // namespace caredesk::core
