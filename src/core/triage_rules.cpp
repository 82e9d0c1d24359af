#include "core/triage_rules.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace caredesk::core {
namespace {

// Everyday words residents use for each concern. A keyword inside a longer
// keyword of the same category that also matched (빚 in 카드빚) counts once.
constexpr std::string_view kWelfare[] = {
    "기초수급", "기초생활", "수급자",     "생계급여",  "생계비",   "의료급여",   "긴급지원",
    "긴급복지", "기초연금", "장애인연금", "차상위",    "한부모",   "복지관",     "바우처",
    "생활비",   "끼니",     "도시락",     "반찬",      "무료급식", "푸드뱅크",   "후원",
    "돌봄",     "요양",     "독거",       "혼자 사시", "혼자 살",  "건강보험료", "단전",
    "단수",     "기저귀",   "장애인"};
constexpr std::string_view kHousing[] = {
    "전세",      "월세",      "집주인",   "임대",     "이사",     "보증금", "집세",
    "세입자",    "반지하",    "고시원",   "옥탑",     "쪽방",     "곰팡이", "누수",
    "보일러",    "집수리",    "주거급여", "공공임대", "임대주택", "재개발", "재건축",
    "계약 만료", "계약 갱신", "전세사기", "깡통전세", "쫓겨나",   "살 곳",  "집이 없"};
constexpr std::string_view kHealth[] = {
    "병원", "병원비", "진료",        "치료",      "수술",   "입원",   "퇴원",   "약값",
    "처방", "보건소", "건강검진",    "예방접종",  "치매",   "당뇨",   "고혈압", "재활",
    "통증", "간병",   "거동이 불편", "몸이 아파", "아파요", "의료비", "응급실"};
constexpr std::string_view kSanitation[] = {
    "쓰레기", "분리수거", "재활용",   "음식물", "대형폐기물", "무단투기", "불법투기",
    "악취",   "냄새",     "청소",     "방역",   "소독",       "바퀴벌레", "해충",
    "벌레",   "쓰레기집", "담배꽁초", "하수구", "배수구",     "낙엽"};
constexpr std::string_view kJobs[] = {
    "일자리",     "취업",     "구직",         "실직",     "실업급여",   "해고",   "구인", "알바",
    "아르바이트", "직업훈련", "내일배움카드", "공공근로", "노인일자리", "이력서", "면접", "창업",
    "월급",       "임금체불", "퇴직금",       "일을 구",  "일하고 싶",  "직장"};
constexpr std::string_view kSafety[] = {
    "화재", "불이 났", "침수", "홍수",    "태풍",   "폭우",      "폭염",      "한파", "폭설",
    "지진", "붕괴",    "균열", "금이 갔", "싱크홀", "가스 누출", "가스 냄새", "누전", "정전",
    "축대", "옹벽",    "낙석", "빙판",    "제설",   "가로등",    "cctv",      "방범", "위험해"};
constexpr std::string_view kCulture[] = {
    "도서관",       "공연", "전시",   "문화센터", "문화강좌", "강좌",
    "동아리",       "축제", "체육관", "수영장",   "생활체육", "평생학습",
    "문화누리카드", "영화", "박물관", "미술관",   "취미",     "배우고 싶"};
constexpr std::string_view kTourism[] = {"관광",     "여행",     "관광지",       "관광객",
                                         "관광안내", "숙박",     "게스트하우스", "에어비앤비",
                                         "투어",     "관광버스", "외국인 관광",  "숙소"};
constexpr std::string_view kDistrictProgram[] = {
    "무상교복",   "교복",         "출산지원금",         "출산장려금",      "입학축하금",
    "청년수당",   "청년 지원",    "청년디지털서포터즈", "디지털 서포터즈", "나비남",
    "마포하우징", "주민참여예산", "공모사업",           "구청 사업",       "지원사업",
    "신청 방법",  "신청 기간",    "소상공인 지원",      "온라인 스토어",   "배달앱"};
constexpr std::string_view kFinance[] = {"빚",       "대출",     "카드값",   "카드빚",   "연체",
                                         "채무",     "독촉",     "추심",     "사채",     "이자",
                                         "파산",     "개인회생", "신용회복", "신용불량", "압류",
                                         "연대보증", "대부업",   "돈을 빌",  "갚을",     "빚독촉"};
constexpr std::string_view kCrimeVictim[] = {
    "사기",       "보이스피싱", "피싱",    "스미싱", "도둑",        "절도",   "도난", "폭행",
    "때려요",     "두들겨 맞",  "맞고 있", "성추행", "성폭력",      "스토킹", "협박", "가정폭력",
    "데이트폭력", "학대",       "피해자",  "고소",   "경찰에 신고", "훔쳐"};
constexpr std::string_view kMentalHealth[] = {
    "우울",    "불안",     "불면",        "잠을 못",  "스트레스", "외로",    "공황",
    "무기력",  "트라우마", "마음이 힘들", "심리상담", "정신과",   "중독",    "알코올",
    "술을 끊", "도박",     "자해",        "죽고 싶",  "자살",     "살기 싫", "극단적"};
constexpr std::string_view kNeighbourDispute[] = {
    "층간소음",  "윗집",      "아랫집",    "쿵쿵",        "발소리",    "발망치",   "소음",
    "시끄러",    "담배 냄새", "담배 연기", "베란다 흡연", "반려견",    "개 짖",    "짖는 소리",
    "주차 문제", "주차 시비", "이웃과",    "이웃 갈등",   "이웃 분쟁", "경계 분쟁"};
constexpr std::string_view kLegal[] = {"소송",   "법률",     "변호사",   "법률상담", "계약서",
                                       "고소장", "내용증명", "상속",     "유언",     "이혼",
                                       "양육비", "합의금",   "손해배상", "재판",     "판결",
                                       "법원",   "법률구조", "공증",     "위자료"};
constexpr std::string_view kTax[] = {"세금",   "재산세", "자동차세",   "주민세", "종합소득세",
                                     "소득세", "지방세", "체납",       "가산세", "연말정산",
                                     "세무서", "부가세", "부가가치세", "환급",   "취득세",
                                     "양도세", "납세",   "세무"};

struct CategoryRule {
  std::string_view code;
  std::span<const std::string_view> keywords;
};

constexpr CategoryRule kRules[] = {
    {"welfare", kWelfare},
    {"housing", kHousing},
    {"health", kHealth},
    {"sanitation", kSanitation},
    {"jobs", kJobs},
    {"safety", kSafety},
    {"culture", kCulture},
    {"tourism", kTourism},
    {"district_program", kDistrictProgram},
    {"finance", kFinance},
    {"crime_victim", kCrimeVictim},
    {"mental_health", kMentalHealth},
    {"neighbour_dispute", kNeighbourDispute},
    {"legal", kLegal},
    {"tax", kTax},
};

// Words that may signal a household in crisis: thoughts of death and plans
// for it, hunger, utilities cut off, eviction, violence. Kept to words that
// rarely occur otherwise: the bare 죽겠 (힘들어 죽겠어요, 월세 때문에 죽겠어요)
// is an everyday exaggeration far more often than not, and is left to the
// crisis classifier, which weighs the rest of the sentence.
constexpr std::string_view kCrisis[] = {
    "죽고 싶",     "자살",        "극단적 선택", "목숨을 끊",     "살기 싫",    "살고 싶지 않",
    "사라지고 싶", "없어지고 싶", "끝내고 싶",   "끝내려",        "죽어버리",   "유서",
    "목을 매",     "번개탄",      "뛰어내리",    "투신",          "손목을 그",  "수면제를 모아",
    "약을 모아",   "며칠째 굶",   "며칠 굶",     "굶고 있",       "굶어 죽",    "밥을 못 먹",
    "먹을 게 없",  "단전",        "단수",        "가스가 끊",     "전기가 끊",  "쫓겨나",
    "쫓겨났",      "쫓겨날",      "퇴거 집행",   "길에 나앉",     "잘 곳이 없", "잘 데가 없",
    "노숙",        "때려요",      "맞고 있",     "때리고 있",     "학대",       "칼을 들",
    "흉기",        "목을 조르",   "쓰러져 계",   "쓰러져서 의식", "의식이 없",  "숨을 안 쉬"};

// Everyday exaggerations and harmless uses: a crisis word inside one of these
// does not count (and the crisis classifier learns them as no crisis).
constexpr std::string_view kExclusions[] = {
    "더워 죽겠", "더워서 죽겠", "추워 죽겠",      "추워서 죽겠",     "배고파 죽겠", "배고파서 죽겠",
    "졸려 죽겠", "피곤해 죽겠", "바빠 죽겠",      "심심해 죽겠",     "웃겨 죽겠",   "귀찮아 죽겠",
    "좋아 죽겠", "궁금해 죽겠", "시끄러워 죽겠",  "시끄러워서 죽겠", "답답해 죽겠", "짜증나 죽겠",
    "미쳐 죽겠", "미치겠",      "아파 죽겠",      "때문에 죽겠",     "힘들어 죽겠", "죽는 줄",
    "죽을 맛",   "돌아버리겠",  "굶어 죽게 생겼", "자살예방",        "자살 예방",   "단수 예정",
    "사유서",    "노숙인"};

constexpr int kPercent = 100;

// Text with whitespace removed (ASCII, no-break space U+00A0, ideographic
// space U+3000) and ASCII letters lower-cased; `gap[i]` tells whether
// whitespace stood before byte i.
struct Normalized {
  std::string text;
  std::vector<bool> gap;

  // Whether [pos, pos + len) spans a removed space.
  bool Straddles(std::size_t pos, std::size_t len) const {
    return std::any_of(gap.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                       gap.begin() + static_cast<std::ptrdiff_t>(pos + len),
                       [](bool b) { return b; });
  }
};

Normalized Normalize(std::string_view s) {
  Normalized out;
  out.text.reserve(s.size());
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ++i;
      space = true;
      continue;
    }
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      i += 2;
      space = true;
      continue;
    }
    out.text.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : s[i]);
    out.gap.push_back(space);
    space = false;
  }
  return out;
}

// Byte spans of `text` already claimed (by a longer keyword, or an exclusion).
class Cover {
 public:
  explicit Cover(std::size_t n) : covered_(n, false) {}
  bool Inside(std::size_t pos, std::size_t len) const {
    return std::all_of(covered_.begin() + static_cast<std::ptrdiff_t>(pos),
                       covered_.begin() + static_cast<std::ptrdiff_t>(pos + len),
                       [](bool b) { return b; });
  }
  void Claim(std::size_t pos, std::size_t len) {
    std::fill_n(covered_.begin() + static_cast<std::ptrdiff_t>(pos), len, true);
  }

 private:
  std::vector<bool> covered_;
};

// Keywords this short (in characters) match only within one word: across a
// space they are mostly chance ("아이 사진" is no 이사). Longer ones match
// across spaces, so "층간 소음" is 층간소음.
constexpr std::size_t kMaxWordBoundKeywordChars = 2;

// The keywords of `keywords` found in `text` somewhere outside `cover`, in
// the list's order. Longer keywords are tried first and claim their spans, so
// a keyword only inside a longer match does not count.
std::vector<std::string> Match(const Normalized& text, std::span<const std::string_view> keywords,
                               Cover cover) {
  std::vector<std::size_t> order(keywords.size());
  std::vector<std::string> normalized;
  normalized.reserve(keywords.size());
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    order[i] = i;
    normalized.push_back(Normalize(keywords[i]).text);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return normalized[a].size() > normalized[b].size();
  });
  std::vector<bool> found(keywords.size(), false);
  for (const auto i : order) {
    const auto& k = normalized[i];
    if (k.empty()) {
      continue;
    }
    const bool word_bound = CodePointCount(k) <= kMaxWordBoundKeywordChars;
    std::vector<std::size_t> hits;
    for (auto pos = text.text.find(k); pos != std::string::npos; pos = text.text.find(k, pos + 1)) {
      if (word_bound && text.Straddles(pos, k.size())) {
        continue;
      }
      hits.push_back(pos);
      found[i] = found[i] || !cover.Inside(pos, k.size());
    }
    if (found[i]) {
      for (const auto pos : hits) {
        cover.Claim(pos, k.size());
      }
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    if (found[i]) {
      out.emplace_back(keywords[i]);
    }
  }
  return out;
}

CrisisSignal CrisisIn(const Normalized& normalized) {
  Cover excluded(normalized.text.size());
  for (const auto phrase : kExclusions) {
    const auto k = Normalize(phrase).text;
    for (auto pos = normalized.text.find(k); pos != std::string::npos;
         pos = normalized.text.find(k, pos + 1)) {
      excluded.Claim(pos, k.size());
    }
  }
  CrisisSignal out;
  out.matched = Match(normalized, kCrisis, excluded);
  out.flag = !out.matched.empty();
  return out;
}

}  // namespace

CrisisSignal DetectCrisisWords(std::string_view text) { return CrisisIn(Normalize(text)); }

std::vector<std::string> MatchCategoryKeywords(std::string_view text, std::string_view category) {
  const Normalized normalized = Normalize(text);
  return Match(normalized, CategoryKeywords(category), Cover(normalized.text.size()));
}

std::span<const std::string_view> CategoryKeywords(std::string_view category) {
  for (const auto& rule : kRules) {
    if (rule.code == category) {
      return rule.keywords;
    }
  }
  return {};
}

std::span<const std::string_view> CrisisKeywords() { return kCrisis; }
std::span<const std::string_view> CrisisExclusions() { return kExclusions; }

Result<TriageSuggestion> SuggestCategories(std::string_view text) {
  if (!IsValidUtf8(text) || CodePointCount(text) > kMaxTriageTextChars) {
    return Error::Validation({{"text", "invalid", "Give valid text of at most 4000 characters.",
                               "4000자 이하의 올바른 글자로 입력해 주세요."}});
  }
  const Normalized normalized = Normalize(text);
  TriageSuggestion out;

  std::vector<CategorySuggestion> all;
  std::size_t total = 0;
  for (const auto& rule : kRules) {
    auto matched = Match(normalized, rule.keywords, Cover(normalized.text.size()));
    if (matched.empty()) {
      continue;
    }
    total += matched.size();
    all.push_back({std::string(rule.code), 0, std::move(matched)});
  }
  // Most matches first; ties keep the taxonomy's order.
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.matched.size() > b.matched.size();
  });
  if (all.size() > kMaxSuggestions) {
    all.resize(kMaxSuggestions);
  }
  for (auto& s : all) {
    // Integer percent, floored: the shares of all categories add up to at most 100.
    const auto percent = s.matched.size() * kPercent / total;
    s.score = static_cast<double>(percent) / kPercent;
  }
  out.suggestions = std::move(all);

  out.crisis = CrisisIn(normalized);
  return out;
}

}  // namespace caredesk::core
