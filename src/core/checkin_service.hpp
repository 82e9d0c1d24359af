// Automated check-ins: staff register a resident's care robot or call service;
// the device reports each result, signed with its secret (HMAC-SHA256 over
// CheckinSigningString), and CareDesk turns the worrying ones into work for the
// resident's dong — an urgent or crisis case (channel automated_check_in) with a
// follow-up due today for the staff member who registered the device, or one
// more follow-up on the case its last escalation opened while that is open.
// Every refused report (unknown or inactive device, stale or replayed request,
// bad signature) is answered with a clear error and kept in the access records.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case_service.hpp"
#include "core/checkin.hpp"
#include "core/ports/checkin_repository.hpp"
#include "core/ports/crypto.hpp"

namespace caredesk::core {

struct CheckinPorts {
  CheckinRepository& devices;
  CaseService& cases;
  CaseRepository& case_records;
  UserRepository& users;
  AccessLog& access_log;
  const Sealer& sealer;
  const Digester& digester;
  const RandomSource& random;
  const Clock& clock;
};

struct NewCheckinDevice {
  std::string device_uid;
  std::string label;
  std::string kind = "robot";
};

struct RegisteredDevice {
  CheckinDevice device;
  std::string secret;  // shown once: the device signs with it (the key is this text)
};

// One report as it arrived: the headers, the raw body that was signed, and what it says.
struct SignedCheckin {
  std::string device_uid;
  std::string timestamp;  // Unix seconds, as signed
  std::string nonce;
  std::string signature;  // hex HMAC-SHA256
  std::string body;
  std::string result;                    // from the body
  std::optional<TimePoint> observed_at;  // from the body; default: the timestamp
  std::string ip;
  // What was wrong with the body, answered only once the device is authenticated (an
  // unauthenticated caller learns nothing about the fields).
  std::optional<Error> body_error;
};

struct CheckinOutcome {
  CheckinDevice device;
  CheckinDecision decision;
  std::optional<CaseId> case_id;  // the case that got the follow-up, when escalated
  bool new_case = false;
};

inline constexpr std::size_t kDeviceSecretBytes = 32;

class CheckinService {
 public:
  CheckinService(CheckinPorts ports, DistrictId district) : p_(ports), district_(district) {}

  // Staff who may open cases in the resident's dong; the actor owns the follow-ups.
  Result<RegisteredDevice> Register(const Actor& actor, ResidentId resident,
                                    const NewCheckinDevice& input);
  Result<std::vector<CheckinDevice>> List(const Actor& actor, ResidentId resident);
  Result<CheckinDevice> Deactivate(const Actor& actor, CheckinDeviceId id);

  // kUnauthenticated (detail code unknown_device, inactive_device, stale_request,
  // bad_signature), kConflict (replayed), kValidationFailed (result): each recorded.
  Result<CheckinOutcome> Receive(const SignedCheckin& report);

 private:
  Status AuthorizeResident(const Actor& actor, ResidentId resident, Action action);
  Error Refuse(const SignedCheckin& report, ErrorCode code, const std::string& reason,
               const std::string& message, const std::string& message_ko);
  Result<std::pair<CaseId, bool>> Escalate(const CheckinDevice& device,
                                           const CheckinDecision& decision);

  CheckinPorts p_;
  DistrictId district_;
};

}  // namespace caredesk::core
