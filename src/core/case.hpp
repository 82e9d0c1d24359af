// The Ask-Anything desk: residents, cases, consultations, referrals and
// follow-ups, the status machine and the promise that every open case has a
// next step. No I/O: plain values and pure rules; CaseService drives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"

namespace caredesk::core {

using ResidentId = std::int64_t;
using CaseId = std::int64_t;
using ConsultationId = std::int64_t;
using ReferralId = std::int64_t;
using FollowUpId = std::int64_t;

// --- Codes: stable API identifiers ------------------------------------------------

enum class Channel { kVisit, kPhone, kOnline, kThirdParty, kOutreach, kAutomatedCheckIn };
enum class Urgency { kNormal, kUrgent, kCrisis };
enum class CaseStatus {
  kReceived,
  kInConsultation,
  kReferred,
  kOngoing,  // unresolved, kept under follow-up
  kCaseManagement,
  kResolved,
  kClosed,
};
enum class ConsultationKind { kVisit, kCall, kMessage, kHomeVisit };
enum class FollowUpKind {
  kCounseling,
  kWelfareCheck,  // 안부 확인
  kHomeVisit,
  kResolutionCheck,  // confirm with the resident that the concern is really solved
  kRelink,           // a referral was declined: find another way
  kAssessment,       // first case-management assessment
};
enum class FollowUpStatus { kOpen, kDone, kCancelled };
enum class FollowUpResult { kReached, kNotReached, kResolved, kNeedsEscalation };
enum class ReferralStatus { kSent, kAccepted, kDeclined, kCompleted, kCancelled };
enum class DeclineReason {
  kNotOurService,  // outside the agency's remit
  kNotEligible,    // resident does not meet the criteria
  kNoCapacity,     // waiting list / no capacity now
  kResidentRefused,
  kDuplicate,  // already served by another referral
  kOther,
};
enum class ReporterKind { kSelf, kThirdParty };
// Why a counselor kept a case below crisis urgency although the triage flagged its words: a
// code, not free text, because the timeline is not sealed.
enum class CrisisDismissal {
  kExaggeration,  // everyday exaggeration (더워 죽겠다)
  kQuoted,        // someone else's words, a news story, a film
  kPastEvent,     // something long past, no danger now
  kCheckedSafe,   // the counselor checked: the resident is safe
};

std::string_view Code(Channel v);
std::string_view Code(Urgency v);
std::string_view Code(CaseStatus v);
std::string_view Code(ConsultationKind v);
std::string_view Code(FollowUpKind v);
std::string_view Code(FollowUpStatus v);
std::string_view Code(FollowUpResult v);
std::string_view Code(ReferralStatus v);
std::string_view Code(DeclineReason v);
std::string_view Code(ReporterKind v);
std::string_view Code(CrisisDismissal v);
std::string_view LabelKo(CaseStatus v);

// Parse<T>("visit") -> Channel::kVisit, nullopt for an unknown code.
template <typename T>
std::optional<T> Parse(std::string_view code);

// Every value of an enum, in declaration order (for validation messages and docs).
template <typename T>
std::vector<T> AllValues();

template <>
std::optional<Channel> Parse<Channel>(std::string_view code);
template <>
std::vector<Channel> AllValues<Channel>();
template <>
std::optional<Urgency> Parse<Urgency>(std::string_view code);
template <>
std::vector<Urgency> AllValues<Urgency>();
template <>
std::optional<CaseStatus> Parse<CaseStatus>(std::string_view code);
template <>
std::vector<CaseStatus> AllValues<CaseStatus>();
template <>
std::optional<ConsultationKind> Parse<ConsultationKind>(std::string_view code);
template <>
std::vector<ConsultationKind> AllValues<ConsultationKind>();
template <>
std::optional<FollowUpKind> Parse<FollowUpKind>(std::string_view code);
template <>
std::vector<FollowUpKind> AllValues<FollowUpKind>();
template <>
std::optional<FollowUpStatus> Parse<FollowUpStatus>(std::string_view code);
template <>
std::vector<FollowUpStatus> AllValues<FollowUpStatus>();
template <>
std::optional<FollowUpResult> Parse<FollowUpResult>(std::string_view code);
template <>
std::vector<FollowUpResult> AllValues<FollowUpResult>();
template <>
std::optional<ReferralStatus> Parse<ReferralStatus>(std::string_view code);
template <>
std::vector<ReferralStatus> AllValues<ReferralStatus>();
template <>
std::optional<DeclineReason> Parse<DeclineReason>(std::string_view code);
template <>
std::vector<DeclineReason> AllValues<DeclineReason>();
template <>
std::optional<CrisisDismissal> Parse<CrisisDismissal>(std::string_view code);
template <>
std::vector<CrisisDismissal> AllValues<CrisisDismissal>();
template <>
std::optional<ReporterKind> Parse<ReporterKind>(std::string_view code);
template <>
std::vector<ReporterKind> AllValues<ReporterKind>();

// --- Residents --------------------------------------------------------------------

enum class HousingType {
  kUnknown,
  kApartment,
  kMultiFamily,
  kDetached,
  kSemiBasement,
  kRooftop,
  kGosiwon,
  kVinylHouse,
  kShelter,
  kOther,
};
std::string_view Code(HousingType v);
template <>
std::optional<HousingType> Parse<HousingType>(std::string_view code);
template <>
std::vector<HousingType> AllValues<HousingType>();

struct Household {
  bool living_alone = false;
  int members = 1;
  bool disability = false;
  HousingType housing = HousingType::kUnknown;
};

// Vulnerability tags (data, extensible): elderly_alone, single_middle_aged_man,
// disability, child_headed, single_parent, multicultural, ...
inline constexpr std::size_t kMaxTags = 16;

// The person a case is about. Name, birth date, phone, address, RRN and the
// safety note are personal data: the storage adapter seals them and keeps only
// keyed blind indexes for lookups.
// How a resident wants to be sent text messages (core/notification); kNone is the opt-out.
enum class ContactPreference { kSms, kAlimTalk, kNone };
std::string_view Code(ContactPreference v);
template <>
std::optional<ContactPreference> Parse<ContactPreference>(std::string_view code);
template <>
std::vector<ContactPreference> AllValues<ContactPreference>();

struct Resident {
  ResidentId id = 0;
  DistrictId district_id = 0;
  std::optional<DongId> dong_id;
  std::string name;
  std::string birth_date;  // YYYY-MM-DD, may be empty when unknown
  std::string phone;       // digits only, e.g. 01012345678
  std::string address;
  Household household;
  std::vector<std::string> tags;
  // A resident registration number is kept only where a legal basis is recorded.
  std::string rrn;
  std::string rrn_legal_basis;
  // Visible to counselors: e.g. abusive towards staff, risk at home visits.
  std::string safety_note;
  // Marked after repeated malicious submissions (악성 민원): shown to counselors with the safety
  // note.
  bool flagged_malicious = false;
  // How the resident wants text messages about their cases; kNone: opted out, they get nothing.
  ContactPreference contact_by = ContactPreference::kSms;
  bool erased = false;  // crypto-shredded: personal fields are gone for good
  TimePoint created_at;
  std::int64_t version = 1;
};

struct NewResident {
  std::optional<DongId> dong_id;
  std::string name;
  std::string birth_date;
  std::string phone;
  std::string address;
  Household household;
  std::vector<std::string> tags;
  std::string rrn;
  std::string rrn_legal_basis;
  std::string safety_note;
  bool flagged_malicious = false;
  ContactPreference contact_by = ContactPreference::kSms;
};

inline constexpr std::size_t kMaxAddressChars = 300;
inline constexpr std::size_t kMaxNoteChars = 20000;
inline constexpr std::size_t kMaxSummaryChars = 4000;
inline constexpr int kMaxHouseholdMembers = 30;

// Checks and normalises (phone to digits, trimmed names). All violations at once.
Result<Resident> ValidateNewResident(const NewResident& input, DistrictId district, TimePoint now);

// Adds invalid_utf8 or too_long (more than `max_chars` code points) for `field` to `v`.
void CheckText(std::vector<FieldViolation>& v, std::string_view field, std::string_view value,
               std::size_t max_chars);

// Phone digits only ("010-1234-5678" -> "01012345678").
std::string NormalizePhone(std::string_view phone);

// Masking for lists and exports: 010-****-5678, 홍*동 (김* for two syllables),
// birth year only, address up to the dong/road name.
std::string MaskPhone(std::string_view digits);
std::string MaskName(std::string_view name);
std::string MaskBirthDate(std::string_view birth_date);
std::string MaskAddress(std::string_view address);
std::string MaskRrn(std::string_view rrn);

// --- Cases ------------------------------------------------------------------------

struct Reporter {
  ReporterKind kind = ReporterKind::kSelf;
  std::string name;      // third party only
  std::string relation;  // neighbour, landlord, family, device, ...
  std::string contact;   // third party only, optional
};

struct Consultation {
  ConsultationId id = 0;
  CaseId case_id = 0;
  UserId counselor_id = 0;
  TimePoint at;
  ConsultationKind kind = ConsultationKind::kVisit;
  std::string notes;
  std::string outcome;
  // An answer written for the person who asked: they read it in the resident
  // portal's lookup (core/portal.hpp). Notes and outcome stay the counselors'.
  std::string answer;
};

struct Consent {
  std::string given_by;  // the resident, or their legal representative
  UserId recorded_by = 0;
  TimePoint at;
  std::vector<std::string> scope;  // personal fields the agency may receive
  std::string until;               // YYYY-MM-DD: consent ends
};

// What personal data a referral may carry.
inline constexpr std::string_view kConsentFields[] = {"name", "phone", "address", "birth_date",
                                                      "summary"};

struct Referral {
  ReferralId id = 0;
  CaseId case_id = 0;
  AgencyId agency_id = 0;
  ReferralStatus status = ReferralStatus::kSent;
  UserId referred_by = 0;
  Consent consent;
  std::string request_note;  // what the agency is asked to do
  TimePoint sent_at;
  TimePoint accept_due_at;  // sent_at + the agency's response time
  std::optional<TimePoint> responded_at;
  UserId responded_by = 0;
  std::optional<DeclineReason> decline_reason;
  std::string decline_note;
  std::optional<TimePoint> completed_at;
  std::string outcome;
  std::int64_t version = 1;

  bool IsOpen() const {
    return status == ReferralStatus::kSent || status == ReferralStatus::kAccepted;
  }
  bool IsOverdue(TimePoint now) const {
    return status == ReferralStatus::kSent && now > accept_due_at;
  }
};

struct FollowUp {
  FollowUpId id = 0;
  CaseId case_id = 0;
  FollowUpKind kind = FollowUpKind::kCounseling;
  TimePoint due_at;
  UserId owner_id = 0;
  int recurrence_days = 0;  // 0: once; 7: weekly (an isolated elder)
  FollowUpStatus status = FollowUpStatus::kOpen;
  std::optional<FollowUpResult> result;
  std::string note;
  std::optional<TimePoint> done_at;
  UserId done_by = 0;
  TimePoint created_at;

  bool IsOpen() const { return status == FollowUpStatus::kOpen; }
  bool IsOverdue(TimePoint now) const { return IsOpen() && now > due_at; }
};

// One line of the append-only timeline. `data` is a JSON object of codes and
// ids only (never personal data), rendered by the HTTP layer as it is.
struct CaseEvent {
  std::int64_t id = 0;
  CaseId case_id = 0;
  TimePoint at;
  UserId actor_id = 0;
  std::string kind;  // "received", "consultation_added", "status_changed", ...
  std::string data;  // JSON object text
};

struct Case {
  CaseId id = 0;
  DistrictId district_id = 0;
  std::string number;  // 2026-서교-000123, assigned by storage
  DongId dong_id = 0;
  std::optional<DeskId> desk_id;
  Channel channel = Channel::kVisit;
  Reporter reporter;
  std::optional<ResidentId> resident_id;
  std::string primary_category;
  std::vector<std::string> secondary_categories;
  Urgency urgency = Urgency::kNormal;
  CaseStatus status = CaseStatus::kReceived;
  UserId counselor_id = 0;     // assigned counselor
  UserId case_manager_id = 0;  // 0 until escalated
  std::string summary;         // the concern in the resident's words
  std::string resolution_note;
  std::string close_note;            // why resolution could not be confirmed, when it could not
  bool waiting_on_resident = false;  // pauses the statutory clocks
  std::string received_on;           // YYYY-MM-DD (KST), start of the statutory clocks
  bool deadline_extended = false;
  std::string progress_notice_on;  // YYYY-MM-DD the resident was told of the progress, or empty
  std::vector<std::pair<std::string, std::string>>
      clock_pauses;  // [from, to) dates; to empty = open
  TimePoint opened_at;
  std::optional<TimePoint> resolved_at;
  std::optional<TimePoint> closed_at;
  std::vector<UserId> shared_with;
  bool erased = false;  // the resident's data key was destroyed
  std::int64_t version = 1;

  bool IsOpen() const { return status != CaseStatus::kResolved && status != CaseStatus::kClosed; }
};

// A case with everything that belongs to it: the unit the service reasons about.
struct CaseFile {
  Case c;
  std::vector<Consultation> consultations;
  std::vector<Referral> referrals;
  std::vector<FollowUp> follow_ups;

  // Open follow-ups and open referrals: the case's next steps.
  bool HasNextStep() const;
  // The earliest due open follow-up or referral acceptance, if any.
  std::optional<TimePoint> NextStepDue() const;
};

// --- The status machine ------------------------------------------------------------

// Statuses reachable from `from` by an explicit transition.
std::vector<CaseStatus> AllowedTransitions(CaseStatus from);
// kConflict (409) naming the allowed transitions when `from` -> `to` is illegal.
Status CheckTransition(CaseStatus from, CaseStatus to);

// kRuleViolated (422, rule "next_step_required") when `file` is open and has no
// open follow-up or referral with a due date and an owner.
Status CheckNextStepRule(const CaseFile& file);

// The error for a rule: 422 with details[0].code = rule.
Error RuleError(std::string_view rule, std::string message, std::string message_ko);

// Case numbers: "<year>-<dong short name>-<6-digit sequence>".
std::string FormatCaseNumber(int year, std::string_view dong_short_name, std::int64_t sequence);

}  // namespace caredesk::core
