// The use cases of the Ask-Anything desk: intake, consultations, referrals
// with consent, follow-ups and welfare checks, escalation, resolution and
// closure, search and today's work. Pure logic over ports: it decides who may
// do what (Authorize), keeps the promise that every open case has a next
// step, records every read of personal data, and never touches SQL or HTTP.
// Thread-safe if the ports are.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "core/identity.hpp"
#include "core/ports/case_repository.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/directory_repository.hpp"
#include "core/ports/identity_repository.hpp"
#include "core/work_calendar.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

class TriageSource;

struct CasePorts {
  CaseRepository& cases;
  HolidayRepository& holidays;
  DirectoryRepository& directory;
  UserRepository& users;
  AccessLog& access_log;
  const Clock& clock;
  // When set, an intake is screened for crisis language (summary and first
  // consultation's notes), and one whose primary category differs from the
  // triage's top suggestion for its summary is recorded as a triage correction.
  const TriageSource* triage = nullptr;
};

// Statutory answer deadlines per primary category (configuration); categories
// not listed use `default_rule`.
struct ClockPolicy {
  ClockRule default_rule;
  std::map<std::string, ClockRule> per_category;
  const ClockRule& For(const std::string& category) const;
};
ClockPolicy DefaultClockPolicy();

// --- Inputs (decoded by the HTTP layer; validated here) -----------------------------

// A due date: a calendar day (due at the end of that office day, 18:00 KST)
// or an exact time. Empty: the service's default for the step.
struct DueInput {
  std::optional<Date> date;
  std::optional<TimePoint> at;
  bool empty() const { return !date && !at; }
};

struct FollowUpInput {
  std::string kind = "counseling";
  DueInput due;
  std::optional<UserId> owner_id;  // default: the case's counselor
  int recurrence_days = 0;
  std::string note;
};

struct ConsentInput {
  std::string given_by;
  std::vector<std::string> scope;
  std::string until;  // YYYY-MM-DD; empty: 90 days
};

struct ReferralInput {
  AgencyId agency_id = 0;
  ConsentInput consent;
  std::string request_note;
};

struct ConsultationInput {
  std::string kind = "visit";
  std::string notes;
  std::string outcome;
  std::string answer;  // for the asker, shown in the portal's lookup; optional
};

struct ReporterInput {
  std::string kind = "self";
  std::string name;
  std::string relation;
  std::string contact;
};

struct IntakeInput {
  std::string channel;
  ReporterInput reporter;
  std::optional<ResidentId> resident_id;
  std::optional<NewResident> new_resident;
  bool confirm_new_resident = false;  // register despite possible duplicates
  std::optional<DongId> dong_id;      // default: the resident's, else the actor's
  std::optional<DeskId> desk_id;
  std::string primary_category;
  std::vector<std::string> secondary_categories;
  std::string urgency = "normal";
  std::string summary;
  std::optional<ConsultationInput> consultation;
  // The next step: at least one of these (the promise).
  std::optional<FollowUpInput> follow_up;
  std::optional<ReferralInput> referral;
  std::optional<UserId> counselor_id;  // default: the actor
  // The triage flags crisis words in the summary or the notes: the case becomes a crisis,
  // unless the counselor judged it otherwise and gives a CrisisDismissal code here.
  std::string crisis_dismissal;
};

struct CasePatch {
  std::optional<std::string> primary_category;
  std::optional<std::vector<std::string>> secondary_categories;
  std::optional<std::string> urgency;
  std::optional<std::string> summary;
  std::optional<UserId> counselor_id;
  std::optional<bool> waiting_on_resident;
  std::optional<std::vector<UserId>> shared_with;
};

// Fields to change on a resident; absent fields stay as they are.
struct ResidentPatch {
  std::optional<DongId> dong_id;
  std::optional<std::string> name;
  std::optional<std::string> birth_date;
  std::optional<std::string> phone;
  std::optional<std::string> address;
  std::optional<Household> household;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> rrn;
  std::optional<std::string> rrn_legal_basis;
  std::optional<std::string> safety_note;
  std::optional<bool> flagged_malicious;
  std::optional<ContactPreference> contact_by;
};

struct FollowUpResultInput {
  std::string result;
  std::string note;
  std::optional<FollowUpInput> next;  // the next step, when no other remains
};

// --- Outputs -------------------------------------------------------------------------

// A case as its reader may see it, with its statutory clocks.
struct CaseView {
  CaseFile file;
  std::optional<Resident> resident;  // masked unless unmasked explicitly
  std::vector<ClockStatus> clocks;
  std::vector<std::string> next_transitions;  // status codes reachable now
};

// A referral as the receiving agency may see it: only what the consent covers.
struct ReferralView {
  Referral referral;
  std::string case_number;
  std::string primary_category;
  Urgency urgency = Urgency::kNormal;
  std::string agency_name;
  bool consent_active = false;
  std::map<std::string, std::string> shared;  // consented field -> value
};

struct SearchResult {
  std::vector<CaseSummary> items;
  CaseId next_before_id = 0;  // 0: no more
};

struct TodayView {
  std::vector<WorkItem> due_today;       // mine, due by the end of today, not yet overdue
  std::vector<WorkItem> overdue;         // mine, past due
  std::vector<CaseSummary> new_in_dong;  // received, not yet consulted
  std::vector<CaseSummary> crisis;       // open crisis cases in reach
};

// The follow-up calendar: the follow-ups (open or done) falling due on the
// days from..to, both counted, in KST.
struct FollowUpCalendarQuery {
  std::string from;                    // YYYY-MM-DD
  std::string to;                      // YYYY-MM-DD, at most kMaxCalendarDays after from, counted
  std::optional<UserId> counselor_id;  // only follow-ups this user owns
  std::optional<DongId> dong_id;       // only cases of this dong
};
inline constexpr int kMaxCalendarDays = 62;
inline constexpr int kMaxCalendarItems = 2000;

struct CalendarEntry {
  ScheduledFollowUp follow_up;
  std::string owner_display_name;  // staff, not residents: a calendar names no resident
};

struct FollowUpCalendarView {
  Date from{};
  Date to{};
  std::vector<CalendarEntry> items;  // earliest due first
  bool truncated = false;            // more than kMaxCalendarItems matched
};

// The dashboard: aggregates only, of one dong or the whole district.
struct DashboardQuery {
  std::optional<DongId> dong_id;  // none: the actor's dong, or the district for those who see it
  int weeks = 12;                 // intake weeks, 1..kMaxDashboardWeeks
};
inline constexpr int kMaxDashboardWeeks = 104;

struct DashboardView {
  TimePoint as_of;
  std::optional<DongId> dong_id;  // none: the whole district
  int weeks = 0;
  // Every open status in the status machine's order, zeros included.
  std::vector<std::pair<CaseStatus, std::int64_t>> open_by_status;
  // Primary categories with open cases, most first.
  std::vector<std::pair<std::string, std::int64_t>> open_by_category;
  struct OwnerCount {
    UserId user_id = 0;
    std::string display_name;
    std::int64_t count = 0;
  };
  std::vector<OwnerCount> overdue_by_owner;  // most first
  struct Week {
    Date start{};                                            // a Monday (KST)
    std::vector<std::pair<Channel, std::int64_t>> channels;  // every channel, zeros included
  };
  std::vector<Week> intake;  // oldest first; the last one is the current week
};

class CaseService {
 public:
  CaseService(CasePorts ports, DistrictId district, ClockPolicy clocks = DefaultClockPolicy())
      : p_(ports), district_(district), clocks_(std::move(clocks)) {}

  // --- Residents ---
  // Registers a resident. With `confirm_new` false and a possible duplicate
  // (same name + birth date, or same phone), kConflict lists the existing
  // residents (masked) in details, so the counselor can pick one.
  Result<Resident> RegisterResident(const Actor& actor, const NewResident& input, bool confirm_new);
  // Masked duplicate candidates for an intake form.
  Result<std::vector<Resident>> FindResidents(const Actor& actor, const std::string& name,
                                              const std::string& birth_date,
                                              const std::string& phone);
  // Masked; recorded as a read.
  Result<Resident> GetResident(const Actor& actor, ResidentId id);
  // Full personal data; needs a reason, recorded as an unmask with that purpose.
  Result<Resident> UnmaskResident(const Actor& actor, ResidentId id, const std::string& reason);
  // Changes a resident (a new phone, a move, a safety note, the malicious flag).
  // 412 when `if_match` is stale; returns the resident masked.
  Result<Resident> UpdateResident(const Actor& actor, ResidentId id, const ResidentPatch& patch,
                                  std::optional<std::int64_t> if_match);
  // Lawful erasure: destroys the resident's data key. Needs a reason.
  Status EraseResident(const Actor& actor, ResidentId id, const std::string& reason);

  // --- Cases ---
  Result<CaseView> Intake(const Actor& actor, const IntakeInput& input);
  Result<CaseView> GetCase(const Actor& actor, CaseId id);
  Result<std::vector<CaseEvent>> Timeline(const Actor& actor, CaseId id);
  // `if_match`: the version the client last saw (412 when stale); without it
  // the operation applies to the current version (retried on a race).
  Result<CaseView> Update(const Actor& actor, CaseId id, const CasePatch& patch,
                          std::optional<std::int64_t> if_match);
  Result<CaseView> AddConsultation(const Actor& actor, CaseId id, const ConsultationInput& input,
                                   std::optional<FollowUpInput> next,
                                   std::optional<std::int64_t> if_match);
  Result<CaseView> Refer(const Actor& actor, CaseId id, const ReferralInput& input,
                         std::optional<std::int64_t> if_match);
  Result<CaseView> ScheduleFollowUp(const Actor& actor, CaseId id, const FollowUpInput& input,
                                    std::optional<std::int64_t> if_match);
  Result<CaseView> RecordFollowUpResult(const Actor& actor, FollowUpId id,
                                        const FollowUpResultInput& input);
  Result<CaseView> Transition(const Actor& actor, CaseId id, const std::string& to,
                              const std::string& note, std::optional<std::int64_t> if_match);
  Result<CaseView> Escalate(const Actor& actor, CaseId id, UserId case_manager,
                            const std::string& reason, std::optional<std::int64_t> if_match);
  Result<CaseView> Resolve(const Actor& actor, CaseId id, const std::string& resolution_note,
                           std::optional<std::int64_t> if_match);
  // Closes a resolved case: needs a done resolution check (reached/resolved)
  // or `unconfirmed_reason` saying why the resident could not confirm.
  Result<CaseView> Close(const Actor& actor, CaseId id, const std::string& unconfirmed_reason,
                         std::optional<std::int64_t> if_match);
  Result<CaseView> Reopen(const Actor& actor, CaseId id, const std::string& reason,
                          const FollowUpInput& next, std::optional<std::int64_t> if_match);
  // The one extension of the statutory answer deadline (with notice to the resident).
  Result<CaseView> ExtendDeadline(const Actor& actor, CaseId id, const std::string& reason,
                                  std::optional<std::int64_t> if_match);

  // Records that the resident was told how the case is progressing (stops the
  // progress-notice clock). `how`: call, message, letter or visit.
  Result<CaseView> RecordProgressNotice(const Actor& actor, CaseId id, const std::string& how,
                                        std::optional<std::int64_t> if_match);

  // --- Referrals, from the agency's side ---
  Result<std::vector<ReferralView>> ReferralInbox(const Actor& actor,
                                                  std::optional<ReferralStatus> status);
  Result<ReferralView> GetReferral(const Actor& actor, ReferralId id);
  Result<ReferralView> AcceptReferral(const Actor& actor, ReferralId id);
  Result<ReferralView> DeclineReferral(const Actor& actor, ReferralId id,
                                       const std::string& reason_code, const std::string& note);
  Result<ReferralView> CompleteReferral(const Actor& actor, ReferralId id,
                                        const std::string& outcome);

  // --- Lists ---
  Result<std::vector<CaseSummary>> List(const Actor& actor, CaseFilter filter);
  Result<SearchResult> Search(const Actor& actor, const std::string& query, CaseId before_id,
                              int limit);
  Result<TodayView> Today(const Actor& actor);
  // The actor's open follow-ups and referral deadlines (overdue ones and those due in the next
  // kCalendarFeedDays) as calendar events for the secret iCalendar feed: no resident named.
  Result<std::vector<CalendarEvent>> WorkCalendar(const Actor& actor);
  // Overdue next steps of a dong (or the district, for a district-wide supervisor).
  Result<std::vector<WorkItem>> Overdue(const Actor& actor, std::optional<DongId> dong);
  // Aggregates of a dong (kViewStats) or of the whole district
  // (kViewDistrictStats): without `dong_id`, counselors get their own dong and
  // district-wide roles the district. 422 when `weeks` is out of range.
  Result<DashboardView> Dashboard(const Actor& actor, const DashboardQuery& query);
  // Follow-ups due in a date range within the actor's case scope (kViewDongWork;
  // asking for another dong is 403). 422 for a missing, malformed, reversed or
  // too long range. Recorded as a list read.
  Result<FollowUpCalendarView> FollowUpCalendar(const Actor& actor,
                                                const FollowUpCalendarQuery& query);

  // --- Saved case-list filters (kManageSavedFilters): each user's own ---
  Result<std::vector<SavedFilter>> ListSavedFilters(const Actor& actor);
  // 422 for a bad name or query (ValidateSavedFilter), or rule
  // "too_many_saved_filters" beyond kMaxSavedFiltersPerUser.
  Result<SavedFilter> SaveFilter(const Actor& actor, const std::string& name,
                                 const std::map<std::string, std::string>& query);
  // Another user's filter is not found (404), like a missing one.
  Status DeleteSavedFilter(const Actor& actor, SavedFilterId id);

  // --- Retention ---
  // Anonymises every case closed more than `years` years ago (in batches) and
  // records it in the access records as the system. Returns how many.
  Result<int> RunRetention(int years);

  // --- The statutory calendar ---
  Result<HolidayCalendar> Calendar();
  // The deadlines in force: the built-in policy, overridden per category by stored rules.
  Result<ClockPolicy> Clocks();

 private:
  // A counselor who chose another primary category than the triage's top
  // suggestion for the summary taught it something: keep that as a correction.
  void RecordTriageCorrection(const Case& c);
  using Mutation = std::function<Status(CaseFile&, std::vector<CaseEvent>&)>;
  // Loads the case, checks `action` on it, applies `mutate`, checks the
  // next-step rule and saves; retries on a version race when `if_match` is absent.
  Result<CaseView> Mutate(const Actor& actor, CaseId id, Action action,
                          std::optional<std::int64_t> if_match, const Mutation& mutate);
  Result<CaseFile> Load(const Actor& actor, CaseId id, Action action);
  Result<CaseView> View(const Actor& actor, CaseFile file);
  Result<ReferralView> ReferralViewOf(const CaseFile& file, const Referral& r,
                                      const Agency& agency);
  Result<ReferralView> RespondReferral(
      const Actor& actor, ReferralId id, const std::string& what,
      const std::function<Status(CaseFile&, Referral&, std::vector<CaseEvent>&)>& respond);
  CaseScope ScopeOf(const Actor& actor) const;
  Status Record(const Actor& actor, std::string action, std::string target_type,
                std::string target_id, std::string purpose = {});
  CaseEvent Event(const Actor& actor, std::string kind, std::string data = "{}") const;
  Result<TimePoint> DueFrom(const DueInput& due, int default_working_days,
                            const HolidayCalendar& calendar) const;
  Result<FollowUp> MakeFollowUp(const Actor& actor, const CaseFile& file,
                                const FollowUpInput& input, const std::string& field,
                                const HolidayCalendar& calendar);
  Result<Referral> MakeReferral(const Actor& actor, const ReferralInput& input,
                                const std::string& field);
  // kConflict listing the (masked) residents that look like `r`, or success.
  Status CheckNoDuplicate(const Resident& r, std::string message, std::string message_ko);
  Status CheckCategories(const std::string& primary, const std::vector<std::string>& secondary);
  Status CheckAssignee(UserId user, const std::string& field, std::optional<Role> role);
  // Queues the emergency e-mail to the supervisors of `dong` (and the district-wide ones).
  Status AlertSupervisors(DongId dong, std::vector<Notification>& out);
  Status MoveTo(CaseFile& file, CaseStatus to, const Actor& actor, std::vector<CaseEvent>& events);

  CasePorts p_;
  DistrictId district_;
  ClockPolicy clocks_;
};

}  // namespace caredesk::core
