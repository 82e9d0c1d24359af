#include "core/checkin.hpp"

#include <algorithm>
#include <array>

namespace caredesk::core {
namespace {

constexpr std::array<std::pair<CheckinResult, std::string_view>, 4> kResults = {{
    {CheckinResult::kResponded, "responded"},
    {CheckinResult::kNoResponse, "no_response"},
    {CheckinResult::kEmergencyButton, "emergency_button"},
    {CheckinResult::kAbnormalActivity, "abnormal_activity"},
}};

bool AllOf(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

}  // namespace

std::string_view Code(CheckinResult v) {
  for (const auto& [r, code] : kResults) {
    if (r == v) {
      return code;
    }
  }
  return "responded";
}

template <>
std::optional<CheckinResult> Parse<CheckinResult>(std::string_view code) {
  for (const auto& [r, c] : kResults) {
    if (c == code) {
      return r;
    }
  }
  return std::nullopt;
}

template <>
std::vector<CheckinResult> AllValues<CheckinResult>() {
  std::vector<CheckinResult> out;
  for (const auto& [r, c] : kResults) {
    out.push_back(r);
  }
  return out;
}

int MissedAfter(CheckinResult result, int missed_before) {
  switch (result) {
    case CheckinResult::kNoResponse:
      return missed_before + 1;
    case CheckinResult::kResponded:
      return 0;
    case CheckinResult::kEmergencyButton:
    case CheckinResult::kAbnormalActivity:
      return missed_before;  // says nothing about answering
  }
  return missed_before;
}

CheckinDecision DecideCheckin(CheckinResult result, int missed_in_a_row, bool open_case) {
  CheckinDecision d;
  switch (result) {
    case CheckinResult::kEmergencyButton:
      d = {true, Urgency::kCrisis, FollowUpKind::kHomeVisit, "emergency_button",
           "비상 버튼이 눌렸습니다"};
      break;
    case CheckinResult::kAbnormalActivity:
      d = {true, Urgency::kUrgent, FollowUpKind::kWelfareCheck, "abnormal_activity",
           "평소와 다른 활동이 감지되었습니다"};
      break;
    case CheckinResult::kNoResponse:
      if (missed_in_a_row >= kMissedChecksToEscalate && !open_case) {
        d = {true, Urgency::kUrgent, FollowUpKind::kHomeVisit, "no_response_twice",
             "안부 확인에 2번 연속 응답이 없습니다"};
      }
      break;
    case CheckinResult::kResponded:
      break;
  }
  return d;
}

std::string CheckinSigningString(std::string_view timestamp, std::string_view nonce,
                                 std::string_view body) {
  return "POST\n/api/v1/checkins\n" + std::string(timestamp) + "\n" + std::string(nonce) + "\n" +
         std::string(body);
}

bool IsValidNonce(std::string_view nonce) {
  return nonce.size() >= kMinNonceChars && nonce.size() <= kMaxNonceChars && AllOf(nonce, "_-");
}

bool IsValidDeviceUid(std::string_view uid) {
  return !uid.empty() && uid.size() <= kMaxDeviceUidChars && AllOf(uid, "_.:-");
}

bool IsValidDeviceKind(std::string_view kind) {
  return kind == "robot" || kind == "call_service" || kind == "sensor";
}

}  // namespace caredesk::core
