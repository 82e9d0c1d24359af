// Automated check-ins: AI care robots and automatic call services that check on
// isolated residents report each result; CareDesk turns the worrying ones into
// work. Pure: the escalation rule, the signed request's canonical form and the
// bounds a request must keep.
//
// The rule (DecideCheckin): an emergency button is a crisis with a home visit
// within the hour; abnormal activity (no movement, a fall sensor) is urgent with a
// welfare-check call today; a second "no response" in a row is urgent with a
// home visit today, and so is every later one while no case of the device's
// is open (the one it opened was closed, or opening it failed: the next miss
// tries again, so a lost escalation is not lost for good); a response starts
// the count again and is nothing to do.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/identity.hpp"

namespace caredesk::core {

using CheckinDeviceId = std::int64_t;

enum class CheckinResult { kResponded, kNoResponse, kEmergencyButton, kAbnormalActivity };
std::string_view Code(CheckinResult v);
template <>
std::optional<CheckinResult> Parse<CheckinResult>(std::string_view code);
template <>
std::vector<CheckinResult> AllValues<CheckinResult>();

struct CheckinDevice {
  CheckinDeviceId id = 0;
  DistrictId district_id = 0;
  ResidentId resident_id = 0;
  UserId owner_id = 0;     // the staff member who registered it: the follow-ups are theirs
  std::string device_uid;  // the device's own id (serial number, line number)
  std::string label;       // "효돌 로봇 (거실)"
  std::string kind;        // robot, call_service, sensor
  bool active = true;
  TimePoint created_at;
  std::optional<CheckinResult> last_result;
  std::optional<TimePoint> last_at;
  int missed_in_a_row = 0;          // consecutive no-responses
  std::optional<CaseId> open_case;  // the case its last escalation opened
};

inline constexpr std::size_t kMaxDeviceUidChars = 64;
inline constexpr std::size_t kMaxDeviceLabelChars = 100;
inline constexpr std::size_t kMinNonceChars = 16;
inline constexpr std::size_t kMaxNonceChars = 64;
// A request signed longer ago (or further ahead) than this is refused: with the nonces kept,
// nobody can replay one.
inline constexpr std::chrono::seconds kCheckinClockSkew{300};
inline constexpr int kMissedChecksToEscalate = 2;
// An emergency button's home visit is due this soon.
inline constexpr std::chrono::minutes kEmergencyVisitWithin{60};

struct CheckinDecision {
  bool escalate = false;
  Urgency urgency = Urgency::kNormal;
  FollowUpKind follow_up = FollowUpKind::kHomeVisit;
  std::string reason;     // code: emergency_button, abnormal_activity, no_response_twice
  std::string reason_ko;  // for the case summary
};

// `missed_in_a_row`: consecutive no-responses including this result;
// `open_case`: the case the device's last escalation opened is still open.
CheckinDecision DecideCheckin(CheckinResult result, int missed_in_a_row, bool open_case);

// The consecutive no-responses after `result`.
int MissedAfter(CheckinResult result, int missed_before);

// What a device signs: method, path, timestamp, nonce and body, one per line.
std::string CheckinSigningString(std::string_view timestamp, std::string_view nonce,
                                 std::string_view body);

// A nonce the server accepts: 16-64 of [A-Za-z0-9_-].
bool IsValidNonce(std::string_view nonce);
// A device uid staff may register: 1-64 of [A-Za-z0-9_.:-].
bool IsValidDeviceUid(std::string_view uid);
// kinds: robot, call_service, sensor.
bool IsValidDeviceKind(std::string_view kind);

}  // namespace caredesk::core
