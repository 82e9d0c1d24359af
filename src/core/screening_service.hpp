// The blind-spot screening as staff use it: run the model over what agencies
// sent, turn each dong's outreach list into outreach cases (a first-contact home
// visit within 7 days, the reasons in the summary), record what the visit found,
// and count the funnel. Households flagged again after "no need" or
// "unreachable" are marked raised_again and carry that history in their reasons;
// households an open case already looks after are shown as under_management and
// get no second case.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case_service.hpp"
#include "core/ports/directory_repository.hpp"
#include "core/ports/identity_repository.hpp"
#include "core/ports/screening_repository.hpp"

namespace caredesk::core {

inline constexpr int kMaxOutreachCapacity = 1000;
inline constexpr int kFirstContactDays = 7;
inline constexpr std::size_t kMaxOutcomeDetailChars = 500;

struct ScreeningPorts {
  ScreeningRepository& screening;
  CaseService& cases;
  UserRepository& users;
  DirectoryRepository& directory;
  AccessLog& access_log;
  const Clock& clock;
};

struct ScreeningRunInput {
  int capacity_per_dong = 0;
  std::optional<Date> as_of;  // default: today (KST)
  bool open_cases = true;     // false: list only (a dry run stores nothing)
};

struct ScreeningRunReport {
  ScreeningRun run;  // id 0 for a dry run
  std::vector<OutreachFlag> flags;
};

struct OutreachOutcomeInput {
  std::string outcome;         // contacted | unreachable | support_linked | no_need
  std::string detail;          // support_linked: which support (required)
  std::string no_need_reason;  // no_need: one of kNoNeedReasons (required)
};

class ScreeningService {
 public:
  explicit ScreeningService(ScreeningPorts ports) : p_(ports) {}

  // The model in use: the newest an admin saved, else DefaultScreeningModel() (version 1).
  Result<ScreeningModel> CurrentModel(const Actor& actor);
  // Saves an edited model as the next version (admins); every violation at once.
  Result<ScreeningModel> SaveModel(const Actor& actor, const ScreeningModel& model);

  // Scores every household, stores the run and its lists, then opens the
  // outreach cases. If opening them stops half-way (the database went away), the
  // run is kept and OpenMissingCases finishes it.
  Result<ScreeningRunReport> Run(const Actor& actor, const ScreeningRunInput& input);
  Result<ScreeningRunReport> OpenMissingCases(const Actor& actor, ScreeningRunId run);

  Result<std::vector<ScreeningRun>> ListRuns(const Actor& actor);
  Result<ScreeningRun> GetRun(const Actor& actor, ScreeningRunId id);
  // A run's outreach lists: the actor's dong, or `dong` (district-wide
  // supervisors: any, or all when empty). Recorded in the access records.
  Result<std::vector<OutreachFlag>> OutreachList(const Actor& actor, ScreeningRunId run,
                                                 std::optional<DongId> dong,
                                                 const std::string& purpose);
  // The outreach list as a file to take along (a person-level export): masked unless
  // `unmask` (household id to its last 4 characters (at most half of it), birth year to its decade), a purpose
  // required (422), recorded in the access records as an export with the purpose and whether it
  // was masked. Unmasking needs kUnmaskResident in the dong.
  Result<std::vector<OutreachFlag>> ExportOutreachList(const Actor& actor, ScreeningRunId run,
                                                       std::optional<DongId> dong,
                                                       const std::string& purpose, bool unmask);
  Result<OutreachFlag> RecordOutcome(const Actor& actor, OutreachFlagId flag,
                                     const OutreachOutcomeInput& input);
  // Aggregates: the actor's dong unless a district-wide reader.
  Result<OutreachFunnel> Funnel(const Actor& actor, std::optional<ScreeningRunId> run,
                                std::optional<DongId> dong);
  Result<std::vector<ScreeningImport>> Imports(const Actor& actor);

 private:
  Status OpenCases(const Actor& actor, const ScreeningRun& run, std::vector<OutreachFlag>& flags);

  ScreeningPorts p_;
};

}  // namespace caredesk::core
