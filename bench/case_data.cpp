#include "bench/case_data.hpp"

#include <linux/magic.h>
#include <sys/vfs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "storage/postgres/pg_connection.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace caredesk::bench {
namespace {

namespace sql = storage::sql;
using namespace std::chrono_literals;

// --- A small deterministic PRNG (splitmix64): the same sequence on every platform ---------------

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  double Unit() {
    constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
    constexpr unsigned kShift = 11;
    return static_cast<double>(Next() >> kShift) * kTwoToMinus53;
  }
  bool Chance(double p) { return Unit() < p; }

 private:
  std::uint64_t state_;
};

constexpr std::uint64_t kSeed = 0xCA5EDE5C2026ULL;

// --- Vocabulary ---------------------------------------------------------------------------------

// A topic of complaint: its category code, how often cases are about it, and its words, most
// frequent first (picked with Zipf weights 1/(rank+1)).
struct Topic {
  std::string_view category;
  int weight;  // relative share of cases
  std::vector<std::string_view> words;
};

const std::vector<Topic>& Topics() {
  static const std::vector<Topic> kTopics = {
      // The benchmark's query words (층간소음, 소음, 월세, 치매) sit in the middle of their
      // lists: each is in about 2-4% of all cases, as a specific complaint is in a district.
      {"neighbour_dispute", 12, {"윗집",   "아랫집", "옆집",     "발소리", "쿵쿵거림",   "새벽",
                                 "밤늦게", "항의",   "다툼",     "갈등",   "담배연기",   "냄새",
                                 "주차",   "반려견", "층간소음", "짖음",   "관리사무소", "소음",
                                 "경비실", "이웃",   "보복소음", "고성",   "욕설",       "중재"}},
      {"housing", 15, {"전세",     "보증금", "집주인",   "임대차계약", "계약만료", "이사",
                       "곰팡이",   "누수",   "반지하",   "고시원",     "옥탑방",   "단열",
                       "난방",     "보일러", "퇴거",     "월세",       "재개발",   "임대주택",
                       "주거급여", "관리비", "전세사기", "습기",       "창문",     "수리"}},
      {"health", 15, {"어르신", "기억력",       "병원",     "진료", "약",   "복용",
                      "혈압",   "당뇨",         "관절",     "거동", "요양", "보호자",
                      "돌봄",   "재활",         "건강검진", "치매", "입원", "퇴원",
                      "간병",   "치매안심센터", "배회",     "투석", "통증", "장기요양등급"}},
      {"finance", 12, {"카드빚",   "대출",     "이자",     "독촉", "채무",   "연체",
                       "압류",     "신용불량", "개인회생", "파산", "생활비", "공과금",
                       "전기요금", "가스요금", "통신비",   "체납", "빚",     "사채",
                       "추심",     "채무조정", "통장",     "급여", "카드론", "보험료"}},
      {"welfare", 18, {"기초생활수급", "긴급지원", "생계급여", "의료급여", "차상위",   "바우처",
                       "장애인",       "활동지원", "한부모",   "아동수당", "기초연금", "자격",
                       "소득",         "재산",     "수급자",   "탈락",     "재신청",   "복지급여",
                       "푸드뱅크",     "도시락",   "반찬",     "후원",     "물품",     "주거지원"}},
      {"mental_health", 8, {"우울",     "불안",     "고립",   "외로움",   "은둔",     "극단적",
                            "불면",     "상실",     "사별",   "음주",     "술",       "대화",
                            "정신건강", "자살위험", "무기력", "공황",     "트라우마", "상담치료",
                            "심리지원", "고독사",   "단절",   "가족갈등", "분노",     "스트레스"}},
      {"jobs", 7, {"일자리",   "실직",     "구직",     "취업",       "노인일자리",
                   "공공근로", "면접",     "자격증",   "직업훈련",   "이력서",
                   "해고",     "임금체불", "일용직",   "아르바이트", "근로능력",
                   "자활근로", "고용센터", "실업급여", "창업",       "경력단절"}},
      {"sanitation",
       6,
       {"쓰레기", "악취", "불법투기", "방치", "청소", "해충", "바퀴벌레", "저장강박", "폐기물",
        "음식물쓰레기", "분리수거", "쥐", "오물", "하수구", "막힘", "곰팡이제거"}},
      {"safety",
       4,
       {"화재", "누전", "가스누출", "방범", "위험", "낙상", "빙판", "침수", "정전", "붕괴", "균열",
        "소화기", "화재경보기", "폭염", "한파", "대피"}},
      {"legal",
       3,
       {"사기", "소송", "법률상담", "고소", "폭행", "가정폭력", "학대", "스토킹", "보이스피싱",
        "세금", "재산세", "체납처분", "상속", "이혼", "양육비", "후견"}},
  };
  return kTopics;
}

// General nouns (take particles), adverbs (do not) and endings that close a sentence.
const std::vector<std::string_view> kGeneralNouns = {
    "상담",     "요청",   "문의",       "방문",   "전화", "지원", "도움", "확인",
    "안내",     "연계",   "필요",       "어려움", "생활", "가족", "자녀", "배우자",
    "주민센터", "복지관", "사회복지사", "담당자", "서류", "제출", "결과", "예정",
    "본인",     "어머니", "아버지",     "딸",     "아들", "손자", "형편", "사정",
    "문제",     "상황",   "걱정",       "호소",   "희망", "요구", "불편", "동네",
    "집",       "건물",   "구청",       "민원",   "신청", "연락", "답변", "처리"};
const std::vector<std::string_view> kAdverbs = {"다시", "계속",   "최근",     "지난달", "이번달",
                                                "매일", "자주",   "가끔",     "오래",   "혼자",
                                                "당장", "몇달째", "일주일째", "밤마다", "주말마다"};
const std::vector<std::string_view> kEndings = {
    "합니다", "했습니다", "하고싶음", "어렵다고함", "원하심", "호소함", "요청함",
    "필요함", "안내함",   "확인함",   "연락옴",     "방문함", "예정임", "모름",
    "없음",   "있음",     "못함",     "힘들어함",   "걱정함", "부탁함", "받고싶음"};

const std::vector<std::string_view> kSurnames = {"김", "이", "박", "최", "정", "강", "조",
                                                 "윤", "장", "임", "한", "오", "서", "신",
                                                 "권", "황", "안", "송", "류", "홍"};
const std::vector<std::string_view> kGivenSyllables = {
    "민", "서", "지", "현", "영", "수", "준", "우", "진", "희", "숙", "자", "철", "호", "경",
    "미", "정", "순", "옥", "동", "성", "은", "혜", "재", "태", "하", "윤", "연", "주", "선"};
const std::vector<std::string_view> kRoads = {"월드컵로", "양화로",   "독막로",   "마포대로",
                                              "신촌로",   "성미산로", "동교로",   "와우산로",
                                              "토정로",   "백범로",   "만리재로", "희우정로"};

// Cumulative Zipf weights 1/(rank+1) for a list of n words.
std::vector<double> ZipfCumulative(std::size_t n) {
  std::vector<double> out(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += 1.0 / static_cast<double>(i + 1);
    out[i] = sum;
  }
  return out;
}

std::size_t PickZipf(Rng& rng, const std::vector<double>& cumulative) {
  const double x = rng.Unit() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

struct Vocabulary {
  std::vector<std::vector<double>> topic_cumulative;
  std::vector<int> topic_weights_cumulative;
  std::vector<double> general_cumulative;

  Vocabulary() {
    int sum = 0;
    for (const auto& t : Topics()) {
      topic_cumulative.push_back(ZipfCumulative(t.words.size()));
      sum += t.weight;
      topic_weights_cumulative.push_back(sum);
    }
    general_cumulative = ZipfCumulative(kGeneralNouns.size());
  }

  std::size_t PickTopic(Rng& rng) const {
    const auto x =
        static_cast<int>(rng.Below(static_cast<std::uint64_t>(topic_weights_cumulative.back())));
    return static_cast<std::size_t>(
        std::upper_bound(topic_weights_cumulative.begin(), topic_weights_cumulative.end(), x) -
        topic_weights_cumulative.begin());
  }
};

const Vocabulary& Vocab() {
  static const Vocabulary kVocabulary;
  return kVocabulary;
}

// True when the word's last syllable has a final consonant (받침), which picks 이/을/은/과/으로.
bool HasFinalConsonant(std::string_view word) {
  constexpr std::size_t kHangulUtf8Bytes = 3;
  if (word.size() < kHangulUtf8Bytes) {
    return false;
  }
  const auto* p =
      reinterpret_cast<const unsigned char*>(word.data() + word.size() - kHangulUtf8Bytes);
  constexpr unsigned kLead = 0xE0;
  if ((p[0] & 0xF0U) != kLead) {
    return false;
  }
  const char32_t cp = ((p[0] & 0x0FU) << 12U) | ((p[1] & 0x3FU) << 6U) | (p[2] & 0x3FU);
  constexpr char32_t kFirstSyllable = 0xAC00;
  constexpr char32_t kLastSyllable = 0xD7A3;
  constexpr char32_t kFinals = 28;
  return cp >= kFirstSyllable && cp <= kLastSyllable && (cp - kFirstSyllable) % kFinals != 0;
}

void AppendNoun(Rng& rng, std::string& out, std::string_view noun) {
  out += noun;
  constexpr double kParticleShare = 0.45;
  if (!rng.Chance(kParticleShare)) {
    return;
  }
  struct Pair {
    std::string_view after_consonant;
    std::string_view after_vowel;
  };
  static const std::array<Pair, 10> kParticles = {{{"이", "가"},
                                                   {"을", "를"},
                                                   {"은", "는"},
                                                   {"과", "와"},
                                                   {"으로", "로"},
                                                   {"에", "에"},
                                                   {"에서", "에서"},
                                                   {"도", "도"},
                                                   {"의", "의"},
                                                   {"만", "만"}}};
  const auto& p = kParticles[rng.Below(kParticles.size())];
  out += HasFinalConsonant(noun) ? p.after_consonant : p.after_vowel;
}

void AppendNumber(Rng& rng, std::string& out) {
  constexpr int kMaxMonths = 24;
  constexpr int kMaxTenThousandWon = 90;
  constexpr int kMinAge = 20;
  constexpr int kMaxAge = 95;
  constexpr int kMaxYears = 15;
  constexpr int kTen = 10;
  switch (rng.Below(4)) {
    case 0:
      out += std::to_string(rng.Between(1, kMaxMonths)) + "개월";
      break;
    case 1:
      out += std::to_string(rng.Between(1, kMaxTenThousandWon) * kTen) + "만원";
      break;
    case 2:
      out += std::to_string(rng.Between(kMinAge, kMaxAge)) + "세";
      break;
    default:
      out += std::to_string(rng.Between(1, kMaxYears)) + "년째";
      break;
  }
}

// `words` words about `topic` (and sometimes `second`), then an ending; sentences of about
// eight words end with an ending and a full stop.
std::string Sentence(Rng& rng, std::size_t topic, std::optional<std::size_t> second, int words) {
  const auto& v = Vocab();
  constexpr double kTopicShare = 0.5;
  constexpr double kSecondShare = 0.1;
  constexpr double kAdverbShare = 0.12;
  constexpr double kNumberShare = 0.04;
  constexpr int kWordsPerSentence = 8;
  std::string out;
  for (int i = 0; i < words; ++i) {
    if (!out.empty()) {
      out += ' ';
    }
    if (i > 0 && i % kWordsPerSentence == 0) {
      out += kEndings[rng.Below(kEndings.size())];
      out += ". ";
    }
    const double x = rng.Unit();
    if (x < kTopicShare) {
      AppendNoun(rng, out, Topics()[topic].words[PickZipf(rng, v.topic_cumulative[topic])]);
    } else if (second && x < kTopicShare + kSecondShare) {
      AppendNoun(rng, out, Topics()[*second].words[PickZipf(rng, v.topic_cumulative[*second])]);
    } else if (x < kTopicShare + kSecondShare + kAdverbShare) {
      out += kAdverbs[rng.Below(kAdverbs.size())];
    } else if (x < kTopicShare + kSecondShare + kAdverbShare + kNumberShare) {
      AppendNumber(rng, out);
    } else {
      AppendNoun(rng, out, kGeneralNouns[PickZipf(rng, v.general_cumulative)]);
    }
  }
  out += ' ';
  out += kEndings[rng.Below(kEndings.size())];
  return out;
}

std::string TwoDigits(int v) {
  constexpr int kTen = 10;
  return (v < kTen ? "0" : "") + std::to_string(v);
}

std::string EightDigits(std::uint64_t v) {
  std::string s = std::to_string(v % 100000000ULL);
  constexpr std::size_t kWidth = 8;
  return std::string(kWidth - s.size(), '0') + s;
}

std::string DateText(std::chrono::year_month_day d) {
  return std::to_string(static_cast<int>(d.year())) + "-" +
         TwoDigits(static_cast<int>(static_cast<unsigned>(d.month()))) + "-" +
         TwoDigits(static_cast<int>(static_cast<unsigned>(d.day())));
}

}  // namespace

const std::vector<DongName>& MapoDongs() {
  static const std::vector<DongName> kDongs = {
      {"아현동", "아현"}, {"공덕동", "공덕"},   {"도화동", "도화"},   {"용강동", "용강"},
      {"대흥동", "대흥"}, {"염리동", "염리"},   {"신수동", "신수"},   {"서강동", "서강"},
      {"서교동", "서교"}, {"합정동", "합정"},   {"망원1동", "망원1"}, {"망원2동", "망원2"},
      {"연남동", "연남"}, {"성산1동", "성산1"}, {"성산2동", "성산2"}, {"상암동", "상암"}};
  return kDongs;
}

std::size_t CaseTextGenerator::VocabularySize() {
  std::size_t n = kGeneralNouns.size() + kAdverbs.size() + kEndings.size();
  for (const auto& t : Topics()) {
    n += t.words.size();
  }
  return n;
}

GeneratedCase CaseTextGenerator::Make(std::uint64_t index) const {
  Rng rng(kSeed ^ (index * 0xD1B54A32D192ED03ULL));
  const auto& v = Vocab();
  GeneratedCase g;
  g.dong_index = static_cast<int>(rng.Below(MapoDongs().size()));
  const std::size_t topic = v.PickTopic(rng);
  std::optional<std::size_t> second;
  constexpr double kSecondTopicShare = 0.3;
  if (rng.Chance(kSecondTopicShare)) {
    const std::size_t s = v.PickTopic(rng);
    if (s != topic) {
      second = s;
    }
  }
  g.primary_category = std::string(Topics()[topic].category);
  if (second) {
    g.secondary_categories.emplace_back(Topics()[*second].category);
  }
  constexpr int kVisitPercent = 50;
  constexpr int kPhonePercent = 85;
  constexpr int kOnlinePercent = 95;
  const int channel = static_cast<int>(rng.Below(100));
  g.channel = channel < kVisitPercent    ? core::Channel::kVisit
              : channel < kPhonePercent  ? core::Channel::kPhone
              : channel < kOnlinePercent ? core::Channel::kOnline
                                         : core::Channel::kOutreach;
  g.consultation_kind = g.channel == core::Channel::kPhone ? core::ConsultationKind::kCall
                                                           : core::ConsultationKind::kVisit;
  constexpr int kUrgentPercent = 12;
  constexpr int kCrisisPercent = 3;
  const int urgency = static_cast<int>(rng.Below(100));
  g.urgency = urgency < kCrisisPercent                    ? core::Urgency::kCrisis
              : urgency < kCrisisPercent + kUrgentPercent ? core::Urgency::kUrgent
                                                          : core::Urgency::kNormal;
  constexpr int kMinSummaryWords = 6;
  constexpr int kMaxSummaryWords = 12;
  constexpr int kMinNoteWords = 10;
  constexpr int kMaxNoteWords = 24;
  constexpr int kMinOutcomeWords = 3;
  constexpr int kMaxOutcomeWords = 8;
  constexpr int kMinFollowUpWords = 3;
  constexpr int kMaxFollowUpWords = 6;
  constexpr double kOutcomeShare = 0.3;
  g.summary = Sentence(rng, topic, second, rng.Between(kMinSummaryWords, kMaxSummaryWords));
  g.notes = Sentence(rng, topic, second, rng.Between(kMinNoteWords, kMaxNoteWords));
  if (rng.Chance(kOutcomeShare)) {
    g.outcome = Sentence(rng, topic, std::nullopt, rng.Between(kMinOutcomeWords, kMaxOutcomeWords));
  }
  g.follow_up_note =
      Sentence(rng, topic, std::nullopt, rng.Between(kMinFollowUpWords, kMaxFollowUpWords));

  g.name = std::string(kSurnames[rng.Below(kSurnames.size())]) +
           std::string(kGivenSyllables[rng.Below(kGivenSyllables.size())]) +
           std::string(kGivenSyllables[rng.Below(kGivenSyllables.size())]);
  constexpr int kFirstBirthYear = 1935;
  constexpr int kLastBirthYear = 2004;
  constexpr int kMonths = 12;
  constexpr int kDays = 28;
  g.birth_date = std::to_string(rng.Between(kFirstBirthYear, kLastBirthYear)) + "-" +
                 TwoDigits(rng.Between(1, kMonths)) + "-" + TwoDigits(rng.Between(1, kDays));
  g.phone = "010" + EightDigits(index);  // unique per index (below 10^8)
  constexpr int kMaxBuildingNumber = 300;
  constexpr int kMaxApartmentBlock = 120;
  constexpr int kMaxFloor = 25;
  constexpr double kApartmentShare = 0.4;
  g.address = "서울 마포구 " + std::string(kRoads[rng.Below(kRoads.size())]) + " " +
              std::to_string(rng.Between(1, kMaxBuildingNumber));
  if (rng.Chance(kApartmentShare)) {
    g.address += " " + std::to_string(rng.Between(101, kMaxApartmentBlock)) + "동 " +
                 std::to_string(rng.Between(1, kMaxFloor)) + "0" +
                 std::to_string(rng.Between(1, 4)) + "호";
  }
  constexpr double kAloneShare = 0.35;
  constexpr int kMaxMembers = 5;
  g.living_alone = rng.Chance(kAloneShare);
  g.members = g.living_alone ? 1 : rng.Between(2, kMaxMembers);
  return g;
}

// --- PlaintextSealer
// ------------------------------------------------------------------------------

core::Bytes PlaintextSealer::Seal(std::string_view plaintext, std::string_view /*context*/) const {
  return {plaintext.begin(), plaintext.end()};
}

core::Result<std::string> PlaintextSealer::Open(const core::Bytes& sealed,
                                                std::string_view /*context*/) const {
  return std::string(sealed.begin(), sealed.end());
}

core::Bytes PlaintextSealer::NewDataKey() const {
  constexpr std::size_t kKeyBytes = 32;
  return core::Bytes(kKeyBytes, 0);
}

core::Bytes PlaintextSealer::SealWith(const core::Bytes& /*data_key*/, std::string_view plaintext,
                                      std::string_view /*context*/) const {
  return {plaintext.begin(), plaintext.end()};
}

core::Result<std::string> PlaintextSealer::OpenWith(const core::Bytes& /*data_key*/,
                                                    const core::Bytes& sealed,
                                                    std::string_view /*context*/) const {
  return std::string(sealed.begin(), sealed.end());
}

// --- Loading
// ----------------------------------------------------------------------------------------

std::unique_ptr<sql::Database> OpenLoaderDatabase(storage::Backend backend,
                                                  const std::string& target,
                                                  std::size_t connections) {
  sql::ConnectionFactory factory;
  if (backend == storage::Backend::kSqlite) {
    factory = [target]() -> std::unique_ptr<sql::Connection> {
      auto c = storage::sqlite::OpenSqliteConnection({target});
      // Outside a transaction (SQLite refuses to change these inside one). No WAL while loading:
      // pages are written once, in place, instead of to the WAL and again by each checkpoint;
      // the rollback journal and the statement journals stay in memory (temp_store) instead of
      // in temporary files; a 256 MiB page cache keeps the hot leaves of the postings index.
      // The next ordinary connection (Storage::Open) switches the file back to WAL.
      c->ExecuteScript(
          "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; "
          "PRAGMA cache_size=-262144;");
      return c;
    };
  } else {
    factory = [target]() -> std::unique_ptr<sql::Connection> {
      auto c = storage::postgres::OpenPgConnection(target);
      c->ExecuteScript("SET synchronous_commit = off");
      return c;
    };
  }
  constexpr auto kCheckoutTimeout = 60s;
  return std::make_unique<sql::Database>(
      backend == storage::Backend::kSqlite ? sql::Dialect::kSqlite : sql::Dialect::kPostgres,
      std::move(factory), connections, kCheckoutTimeout);
}

core::Status CreatePlaintextTable(sql::Database& db) {
  return db.Transact(sql::TxMode::kWrite, [](sql::Connection& c) -> core::Status {
    c.Execute(
        "CREATE TABLE IF NOT EXISTS bench_plain (id BIGINT PRIMARY KEY, dong_id BIGINT NOT NULL, "
        "body TEXT NOT NULL)",
        {});
    return {};
  });
}

core::UserId CounselorOf(int dong_index, std::uint64_t case_index) {
  constexpr core::UserId kFirstCounselor = 1000;
  constexpr int kCounselorsPerDong = 4;
  return kFirstCounselor + dong_index * kCounselorsPerDong +
         static_cast<core::UserId>(case_index % kCounselorsPerDong);
}

core::Result<std::vector<core::DongId>> EnsureMapoDongs(core::DirectoryRepository& directory,
                                                        core::DistrictId district) {
  std::vector<core::DongId> out;
  for (const auto& d : MapoDongs()) {
    auto dong = directory.EnsureDong(district, d.name, d.short_name);
    if (!dong.ok()) {
      return std::move(dong).error();
    }
    out.push_back(dong->id);
  }
  return out;
}

namespace {

constexpr int kYears = 12;  // divisible by 1, 2, 3, 4 and 6 writers

struct PlainRow {
  core::CaseId id;
  core::DongId dong;
  std::string body;
};

core::Status FlushPlain(sql::Database& db, std::vector<PlainRow>& rows) {
  if (rows.empty()) {
    return {};
  }
  auto s = db.Transact(sql::TxMode::kWrite, [&](sql::Connection& c) -> core::Status {
    std::string text = "INSERT INTO bench_plain (id, dong_id, body) VALUES ";
    sql::Params params;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t p = i * 3;
      text += (i > 0 ? ", ($" : "($") + std::to_string(p + 1) + ", $" + std::to_string(p + 2) +
              ", $" + std::to_string(p + 3) + ")";
      params.emplace_back(rows[i].id);
      params.emplace_back(rows[i].dong);
      params.emplace_back(rows[i].body);
    }
    c.Execute(text, params);
    return {};
  });
  rows.clear();
  return s;
}

core::CaseEvent Event(core::TimePoint at, core::UserId actor, std::string kind, std::string data) {
  core::CaseEvent e;
  e.at = at;
  e.actor_id = actor;
  e.kind = std::move(kind);
  e.data = std::move(data);
  return e;
}

}  // namespace

core::Status LoadCases(const LoadTarget& target, const LoadPlan& plan) {
  const int threads = std::clamp(plan.threads, 1, kYears);
  std::atomic<bool> failed{false};
  std::atomic<std::int64_t> done{0};
  std::mutex mutex;
  std::optional<core::Error> first_error;
  const auto fail = [&](core::Error e) {
    std::lock_guard lock(mutex);
    if (!first_error) {
      first_error = std::move(e);
    }
    failed = true;
  };
  const CaseTextGenerator generator;
  constexpr std::int64_t kProgressEvery = 10000;
  constexpr std::size_t kPlainBatch = 128;

  const auto work = [&](int t) {
    // This thread's years, oldest first, and its share of the cases.
    std::vector<int> years;
    for (int y = 0; y < kYears; ++y) {
      if (y % threads == t) {
        years.push_back(plan.last_year - kYears + 1 + y);
      }
    }
    const std::int64_t mine = plan.count / threads + (t < plan.count % threads ? 1 : 0);
    std::vector<PlainRow> plain;
    std::optional<core::ResidentId> resident;
    Rng rng(kSeed + static_cast<std::uint64_t>(t));
    for (std::int64_t local = 0; local < mine && !failed; ++local) {
      const std::uint64_t index =
          plan.first_index + static_cast<std::uint64_t>(local * threads + t);
      const GeneratedCase g = generator.Make(index);
      const int year =
          years[static_cast<std::size_t>(local * static_cast<std::int64_t>(years.size()) / mine)];
      constexpr int kDaysPerYear = 365;
      constexpr int kOfficeHours = 9;
      constexpr int kMinutes = 60;
      const auto day = std::chrono::sys_days{std::chrono::year{year} / 1 / 1} +
                       std::chrono::days{rng.Below(kDaysPerYear)};
      const core::TimePoint opened = day + std::chrono::hours{rng.Below(kOfficeHours)} +
                                     std::chrono::minutes{rng.Below(kMinutes)};
      const core::DongId dong = target.dongs.at(static_cast<std::size_t>(g.dong_index));
      const core::UserId counselor = CounselorOf(g.dong_index, index);

      core::CaseFile f;
      core::Case& c = f.c;
      if (plan.residents && local % 2 == 0) {
        if (local % 4 == 0 || !resident) {
          core::Resident r;
          r.district_id = target.district;
          r.dong_id = dong;
          r.name = g.name;
          r.birth_date = g.birth_date;
          r.phone = g.phone;
          r.address = g.address;
          r.household.living_alone = g.living_alone;
          r.household.members = g.members;
          r.created_at = opened;
          auto created = target.repo.CreateResident(r);
          if (!created.ok()) {
            fail(std::move(created).error());
            break;
          }
          resident = created->id;
        }
        c.resident_id = resident;
      }
      c.district_id = target.district;
      c.dong_id = dong;
      c.channel = g.channel;
      c.primary_category = g.primary_category;
      c.secondary_categories = g.secondary_categories;
      c.urgency = g.urgency;
      c.status = core::CaseStatus::kInConsultation;
      c.counselor_id = counselor;
      c.summary = g.summary;
      c.received_on = DateText(std::chrono::year_month_day{day});
      c.opened_at = opened;
      core::Consultation k;
      k.counselor_id = counselor;
      k.at = opened;
      k.kind = g.consultation_kind;
      k.notes = g.notes;
      k.outcome = g.outcome;
      f.consultations.push_back(std::move(k));
      core::FollowUp u;
      u.kind = g.living_alone ? core::FollowUpKind::kWelfareCheck : core::FollowUpKind::kCounseling;
      u.due_at = opened + 72h;
      u.owner_id = counselor;
      u.note = g.follow_up_note;
      u.created_at = opened;
      f.follow_ups.push_back(std::move(u));
      std::vector<core::CaseEvent> events;
      events.push_back(Event(opened, counselor, "received",
                             R"({"channel":")" + std::string(core::Code(g.channel)) +
                                 R"(","category":")" + g.primary_category + "\"}"));
      events.push_back(
          Event(opened, counselor, "consultation_added",
                R"({"kind":")" + std::string(core::Code(g.consultation_kind)) + "\"}"));
      events.push_back(
          Event(opened, counselor, "follow_up_scheduled",
                R"({"kind":")" + std::string(core::Code(f.follow_ups[0].kind)) + "\"}"));
      auto stored = target.repo.CreateCase(f, std::move(events), {});
      if (!stored.ok()) {
        fail(std::move(stored).error());
        break;
      }
      if (target.created != nullptr) {
        std::lock_guard lock(mutex);
        target.created->push_back(stored->c.id);
      }
      if (plan.plaintext_copy) {
        plain.push_back({stored->c.id, dong, g.summary + "\n" + g.notes + "\n" + g.outcome});
        if (plain.size() >= kPlainBatch) {
          if (auto s = FlushPlain(target.db, plain); !s.ok()) {
            fail(std::move(s).error());
            break;
          }
        }
      }
      const std::int64_t n = ++done;
      if (plan.progress && n % kProgressEvery == 0) {
        plan.progress(n);
      }
    }
    if (!failed) {
      if (auto s = FlushPlain(target.db, plain); !s.ok()) {
        fail(std::move(s).error());
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back(work, t);
  }
  for (auto& th : pool) {
    th.join();
  }
  if (first_error) {
    return std::move(*first_error);
  }
  return {};
}

std::string RequireDiskFileSystem(const std::string& dir) {
  struct statfs info {};
  if (statfs(dir.c_str(), &info) != 0) {
    throw std::runtime_error("cannot statfs " + dir);
  }
  constexpr long kRamfsMagic = 0x858458f6;  // not in every linux/magic.h
  const auto type = static_cast<long>(info.f_type);
  if (type == TMPFS_MAGIC || type == kRamfsMagic) {
    throw std::runtime_error(dir + " is on a memory file system; benchmarks of durable writes " +
                             "need a directory on disk");
  }
  switch (type) {
    case EXT4_SUPER_MAGIC:
      return "ext2/3/4";
    case XFS_SUPER_MAGIC:
      return "xfs";
    case BTRFS_SUPER_MAGIC:
      return "btrfs";
    case OVERLAYFS_SUPER_MAGIC:
      return "overlayfs";
    default: {
      char hex[32];
      std::snprintf(hex, sizeof(hex), "0x%lx", static_cast<unsigned long>(type));
      return std::string("fs type ") + hex;
    }
  }
}

}  // namespace caredesk::bench
