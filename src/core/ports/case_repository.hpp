// Port: where residents, cases and everything that belongs to a case are
// stored. Implementations seal personal fields (Resident: name, birth_date,
// phone, address, rrn, safety_note; Case: summary, resolution_note,
// close_note, reporter name and contact; Consultation: notes, outcome;
// Referral: request_note, decline_note, outcome, consent.given_by; FollowUp:
// note) with a per-resident data key (a case without a resident has its own
// key), keep keyed blind indexes for the lookups below, and index the keyed
// bigram tokens of summaries and notes for search. Thread-safe; each call is
// one transaction; environment failures come back as kUnavailable/kInternal.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "core/notification.hpp"
#include "core/result.hpp"
#include "core/saved_filter.hpp"

namespace caredesk::core {

// Which cases a list or search may return: the actor's scope, decided by the
// policy and handed down (storage never decides who sees what).
struct CaseScope {
  bool whole_district = false;
  std::optional<DongId> dong_id;        // cases of this dong
  std::optional<UserId> involved_user;  // plus cases assigned to or shared with this user
};

struct CaseFilter {
  CaseScope scope;
  std::optional<DongId> dong_id;
  std::optional<CaseStatus> status;
  std::optional<bool> open;             // true: not resolved/closed
  std::optional<std::string> category;  // primary or secondary
  std::optional<UserId> counselor_id;
  std::optional<Urgency> urgency;
  std::optional<Channel> channel;
  std::optional<TimePoint> opened_from;  // inclusive
  std::optional<TimePoint> opened_to;    // exclusive
  std::optional<TimePoint> overdue_at;   // only open cases whose next step is due before this
  CaseId before_id = 0;                  // cursor: only ids < before_id (0 = newest)
  int limit = 50;
};

// A line of a case list: the case plus its earliest open next step.
struct CaseSummary {
  Case c;
  std::optional<TimePoint> next_due_at;
};

// An open follow-up or referral with the facts Today needs about its case.
struct WorkItem {
  enum class Kind { kFollowUp, kReferral } kind = Kind::kFollowUp;
  std::int64_t id = 0;  // follow-up or referral id
  CaseId case_id = 0;
  std::string case_number;
  DongId dong_id = 0;
  Urgency urgency = Urgency::kNormal;
  std::string primary_category;
  std::string step_kind;  // follow-up kind code, or "referral"
  UserId owner_id = 0;    // follow-up owner, or the referring counselor
  TimePoint due_at;
  std::optional<AgencyId> agency_id;
};

struct WorkFilter {
  std::optional<UserId> owner_id;
  std::optional<DongId> dong_id;  // with no owner: every item of the dong
  TimePoint due_before;           // items due before this (today's end, or now for overdue)
  int limit = 200;
};

// Follow-ups for a calendar: open or done (never cancelled), due in [due_from, due_to).
struct FollowUpDueFilter {
  CaseScope scope;
  TimePoint due_from;  // inclusive
  TimePoint due_to;    // exclusive
  std::optional<DongId> dong_id;
  std::optional<UserId> owner_id;
  int limit = 2000;
};

// A follow-up as a calendar shows it: codes, ids and times, no personal data.
struct ScheduledFollowUp {
  FollowUpId id = 0;
  CaseId case_id = 0;
  std::string case_number;
  DongId dong_id = 0;
  Urgency urgency = Urgency::kNormal;
  FollowUpKind kind = FollowUpKind::kCounseling;
  FollowUpStatus status = FollowUpStatus::kOpen;
  std::optional<FollowUpResult> result;
  UserId owner_id = 0;
  TimePoint due_at;
  std::optional<TimePoint> done_at;
};

// What the dashboard counts: the open cases of a dong or the whole district,
// their overdue next steps, and intake per week.
struct CaseStatsFilter {
  std::optional<DongId> dong_id;  // none: the whole district
  TimePoint now;                  // next steps due before this are overdue
  TimePoint intake_from;          // start of the first week (inclusive)
  int weeks = 12;                 // 7-day buckets from intake_from
};

// Counts only: never a name, a text or a single case.
struct CaseStats {
  std::vector<std::pair<CaseStatus, std::int64_t>> open_by_status;     // open cases only
  std::vector<std::pair<std::string, std::int64_t>> open_by_category;  // primary category
  std::vector<std::pair<UserId, std::int64_t>> overdue_by_owner;       // as ListWork counts
  struct Intake {
    int week = 0;  // 0 = the week starting at intake_from
    Channel channel = Channel::kVisit;
    std::int64_t count = 0;
  };
  std::vector<Intake> intake;  // cases opened in those weeks, non-zero buckets only
};

// A counselor's primary category for a concern that differs from the triage's
// top suggestion: a training example for `caredesk triage train --corrections`.
struct TriageCorrection {
  CaseId case_id = 0;
  std::string category;   // the counselor's primary category
  std::string suggested;  // the top suggestion it overrides
  std::string text;       // the case's summary, sealed in storage
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;

  // --- Residents ---
  // Stores a new resident with a fresh data key; returns it with its id.
  virtual Result<Resident> CreateResident(const Resident& resident) = 0;
  // kNotFound when absent or in another district. An erased resident comes
  // back with `erased` set and every personal field empty.
  virtual Result<Resident> GetResident(DistrictId district, ResidentId id) = 0;
  // Residents of the district with the same name and birth date, or the same
  // phone (blind-index lookups; empty arguments are ignored).
  virtual Result<std::vector<Resident>> FindResidentMatches(DistrictId district,
                                                            const std::string& name,
                                                            const std::string& birth_date,
                                                            const std::string& phone) = 0;
  // Writes every mutable field if `resident.version` is current, then bumps it.
  // kPreconditionFailed when it is stale.
  virtual Result<Resident> UpdateResident(const Resident& resident) = 0;
  // Crypto-shredding: destroys the resident's data key (and so every sealed
  // field of the resident and of their cases, in every copy of the database)
  // and removes their blind indexes and search tokens. Case rows stay, so
  // aggregates still count them.
  virtual Status EraseResident(DistrictId district, ResidentId id) = 0;
  // Retention: strips every personal field of up to `limit` cases closed
  // before `closed_before` (their text, reporter, resident link and search
  // postings; the case then reads as erased) and erases residents left with
  // no case. Case rows stay, so aggregates still count them. Returns how many
  // cases were anonymised (0 when none is due).
  virtual Result<int> AnonymiseClosedCases(DistrictId district, TimePoint closed_before,
                                           int limit) = 0;

  // --- Cases ---
  // Stores a new case with its consultations, referrals and follow-ups,
  // assigns ids and the case number (FormatCaseNumber(year of opened_at in
  // KST, dong short name, next sequence of the district and year)), appends
  // `events` (their case_id is filled in), indexes the search tokens, and queues
  // `notifications` in the outbox (their case_id is filled in), all in one transaction.
  virtual Result<CaseFile> CreateCase(const CaseFile& file, std::vector<CaseEvent> events,
                                      std::vector<Notification> notifications) = 0;
  virtual Result<CaseFile> GetCase(DistrictId district, CaseId id) = 0;
  // Saves `file` if the stored case still has `expected_version`: updates the
  // case row and its shares, inserts consultations/referrals/follow-ups whose
  // id is 0, updates the others, appends `events`, indexes new text, and
  // bumps the version, and queues `notifications` in the outbox, all in one
  // transaction. kPreconditionFailed (412) when the version is stale.
  virtual Result<CaseFile> SaveCase(const CaseFile& file, std::int64_t expected_version,
                                    std::vector<CaseEvent> events,
                                    std::vector<Notification> notifications) = 0;
  virtual Result<std::vector<CaseSummary>> ListCases(DistrictId district,
                                                     const CaseFilter& filter) = 0;
  // Cases whose indexed text holds every term (QueryTerms of the query; the
  // repository keys them as it keys the documents' terms), newest first,
  // within `scope`; candidates only: callers verify the text.
  virtual Result<std::vector<CaseId>> SearchCases(DistrictId district, const CaseScope& scope,
                                                  const std::vector<std::string>& tokens,
                                                  CaseId before_id, int limit) = 0;
  virtual Result<std::vector<CaseEvent>> ListEvents(DistrictId district, CaseId id) = 0;
  // The case with this number (canonical form, e.g. 2026-서교-000123): kNotFound when none.
  virtual Result<CaseId> FindCaseByNumber(DistrictId district, const std::string& number) = 0;

  // The case a follow-up or referral belongs to (kNotFound when none).
  virtual Result<CaseId> CaseOfFollowUp(DistrictId district, FollowUpId id) = 0;
  virtual Result<CaseId> CaseOfReferral(DistrictId district, ReferralId id) = 0;

  // Open follow-ups and open referrals due before `filter.due_before`.
  virtual Result<std::vector<WorkItem>> ListWork(DistrictId district, const WorkFilter& filter) = 0;
  // Aggregates for the dashboard, computed by the database (GROUP BY).
  virtual Result<CaseStats> CountCases(DistrictId district, const CaseStatsFilter& filter) = 0;
  // Follow-ups matching `filter`, earliest due first (ties by id), at most `filter.limit`.
  virtual Result<std::vector<ScheduledFollowUp>> ListFollowUpsDue(
      DistrictId district, const FollowUpDueFilter& filter) = 0;
  // --- Saved case-list filters (each user's own) ---
  // The owner's filters, oldest first.
  virtual Result<std::vector<SavedFilter>> ListSavedFilters(DistrictId district, UserId owner) = 0;
  // Stores a new filter and returns it with its id. kConflict when the owner
  // already has `max_per_owner` (counted in the same transaction, so two
  // concurrent saves cannot pass the limit together).
  virtual Result<SavedFilter> CreateSavedFilter(const SavedFilter& filter, int max_per_owner) = 0;
  // kNotFound when absent or in another district.
  virtual Result<SavedFilter> GetSavedFilter(DistrictId district, SavedFilterId id) = 0;
  virtual Status DeleteSavedFilter(DistrictId district, SavedFilterId id) = 0;

  // Referrals sent to an agency, newest first (the agency's inbox).
  virtual Result<std::vector<Referral>> ListReferralsForAgency(DistrictId district, AgencyId agency,
                                                               std::optional<ReferralStatus> status,
                                                               int limit) = 0;

  // --- Triage corrections ---
  // Stores `correction`, its text sealed with the case's data key: erasing the
  // resident or anonymising the case (retention) removes it with the case's
  // own texts. kNotFound for a case of another district.
  virtual Status RecordTriageCorrection(DistrictId district,
                                        const TriageCorrection& correction) = 0;
  // The district's corrections, oldest first.
  virtual Result<std::vector<TriageCorrection>> ListTriageCorrections(DistrictId district) = 0;
  // How many there are, without opening any.
  virtual Result<std::int64_t> CountTriageCorrections(DistrictId district) = 0;
};

// Holidays as data (public, lunar and substitute holidays), editable by admin.
struct HolidayRow {
  std::string date;  // YYYY-MM-DD
  std::string name;
};

// A category's statutory deadlines, as stored (see ClockRule in working_days.hpp).
struct ClockRuleRow {
  std::string category;  // a top-level category code
  int answer_working_days = 7;
  int extension_working_days = 7;
  int progress_notice_days = 30;
};

// The statutory calendar as data: holidays and per-category deadlines, both
// editable by an administrator.
class HolidayRepository {
 public:
  virtual ~HolidayRepository() = default;
  virtual Result<std::vector<ClockRuleRow>> ListClockRules(DistrictId district) = 0;
  // Inserts or replaces the rule of `rule.category`.
  virtual Status PutClockRule(DistrictId district, const ClockRuleRow& rule) = 0;
  virtual Result<std::vector<HolidayRow>> ListHolidays(DistrictId district) = 0;
  // Inserts or renames the holiday on that date.
  virtual Status PutHoliday(DistrictId district, const HolidayRow& holiday) = 0;
  // kNotFound when there is no holiday on that date.
  virtual Status DeleteHoliday(DistrictId district, const std::string& date) = 0;
};

}  // namespace caredesk::core
