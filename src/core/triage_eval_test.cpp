#include "core/triage_eval.hpp"

#include <gtest/gtest.h>

#include <string>

namespace caredesk::core {
namespace {

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

TEST(ScreenForCrisis, ReadsTextsOfAnyLengthAndAPhraseAcrossACut) {
  const Triage rules;
  // After the first piece the triage reads at once.
  const std::string late = Repeat("가", kMaxTriageTextChars) + " 죽고 싶어요";
  ASSERT_FALSE(rules.Assess(late).ok());
  std::array<std::string_view, 1> one = {late};
  EXPECT_TRUE(rules.ScreenForCrisis(one).flag);
  // Cut in the middle of the phrase: the overlap reads it whole.
  const std::string across = Repeat("가", kMaxTriageTextChars - 2) + "죽고 싶어요";
  one = {across};
  const auto a = rules.ScreenForCrisis(one);
  EXPECT_TRUE(a.flag);
  EXPECT_EQ(a.rule_terms, std::vector<std::string>{"죽고 싶"});
  // Several texts: the words of each, once.
  const std::array<std::string_view, 3> texts = {"죽고 싶어요", "며칠째 굶었어요 죽고 싶어요",
                                                 "더워 죽겠다"};
  const auto many = rules.ScreenForCrisis(texts);
  EXPECT_TRUE(many.flag);
  EXPECT_EQ(many.rule_terms, (std::vector<std::string>{"죽고 싶", "며칠째 굶"}));
  const std::array<std::string_view, 2> calm = {"더워 죽겠다", "\xff\xfe"};
  EXPECT_FALSE(rules.ScreenForCrisis(calm).flag);
}

TEST(EvaluateCategories, CountsTopOneTopThreeAndTheConfusion) {
  const Triage rules;  // keyword rules: 전세 -> housing, 카드빚 -> finance
  const std::vector<LabeledText> lines = {{"housing", "전세 보증금을 못 받았어요"},
                                          {"finance", "전세 보증금을 못 받았어요"},
                                          {"finance", "카드빚이 많아요"},
                                          {"not_a_code", "카드빚이 많아요"},
                                          {"housing", "ㅋㅋ"}};
  const auto e = EvaluateCategories(rules, lines);
  EXPECT_EQ(e.lines, 5U);
  EXPECT_EQ(e.top1, 2U);  // an unknown label is never right
  EXPECT_EQ(e.errors.size(), 3U);
  const auto at = [&](std::string_view code) {
    return static_cast<std::size_t>(std::find(e.labels.begin(), e.labels.end(), code) -
                                    e.labels.begin());
  };
  EXPECT_EQ(e.confusion[at("housing")][at("housing")], 1U);
  EXPECT_EQ(e.confusion[at("finance")][at("housing")], 1U);
  EXPECT_EQ(e.confusion[at("housing")][e.labels.size()], 1U);  // no suggestion at all
  EXPECT_DOUBLE_EQ(e.Top1(), 0.4);
}

TEST(EvaluateCrisis, RecallFalseAlarmsAndTheExaggerationsApart) {
  const Triage rules;
  const std::vector<LabeledText> lines = {{"crisis", "죽고 싶어요"},
                                          {"crisis", "조용히 정리하고 있어요"},
                                          {"none", "더워 죽겠다"},
                                          {"none", "배고파 죽겠네"},
                                          {"none", "자살 예방 교육 신청하려고요"},
                                          {"none", "서류 떼러 왔어요"}};
  const auto e = EvaluateCrisis(rules, lines);
  EXPECT_EQ(e.crisis, 2U);
  EXPECT_EQ(e.caught, 1U);
  EXPECT_EQ(e.by_rules, 1U);
  EXPECT_EQ(e.none, 4U);
  EXPECT_EQ(e.hyperbole, 2U);
  EXPECT_EQ(e.hyperbole_alarms, 0U);
  EXPECT_EQ(e.Recall(), 0.5);
  EXPECT_TRUE(IsCrisisFile(lines));
  EXPECT_FALSE(IsCrisisFile(std::vector<LabeledText>{{"housing", "전세"}}));
  EXPECT_TRUE(SoundsLikeExaggeration("아 미치겠어요"));
  EXPECT_FALSE(SoundsLikeExaggeration("전세 보증금"));
}

}  // namespace
}  // namespace caredesk::core
