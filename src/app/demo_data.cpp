#include "app/demo_data.hpp"

#include <array>
#include <set>

namespace caredesk::app {
namespace {

struct DemoDong {
  const char* name;
  const char* short_name;
};

// Mapo-gu's 16 administrative dongs (seed 002).
constexpr std::array<DemoDong, 16> kDongs = {{
    {"아현동", "아현"},
    {"공덕동", "공덕"},
    {"도화동", "도화"},
    {"용강동", "용강"},
    {"대흥동", "대흥"},
    {"염리동", "염리"},
    {"신수동", "신수"},
    {"서강동", "서강"},
    {"서교동", "서교"},
    {"합정동", "합정"},
    {"망원1동", "망원1"},
    {"망원2동", "망원2"},
    {"연남동", "연남"},
    {"성산1동", "성산1"},
    {"성산2동", "성산2"},
    {"상암동", "상암"},
}};

}  // namespace

std::vector<std::string> DemoDongNames() {
  std::vector<std::string> names;
  for (const auto& d : kDongs) {
    names.emplace_back(d.name);
  }
  return names;
}

namespace {

constexpr const char* kDistrictDesk = "마포구청 민원여권과 무엇이든 상담창구";

// Demo contacts: national hotlines where one exists, otherwise a made-up extension.
const std::vector<core::NewAgency>& DemoAgencies() {
  static const std::vector<core::NewAgency> agencies = {
      {"서민금융통합지원센터", "external", {"finance", "jobs"}, "1397", 48},
      {"마포구 정신건강복지센터", "external", {"mental_health", "health"}, "데모 02-000-1001", 24},
      {"고용복지플러스센터", "external", {"jobs", "welfare"}, "1350", 72},
      {"서울시 이웃분쟁조정센터", "external", {"neighbour_dispute"}, "데모 02-000-1002", 120},
      {"마포구 치매안심센터", "external", {"health", "welfare"}, "데모 02-000-1003", 48},
      {"법률홈닥터", "external", {"legal", "finance"}, "데모 02-000-1004", 72},
      {"해바라기센터", "external", {"crime_victim", "mental_health"}, "데모 02-000-1005", 4},
      {"마포경찰서", "external", {"crime_victim", "safety"}, "112", 4},
      {"마포구청 복지정책과", "internal", {"welfare"}, "내선 3301", 48},
      {"마포구청 주택과 (MH 마포하우징)", "internal", {"housing"}, "내선 3302", 72},
      {"마포구청 청소행정과", "internal", {"sanitation"}, "내선 3303", 48},
      {"마포구청 세무1과", "internal", {"tax"}, "내선 3304", 72},
      {"마포구청 일자리경제과", "internal", {"jobs", "district_program"}, "내선 3305", 72},
      {"마포구 보건소", "internal", {"health", "mental_health"}, "내선 3306", 48},
      {"마포구청 안전재난과", "internal", {"safety"}, "내선 3307", 24},
      {"마포구청 문화관광과", "internal", {"culture", "tourism"}, "내선 3308", 120},
      {"마포구청 교육청소년과 (무상교복)", "internal", {"district_program"}, "내선 3309", 120},
      {"마포구청 세무2과 (체납 상담)", "internal", {"tax", "finance"}, "내선 3310", 72},
  };
  return agencies;
}

struct DemoAccount {
  DemoLogin login;
  const char* display_name;
  const char* dong;    // or nullptr
  const char* agency;  // or nullptr
};

const std::vector<DemoAccount>& DemoAccounts() {
  static const std::vector<DemoAccount> accounts = {
      {{"admin", "admin", "시스템 관리자 (사건 내용은 볼 수 없음)"}, "관리자", nullptr, nullptr},
      {{"seogyo.counselor", "counselor", "서교동 상담 전담직원"}, "김서교", "서교동", nullptr},
      {{"mangwon1.counselor", "counselor", "망원1동 상담 전담직원"}, "박망원", "망원1동", nullptr},
      {{"seogyo.casemanager", "case_manager", "서교동 사례관리사"}, "이사례", "서교동", nullptr},
      {{"district.supervisor", "supervisor", "구청 복지정책과 팀장 (구 전체)"},
       "최팀장",
       nullptr,
       nullptr},
      {{"auditor", "auditor", "감사·의회 (통계만)"}, "정감사", nullptr, nullptr},
      {{"finance.officer", "agency_officer", "서민금융통합지원센터 담당자"},
       "한금융",
       nullptr,
       "서민금융통합지원센터"},
  };
  return accounts;
}

core::Status SeedDemoUsers(storage::Storage& storage, core::AuthService& auth,
                           const core::District& district, DemoSummary& summary) {
  auto dongs = storage.directory().ListDongs(district.id);
  auto agencies = storage.directory().ListAgencies(district.id);
  if (!dongs.ok() || !agencies.ok()) {
    return core::Error::Internal("demo users: cannot read the directory");
  }
  for (const auto& a : DemoAccounts()) {
    if (storage.users().FindByLogin(district.id, std::string(a.login.login)).ok()) {
      continue;
    }
    core::NewUser input;
    input.login = std::string(a.login.login);
    input.display_name = a.display_name;
    input.role = std::string(a.login.role);
    input.initial_password = std::string(kDemoPassword);
    // Overdue and emergency e-mails go to the demo's file gateway (.invalid: never deliverable).
    input.email = input.login + "@demo.caredesk.invalid";
    for (const auto& d : *dongs) {
      if (a.dong != nullptr && d.name == a.dong) {
        input.dong_id = d.id;
      }
    }
    for (const auto& ag : *agencies) {
      if (a.agency != nullptr && ag.name == a.agency) {
        input.agency_id = ag.id;
      }
    }
    auto created = auth.Bootstrap(input);
    if (!created.ok()) {
      return std::move(created).error();
    }
    ++summary.users_created;
  }
  return {};
}

}  // namespace

const std::vector<DemoLogin>& DemoLogins() {
  static const std::vector<DemoLogin> logins = [] {
    std::vector<DemoLogin> out;
    for (const auto& a : DemoAccounts()) {
      out.push_back(a.login);
    }
    return out;
  }();
  return logins;
}

core::Result<DemoSummary> SeedDemo(storage::Storage& storage, core::AuthService& auth,
                                   const core::District& district) {
  auto& dir = storage.directory();
  DemoSummary summary;
  for (const auto& d : kDongs) {
    auto dong = dir.EnsureDong(district.id, d.name, d.short_name);
    if (!dong.ok()) {
      return std::move(dong).error();
    }
    ++summary.dongs;
    core::Desk desk;
    desk.district_id = district.id;
    desk.dong_id = dong->id;
    desk.name = std::string(d.name) + " 주민센터";
    desk.kind = core::DeskKind::kDongCenter;
    if (auto r = dir.EnsureDesk(desk); !r.ok()) {
      return std::move(r).error();
    }
    ++summary.desks;
  }
  core::Desk central;
  central.district_id = district.id;
  central.name = kDistrictDesk;
  central.kind = core::DeskKind::kDistrictDesk;
  if (auto r = dir.EnsureDesk(central); !r.ok()) {
    return std::move(r).error();
  }
  ++summary.desks;

  auto existing = dir.ListAgencies(district.id);
  if (!existing.ok()) {
    return std::move(existing).error();
  }
  std::set<std::string> names;
  for (const auto& a : *existing) {
    names.insert(a.name);
  }
  for (const auto& input : DemoAgencies()) {
    if (names.count(input.name) > 0) {
      continue;
    }
    auto agency = core::ValidateNewAgency(input, district.id);
    if (!agency.ok()) {
      return core::Error::Internal("demo agency '" + input.name + "' is invalid");
    }
    auto created = dir.CreateAgency(*agency);
    if (!created.ok() && created.error().code != core::ErrorCode::kConflict) {
      return std::move(created).error();
    }
    ++summary.agencies_created;
  }
  summary.agencies_total = static_cast<int>(names.size()) + summary.agencies_created;
  if (auto users = SeedDemoUsers(storage, auth, district, summary); !users.ok()) {
    return std::move(users).error();
  }
  return summary;
}

}  // namespace caredesk::app

namespace caredesk::app {
namespace {

struct DemoCase {
  const char* counselor;  // login of the demo counselor who receives it
  const char* channel;
  const char* category;
  const char* urgency;
  const char* summary;
  const char* notes;
  const char* name;  // resident, or nullptr for a third-party report about someone unnamed
  const char* birth_date;
  const char* phone;
  bool living_alone;
  const char* follow_up_kind;
  int recurrence_days;
  const char* refer_to;  // agency name, or nullptr
};

const std::vector<DemoCase>& DemoCases() {
  static const std::vector<DemoCase> cases = {
      {"seogyo.counselor", "visit", "neighbour_dispute", "normal",
       "윗집 층간소음 때문에 밤마다 잠을 못 잡니다. 직접 찾아갔다가 다툼이 날 뻔했어요.",
       "밤 11시 이후 쿵쿵거림. 관리사무소 중재 실패. 이웃분쟁조정센터 안내 희망.", "이소음",
       "1971-05-12", "010-2000-0001", false, "counseling", 0, "서울시 이웃분쟁조정센터"},
      {"seogyo.counselor", "phone", "finance", "urgent",
       "카드빚과 대부업체 독촉 전화 때문에 일을 못 하겠어요. 월세도 두 달 밀렸습니다.",
       "채무 약 3,200만원(카드 2, 대부 1). 월세 2개월 체납. 채무조정 의사 있음.", "박채무",
       "1968-11-03", "010-2000-0002", true, "counseling", 0, "서민금융통합지원센터"},
      {"seogyo.counselor", "visit", "welfare", "normal",
       "혼자 사시는 어르신, 거동이 불편하시고 식사를 잘 못 챙기십니다.",
       "무릎 수술 후 외출 어려움. 도시락 배달 신청. 매주 안부 전화하기로 함.", "김어르신",
       "1939-02-17", "010-2000-0003", true, "welfare_check", 7, nullptr},
      {"seogyo.counselor", "third_party", "welfare", "urgent",
       "옆집 할머니가 며칠째 안 보이시고 현관 앞에 우편물이 쌓여 있어요.", nullptr, nullptr,
       nullptr, nullptr, false, "home_visit", 0, nullptr},
      {"seogyo.counselor", "online", "district_program", "normal",
       "중학교 입학하는 아이 무상교복 신청은 어디서 하나요?",
       "교육청소년과 무상교복 지원 안내, 신청서 온라인 제출 방법 설명.", "최학부모", "1983-07-21",
       "010-2000-0005", false, "counseling", 0, nullptr},
      {"seogyo.counselor", "visit", "mental_health", "crisis",
       "요즘 다 그만두고 싶다는 생각이 자꾸 들어요. 잠도 못 자고 밥도 안 넘어갑니다.",
       "자살 위험 선별 중간 이상. 1393 안내, 정신건강복지센터 당일 연계 동의.", "정마음",
       "1972-09-09", "010-2000-0006", true, "counseling", 0, "마포구 정신건강복지센터"},
      {"mangwon1.counselor", "visit", "jobs", "normal",
       "식당을 접고 나서 일자리를 찾고 있는데 나이 때문에 어렵습니다.",
       "50대 후반, 조리 경력 20년. 고용복지플러스센터 취업 상담 연계.", "한구직", "1967-04-30",
       "010-2000-0007", true, "counseling", 0, "고용복지플러스센터"},
      {"mangwon1.counselor", "phone", "housing", "normal",
       "반지하 집에 비만 오면 물이 새고 곰팡이가 심합니다.",
       "침수 이력 있음. MH 마포하우징 주거 상향 지원 안내.", "윤주거", "1979-12-01",
       "010-2000-0008", false, "counseling", 0, "마포구청 주택과 (MH 마포하우징)"},
  };
  return cases;
}

}  // namespace

core::Result<int> SeedDemoCases(storage::Storage& storage, core::CaseRepository& repository,
                                core::CaseService& cases, const core::District& district,
                                const DemoHistoryOptions& history) {
  core::CaseFilter any;
  any.scope.whole_district = true;
  any.limit = 1;
  auto existing = repository.ListCases(district.id, any);
  if (!existing.ok()) {
    return std::move(existing).error();
  }
  if (!existing->empty()) {
    return 0;
  }
  auto agencies = storage.directory().ListAgencies(district.id);
  if (!agencies.ok()) {
    return std::move(agencies).error();
  }
  int created = 0;
  if (history.weeks > 0 && history.access_log != nullptr) {
    auto past = SeedDemoHistory(storage, repository, *history.access_log, district, history.weeks,
                                history.now, history.scale);
    if (!past.ok()) {
      return std::move(past).error();
    }
    created += *past;
  }
  for (const auto& d : DemoCases()) {
    auto user = storage.users().FindByLogin(district.id, d.counselor);
    if (!user.ok()) {
      return std::move(user).error();
    }
    const auto actor = core::ActorOf(*user, "127.0.0.1");
    core::IntakeInput in;
    in.channel = d.channel;
    in.primary_category = d.category;
    in.urgency = d.urgency;
    in.summary = d.summary;
    if (std::string_view(d.channel) == "third_party") {
      in.reporter = {"third_party", "이웃 주민", "이웃", "010-2000-0099"};
    }
    if (d.name != nullptr) {
      core::NewResident r;
      r.name = d.name;
      r.birth_date = d.birth_date;
      r.phone = d.phone;
      r.address = std::string("서울 마포구 ") + (user->dong_id ? "월드컵로 " : "") + "100";
      r.household.living_alone = d.living_alone;
      r.household.members = d.living_alone ? 1 : 3;
      in.new_resident = r;
      in.confirm_new_resident = true;
    }
    if (d.notes != nullptr) {
      in.consultation = core::ConsultationInput{"visit", d.notes, ""};
    }
    core::FollowUpInput f;
    f.kind = d.follow_up_kind;
    f.recurrence_days = d.recurrence_days;
    in.follow_up = f;
    if (d.refer_to != nullptr) {
      for (const auto& a : *agencies) {
        if (a.name == d.refer_to) {
          core::ReferralInput r;
          r.agency_id = a.id;
          r.consent = {"본인", {"name", "phone", "summary"}, ""};
          r.request_note = "상담 연계 요청";
          in.referral = r;
        }
      }
    }
    auto c = cases.Intake(actor, in);
    if (!c.ok()) {
      return std::move(c).error();
    }
    ++created;
  }
  return created;
}

}  // namespace caredesk::app
