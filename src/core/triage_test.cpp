#include "core/triage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace caredesk::core {
namespace {

using Words = std::vector<std::string>;

std::vector<LabeledText> CategoryExamples() {
  const std::vector<std::pair<std::string, std::vector<std::string>>> texts = {
      {"housing",
       {"전세 보증금을 못 돌려받았어요", "월세가 밀려서 집주인이 나가래요", "이사 갈 집이 없어요",
        "반지하 곰팡이가 심해요", "공공임대 신청하고 싶어요", "전세사기 당한 것 같아요",
        "보증금 문제로 상담하고 싶어요", "월세 지원 받을 수 있나요"}},
      {"health",
       {"어머니가 치매 초기예요", "병원비가 너무 많이 나와요", "보건소 건강검진 예약하려고요",
        "당뇨 약값이 부담돼요", "치매 검사 받을 수 있나요", "허리가 아파서 병원 가야 해요",
        "예방접종 어디서 해요", "아버지 치매 때문에 걱정이에요"}},
      {"finance",
       {"카드값이 연체됐어요", "빚 독촉 전화가 와요", "대출 이자가 너무 높아요",
        "개인회생 하고 싶어요", "채무조정 상담 받고 싶어요", "사채 빚 때문에 힘들어요",
        "신용회복 절차가 궁금해요", "카드빚이 많아요"}},
  };
  std::vector<LabeledText> out;
  for (const auto& [label, list] : texts) {
    for (const auto& t : list) {
      out.push_back({label, t});
    }
  }
  return out;
}

std::vector<LabeledText> CrisisExamples() {
  std::vector<LabeledText> out;
  for (const auto* t :
       {"살아서 뭐하나 싶어요", "며칠째 아무것도 못 먹었어요", "오늘 밤 잘 곳이 없어요",
        "약을 한 통 다 먹었어요", "다 끝내고 싶어요", "남편이 지금 때리고 있어요",
        "아무도 없고 사라지고 싶어요", "전기 가스 다 끊기고 애들이랑 깜깜한 방에 있어요"}) {
    out.push_back({"crisis", t});
  }
  for (const auto* t :
       {"더워 죽겠어요 무더위쉼터 어디예요", "배고파 죽겠네 밥집 있어요",
        "미치겠어요 서류가 많아서", "재산세 고지서가 왔어요", "윗집 소음 때문에 상담하고 싶어요",
        "전세 보증금 문의", "답답해 죽겠어요 민원 답이 없어요", "도서관 회원증 만들어 주세요"}) {
    out.push_back({"none", t});
  }
  return out;
}

TriageTrainOptions SmallOptions() {
  TriageTrainOptions o = DefaultTriageTrainOptions();
  o.categories.features.hash_bits = 14;
  o.crisis.features.hash_bits = 14;
  o.categories.folds = 4;
  o.crisis.folds = 4;
  return o;
}

const TrainedTriage& Trained() {
  static const TrainedTriage trained = [] {
    auto t = TrainTriage(CategoryExamples(), CrisisExamples(), SmallOptions());
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return t.ok() ? std::move(*t) : TrainedTriage{};
  }();
  return trained;
}

TriageAssessment Assess(const Triage& triage, std::string_view text) {
  auto r = triage.Assess(text);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : TriageAssessment{};
}

TEST(Triage, WithoutAModelTheKeywordRulesAnswer) {
  const Triage rules;
  EXPECT_FALSE(rules.has_model());
  const auto a = Assess(rules, "전세 보증금을 집주인이 안 돌려줘요");
  EXPECT_EQ(a.model, "rules");
  ASSERT_EQ(a.categories.size(), 1U);
  EXPECT_EQ(a.categories[0].code, "housing");
  EXPECT_DOUBLE_EQ(a.categories[0].score, 1.0);
  const auto crisis = Assess(rules, "며칠째 굶고 있어요");
  EXPECT_TRUE(crisis.crisis.flag);
  EXPECT_EQ(crisis.crisis.terms, (Words{"며칠째 굶", "굶고 있"}));
  EXPECT_FALSE(crisis.crisis.by_model);
  EXPECT_FALSE(Assess(rules, "더워 죽겠어요").crisis.flag);
}

TEST(Triage, AModelGivesTheTopThreeBestFirstWithScoresAddingUpToAtMostOne) {
  const Triage triage(Trained().model);
  ASSERT_TRUE(triage.has_model());
  EXPECT_EQ(triage.model_name(), Trained().model.version);
  const auto a = Assess(triage, "보증금을 집주인이 안 돌려줘요");
  EXPECT_EQ(a.model, Trained().model.version);
  ASSERT_EQ(a.categories.size(), kMaxSuggestions);
  EXPECT_EQ(a.categories[0].code, "housing");
  double sum = 0;
  for (std::size_t i = 0; i < a.categories.size(); ++i) {
    sum += a.categories[i].score;
    EXPECT_GE(a.categories[i].score, 0);
    EXPECT_DOUBLE_EQ(a.categories[i].score * 100, std::round(a.categories[i].score * 100));
    if (i > 0) {
      EXPECT_GE(a.categories[i - 1].score, a.categories[i].score);
    }
  }
  EXPECT_LE(sum, 1.0);
  EXPECT_EQ(Assess(triage, "치매 어머니 병원 문의").categories[0].code, "health");
  EXPECT_EQ(Assess(triage, "카드빚 독촉").categories[0].code, "finance");
  // No letters, no categories.
  EXPECT_TRUE(Assess(triage, " ?! ").categories.empty());
}

TEST(Triage, ACrisisIsFlaggedByTheRulesOrTheModelWithTheWordsThatTriggeredIt) {
  const Triage triage(Trained().model);
  // The rules' words come first.
  const auto rules = Assess(triage, "죽고 싶어요");
  EXPECT_TRUE(rules.crisis.flag);
  ASSERT_FALSE(rules.crisis.terms.empty());
  EXPECT_EQ(rules.crisis.terms[0], "죽고 싶");
  EXPECT_EQ(rules.crisis.rule_terms, Words{"죽고 싶"});
  // No crisis keyword: the model's probability and the words behind it.
  const auto model = Assess(triage, "며칠째 아무것도 못 먹었어요 애들도요");
  EXPECT_TRUE(model.crisis.flag);
  EXPECT_TRUE(model.crisis.by_model);
  EXPECT_TRUE(model.crisis.rule_terms.empty());
  EXPECT_GE(model.crisis.probability, Trained().model.crisis_threshold);
  ASSERT_FALSE(model.crisis.terms.empty());
  EXPECT_LE(model.crisis.terms.size(), kMaxModelCrisisTerms);
  for (const auto& t : model.crisis.terms) {
    EXPECT_NE(std::string("며칠째 아무것도 못 먹었어요 애들도요").find(t), std::string::npos) << t;
  }
  // Everyday exaggerations are no crisis, and no flag means no terms.
  for (const auto* text : {"더워 죽겠어요", "배고파 죽겠네"}) {
    const auto a = Assess(triage, text);
    EXPECT_FALSE(a.crisis.flag) << text << " p=" << a.crisis.probability;
    EXPECT_TRUE(a.crisis.terms.empty());
  }
}

TEST(Triage, RefusesInvalidOrOverlongText) {
  const Triage triage(Trained().model);
  EXPECT_EQ(triage.Assess("\xff").error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(triage.Assess(std::string(kMaxTriageTextChars + 1, 'a')).error().details[0].field,
            "text");
}

TEST(Triage, TrainingCatchesEveryHeldOutCrisisLineAndReportsWhatItDid) {
  const auto& r = Trained().report;
  EXPECT_EQ(r.category_examples, CategoryExamples().size());
  EXPECT_EQ(r.crisis_examples, CrisisExamples().size());
  EXPECT_EQ(r.crisis_lines, 8U);
  EXPECT_EQ(r.none_lines, 8U);
  EXPECT_EQ(r.crisis_caught, r.crisis_lines);  // the threshold is set for it
  EXPECT_GE(r.crisis_threshold, kMinCrisisThreshold);
  EXPECT_LE(r.crisis_threshold, 0.5);
  EXPECT_EQ(r.crisis_threshold, Trained().model.crisis_threshold);
  EXPECT_GT(r.held_out_top1, 0.5);
  EXPECT_GE(r.held_out_top3, r.held_out_top1);
}

std::vector<Agency> Directory() {
  auto agency = [](AgencyId id, std::string name, std::vector<std::string> categories) {
    Agency a;
    a.id = id;
    a.name = std::move(name);
    a.categories = std::move(categories);
    return a;
  };
  return {agency(1, "마포구청 주택과", {"housing"}),
          agency(2, "마포구 치매안심센터", {"health", "welfare"}),
          agency(3, "마포구 보건소", {"health", "mental_health"}),
          agency(4, "서민금융통합지원센터", {"finance", "jobs"}),
          agency(5, "법률홈닥터", {"legal", "finance"}),
          agency(6, "마포구청 세무1과", {"tax"})};
}

TEST(TriageAgencies, AgenciesOfTheSuggestedCategoriesRankedByScoreAndName) {
  const std::vector<CategoryScore> health = {{"health", 0.8}, {"welfare", 0.1}, {"tax", 0.05}};
  const auto s = SuggestAgencies(health, "어머니가 치매 초기예요", Directory());
  ASSERT_EQ(s.size(), 3U);
  EXPECT_EQ(s[0].id, 2);  // health + welfare, and the name shares 치매
  EXPECT_EQ(s[0].name, "마포구 치매안심센터");
  EXPECT_NE(s[0].reason.find("보건·의료·복지 분야 담당 (0.90)"), std::string::npos) << s[0].reason;
  EXPECT_NE(s[0].reason.find("'치매'"), std::string::npos) << s[0].reason;
  EXPECT_NE(s[0].reason_en.find("handles Health, Welfare (0.90)"), std::string::npos);
  EXPECT_EQ(s[1].id, 3);
  EXPECT_EQ(s[1].reason.find("기관명"), std::string::npos);  // 마포구 is in too many names
  EXPECT_EQ(s[2].id, 6);
  EXPECT_GE(s[0].score, s[1].score);

  // The name decides between agencies of the same categories.
  const std::vector<CategoryScore> finance = {{"finance", 0.7}, {"legal", 0.0}, {"jobs", 0.0}};
  EXPECT_EQ(SuggestAgencies(finance, "빚 때문에 법률 상담", Directory())[0].id, 5);
  EXPECT_EQ(SuggestAgencies(finance, "서민금융 상담", Directory())[0].id, 4);
  // Nobody handles it: no agency.
  EXPECT_TRUE(
      SuggestAgencies(std::vector<CategoryScore>{{"tourism", 0.9}}, "관광", Directory()).empty());
  EXPECT_TRUE(SuggestAgencies({}, "전세", Directory()).empty());
  EXPECT_EQ(SuggestAgencies(health, "치매", Directory(), 1).size(), 1U);
}

TEST(TriageData, LabeledLinesSkipCommentsAndNameTheBadLine) {
  const auto labels = CategoryLabels();
  auto ok = ParseLabeledLines("# a comment\nhousing\t전세 보증금\r\n\n tax \t 재산세 \n", labels);
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->size(), 2U);
  EXPECT_EQ((*ok)[0].label, "housing");
  EXPECT_EQ((*ok)[0].text, "전세 보증금");
  EXPECT_EQ((*ok)[1].label, "tax");
  EXPECT_EQ((*ok)[1].text, "재산세");
  auto no_tab = ParseLabeledLines("housing\t전세\nhousing 월세\n", labels);
  ASSERT_FALSE(no_tab.ok());
  EXPECT_EQ(no_tab.error().details[0].field, "line 2");
  EXPECT_EQ(no_tab.error().details[0].code, "no_tab");
  EXPECT_EQ(ParseLabeledLines("ufo\t외계인\n", labels).error().details[0].code, "unknown_label");
  EXPECT_EQ(ParseLabeledLines("tax\t \n", labels).error().details[0].code, "empty_text");
  EXPECT_EQ(ParseLabeledLines("tax\t\xff\n", labels).error().details[0].code, "invalid_utf8");
  EXPECT_TRUE(ParseLabeledLines("ufo\t외계인\n", {}).ok());  // any label when none are given
  EXPECT_EQ(CrisisLabels(), (Words{"none", "crisis"}));
  EXPECT_EQ(CategoryLabels().size(), 16U);
}

}  // namespace
}  // namespace caredesk::core
