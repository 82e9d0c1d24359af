// Residents, cases and holidays over the SQL port (both backends).
//
// Sealing: every personal field is sealed with a data key (Sealer::SealWith):
// the resident's key for the resident and for every case linked to them, the
// case's own key for a case without a resident. A data key is stored sealed by
// the master key in `data_keys`; EraseResident destroys that copy, after which
// every field it sealed reads back empty with `erased` set. Contexts bind the
// record kind, field and row id ("resident.phone:42", "case.summary:7",
// "consultation.notes:9"), so a sealed value moved elsewhere fails to open.
//
// Search: the bigram terms (core::DocumentTerms) of case summaries and of
// consultation notes and outcomes are stored as keyed tokens
// (BlindIndexer::Token("ngram", term)) in `case_terms`; stale postings are
// kept (callers verify candidates against the decrypted text).
//
// SaveCase rewrites only the children that differ from what is stored (times
// compare at microsecond precision, which is what is kept), and a referral's
// version moves on when SaveCase changes it.
//
// Saved case-list filters hold no personal data and are not sealed; they are
// implemented in sql_saved_filters.cpp.
#pragma once

#include "core/ports/case_repository.hpp"
#include "core/ports/crypto.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

// Thread-safe: holds no state beyond its references, which must outlive it.
class SqlCaseRepository final : public core::CaseRepository {
 public:
  SqlCaseRepository(Database& db, const core::Sealer& sealer, const core::BlindIndexer& indexer)
      : db_(db), sealer_(sealer), indexer_(indexer) {}

  core::Result<core::Resident> CreateResident(const core::Resident& resident) override;
  core::Result<core::Resident> GetResident(core::DistrictId district, core::ResidentId id) override;
  core::Result<std::vector<core::Resident>> FindResidentMatches(core::DistrictId district,
                                                                const std::string& name,
                                                                const std::string& birth_date,
                                                                const std::string& phone) override;
  core::Result<core::Resident> UpdateResident(const core::Resident& resident) override;
  core::Status EraseResident(core::DistrictId district, core::ResidentId id) override;
  core::Result<int> AnonymiseClosedCases(core::DistrictId district, core::TimePoint closed_before,
                                         int limit) override;

  core::Result<core::CaseFile> CreateCase(const core::CaseFile& file,
                                          std::vector<core::CaseEvent> events,
                                          std::vector<core::Notification> notifications) override;
  core::Result<core::CaseFile> GetCase(core::DistrictId district, core::CaseId id) override;
  core::Result<core::CaseFile> SaveCase(const core::CaseFile& file, std::int64_t expected_version,
                                        std::vector<core::CaseEvent> events,
                                        std::vector<core::Notification> notifications) override;
  core::Result<std::vector<core::CaseSummary>> ListCases(core::DistrictId district,
                                                         const core::CaseFilter& filter) override;
  // `tokens` are search terms (core::QueryTerms of the query); they are keyed
  // here with the blind indexer. At most kMaxSearchTokens of them are used,
  // spread evenly over the list: fewer tokens only widen the candidate set.
  // No tokens: no candidates.
  core::Result<std::vector<core::CaseId>> SearchCases(core::DistrictId district,
                                                      const core::CaseScope& scope,
                                                      const std::vector<std::string>& tokens,
                                                      core::CaseId before_id, int limit) override;
  core::Result<core::CaseId> FindCaseByNumber(core::DistrictId district,
                                              const std::string& number) override;
  core::Result<std::vector<core::CaseEvent>> ListEvents(core::DistrictId district,
                                                        core::CaseId id) override;
  core::Result<core::CaseId> CaseOfFollowUp(core::DistrictId district,
                                            core::FollowUpId id) override;
  core::Result<core::CaseId> CaseOfReferral(core::DistrictId district,
                                            core::ReferralId id) override;
  // Both owner_id and dong_id set: the owner's items within that dong.
  // Neither: every due item of the district.
  core::Result<std::vector<core::WorkItem>> ListWork(core::DistrictId district,
                                                     const core::WorkFilter& filter) override;
  core::Result<core::CaseStats> CountCases(core::DistrictId district,
                                           const core::CaseStatsFilter& filter) override;
  core::Result<std::vector<core::ScheduledFollowUp>> ListFollowUpsDue(
      core::DistrictId district, const core::FollowUpDueFilter& filter) override;
  core::Result<std::vector<core::SavedFilter>> ListSavedFilters(core::DistrictId district,
                                                                core::UserId owner) override;
  core::Result<core::SavedFilter> CreateSavedFilter(const core::SavedFilter& filter,
                                                    int max_per_owner) override;
  core::Result<core::SavedFilter> GetSavedFilter(core::DistrictId district,
                                                 core::SavedFilterId id) override;
  core::Status DeleteSavedFilter(core::DistrictId district, core::SavedFilterId id) override;
  core::Status RecordTriageCorrection(core::DistrictId district,
                                      const core::TriageCorrection& correction) override;
  core::Result<std::int64_t> CountTriageCorrections(core::DistrictId district) override;
  core::Result<std::vector<core::TriageCorrection>> ListTriageCorrections(
      core::DistrictId district) override;
  core::Result<std::vector<core::Referral>> ListReferralsForAgency(
      core::DistrictId district, core::AgencyId agency, std::optional<core::ReferralStatus> status,
      int limit) override;

  static constexpr std::size_t kMaxSearchTokens = 8;

 private:
  Database& db_;
  const core::Sealer& sealer_;
  const core::BlindIndexer& indexer_;
};

// Holidays need no crypto. Thread-safe.
class SqlHolidayRepository final : public core::HolidayRepository {
 public:
  explicit SqlHolidayRepository(Database& db) : db_(db) {}
  core::Result<std::vector<core::HolidayRow>> ListHolidays(core::DistrictId district) override;
  // kValidationFailed when the date is not YYYY-MM-DD or the name is empty.
  core::Status PutHoliday(core::DistrictId district, const core::HolidayRow& holiday) override;
  core::Status DeleteHoliday(core::DistrictId district, const std::string& date) override;
  core::Result<std::vector<core::ClockRuleRow>> ListClockRules(core::DistrictId district) override;
  core::Status PutClockRule(core::DistrictId district, const core::ClockRuleRow& rule) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
