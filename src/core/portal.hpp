// The resident portal (주민 온라인 창구): what a resident may send without an
// account, and what they may see again. Pure rules, no I/O: the checks of a
// submission, the receipt number as residents type it, the public status
// words, and the lockout of a receipt after guessed phone digits.
//
// The receipt number is the case number (2026-서교-000123): the receipt text
// message already carries it and it can be read out over the phone. Looking a
// case up needs the last four digits of the phone given with it as well, and a
// receipt is locked after kMaxLookupFailures wrong guesses: a resident sees
// only the status, the next step's date and the answers written for them,
// never a counselor's notes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

// What the resident sends: a concern of their own, or a neighbour who seems in trouble.
enum class PortalKind { kAsk, kReport };
// How they want to be reached, and when.
enum class ContactWay { kCall, kSms, kAlimTalk };
enum class ContactTime { kAny, kMorning, kAfternoon, kEvening };

std::string_view Code(PortalKind v);
std::string_view Code(ContactWay v);
std::string_view Code(ContactTime v);
std::string_view LabelKo(ContactWay v);
std::string_view LabelKo(ContactTime v);
template <>
std::optional<PortalKind> Parse<PortalKind>(std::string_view code);
template <>
std::vector<PortalKind> AllValues<PortalKind>();
template <>
std::optional<ContactWay> Parse<ContactWay>(std::string_view code);
template <>
std::vector<ContactWay> AllValues<ContactWay>();
template <>
std::optional<ContactTime> Parse<ContactTime>(std::string_view code);
template <>
std::vector<ContactTime> AllValues<ContactTime>();

inline constexpr std::size_t kMaxPortalTextChars = 2000;
inline constexpr std::size_t kMinPortalTextChars = 2;
inline constexpr std::size_t kMaxPortalNameChars = 50;
inline constexpr std::size_t kMaxPortalPlaceChars = 300;
inline constexpr std::size_t kMaxPortalRelationChars = 30;

// The form as it arrived (strings as typed; the route fills only what was sent).
struct PortalRequest {
  std::string kind = "ask";
  std::string text;      // the concern, or what was seen
  std::string category;  // optional taxonomy code
  std::optional<DongId> dong_id;
  // ask: the resident themselves (name and phone required)
  std::string name;
  std::string phone;
  std::string contact_way = "call";
  std::string contact_time = "any";
  bool texts = true;  // receipt and progress by text message; false: none
  // report: where it was seen (required); the reporter's contact is optional
  std::string place;
  std::string reporter_name;
  std::string reporter_phone;
  std::string relation;
  // The honeypot: a field people never see. Anything in it is a robot.
  std::string website;
};

// A request that passed the checks, normalised.
struct PortalSubmission {
  PortalKind kind = PortalKind::kAsk;
  std::string text;
  std::string category;  // empty: let the triage suggest
  DongId dong_id = 0;
  std::string name;
  std::string phone;  // digits
  ContactWay contact_way = ContactWay::kCall;
  ContactTime contact_time = ContactTime::kAny;
  bool texts = true;
  std::string place;
  std::string reporter_name;
  std::string reporter_phone;  // digits, may be empty
  std::string relation;
};

// Every violation at once (kValidationFailed with per-field details). A filled
// honeypot is not a violation: see IsRobot.
Result<PortalSubmission> ValidatePortalRequest(const PortalRequest& in);
bool IsRobot(const PortalRequest& in);

// Korean phone numbers as residents write them: 9 to 11 digits starting with 0.
bool IsPlausiblePhone(std::string_view digits);

// The case summary and the first follow-up's note for a submission: the words
// as sent, then what the counselor needs to reach them back.
std::string PortalSummary(const PortalSubmission& s);
std::string PortalFollowUpNote(const PortalSubmission& s);

// A receipt number as typed ("2026-서교-000123", "2026 서교 123", "2026서교123")
// in its canonical form, or nullopt when it cannot be one.
std::optional<std::string> NormalizeReceipt(std::string_view typed);

// The status words a resident sees: fewer than the counselors' statuses.
struct PublicStatus {
  std::string code;  // received, in_progress, referred, resolved, closed
  std::string label_ko;
  std::string label_en;
  std::string explanation_ko;
};
PublicStatus PublicStatusOf(CaseStatus status);

// Which cases a lookup can find: those the asker brought (visit, phone, online
// as the resident; third-party reports as the reporter), never outreach or a
// device's. The digits a lookup is checked against, or empty when it cannot be.
std::string LookupPhoneOf(const Case& c, const std::optional<Resident>& resident);
bool Last4Matches(std::string_view phone_digits, std::string_view last4);

// Wrong guesses per receipt: kMaxLookupFailures within kLookupWindow lock the
// receipt for kLookupLockout, the right digits included (no oracle).
inline constexpr int kMaxLookupFailures = 5;
inline constexpr std::chrono::minutes kLookupWindow{15};
inline constexpr std::chrono::minutes kLookupLockout{15};

struct LookupThrottleState {
  int failures = 0;
  std::optional<TimePoint> window_started_at;
  std::optional<TimePoint> locked_until;
};
// The state after one more wrong guess at `now`.
LookupThrottleState AfterFailure(const LookupThrottleState& s, TimePoint now);
bool IsLocked(const LookupThrottleState& s, TimePoint now);

// What a lookup shows.
struct PublicAnswer {
  TimePoint at;
  std::string text;
};
struct PublicCaseView {
  std::string receipt;
  std::string received_on;  // YYYY-MM-DD
  PublicStatus status;
  std::string category;  // code; the web page has the words
  std::string dong_name;
  bool third_party = false;
  std::optional<Date> next_step_on;  // the earliest open next step, KST date
  std::optional<Date> resolved_on;
  std::vector<PublicAnswer> answers;  // oldest first
};
PublicCaseView PublicViewOf(const CaseFile& file, std::string dong_name);

}  // namespace caredesk::core
