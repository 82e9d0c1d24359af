// Residents, cases and holidays on both backends, with the real crypto adapter.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/search_terms.hpp"
#include "crypto/crypto.hpp"
#include "crypto/key_file.hpp"
#include "storage/contract/backend_fixture.hpp"

namespace caredesk::storage {
namespace {

using namespace std::chrono_literals;
using core::CaseFile;
using core::CaseStatus;
using core::Urgency;

constexpr core::UserId kCounselor = 7;
constexpr core::UserId kOtherCounselor = 8;
constexpr core::UserId kCaseManager = 9;

core::TimePoint Utc(int y, unsigned m, unsigned d, int hour = 0, int minute = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute};
}

// 2026-03-02 10:00 KST, a Monday.
const core::TimePoint kT0 = Utc(2026, 3, 2, 1);

class CaseContract : public StorageContract {
 protected:
  void SetUp() override {
    StorageContract::SetUp();
    const std::string key_file = dir_.File("caredesk.keys");
    ASSERT_TRUE(crypto::GenerateKeyFile(key_file).ok());
    auto suite = crypto::OpenCrypto(key_file, crypto::PasswordCost::Minimum());
    ASSERT_TRUE(suite.ok()) << suite.error().internal_detail;
    crypto_ = std::move(*suite);
    repo_ = storage_->NewCaseRepository(*crypto_.sealer, *crypto_.indexer);

    auto& dir = storage_->directory();
    auto district = dir.EnsureDistrict("mapo", "마포구");
    ASSERT_TRUE(district.ok());
    district_ = district->id;
    auto other = dir.EnsureDistrict("seodaemun", "서대문구");
    ASSERT_TRUE(other.ok());
    other_district_ = other->id;
    auto seogyo = dir.EnsureDong(district_, "서교동", "서교");
    auto mangwon = dir.EnsureDong(district_, "망원1동", "망원1");
    ASSERT_TRUE(seogyo.ok() && mangwon.ok());
    seogyo_ = seogyo->id;
    mangwon_ = mangwon->id;
    core::Agency agency;
    agency.district_id = district_;
    agency.name = "마포구 주택과";
    agency.kind = core::AgencyKind::kInternal;
    agency.categories = {"housing"};
    agency.contact = "02-3153-0000";
    agency.response_hours = 24;
    auto created = dir.CreateAgency(agency);
    ASSERT_TRUE(created.ok());
    agency_ = created->id;
  }

  void TearDown() override {
    repo_.reset();
    StorageContract::TearDown();
  }

  core::Resident NewResident(const std::string& name = "홍길동",
                             const std::string& phone = "01098765432") const {
    core::Resident r;
    r.district_id = district_;
    r.dong_id = seogyo_;
    r.name = name;
    r.birth_date = "1990-01-01";
    r.phone = phone;
    r.address = "서울 마포구 월드컵로 212";
    r.household = {true, 1, false, core::HousingType::kSemiBasement};
    r.tags = {"single_middle_aged_man"};
    r.rrn = "9001011234567";
    r.rrn_legal_basis = "국민기초생활보장법 제21조";
    r.safety_note = "방문 시 2인 동행";
    r.created_at = kT0;
    return r;
  }

  core::FollowUp NewFollowUp(core::TimePoint due, core::UserId owner = kCounselor) const {
    core::FollowUp f;
    f.kind = core::FollowUpKind::kWelfareCheck;
    f.due_at = due;
    f.owner_id = owner;
    f.recurrence_days = 7;
    f.note = "안부 전화 예정";
    f.created_at = kT0;
    return f;
  }

  core::Referral NewReferral(core::TimePoint sent) const {
    core::Referral r;
    r.agency_id = agency_;
    r.referred_by = kCounselor;
    r.consent.given_by = "본인";
    r.consent.recorded_by = kCounselor;
    r.consent.at = sent;
    r.consent.scope = {"name", "phone"};
    r.consent.until = "2026-06-01";
    r.request_note = "긴급 주거 지원 검토 요청";
    r.sent_at = sent;
    r.accept_due_at = sent + 24h;
    return r;
  }

  // A case with one follow-up (due three days after opening) and nothing else.
  CaseFile NewFile(core::DongId dong, core::TimePoint opened,
                   const std::string& summary = "윗집 층간소음으로 잠을 못 잡니다") const {
    CaseFile f;
    f.c.district_id = district_;
    f.c.dong_id = dong;
    f.c.channel = core::Channel::kPhone;
    f.c.reporter = {core::ReporterKind::kThirdParty, "김이웃", "neighbour", "01011112222"};
    f.c.primary_category = "neighbour_dispute";
    f.c.secondary_categories = {"housing"};
    f.c.status = CaseStatus::kInConsultation;
    f.c.counselor_id = kCounselor;
    f.c.summary = summary;
    f.c.received_on = "2026-03-02";
    f.c.opened_at = opened;
    f.follow_ups.push_back(NewFollowUp(opened + 72h));
    return f;
  }

  CaseFile Create(const CaseFile& f, std::vector<core::CaseEvent> events = {}) {
    auto created = repo_->CreateCase(f, std::move(events), {});
    EXPECT_TRUE(created.ok()) << created.error().internal_detail;
    return created.ok() ? *created : CaseFile{};
  }

  std::vector<core::CaseId> Search(const core::CaseScope& scope, const std::string& query,
                                   core::CaseId before = 0) {
    auto found = repo_->SearchCases(district_, scope, core::QueryTerms(query), before, 50);
    EXPECT_TRUE(found.ok()) << found.error().internal_detail;
    return found.ok() ? *found : std::vector<core::CaseId>{};
  }

  std::vector<core::CaseId> List(core::CaseFilter filter) {
    if (!filter.scope.whole_district && !filter.scope.dong_id && !filter.scope.involved_user) {
      filter.scope.whole_district = true;
    }
    auto listed = repo_->ListCases(district_, filter);
    EXPECT_TRUE(listed.ok()) << listed.error().internal_detail;
    std::vector<core::CaseId> ids;
    if (listed.ok()) {
      for (const auto& s : *listed) {
        ids.push_back(s.c.id);
      }
    }
    return ids;
  }

  core::CaseEvent Event(const std::string& kind) const {
    return core::CaseEvent{0, 0, kT0, kCounselor, kind, R"({"status":"received"})"};
  }

  crypto::CryptoSuite crypto_;
  std::unique_ptr<core::CaseRepository> repo_;
  core::DistrictId district_ = 0;
  core::DistrictId other_district_ = 0;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  core::AgencyId agency_ = 0;
};

void ExpectSameResident(const core::Resident& a, const core::Resident& b) {
  EXPECT_EQ(a.district_id, b.district_id);
  EXPECT_EQ(a.dong_id, b.dong_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.birth_date, b.birth_date);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.address, b.address);
  EXPECT_EQ(a.household.living_alone, b.household.living_alone);
  EXPECT_EQ(a.household.members, b.household.members);
  EXPECT_EQ(a.household.disability, b.household.disability);
  EXPECT_EQ(a.household.housing, b.household.housing);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.rrn, b.rrn);
  EXPECT_EQ(a.rrn_legal_basis, b.rrn_legal_basis);
  EXPECT_EQ(a.safety_note, b.safety_note);
  EXPECT_EQ(a.created_at, b.created_at);
}

void ExpectSameCase(const core::Case& a, const core::Case& b) {
  EXPECT_EQ(a.district_id, b.district_id);
  EXPECT_EQ(a.dong_id, b.dong_id);
  EXPECT_EQ(a.desk_id, b.desk_id);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.reporter.kind, b.reporter.kind);
  EXPECT_EQ(a.reporter.name, b.reporter.name);
  EXPECT_EQ(a.reporter.relation, b.reporter.relation);
  EXPECT_EQ(a.reporter.contact, b.reporter.contact);
  EXPECT_EQ(a.resident_id, b.resident_id);
  EXPECT_EQ(a.primary_category, b.primary_category);
  EXPECT_EQ(a.secondary_categories, b.secondary_categories);
  EXPECT_EQ(a.urgency, b.urgency);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.counselor_id, b.counselor_id);
  EXPECT_EQ(a.case_manager_id, b.case_manager_id);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.resolution_note, b.resolution_note);
  EXPECT_EQ(a.close_note, b.close_note);
  EXPECT_EQ(a.waiting_on_resident, b.waiting_on_resident);
  EXPECT_EQ(a.received_on, b.received_on);
  EXPECT_EQ(a.deadline_extended, b.deadline_extended);
  EXPECT_EQ(a.clock_pauses, b.clock_pauses);
  EXPECT_EQ(a.opened_at, b.opened_at);
  EXPECT_EQ(a.resolved_at, b.resolved_at);
  EXPECT_EQ(a.closed_at, b.closed_at);
  EXPECT_EQ(a.shared_with, b.shared_with);
}

void ExpectSameReferral(const core::Referral& a, const core::Referral& b) {
  EXPECT_EQ(a.agency_id, b.agency_id);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.referred_by, b.referred_by);
  EXPECT_EQ(a.consent.given_by, b.consent.given_by);
  EXPECT_EQ(a.consent.recorded_by, b.consent.recorded_by);
  EXPECT_EQ(a.consent.at, b.consent.at);
  EXPECT_EQ(a.consent.scope, b.consent.scope);
  EXPECT_EQ(a.consent.until, b.consent.until);
  EXPECT_EQ(a.request_note, b.request_note);
  EXPECT_EQ(a.sent_at, b.sent_at);
  EXPECT_EQ(a.accept_due_at, b.accept_due_at);
  EXPECT_EQ(a.responded_at, b.responded_at);
  EXPECT_EQ(a.responded_by, b.responded_by);
  EXPECT_EQ(a.decline_reason, b.decline_reason);
  EXPECT_EQ(a.decline_note, b.decline_note);
  EXPECT_EQ(a.completed_at, b.completed_at);
  EXPECT_EQ(a.outcome, b.outcome);
}

void ExpectSameFollowUp(const core::FollowUp& a, const core::FollowUp& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.due_at, b.due_at);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.recurrence_days, b.recurrence_days);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.done_at, b.done_at);
  EXPECT_EQ(a.done_by, b.done_by);
  EXPECT_EQ(a.created_at, b.created_at);
}

TEST_P(CaseContract, ResidentAndCaseReadBackAsStored) {
  const core::Resident input = NewResident();
  auto resident = repo_->CreateResident(input);
  ASSERT_TRUE(resident.ok()) << resident.error().internal_detail;
  EXPECT_GT(resident->id, 0);
  EXPECT_EQ(resident->version, 1);
  EXPECT_FALSE(resident->erased);
  ExpectSameResident(*resident, input);
  auto read = repo_->GetResident(district_, resident->id);
  ASSERT_TRUE(read.ok()) << read.error().internal_detail;
  ExpectSameResident(*read, input);
  EXPECT_EQ(repo_->GetResident(other_district_, resident->id).error().code,
            core::ErrorCode::kNotFound);

  CaseFile file = NewFile(seogyo_, kT0);
  file.c.resident_id = resident->id;
  file.c.reporter = {core::ReporterKind::kSelf, "", "", ""};
  file.c.urgency = Urgency::kUrgent;
  file.c.case_manager_id = kCaseManager;
  file.c.waiting_on_resident = true;
  file.c.deadline_extended = true;
  file.c.clock_pauses = {{"2026-03-03", "2026-03-05"}, {"2026-03-09", ""}};
  file.c.shared_with = {kOtherCounselor};
  core::Consultation consultation;
  consultation.counselor_id = kCounselor;
  consultation.at = kT0 + 10min;
  consultation.kind = core::ConsultationKind::kCall;
  consultation.notes = "밤 11시 이후 소음, 관리사무소 중재 실패";
  consultation.outcome = "주택과 연계 동의";
  file.consultations.push_back(consultation);
  core::Referral referral = NewReferral(kT0 + 20min);
  referral.decline_reason = core::DeclineReason::kNoCapacity;
  referral.decline_note = "대기 2주";
  file.referrals.push_back(referral);

  CaseFile created = Create(file, {Event("received"), Event("referred")});
  ASSERT_GT(created.c.id, 0);
  EXPECT_EQ(created.c.number, "2026-서교-000001");
  EXPECT_EQ(created.c.version, 1);
  EXPECT_FALSE(created.c.erased);

  auto got = repo_->GetCase(district_, created.c.id);
  ASSERT_TRUE(got.ok()) << got.error().internal_detail;
  ExpectSameCase(got->c, file.c);
  EXPECT_EQ(got->c.number, "2026-서교-000001");
  ASSERT_EQ(got->consultations.size(), 1U);
  EXPECT_GT(got->consultations[0].id, 0);
  EXPECT_EQ(got->consultations[0].case_id, created.c.id);
  EXPECT_EQ(got->consultations[0].counselor_id, consultation.counselor_id);
  EXPECT_EQ(got->consultations[0].at, consultation.at);
  EXPECT_EQ(got->consultations[0].kind, consultation.kind);
  EXPECT_EQ(got->consultations[0].notes, consultation.notes);
  EXPECT_EQ(got->consultations[0].outcome, consultation.outcome);
  ASSERT_EQ(got->referrals.size(), 1U);
  ExpectSameReferral(got->referrals[0], referral);
  EXPECT_EQ(got->referrals[0].case_id, created.c.id);
  ASSERT_EQ(got->follow_ups.size(), 1U);
  ExpectSameFollowUp(got->follow_ups[0], file.follow_ups[0]);
  EXPECT_EQ(got->follow_ups[0].case_id, created.c.id);

  auto events = repo_->ListEvents(district_, created.c.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[0].kind, "received");
  EXPECT_EQ((*events)[1].kind, "referred");
  EXPECT_EQ((*events)[0].case_id, created.c.id);
  EXPECT_EQ((*events)[0].data, R"({"status":"received"})");
  EXPECT_EQ((*events)[0].at, kT0);

  EXPECT_EQ(*repo_->CaseOfFollowUp(district_, got->follow_ups[0].id), created.c.id);
  EXPECT_EQ(*repo_->CaseOfReferral(district_, got->referrals[0].id), created.c.id);
  EXPECT_EQ(repo_->CaseOfFollowUp(other_district_, got->follow_ups[0].id).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(repo_->GetCase(other_district_, created.c.id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(repo_->ListEvents(other_district_, created.c.id).error().code,
            core::ErrorCode::kNotFound);

  auto inbox = repo_->ListReferralsForAgency(district_, agency_, core::ReferralStatus::kSent, 10);
  ASSERT_TRUE(inbox.ok()) << inbox.error().internal_detail;
  ASSERT_EQ(inbox->size(), 1U);
  ExpectSameReferral((*inbox)[0], referral);
  EXPECT_TRUE(repo_->ListReferralsForAgency(district_, agency_, core::ReferralStatus::kAccepted, 10)
                  ->empty());
}

TEST_P(CaseContract, ACaseForAnUnknownResidentOrDongIsRefused) {
  CaseFile file = NewFile(seogyo_, kT0);
  file.c.resident_id = 424242;
  EXPECT_EQ(repo_->CreateCase(file, {}, {}).error().code, core::ErrorCode::kNotFound);
  CaseFile other_dong = NewFile(seogyo_, kT0);
  other_dong.c.district_id = other_district_;
  EXPECT_EQ(repo_->CreateCase(other_dong, {}, {}).error().code, core::ErrorCode::kNotFound);
  // Nor can a case move to a dong of another district.
  auto foreign = storage_->directory().EnsureDong(other_district_, "신촌동", "신촌");
  ASSERT_TRUE(foreign.ok());
  CaseFile moved = Create(NewFile(seogyo_, kT0));
  const std::int64_t version = moved.c.version;
  moved.c.dong_id = foreign->id;
  EXPECT_EQ(repo_->SaveCase(moved, version, {}, {}).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(repo_->GetCase(district_, moved.c.id)->c.dong_id, seogyo_);
}

TEST_P(CaseContract, CaseNumbersCountPerDistrictAndKstYear) {
  EXPECT_EQ(Create(NewFile(seogyo_, kT0)).c.number, "2026-서교-000001");
  EXPECT_EQ(Create(NewFile(mangwon_, kT0 + 1h)).c.number, "2026-망원1-000002");
  // 2026-12-31 23:30 UTC is already 2027 in Korea.
  EXPECT_EQ(Create(NewFile(seogyo_, Utc(2026, 12, 31, 15, 30))).c.number, "2027-서교-000001");
  // 14:59 UTC on New Year's Eve is still 2026 in Korea.
  EXPECT_EQ(Create(NewFile(seogyo_, Utc(2026, 12, 31, 14, 59))).c.number, "2026-서교-000003");
  EXPECT_EQ(Create(NewFile(mangwon_, Utc(2027, 1, 2))).c.number, "2027-망원1-000002");
}

TEST_P(CaseContract, ConcurrentCreationOnTwoServersGivesUniqueConsecutiveNumbers) {
  auto other_server = OpenAnother();
  ASSERT_NE(other_server, nullptr);
  auto other_repo = other_server->NewCaseRepository(*crypto_.sealer, *crypto_.indexer);
  constexpr int kThreadsPerServer = 3;
  constexpr int kEach = 8;
  std::mutex mutex;
  std::vector<std::string> numbers;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerServer; ++t) {
    core::CaseRepository* repo = t % 2 == 0 ? repo_.get() : other_repo.get();
    threads.emplace_back(
        [&, t, repo, file = NewFile(t % 3 == 0 ? seogyo_ : mangwon_, kT0)]() mutable {
          for (int i = 0; i < kEach; ++i) {
            file.c.opened_at = kT0 + std::chrono::minutes(t * kEach + i);
            auto created = repo->CreateCase(file, {}, {});
            if (!created.ok()) {
              ++failures;
              continue;
            }
            std::lock_guard lock(mutex);
            numbers.push_back(created->c.number);
          }
        });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  constexpr int kTotal = 2 * kThreadsPerServer * kEach;
  ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kTotal));
  std::set<int> sequences;
  for (const auto& n : numbers) {
    sequences.insert(std::stoi(n.substr(n.rfind('-') + 1)));
  }
  ASSERT_EQ(sequences.size(), numbers.size()) << "duplicate case numbers";
  EXPECT_EQ(*sequences.begin(), 1);
  EXPECT_EQ(*sequences.rbegin(), kTotal);
  other_repo.reset();
}

TEST_P(CaseContract, StaleSaveIsRefusedWithPreconditionFailedAndWritesNothing) {
  CaseFile created = Create(NewFile(seogyo_, kT0), {Event("received")});
  ASSERT_GT(created.c.id, 0);

  CaseFile first = created;
  first.c.summary = "층간소음 중재 요청, 관리사무소 연결";
  first.c.status = CaseStatus::kOngoing;
  first.c.shared_with = {kOtherCounselor};
  first.follow_ups[0].status = core::FollowUpStatus::kDone;
  first.follow_ups[0].result = core::FollowUpResult::kReached;
  first.follow_ups[0].done_at = kT0 + 1h;
  first.follow_ups[0].done_by = kCounselor;
  first.follow_ups.push_back(NewFollowUp(kT0 + 24h * 7));
  auto saved = repo_->SaveCase(first, created.c.version, {Event("status_changed")}, {});
  ASSERT_TRUE(saved.ok()) << saved.error().internal_detail;
  EXPECT_EQ(saved->c.version, created.c.version + 1);
  EXPECT_EQ(saved->c.summary, first.c.summary);
  EXPECT_EQ(saved->c.shared_with, std::vector<core::UserId>{kOtherCounselor});
  ASSERT_EQ(saved->follow_ups.size(), 2U);
  EXPECT_EQ(saved->follow_ups[0].status, core::FollowUpStatus::kDone);
  EXPECT_EQ(saved->follow_ups[0].result, core::FollowUpResult::kReached);
  EXPECT_GT(saved->follow_ups[1].id, saved->follow_ups[0].id);

  CaseFile stale = created;  // still the version before the first save
  stale.c.summary = "덮어쓰기";
  stale.c.status = CaseStatus::kResolved;
  core::Consultation late;
  late.counselor_id = kCounselor;
  late.at = kT0 + 2h;
  late.notes = "늦은 기록";
  stale.consultations.push_back(late);
  auto conflict = repo_->SaveCase(stale, created.c.version, {Event("resolved")}, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, core::ErrorCode::kPreconditionFailed);
  EXPECT_FALSE(conflict.error().message.empty());
  EXPECT_FALSE(conflict.error().message_ko.empty());

  auto now = repo_->GetCase(district_, created.c.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->c.version, saved->c.version);
  EXPECT_EQ(now->c.summary, first.c.summary);
  EXPECT_EQ(now->c.status, CaseStatus::kOngoing);
  EXPECT_TRUE(now->consultations.empty());
  EXPECT_EQ(repo_->ListEvents(district_, created.c.id)->size(), 2U);
  EXPECT_TRUE(Search({.whole_district = true}, "늦은 기록").empty());

  auto missing = created;
  missing.c.id = 999999;
  EXPECT_EQ(repo_->SaveCase(missing, 1, {}, {}).error().code, core::ErrorCode::kNotFound);
}

TEST_P(CaseContract, ResidentsAreMatchedByNameAndBirthDateOrByPhone) {
  auto hong = repo_->CreateResident(NewResident("홍길동", "01098765432"));
  auto namesake = repo_->CreateResident(NewResident("홍길동", "01055556666"));
  auto kim = repo_->CreateResident(NewResident("김철수", "01012345678"));
  ASSERT_TRUE(hong.ok() && namesake.ok() && kim.ok());

  auto by_name = repo_->FindResidentMatches(district_, " 홍길동 ", "1990-01-01", "");
  ASSERT_TRUE(by_name.ok()) << by_name.error().internal_detail;
  ASSERT_EQ(by_name->size(), 2U);
  EXPECT_EQ((*by_name)[0].id, hong->id);
  EXPECT_EQ((*by_name)[1].id, namesake->id);
  EXPECT_EQ((*by_name)[0].phone, "01098765432");

  auto by_phone = repo_->FindResidentMatches(district_, "", "", "010-1234-5678");
  ASSERT_TRUE(by_phone.ok());
  ASSERT_EQ(by_phone->size(), 1U);
  EXPECT_EQ((*by_phone)[0].id, kim->id);

  auto either = repo_->FindResidentMatches(district_, "김철수", "1990-01-01", "01098765432");
  ASSERT_TRUE(either.ok());
  EXPECT_EQ(either->size(), 2U);

  EXPECT_TRUE(repo_->FindResidentMatches(district_, "홍길동", "", "")->empty());
  EXPECT_TRUE(repo_->FindResidentMatches(district_, "홍길동", "1990-01-02", "")->empty());
  EXPECT_TRUE(repo_->FindResidentMatches(district_, "", "", "")->empty());
  EXPECT_TRUE(repo_->FindResidentMatches(other_district_, "홍길동", "1990-01-01", "")->empty());
}

TEST_P(CaseContract, ResidentUpdatesAreVersionedAndReindexed) {
  auto created = repo_->CreateResident(NewResident());
  ASSERT_TRUE(created.ok());
  core::Resident changed = *created;
  changed.phone = "01033334444";
  changed.address = "서울 마포구 성미산로 1";
  changed.household.members = 2;
  changed.household.living_alone = false;
  auto updated = repo_->UpdateResident(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().internal_detail;
  EXPECT_EQ(updated->version, 2);
  ExpectSameResident(*updated, changed);
  EXPECT_TRUE(repo_->FindResidentMatches(district_, "", "", "01098765432")->empty());
  EXPECT_EQ(repo_->FindResidentMatches(district_, "", "", "01033334444")->size(), 1U);

  core::Resident stale = *created;
  stale.address = "덮어쓰기";
  auto conflict = repo_->UpdateResident(stale);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, core::ErrorCode::kPreconditionFailed);
  EXPECT_EQ(repo_->GetResident(district_, created->id)->address, "서울 마포구 성미산로 1");
}

TEST_P(CaseContract, SearchFindsSummaryAndLaterConsultationTextWithinScope) {
  CaseFile noise = Create(NewFile(seogyo_, kT0, "윗집 층간소음으로 잠을 못 잡니다"));
  CaseFile heating = Create(NewFile(seogyo_, kT0 + 1h, "겨울철 난방비 체납 상담"));
  CaseFile elsewhere = Create(NewFile(mangwon_, kT0 + 2h, "아랫집 층간 소음 민원"));
  ASSERT_GT(elsewhere.c.id, 0);

  const core::CaseScope district{.whole_district = true};
  EXPECT_EQ(Search(district, "층간소음"), (std::vector{elsewhere.c.id, noise.c.id}));
  EXPECT_EQ(Search(district, "난방비"), std::vector{heating.c.id});
  EXPECT_TRUE(Search(district, "보일러 고장").empty());

  // Only the dong's cases for a dong scope.
  const core::CaseScope seogyo{.dong_id = seogyo_};
  EXPECT_EQ(Search(seogyo, "층간소음"), std::vector{noise.c.id});
  // Nobody's scope: nothing.
  EXPECT_TRUE(Search(core::CaseScope{}, "층간소음").empty());
  // Cursor.
  EXPECT_EQ(Search(district, "층간소음", elsewhere.c.id), std::vector{noise.c.id});

  // A consultation added later is searchable, and so is a changed summary.
  CaseFile later = heating;
  core::Consultation call;
  call.counselor_id = kCounselor;
  call.at = kT0 + 3h;
  call.kind = core::ConsultationKind::kCall;
  call.notes = "보일러 고장으로 온수가 나오지 않음";
  call.outcome = "에너지바우처 안내";
  later.consultations.push_back(call);
  later.c.summary = "겨울철 난방비 체납과 단전 위기";
  auto saved = repo_->SaveCase(later, heating.c.version, {}, {});
  ASSERT_TRUE(saved.ok()) << saved.error().internal_detail;
  EXPECT_EQ(Search(district, "보일러 고장"), std::vector{heating.c.id});
  EXPECT_EQ(Search(district, "에너지바우처"), std::vector{heating.c.id});
  EXPECT_EQ(Search(district, "단전 위기"), std::vector{heating.c.id});

  // A case of another dong, shared with a user, is in that user's scope.
  CaseFile shared = elsewhere;
  shared.c.shared_with = {kOtherCounselor};
  ASSERT_TRUE(repo_->SaveCase(shared, elsewhere.c.version, {}, {}).ok());
  const core::CaseScope mine{.dong_id = seogyo_, .involved_user = kOtherCounselor};
  EXPECT_EQ(Search(mine, "층간소음"), (std::vector{elsewhere.c.id, noise.c.id}));
  const core::CaseScope counselor{.involved_user = kCounselor};
  EXPECT_EQ(Search(counselor, "층간소음"), (std::vector{elsewhere.c.id, noise.c.id}));
  const core::CaseScope stranger{.involved_user = kCaseManager};
  EXPECT_TRUE(Search(stranger, "층간소음").empty());

  // Long queries use a bounded number of tokens and still find the case.
  EXPECT_EQ(Search(district, "보일러 고장으로 온수가 나오지 않음"), std::vector{heating.c.id});
  // Other districts never match.
  auto other = repo_->SearchCases(other_district_, district, core::QueryTerms("층간소음"), 0, 50);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

TEST_P(CaseContract, ListCasesAppliesEveryFilterNewestFirst) {
  CaseFile a = NewFile(seogyo_, kT0);  // neighbour_dispute + housing, normal, open
  CaseFile b = NewFile(seogyo_, kT0 + 24h);
  b.c.primary_category = "welfare";
  b.c.secondary_categories = {};
  b.c.urgency = Urgency::kCrisis;
  b.c.channel = core::Channel::kVisit;
  b.follow_ups[0].due_at = kT0 + 25h;
  CaseFile c = NewFile(mangwon_, kT0 + 48h);
  c.c.primary_category = "housing";
  c.c.secondary_categories = {"welfare"};
  c.c.status = CaseStatus::kResolved;
  c.c.resolved_at = kT0 + 50h;
  c.c.counselor_id = kOtherCounselor;
  c.follow_ups[0].status = core::FollowUpStatus::kDone;
  const auto ia = Create(a).c.id;
  const auto ib = Create(b).c.id;
  const auto ic = Create(c).c.id;

  EXPECT_EQ(List({}), (std::vector{ic, ib, ia}));
  EXPECT_EQ(List({.status = CaseStatus::kResolved}), std::vector{ic});
  EXPECT_EQ(List({.open = true}), (std::vector{ib, ia}));
  EXPECT_EQ(List({.open = false}), std::vector{ic});
  EXPECT_EQ(List({.category = "housing"}), (std::vector{ic, ia}));  // primary or secondary
  EXPECT_EQ(List({.category = "welfare"}), (std::vector{ic, ib}));
  EXPECT_EQ(List({.counselor_id = kOtherCounselor}), std::vector{ic});
  EXPECT_EQ(List({.urgency = Urgency::kCrisis}), std::vector{ib});
  EXPECT_EQ(List({.channel = core::Channel::kVisit}), std::vector{ib});
  EXPECT_EQ(List({.dong_id = mangwon_}), std::vector{ic});
  EXPECT_EQ(List({.opened_from = kT0 + 24h, .opened_to = kT0 + 48h}), std::vector{ib});
  // Next steps: a due kT0+72h, b due kT0+25h, c resolved.
  EXPECT_EQ(List({.overdue_at = kT0 + 26h}), std::vector{ib});
  EXPECT_EQ(List({.overdue_at = kT0 + 100h}), (std::vector{ib, ia}));
  EXPECT_EQ(List({.before_id = ic, .limit = 1}), std::vector{ib});
  EXPECT_EQ(List({.before_id = ib, .limit = 5}), std::vector{ia});
  // Scope.
  EXPECT_EQ(List({.scope = {.dong_id = seogyo_}}), (std::vector{ib, ia}));
  EXPECT_EQ(List({.scope = {.involved_user = kOtherCounselor}}), std::vector{ic});
  auto nothing = repo_->ListCases(district_, core::CaseFilter{});
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());

  auto summaries = repo_->ListCases(district_, {.scope = {.whole_district = true}});
  ASSERT_TRUE(summaries.ok());
  ASSERT_EQ(summaries->size(), 3U);
  EXPECT_EQ((*summaries)[0].next_due_at, std::nullopt);
  EXPECT_EQ((*summaries)[1].next_due_at, kT0 + 25h);
  EXPECT_EQ((*summaries)[2].next_due_at, kT0 + 72h);
  EXPECT_EQ((*summaries)[2].c.summary, a.c.summary);
}

TEST_P(CaseContract, WorkIsListedCrisisFirstThenUrgentThenByDueTime) {
  CaseFile normal = NewFile(seogyo_, kT0);
  normal.follow_ups[0].due_at = kT0 + 1h;
  CaseFile crisis = NewFile(seogyo_, kT0);
  crisis.c.urgency = Urgency::kCrisis;
  crisis.follow_ups[0].due_at = kT0 + 5h;
  crisis.referrals.push_back(NewReferral(kT0 - 20h));  // acceptance due kT0 + 4h
  core::Referral accepted = NewReferral(kT0 - 22h);
  accepted.status = core::ReferralStatus::kAccepted;  // not a due item
  crisis.referrals.push_back(accepted);
  CaseFile urgent = NewFile(mangwon_, kT0);
  urgent.c.urgency = Urgency::kUrgent;
  urgent.follow_ups[0].due_at = kT0 + 2h;
  urgent.follow_ups[0].owner_id = kOtherCounselor;
  core::FollowUp done = NewFollowUp(kT0 + 1h);
  done.status = core::FollowUpStatus::kDone;
  urgent.follow_ups.push_back(done);
  CaseFile later = NewFile(seogyo_, kT0);
  later.c.urgency = Urgency::kCrisis;
  later.follow_ups[0].due_at = kT0 + 48h;  // not due yet
  const auto in = Create(normal).c.id;
  const CaseFile ic = Create(crisis);
  const auto iu = Create(urgent).c.id;
  Create(later);

  auto work = repo_->ListWork(district_, {.due_before = kT0 + 24h});
  ASSERT_TRUE(work.ok()) << work.error().internal_detail;
  ASSERT_EQ(work->size(), 4U);
  EXPECT_EQ((*work)[0].kind, core::WorkItem::Kind::kReferral);
  EXPECT_EQ((*work)[0].case_id, ic.c.id);
  EXPECT_EQ((*work)[0].step_kind, "referral");
  EXPECT_EQ((*work)[0].due_at, kT0 + 4h);
  EXPECT_EQ((*work)[0].agency_id, agency_);
  EXPECT_EQ((*work)[0].owner_id, kCounselor);
  EXPECT_EQ((*work)[0].case_number, ic.c.number);
  EXPECT_EQ((*work)[0].urgency, Urgency::kCrisis);
  EXPECT_EQ((*work)[1].kind, core::WorkItem::Kind::kFollowUp);
  EXPECT_EQ((*work)[1].case_id, ic.c.id);
  EXPECT_EQ((*work)[1].step_kind, "welfare_check");
  EXPECT_EQ((*work)[1].agency_id, std::nullopt);
  EXPECT_EQ((*work)[2].case_id, iu);
  EXPECT_EQ((*work)[2].dong_id, mangwon_);
  EXPECT_EQ((*work)[2].primary_category, "neighbour_dispute");
  EXPECT_EQ((*work)[3].case_id, in);

  auto mine = repo_->ListWork(district_, {.owner_id = kCounselor, .due_before = kT0 + 24h});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 3U);
  auto mangwon = repo_->ListWork(district_, {.dong_id = mangwon_, .due_before = kT0 + 24h});
  ASSERT_TRUE(mangwon.ok());
  ASSERT_EQ(mangwon->size(), 1U);
  EXPECT_EQ((*mangwon)[0].owner_id, kOtherCounselor);
  auto overdue_now = repo_->ListWork(district_, {.due_before = kT0 + 90min});
  ASSERT_TRUE(overdue_now.ok());
  ASSERT_EQ(overdue_now->size(), 1U);
  EXPECT_EQ((*overdue_now)[0].case_id, in);
  EXPECT_TRUE(repo_->ListWork(other_district_, {.due_before = kT0 + 24h})->empty());
}

TEST_P(CaseContract, FollowUpsDueInARangeAreListedOpenAndDoneNeverCancelled) {
  CaseFile a = NewFile(seogyo_, kT0);  // welfare check due kT0 + 72h
  core::FollowUp done = NewFollowUp(kT0 + 24h);
  done.status = core::FollowUpStatus::kDone;
  done.result = core::FollowUpResult::kNotReached;
  done.done_at = kT0 + 25h;
  done.done_by = kCounselor;
  a.follow_ups.push_back(done);
  core::FollowUp cancelled = NewFollowUp(kT0 + 48h);
  cancelled.status = core::FollowUpStatus::kCancelled;
  a.follow_ups.push_back(cancelled);
  a.follow_ups.push_back(NewFollowUp(kT0 + 240h));  // after the range
  a.c.urgency = Urgency::kUrgent;
  CaseFile b = NewFile(mangwon_, kT0);
  b.follow_ups[0].owner_id = kOtherCounselor;
  const CaseFile ca = Create(a);
  const CaseFile cb = Create(b);

  core::FollowUpDueFilter f;
  f.scope.whole_district = true;
  f.due_from = kT0;
  f.due_to = kT0 + 96h;
  auto all = repo_->ListFollowUpsDue(district_, f);
  ASSERT_TRUE(all.ok()) << all.error().internal_detail;
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].case_id, ca.c.id);
  EXPECT_EQ((*all)[0].status, core::FollowUpStatus::kDone);
  EXPECT_EQ((*all)[0].result, core::FollowUpResult::kNotReached);
  EXPECT_EQ((*all)[0].done_at, kT0 + 25h);
  EXPECT_EQ((*all)[0].due_at, kT0 + 24h);
  EXPECT_EQ((*all)[0].case_number, ca.c.number);
  EXPECT_EQ((*all)[0].urgency, Urgency::kUrgent);
  EXPECT_EQ((*all)[0].dong_id, seogyo_);
  EXPECT_EQ((*all)[0].kind, core::FollowUpKind::kWelfareCheck);
  EXPECT_EQ((*all)[1].status, core::FollowUpStatus::kOpen);
  EXPECT_EQ((*all)[1].result, std::nullopt);
  EXPECT_EQ((*all)[1].done_at, std::nullopt);
  EXPECT_LT((*all)[1].id, (*all)[2].id);  // same due time: by id
  EXPECT_EQ((*all)[2].case_id, cb.c.id);

  f.due_from = kT0 + 24h + 1s;  // the start is inclusive, the end exclusive
  f.due_to = kT0 + 72h;
  EXPECT_TRUE(repo_->ListFollowUpsDue(district_, f)->empty());
  f.due_from = kT0;
  f.due_to = kT0 + 96h;
  f.owner_id = kOtherCounselor;
  ASSERT_EQ(repo_->ListFollowUpsDue(district_, f)->size(), 1U);
  f.owner_id.reset();
  f.dong_id = seogyo_;
  EXPECT_EQ(repo_->ListFollowUpsDue(district_, f)->size(), 2U);
  f.dong_id.reset();
  f.scope = core::CaseScope{false, mangwon_, std::nullopt};
  EXPECT_EQ(repo_->ListFollowUpsDue(district_, f)->size(), 1U);
  f.scope = core::CaseScope{false, std::nullopt, kOtherCounselor};  // involved: not their case
  EXPECT_TRUE(repo_->ListFollowUpsDue(district_, f)->empty());
  f.scope.whole_district = true;
  f.limit = 1;
  EXPECT_EQ(repo_->ListFollowUpsDue(district_, f)->size(), 1U);
  EXPECT_TRUE(repo_->ListFollowUpsDue(other_district_, f)->empty());
}

TEST_P(CaseContract, DashboardCountsAreGroupedByTheDatabase) {
  CaseFile a = NewFile(seogyo_, kT0);  // in consultation, welfare check due kT0 + 72h
  CaseFile b = NewFile(seogyo_, kT0);
  b.c.status = CaseStatus::kResolved;
  b.follow_ups[0].status = core::FollowUpStatus::kDone;
  CaseFile c = NewFile(mangwon_, kT0 - 168h);  // the week before
  c.c.status = CaseStatus::kReceived;
  c.c.channel = core::Channel::kVisit;
  c.c.primary_category = "housing";
  c.follow_ups[0].due_at = kT0 - 1h;
  c.follow_ups[0].owner_id = kOtherCounselor;
  c.referrals.push_back(NewReferral(kT0 - 30h));  // acceptance due kT0 - 6h
  Create(a);
  Create(b);
  Create(c);

  core::CaseStatsFilter f;
  f.now = kT0 + 96h;
  f.intake_from = Utc(2026, 2, 22, 15);  // Monday 2026-02-23 00:00 KST
  f.weeks = 2;
  auto all = repo_->CountCases(district_, f);
  ASSERT_TRUE(all.ok()) << all.error().internal_detail;
  auto sorted_status = all->open_by_status;
  std::sort(sorted_status.begin(), sorted_status.end());
  EXPECT_EQ(sorted_status, (std::vector<std::pair<CaseStatus, std::int64_t>>{
                               {CaseStatus::kReceived, 1}, {CaseStatus::kInConsultation, 1}}));
  EXPECT_EQ(all->open_by_category, (std::vector<std::pair<std::string, std::int64_t>>{
                                       {"housing", 1}, {"neighbour_dispute", 1}}));
  EXPECT_EQ(all->overdue_by_owner, (std::vector<std::pair<core::UserId, std::int64_t>>{
                                       {kCounselor, 2}, {kOtherCounselor, 1}}));
  ASSERT_EQ(all->intake.size(), 2U);
  EXPECT_EQ(all->intake[0].week, 0);
  EXPECT_EQ(all->intake[0].channel, core::Channel::kVisit);
  EXPECT_EQ(all->intake[0].count, 1);
  EXPECT_EQ(all->intake[1].week, 1);
  EXPECT_EQ(all->intake[1].channel, core::Channel::kPhone);
  EXPECT_EQ(all->intake[1].count, 2);

  f.dong_id = mangwon_;
  auto one = repo_->CountCases(district_, f);
  ASSERT_TRUE(one.ok()) << one.error().internal_detail;
  EXPECT_EQ(one->open_by_status,
            (std::vector<std::pair<CaseStatus, std::int64_t>>{{CaseStatus::kReceived, 1}}));
  EXPECT_EQ(one->overdue_by_owner, (std::vector<std::pair<core::UserId, std::int64_t>>{
                                       {kCounselor, 1}, {kOtherCounselor, 1}}));
  ASSERT_EQ(one->intake.size(), 1U);
  EXPECT_EQ(one->intake[0].week, 0);

  f.dong_id.reset();
  f.weeks = 1;  // only the first week
  EXPECT_EQ(repo_->CountCases(district_, f)->intake.size(), 1U);
  f.now = kT0 - 12h;  // before anything fell due
  EXPECT_TRUE(repo_->CountCases(district_, f)->overdue_by_owner.empty());
  auto elsewhere = repo_->CountCases(other_district_, f);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(elsewhere->open_by_status.empty() && elsewhere->intake.empty());
}

TEST_P(CaseContract, SavedFiltersBelongToTheirOwnerAndStopAtTheLimit) {
  auto make_user = [&](const std::string& login) {
    core::User u;
    u.district_id = district_;
    u.login = login;
    u.display_name = login;
    u.dong_id = seogyo_;
    u.password_hash = "$argon2id$fake";
    auto created = storage_->users().Create(u);
    EXPECT_TRUE(created.ok()) << created.error().internal_detail;
    return created.ok() ? created->id : 0;
  };
  const core::UserId kim = make_user("kim");
  const core::UserId lee = make_user("lee");
  core::SavedFilter f;
  f.district_id = district_;
  f.owner_id = kim;
  f.name = "우리 동 위기";
  f.query = {{"urgency", "crisis"}, {"open", "true"}};
  f.created_at = kT0;
  auto created = repo_->CreateSavedFilter(f, 3);
  ASSERT_TRUE(created.ok()) << created.error().internal_detail;
  EXPECT_GT(created->id, 0);
  auto read = repo_->GetSavedFilter(district_, created->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "우리 동 위기");
  EXPECT_EQ(read->query, f.query);
  EXPECT_EQ(read->owner_id, kim);
  EXPECT_EQ(read->created_at, kT0);
  EXPECT_EQ(repo_->GetSavedFilter(other_district_, created->id).error().code,
            core::ErrorCode::kNotFound);

  core::SavedFilter theirs = f;
  theirs.owner_id = lee;
  ASSERT_TRUE(repo_->CreateSavedFilter(theirs, 3).ok());
  EXPECT_EQ(repo_->ListSavedFilters(district_, kim)->size(), 1U);
  EXPECT_EQ(repo_->ListSavedFilters(district_, lee)->size(), 1U);

  // The limit holds under concurrent saves: from one short of it, one of two wins.
  ASSERT_TRUE(repo_->CreateSavedFilter(f, 3).ok());
  std::atomic<int> won{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto r = repo_->CreateSavedFilter(f, 3);
      if (r.ok()) {
        ++won;
      } else if (r.error().code == core::ErrorCode::kConflict) {
        ++refused;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), 1);
  const auto mine = repo_->ListSavedFilters(district_, kim);
  ASSERT_EQ(mine->size(), 3U);
  EXPECT_LT((*mine)[0].id, (*mine)[1].id);  // oldest first

  ASSERT_TRUE(repo_->DeleteSavedFilter(district_, created->id).ok());
  EXPECT_EQ(repo_->DeleteSavedFilter(district_, created->id).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(repo_->ListSavedFilters(district_, kim)->size(), 2U);
}

TEST_P(CaseContract, ErasingAResidentShredsTheirDataButKeepsTheCaseCounted) {
  auto resident = repo_->CreateResident(NewResident());
  ASSERT_TRUE(resident.ok());
  CaseFile file = NewFile(seogyo_, kT0);
  file.c.resident_id = resident->id;
  core::Consultation note;
  note.counselor_id = kCounselor;
  note.at = kT0;
  note.notes = "보일러 고장으로 온수가 나오지 않음";
  file.consultations.push_back(note);
  file.referrals.push_back(NewReferral(kT0));
  const CaseFile created = Create(file);
  // Another case without a resident is unaffected.
  const CaseFile bystander = Create(NewFile(seogyo_, kT0 + 1h, "층간소음 민원"));
  ASSERT_EQ(Search({.whole_district = true}, "보일러"), std::vector{created.c.id});

  ASSERT_TRUE(repo_->EraseResident(district_, resident->id).ok());
  ASSERT_TRUE(repo_->EraseResident(district_, resident->id).ok());  // idempotent
  EXPECT_EQ(repo_->EraseResident(other_district_, resident->id).error().code,
            core::ErrorCode::kNotFound);

  auto erased = repo_->GetResident(district_, resident->id);
  ASSERT_TRUE(erased.ok()) << erased.error().internal_detail;
  EXPECT_TRUE(erased->erased);
  EXPECT_TRUE(erased->name.empty());
  EXPECT_TRUE(erased->birth_date.empty());
  EXPECT_TRUE(erased->phone.empty());
  EXPECT_TRUE(erased->address.empty());
  EXPECT_TRUE(erased->rrn.empty());
  EXPECT_TRUE(erased->safety_note.empty());
  EXPECT_TRUE(
      repo_->FindResidentMatches(district_, "홍길동", "1990-01-01", "01098765432")->empty());
  EXPECT_EQ(repo_->UpdateResident(*erased).error().code, core::ErrorCode::kConflict);

  auto gone = repo_->GetCase(district_, created.c.id);
  ASSERT_TRUE(gone.ok()) << gone.error().internal_detail;
  EXPECT_TRUE(gone->c.erased);
  EXPECT_TRUE(gone->c.summary.empty());
  EXPECT_TRUE(gone->c.reporter.name.empty());
  EXPECT_EQ(gone->c.number, created.c.number);
  EXPECT_EQ(gone->c.primary_category, created.c.primary_category);
  ASSERT_EQ(gone->consultations.size(), 1U);
  EXPECT_TRUE(gone->consultations[0].notes.empty());
  ASSERT_EQ(gone->referrals.size(), 1U);
  EXPECT_TRUE(gone->referrals[0].request_note.empty());
  EXPECT_TRUE(gone->referrals[0].consent.given_by.empty());
  ASSERT_EQ(gone->follow_ups.size(), 1U);
  EXPECT_TRUE(gone->follow_ups[0].note.empty());
  EXPECT_TRUE(Search({.whole_district = true}, "보일러").empty());
  // Still counted: lists and aggregates see the case.
  EXPECT_EQ(List({}), (std::vector{bystander.c.id, created.c.id}));
  EXPECT_EQ(List({.category = "neighbour_dispute"}).size(), 2U);
  EXPECT_EQ(repo_->ListReferralsForAgency(district_, agency_, std::nullopt, 10)->size(), 1U);
  // The bystander still reads in full.
  EXPECT_EQ(repo_->GetCase(district_, bystander.c.id)->c.summary, "층간소음 민원");
  // A new case cannot be opened for an erased resident.
  EXPECT_EQ(repo_->CreateCase(file, {}, {}).error().code, core::ErrorCode::kConflict);
  // The erased case can still move on (e.g. be closed); its text stays empty.
  CaseFile closing = *gone;
  closing.c.status = CaseStatus::kClosed;
  closing.c.close_note = "파기 후 종결";
  auto closed = repo_->SaveCase(closing, gone->c.version, {}, {});
  ASSERT_TRUE(closed.ok()) << closed.error().internal_detail;
  EXPECT_EQ(closed->c.status, CaseStatus::kClosed);
  EXPECT_TRUE(closed->c.close_note.empty());
}

TEST_P(CaseContract, LinkingAResidentLaterMovesTheCaseUnderTheirKey) {
  const CaseFile created = Create(NewFile(seogyo_, kT0, "단전 위기 가구 제보"));
  ASSERT_GT(created.c.id, 0);
  auto resident = repo_->CreateResident(NewResident());
  ASSERT_TRUE(resident.ok());
  CaseFile linked = created;
  linked.c.resident_id = resident->id;
  auto saved = repo_->SaveCase(linked, created.c.version, {}, {});
  ASSERT_TRUE(saved.ok()) << saved.error().internal_detail;
  EXPECT_EQ(saved->c.summary, "단전 위기 가구 제보");
  EXPECT_EQ(saved->follow_ups[0].note, created.follow_ups[0].note);
  // Now erasing the resident shreds the case too.
  ASSERT_TRUE(repo_->EraseResident(district_, resident->id).ok());
  auto gone = repo_->GetCase(district_, created.c.id);
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->c.erased);
  EXPECT_TRUE(gone->c.summary.empty());
  EXPECT_TRUE(gone->follow_ups[0].note.empty());
}

TEST_P(CaseContract, TriageCorrectionsReadBackAndGoWithTheResidentOrTheRetention) {
  auto resident = repo_->CreateResident(NewResident());
  ASSERT_TRUE(resident.ok());
  CaseFile mine = NewFile(seogyo_, kT0, "전세 보증금을 집주인이 안 돌려줘요");
  mine.c.resident_id = resident->id;
  const CaseFile with_resident = Create(mine);
  const CaseFile without = Create(NewFile(seogyo_, kT0 + 1h, "구청 사업 신청 방법 문의"));
  ASSERT_TRUE(repo_
                  ->RecordTriageCorrection(district_, {with_resident.c.id, "legal", "housing",
                                                       "전세 보증금을 집주인이 안 돌려줘요"})
                  .ok());
  ASSERT_TRUE(repo_
                  ->RecordTriageCorrection(district_, {without.c.id, "district_program", "other",
                                                       "구청 사업 신청 방법 문의"})
                  .ok());
  EXPECT_EQ(repo_->RecordTriageCorrection(other_district_, {without.c.id, "tax", "other", "x"})
                .error()
                .code,
            core::ErrorCode::kNotFound);
  auto listed = repo_->ListTriageCorrections(district_);
  ASSERT_TRUE(listed.ok()) << listed.error().internal_detail;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].case_id, with_resident.c.id);
  EXPECT_EQ((*listed)[0].category, "legal");
  EXPECT_EQ((*listed)[0].suggested, "housing");
  EXPECT_EQ((*listed)[0].text, "전세 보증금을 집주인이 안 돌려줘요");
  EXPECT_EQ((*listed)[1].text, "구청 사업 신청 방법 문의");
  EXPECT_TRUE(repo_->ListTriageCorrections(other_district_)->empty());

  // Erasing the resident takes their case's correction; the other stays.
  ASSERT_TRUE(repo_->EraseResident(district_, resident->id).ok());
  listed = repo_->ListTriageCorrections(district_);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].case_id, without.c.id);
  // An erased case has nothing left to learn from.
  ASSERT_TRUE(repo_
                  ->RecordTriageCorrection(district_, {with_resident.c.id, "legal", "housing",
                                                       "전세 보증금을 집주인이 안 돌려줘요"})
                  .ok());
  EXPECT_EQ(repo_->ListTriageCorrections(district_)->size(), 1U);

  // Retention anonymises the closed case and drops its correction.
  CaseFile closing = *repo_->GetCase(district_, without.c.id);
  closing.c.status = CaseStatus::kClosed;
  closing.c.closed_at = kT0 + 2h;
  ASSERT_TRUE(repo_->SaveCase(closing, closing.c.version, {}, {}).ok());
  EXPECT_EQ(*repo_->AnonymiseClosedCases(district_, kT0 + 3h, 10), 1);
  EXPECT_TRUE(repo_->ListTriageCorrections(district_)->empty());
}

TEST_P(CaseContract, HolidaysArePutRenamedListedAndDeleted) {
  auto& holidays = storage_->holidays();
  ASSERT_TRUE(holidays.PutHoliday(district_, {"2026-05-05", "어린이날"}).ok());
  ASSERT_TRUE(holidays.PutHoliday(district_, {"2026-03-02", "대체공휴일"}).ok());
  ASSERT_TRUE(holidays.PutHoliday(district_, {"2026-05-05", "어린이날(개칭)"}).ok());
  auto listed = holidays.ListHolidays(district_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].date, "2026-03-02");
  EXPECT_EQ((*listed)[1].name, "어린이날(개칭)");
  EXPECT_TRUE(holidays.ListHolidays(other_district_)->empty());
  EXPECT_EQ(holidays.PutHoliday(district_, {"2026-02-30", "없는 날"}).error().code,
            core::ErrorCode::kValidationFailed);
  ASSERT_TRUE(holidays.DeleteHoliday(district_, "2026-03-02").ok());
  EXPECT_EQ(holidays.DeleteHoliday(district_, "2026-03-02").error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(holidays.ListHolidays(district_)->size(), 1U);
}

std::string Hex(const std::string& s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0F]);
  }
  return out;
}

TEST_P(CaseContract, PersonalDataIsNeverStoredInTheClear) {
  const std::vector<std::string> secrets = {"홍길동",
                                            "01098765432",
                                            "서울 마포구 월드컵로 212",
                                            "9001011234567",
                                            "윗집 층간소음으로 잠을 못 잡니다",
                                            "밤마다 쿵쿵거리는 소리에 불면증",
                                            "김이웃",
                                            "01011112222",
                                            "긴급 주거 지원 검토 요청",
                                            "방문 시 2인 동행",
                                            "교정용 상담 문장 삼삼"};
  auto resident = repo_->CreateResident(NewResident());
  ASSERT_TRUE(resident.ok());
  CaseFile file = NewFile(seogyo_, kT0, "윗집 층간소음으로 잠을 못 잡니다");
  file.c.resident_id = resident->id;
  core::Consultation note;
  note.counselor_id = kCounselor;
  note.at = kT0;
  note.notes = "밤마다 쿵쿵거리는 소리에 불면증";
  file.consultations.push_back(note);
  file.referrals.push_back(NewReferral(kT0));
  const CaseFile created = Create(file, {Event("received")});
  ASSERT_GT(created.c.id, 0);
  ASSERT_EQ(repo_->GetCase(district_, created.c.id)->consultations[0].notes, note.notes);
  ASSERT_TRUE(repo_
                  ->RecordTriageCorrection(district_, {created.c.id, "housing", "neighbour_dispute",
                                                       "교정용 상담 문장 삼삼"})
                  .ok());

  std::string raw;
  if (GetParam() == Backend::kSqlite) {
    repo_.reset();
    storage_.reset();  // closes every connection
    const std::string path = config_.url.substr(std::string("sqlite://").size());
    std::stringstream bytes;
    for (const auto& f : {path, path + "-wal"}) {
      std::ifstream in(f, std::ios::binary);
      bytes << in.rdbuf();
    }
    raw = bytes.str();
    ASSERT_NE(raw.find("서교"), std::string::npos);  // the file is readable as expected
  } else {
    auto dump = storage_->database().Transact(
        sql::TxMode::kRead, [](sql::Connection& c) -> core::Result<std::string> {
          const auto tables = c.Execute(
              "SELECT table_name FROM information_schema.tables "
              "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
              {});
          std::string out;
          for (std::size_t i = 0; i < tables.size(); ++i) {
            // Table names come from the catalogue, not from input.
            const auto rows = c.Execute("SELECT t::text FROM \"" + tables.Text(i, 0) + "\" t", {});
            for (std::size_t r = 0; r < rows.size(); ++r) {
              out += rows.Text(r, 0);
              out += '\n';
            }
          }
          return out;
        });
    ASSERT_TRUE(dump.ok()) << dump.error().internal_detail;
    raw = *dump;
    ASSERT_NE(raw.find("서교"), std::string::npos);
  }
  for (const auto& secret : secrets) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << "found in the clear: " << secret;
    EXPECT_EQ(raw.find(Hex(secret)), std::string::npos) << "found as hex: " << secret;
  }
}

CAREDESK_STORAGE_CONTRACT(CaseContract);

}  // namespace
}  // namespace caredesk::storage
