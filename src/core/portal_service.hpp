// The resident portal's use cases (core/portal.hpp): the choices the public
// form offers, a submission becoming a case in the dong's queue, and the
// progress lookup by receipt number and the phone's last four digits.
//
// Nobody is signed in here. A submission is taken in by the dong's duty
// supervisor (core/duty.hpp), who owns its first follow-up: due within one
// working day. Every lookup, allowed or refused, is in the access records with
// the caller's address; a receipt guessed wrong too often is locked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case_service.hpp"
#include "core/portal.hpp"
#include "core/ports/portal_repository.hpp"
#include "core/taxonomy.hpp"

namespace caredesk::core {

class TriageSource;

struct PortalPorts {
  CaseService& cases;
  CaseRepository& case_records;
  DirectoryRepository& directory;
  UserRepository& users;
  LookupThrottle& throttle;
  AccessLog& access_log;
  const Clock& clock;
  // Without a category from the resident, the triage's top suggestion; else "other".
  const TriageSource* triage = nullptr;
};

struct PortalChoices {
  std::string district_name;
  std::vector<Dong> dongs;
  std::vector<CategoryInfo> categories;
};

struct PortalReceipt {
  bool accepted_as_robot = false;  // the honeypot was filled: nothing was stored
  std::string receipt;             // the case number
  std::string received_on;
  std::optional<Date> next_step_on;
  std::string dong_name;
  bool lookup_possible = false;  // a phone was given: the progress can be looked up
};

class PortalService {
 public:
  PortalService(PortalPorts ports, DistrictId district, std::string district_name)
      : p_(ports), district_(district), district_name_(std::move(district_name)) {}

  Result<PortalChoices> Choices();
  // kValidationFailed with every field's problem; the case is created in one intake.
  Result<PortalReceipt> Submit(const PortalRequest& request, const std::string& ip);
  // kValidationFailed for a receipt or digits that cannot be one; kNotFound when the
  // receipt does not exist, has no phone, or the digits are wrong (one answer for all);
  // kRateLimited while the receipt is locked.
  Result<PublicCaseView> Lookup(const std::string& receipt, const std::string& last4,
                                const std::string& ip);

 private:
  Status Record(const std::string& ip, const std::string& action, const std::string& target_id,
                bool allowed);
  Result<std::string> CategoryFor(const PortalSubmission& s);

  PortalPorts p_;
  DistrictId district_;
  std::string district_name_;
};

}  // namespace caredesk::core
