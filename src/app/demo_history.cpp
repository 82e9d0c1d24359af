// A few months of past work for the demo district, so that the dashboard,
// the calendar and the overdue lists look like a real desk's: cases received
// week by week through the real use cases, most of them resolved and closed,
// some still open with steps that ran late. Fictional residents only.
#include <array>
#include <random>

#include "app/demo_data.hpp"

namespace caredesk::app {
namespace {

// The history's own clock: it walks forward through the past weeks so every
// timeline, clock and due date is as if the work had happened then.
class WalkingClock final : public core::Clock {
 public:
  explicit WalkingClock(core::TimePoint start) : now_(start) {}
  core::TimePoint Now() const override { return now_; }
  void Set(core::TimePoint t) { now_ = t; }

 private:
  core::TimePoint now_;
};

struct Concern {
  const char* channel;
  const char* category;
  const char* urgency;
  const char* summary;
  const char* notes;
  const char* refer_to;  // agency name or nullptr
  const char* resolution;
};

constexpr std::array<Concern, 20> kConcerns = {{
    {"visit", "welfare", "normal", "기초연금 신청 자격이 되는지 알고 싶어요.",
     "소득·재산 기준 설명, 신청 서류 안내.", nullptr, "기초연금 신청 완료, 다음 달부터 지급."},
    {"phone", "housing", "normal", "전세 계약이 끝나는데 집주인이 보증금을 안 돌려줍니다.",
     "임대차 계약서 확인. 임차권등기명령 절차 설명.", "마포구청 주택과 (MH 마포하우징)",
     "법률 상담 후 임차권등기 신청."},
    {"visit", "finance", "urgent", "카드값이 밀려서 독촉 전화가 하루에 열 번도 넘게 와요.",
     "채무 약 1,800만원. 채무조정 상담 희망.", "서민금융통합지원센터", "개인채무조정 신청 접수."},
    {"phone", "neighbour_dispute", "normal", "아랫집에서 담배 연기가 올라와서 창문을 못 엽니다.",
     "관리사무소 안내문 게시 요청, 이웃분쟁조정 절차 안내.", "서울시 이웃분쟁조정센터",
     "조정 후 흡연 장소 합의."},
    {"visit", "jobs", "normal", "경력 단절 후 다시 일하고 싶은데 어디서부터 시작할지 모르겠어요.",
     "직업훈련 과정, 내일배움카드 안내.", "고용복지플러스센터", "직업훈련 과정 등록."},
    {"online", "district_program", "normal", "어르신 무료 건강검진 일정이 궁금합니다.",
     "보건소 검진 일정과 예약 방법 안내.", nullptr, "검진 예약 완료."},
    {"visit", "health", "normal", "혼자 사시는 아버지가 요즘 자꾸 깜빡하세요.",
     "치매 선별검사 안내, 치매안심센터 연계 동의.", "마포구 치매안심센터",
     "선별검사 후 정기 관리 등록."},
    {"third_party", "welfare", "urgent", "위층 할아버지 댁에서 며칠째 인기척이 없어요.",
     "통장과 함께 방문 예정.", nullptr, "방문 확인, 건강 이상 없음. 안부 확인 대상 등록."},
    {"phone", "sanitation", "normal", "골목에 무단투기 쓰레기가 쌓여 악취가 납니다.",
     "청소행정과 수거 요청, 무단투기 단속 카메라 요청.", nullptr, "수거 완료, 계도 현수막 설치."},
    {"visit", "legal", "normal", "돌아가신 어머니 빚까지 상속받게 될까 봐 걱정입니다.",
     "상속포기·한정승인 기한 설명. 법률홈닥터 연계.", "마포구 법률홈닥터", "한정승인 신청 도움."},
    {"visit", "mental_health", "urgent", "남편이 실직한 뒤로 술만 마시고 집 밖에 안 나가요.",
     "가족 상담. 정신건강복지센터 방문 상담 연계 동의.", "마포구 정신건강복지센터",
     "정기 상담 시작."},
    {"phone", "tax", "normal", "재산세 고지서 금액이 작년보다 많이 올랐어요.",
     "세무과 문의 후 산정 근거 안내.", nullptr, "산정 근거 설명, 분납 신청."},
    {"visit", "welfare", "urgent", "월세가 석 달 밀렸고 이번 달 전기요금도 못 냈어요.",
     "긴급복지 생계·주거 지원 검토. 한전 요금 분납 안내.", nullptr, "긴급복지 주거지원 결정."},
    {"online", "culture", "normal", "아이와 갈 만한 주말 무료 공연이 있을까요?",
     "구립도서관·문화센터 프로그램 안내.", nullptr, "프로그램 안내 완료."},
    {"visit", "safety", "urgent", "장마 때마다 반지하 집에 물이 들어옵니다.",
     "물막이판 설치 신청, 침수 취약가구 등록.", nullptr, "물막이판 설치 완료."},
    {"phone", "crime_victim", "urgent", "헤어진 사람이 계속 집 앞에 찾아와요. 무서워요.",
     "112 신고 안내, 스마트 초인종 지원. 해바라기센터 연계 동의.", "마포경찰서",
     "신변보호 조치, 상담 연계."},
    {"visit", "welfare", "normal", "장애가 있는 아이 돌봄 서비스를 더 받을 수 있을까요?",
     "발달장애인 주간활동서비스 안내.", nullptr, "서비스 신청 완료."},
    {"outreach", "welfare", "urgent", "50대 혼자 사시는 분, 일용직이 끊겨 식사를 거르십니다.",
     "나비남 사업 안내, 푸드뱅크 연계.", nullptr, "푸드뱅크 정기 이용, 안부 확인 등록."},
    {"phone", "tourism", "normal", "외국인 친구에게 망원시장 관광 안내를 받고 싶어요.",
     "관광안내소, 다국어 지도 안내.", nullptr, "안내 완료."},
    {"visit", "other", "normal", "주민등록 등본을 집에서 뗄 수 있나요?", "정부24 발급 방법 안내.",
     nullptr, "온라인 발급 방법 설명."},
}};

constexpr std::array<const char*, 12> kSurnames = {"김", "이", "박", "최", "정", "강",
                                                   "조", "윤", "장", "임", "한", "오"};
constexpr std::array<const char*, 12> kGiven = {"민수", "영희", "철호", "순자", "지훈", "미경",
                                                "성민", "옥순", "현우", "정숙", "동현", "말순"};

constexpr auto kWeek = std::chrono::hours(24 * 7);
constexpr auto kDay = std::chrono::hours(24);

}  // namespace

core::Result<int> SeedDemoHistory(storage::Storage& storage, core::CaseRepository& repository,
                                  core::AccessLog& access_log, const core::District& district,
                                  int weeks, core::TimePoint now, int scale) {
  WalkingClock clock(now - weeks * kWeek);
  core::CaseService history(core::CasePorts{repository, storage.holidays(), storage.directory(),
                                            storage.users(), access_log, clock},
                            district.id);
  auto agencies = storage.directory().ListAgencies(district.id);
  if (!agencies.ok()) {
    return std::move(agencies).error();
  }
  // Only 서민금융통합지원센터 has a demo officer to answer referrals; the
  // other agencies' referrals of the past are told in the notes instead.
  auto officer_user = storage.users().FindByLogin(district.id, "finance.officer");
  if (!officer_user.ok()) {
    return std::move(officer_user).error();
  }
  const auto officer = core::ActorOf(*officer_user, "127.0.0.1");
  std::vector<core::Actor> counselors;
  for (const char* login : {"seogyo.counselor", "mangwon1.counselor"}) {
    auto user = storage.users().FindByLogin(district.id, login);
    if (!user.ok()) {
      return std::move(user).error();
    }
    counselors.push_back(core::ActorOf(*user, "127.0.0.1"));
  }
  // Fixed seed: every `make demo` shows the same history.
  std::mt19937 random(20261201);
  auto pick = [&random](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  int created = 0;
  // Phone numbers 010-3000-xxxx to 010-9999-xxxx, then round again.
  constexpr int kFirstPhone = 3000;
  constexpr int kPhones = 7000;
  int phone = 0;
  for (int week = weeks; week >= 1; --week) {
    const auto week_start = now - week * kWeek;
    const int in_week = scale * (3 + static_cast<int>(pick(6)));  // 3..8 cases a week x scale
    for (int i = 0; i < in_week; ++i) {
      const auto received = week_start + static_cast<int>(pick(5)) * kDay +
                            std::chrono::hours(9 + static_cast<int>(pick(8)));
      clock.Set(received);
      const auto& concern = kConcerns.at(pick(kConcerns.size()));
      const auto& actor = counselors.at(pick(counselors.size()));
      core::IntakeInput in;
      in.channel = concern.channel;
      in.primary_category = concern.category;
      in.urgency = concern.urgency;
      in.summary = concern.summary;
      if (std::string_view(concern.channel) == "third_party") {
        in.reporter = {"third_party", "", "이웃", ""};
      }
      core::NewResident r;
      r.name = std::string(kSurnames.at(pick(kSurnames.size()))) + kGiven.at(pick(kGiven.size()));
      r.birth_date = std::to_string(1940 + pick(50)) + "-0" + std::to_string(1 + pick(9)) + "-1" +
                     std::to_string(pick(10));
      r.phone = "010-" + std::to_string(kFirstPhone + phone++ % kPhones) + "-" +
                std::to_string(1000 + pick(9000));
      r.address = "서울 마포구 " + std::to_string(1 + pick(200)) + "번지";
      in.new_resident = r;
      in.confirm_new_resident = true;
      in.consultation = core::ConsultationInput{"visit", concern.notes, ""};
      if (concern.refer_to != nullptr) {
        for (const auto& a : *agencies) {
          if (a.name == concern.refer_to && officer_user->agency_id == a.id) {
            core::ReferralInput ref;
            ref.agency_id = a.id;
            ref.consent = {"본인", {"name", "phone", "summary"}, ""};
            ref.request_note = "상담 연계 요청";
            in.referral = ref;
          }
        }
      }
      if (!in.referral) {
        in.follow_up = core::FollowUpInput{};
      }
      auto c = history.Intake(actor, in);
      if (!c.ok()) {
        return std::move(c).error();
      }
      ++created;
      // Older cases are mostly solved; the last weeks are still in progress,
      // and a few steps ran late (they show as overdue today).
      const bool solved = week > 2 && pick(10) < 8;
      if (!solved) {
        // About half the open ones are on track: the last call reached the
        // resident and the next one is booked after today.
        if (pick(2) == 0 && !c->file.follow_ups.empty()) {
          clock.Set(received + static_cast<int>(1 + pick(3)) * kDay);
          core::FollowUpInput next;
          next.due.at = now + static_cast<int>(1 + pick(9)) * kDay;
          auto on_track =
              history.RecordFollowUpResult(actor, c->file.follow_ups.front().id,
                                           {"reached", "진행 상황 안내, 다음 상담 예약", next});
          if (!on_track.ok()) {
            return std::move(on_track).error();
          }
        }
        continue;
      }
      clock.Set(received + static_cast<int>(1 + pick(3)) * kDay);
      for (const auto& referral : c->file.referrals) {
        if (auto accepted = history.AcceptReferral(officer, referral.id); !accepted.ok()) {
          return std::move(accepted).error();
        }
        clock.Set(clock.Now() + static_cast<int>(1 + pick(5)) * kDay);
        if (auto done = history.CompleteReferral(officer, referral.id, concern.resolution);
            !done.ok()) {
          return std::move(done).error();
        }
      }
      clock.Set(clock.Now() + static_cast<int>(1 + pick(6)) * kDay);
      auto resolved = history.Resolve(actor, c->file.c.id, concern.resolution, std::nullopt);
      if (!resolved.ok()) {
        return std::move(resolved).error();
      }
      clock.Set(clock.Now() + static_cast<int>(1 + pick(4)) * kDay);
      for (const auto& f : resolved->file.follow_ups) {
        if (f.IsOpen() && f.kind == core::FollowUpKind::kResolutionCheck) {
          auto done = history.RecordFollowUpResult(actor, f.id, {"resolved", "해결 확인 통화", {}});
          if (!done.ok()) {
            return std::move(done).error();
          }
        }
      }
      auto closed = history.Close(actor, c->file.c.id, "", std::nullopt);
      if (!closed.ok()) {
        return std::move(closed).error();
      }
    }
  }
  return created;
}

}  // namespace caredesk::app
