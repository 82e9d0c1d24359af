#include "core/triage_rules.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/taxonomy.hpp"

namespace caredesk::core {
namespace {

TriageSuggestion Suggest(std::string_view text) {
  auto r = SuggestCategories(text);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : TriageSuggestion{};
}

std::vector<std::string> Codes(const TriageSuggestion& t) {
  std::vector<std::string> out;
  for (const auto& s : t.suggestions) {
    out.push_back(s.category);
  }
  return out;
}

using Words = std::vector<std::string>;

TEST(TriageRules, EveryCategoryButOtherHasKeywordsAndNoKeywordIsListedTwice) {
  for (const auto& c : Categories()) {
    const auto words = CategoryKeywords(c.code);
    EXPECT_EQ(words.empty(), c.code == "other") << c.code;
    std::set<std::string_view> seen(words.begin(), words.end());
    EXPECT_EQ(seen.size(), words.size()) << c.code;
  }
  EXPECT_TRUE(CategoryKeywords("ufo").empty());
  EXPECT_FALSE(CrisisKeywords().empty());
  EXPECT_FALSE(CrisisExclusions().empty());
}

TEST(TriageRules, TheResidentsOwnWordsNameTheCategory) {
  const auto welfare = Suggest("기초수급 신청하고 싶은데 어떻게 하나요?");
  ASSERT_EQ(Codes(welfare), Words{"welfare"});
  EXPECT_EQ(welfare.suggestions[0].matched, Words{"기초수급"});
  EXPECT_DOUBLE_EQ(welfare.suggestions[0].score, 1.0);

  const auto housing = Suggest("전세 보증금을 집주인이 안 돌려줘요");
  ASSERT_EQ(Codes(housing), Words{"housing"});
  EXPECT_EQ(housing.suggestions[0].matched, (Words{"전세", "집주인", "보증금"}));

  const auto debt = Suggest("카드값이 연체돼서 매일 독촉 전화가 와요");
  ASSERT_EQ(Codes(debt), Words{"finance"});
  EXPECT_EQ(debt.suggestions[0].matched, (Words{"카드값", "연체", "독촉"}));
  EXPECT_EQ(Codes(Suggest("CCTV가 고장난 골목이 어두워요")), Words{"safety"});
}

TEST(TriageRules, SpacesDoNotMatterAndAKeywordInsideALongerOneCountsOnce) {
  for (const auto* text : {"층간소음이 너무 심해요", "층간 소음이 너무 심해요", "층간　소음"}) {
    const auto t = Suggest(text);
    ASSERT_EQ(Codes(t), Words{"neighbour_dispute"}) << text;
    EXPECT_EQ(t.suggestions[0].matched, Words{"층간소음"}) << text;  // not 소음 as well
  }
  EXPECT_EQ(Suggest("카드빚이 있어요").suggestions[0].matched, Words{"카드빚"});
  // Two-character keywords stay within a word: across a space they are mostly chance.
  EXPECT_TRUE(Suggest("아이 사진을 보내 드려요").suggestions.empty());
  EXPECT_EQ(Codes(Suggest("다음 달에 이사 가요")), Words{"housing"});
  EXPECT_EQ(Suggest("카드빚 말고 다른 빚도 있어요").suggestions[0].matched,
            (Words{"빚", "카드빚"}));
}

TEST(TriageRules, ScoresAreSharesOfTheMatchesBestFirstAtMostThree) {
  const auto noise = Suggest("윗집에서 밤마다 쿵쿵거려서 잠을 못 자요");
  ASSERT_EQ(Codes(noise), (Words{"neighbour_dispute", "mental_health"}));
  EXPECT_DOUBLE_EQ(noise.suggestions[0].score, 0.66);
  EXPECT_DOUBLE_EQ(noise.suggestions[1].score, 0.33);

  const auto many =
      Suggest("월세가 밀리고 카드값 연체에 병원비까지, 일자리도 잃었고 세금 체납 고지서가 왔어요");
  ASSERT_EQ(many.suggestions.size(), kMaxSuggestions);
  double sum = 0;
  for (std::size_t i = 0; i < many.suggestions.size(); ++i) {
    sum += many.suggestions[i].score;
    EXPECT_GT(many.suggestions[i].score, 0);
    if (i > 0) {
      EXPECT_GE(many.suggestions[i - 1].score, many.suggestions[i].score);
    }
  }
  EXPECT_LE(sum, 1.0);
  EXPECT_EQ(many.suggestions[0].category, "finance");  // 카드값 and 연체
}

TEST(TriageRules, NothingMatchedMeansNoSuggestionsAndNoFlag) {
  for (const auto* text : {"", "   ", "안녕하세요, 문의드립니다."}) {
    const auto t = Suggest(text);
    EXPECT_TRUE(t.suggestions.empty()) << text;
    EXPECT_FALSE(t.crisis.flag);
    EXPECT_TRUE(t.crisis.matched.empty());
  }
}

TEST(TriageRules, CrisisWordsAreFlaggedEverydayExaggerationsAreNot) {
  const auto despair = Suggest("요즘 너무 힘들어서 죽고 싶다는 생각만 들어요");
  EXPECT_TRUE(despair.crisis.flag);
  EXPECT_EQ(despair.crisis.matched, Words{"죽고 싶"});
  EXPECT_EQ(Codes(despair), Words{"mental_health"});

  EXPECT_EQ(Suggest("며칠째 굶고 있어요").crisis.matched, (Words{"며칠째 굶", "굶고 있"}));
  EXPECT_EQ(Suggest("전기요금을 못 내서 단전 예고를 받았어요").crisis.matched, Words{"단전"});
  EXPECT_EQ(Suggest("집주인이 나가래요, 이러다 쫓겨나요").crisis.matched, Words{"쫓겨나"});
  EXPECT_EQ(Suggest("남편이 술만 마시면 때려요").crisis.matched, Words{"때려요"});
  // The bare 죽겠 is an exaggeration far more often than not (월세 때문에 죽겠어요, 힘들어
  // 죽겠다 이삿짐 다 옮겼어요): the rules leave it to the crisis classifier.
  EXPECT_FALSE(Suggest("힘들어 죽겠어요").crisis.flag);
  EXPECT_FALSE(Suggest("빚 때문에 죽겠다 진짜 채무조정 상담 받고 싶어요").crisis.flag);

  for (const auto* text :
       {"더워 죽겠어요, 에어컨이 고장났어요", "배고파 죽겠네", "아 진짜 미치겠다",
        "윗집 때문에 시끄러워 죽겠어요", "추워서 죽겠어요 보일러가 안 돼요"}) {
    const auto t = Suggest(text);
    EXPECT_FALSE(t.crisis.flag) << text;
    EXPECT_TRUE(t.crisis.matched.empty()) << text;
  }
  // An exaggeration does not hide a real signal elsewhere in the text.
  EXPECT_EQ(Suggest("배고파 죽겠어요. 사실 며칠 굶었어요").crisis.matched, Words{"며칠 굶"});
}

TEST(TriageRules, PlansAndWarningSignsAreCrisisWordsHarmlessUsesAreNot) {
  EXPECT_EQ(DetectCrisisWords("번개탄을 사다 놨어요").matched, Words{"번개탄"});
  EXPECT_EQ(DetectCrisisWords("오늘 밤 끝내려고요").matched, Words{"끝내려"});
  EXPECT_EQ(DetectCrisisWords("어제 쫓겨나서 차에서 자고 있어요").matched, Words{"쫓겨나"});
  EXPECT_EQ(DetectCrisisWords("고시원에서 쫓겨났어요 잘 곳이 없어요").matched,
            (Words{"쫓겨났", "잘 곳이 없"}));
  // A word inside another word, a service, a notice, a fallen tree: no crisis.
  for (const auto* text : {"가족관계 단절 사유서 작성 안내", "자살예방교육 신청하고 싶어요",
                           "단수 예정 안내문 받았는데 몇 시부터예요?", "노숙인 쉼터 운영하나요",
                           "산책로 나무가 쓰러져 길을 막고 있어요",
                           "폭행 피해를 당했는데 치료비 지원 받을 수 있나요"}) {
    EXPECT_FALSE(DetectCrisisWords(text).flag) << text;
  }
}

TEST(TriageRules, CategoryKeywordsOfOneCategory) {
  EXPECT_EQ(MatchCategoryKeywords("전세 보증금을 집주인이 안 돌려줘요", "housing"),
            (Words{"전세", "집주인", "보증금"}));
  EXPECT_TRUE(MatchCategoryKeywords("전세 보증금을 집주인이 안 돌려줘요", "tax").empty());
  EXPECT_TRUE(MatchCategoryKeywords("전세", "ufo").empty());
}

TEST(TriageRules, RefusesInvalidOrOverlongText) {
  EXPECT_FALSE(SuggestCategories("\xff\xfe").ok());
  std::string long_text;
  for (std::size_t i = 0; i <= kMaxTriageTextChars; ++i) {
    long_text += "가";
  }
  const auto r = SuggestCategories(long_text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(r.error().details[0].field, "text");
  EXPECT_TRUE(SuggestCategories(long_text.substr(3)).ok());
}

}  // namespace
}  // namespace caredesk::core
