#include "core/triage_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/triage.hpp"

namespace caredesk::core {
namespace {

// A small separable set: each category has its own everyday words.
std::vector<LabeledText> ToyExamples() {
  const std::vector<std::pair<std::string, std::vector<std::string>>> words = {
      {"housing", {"전세", "월세", "보증금", "집주인", "이사"}},
      {"tax", {"재산세", "자동차세", "고지서", "체납", "세금"}},
      {"neighbour_dispute", {"층간소음", "윗집", "발소리", "쿵쿵", "아랫집"}},
  };
  const std::vector<std::string> frames = {"{}이 문제예요",    "{} 때문에 상담하고 싶어요",
                                           "{} 어떻게 해요",   "요즘 {}",
                                           "{} 좀 도와주세요", "{}{}"};
  std::vector<LabeledText> out;
  for (const auto& [label, list] : words) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      for (const auto& frame : frames) {
        std::string text = frame;
        text.replace(text.find("{}"), 2, list[i]);
        if (const auto p = text.find("{}"); p != std::string::npos) {
          text.replace(p, 2, list[(i + 1) % list.size()]);
        }
        out.push_back({label, text});
      }
    }
  }
  return out;
}

TrainOptions SmallOptions() {
  TrainOptions o;
  o.features.hash_bits = 14;
  o.epochs = 10;
  return o;
}

const std::vector<std::string> kToyLabels = {"housing", "tax", "neighbour_dispute"};

std::string Top(const TextClassifier& c, std::string_view text) {
  const auto p = c.Probabilities(ExtractFeatures(text, c.features()));
  return c.labels()[static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin())];
}

TEST(TriageModel, LearnsASeparableSetAndPredictsTextsItNeverSaw) {
  const auto examples = ToyExamples();
  auto trained = TrainClassifier(examples, kToyLabels, SmallOptions());
  ASSERT_TRUE(trained.ok()) << trained.error().message;
  const auto& model = trained->model;
  EXPECT_EQ(Top(model, "전세 보증금을 못 받았어요"), "housing");
  EXPECT_EQ(Top(model, "재산세 고지서가 두 번 왔어요"), "tax");
  EXPECT_EQ(Top(model, "윗집 발소리가 너무 커요"), "neighbour_dispute");
  // Every example has held-out probabilities that add up to 1, and most are right.
  ASSERT_EQ(trained->held_out.size(), examples.size());
  std::size_t right = 0;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const auto& p = trained->held_out[i];
    EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-9);
    const auto best = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    right += model.labels()[best] == examples[i].label ? 1 : 0;
  }
  EXPECT_GE(right, examples.size() * 9 / 10);
  EXPECT_GT(model.temperature(), 0);
  EXPECT_GT(model.buckets().size(), 0U);
}

TEST(TriageModel, TheSameSeedGivesTheSameModelBitForBit) {
  const auto examples = ToyExamples();
  auto a = TrainClassifier(examples, kToyLabels, SmallOptions());
  auto b = TrainClassifier(examples, kToyLabels, SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->model.weights(), b->model.weights());
  EXPECT_EQ(a->model.bias(), b->model.bias());
  EXPECT_EQ(a->model.temperature(), b->model.temperature());
  auto other_seed = SmallOptions();
  other_seed.seed = 7;
  auto c = TrainClassifier(examples, kToyLabels, other_seed);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->model.weights(), c->model.weights());
}

TEST(TriageModel, AnEnsembleAveragesModelsOfOtherSeedsAndStillLearns) {
  const auto examples = ToyExamples();
  auto options = SmallOptions();
  options.ensemble = 3;
  auto ensemble = TrainClassifier(examples, kToyLabels, options);
  auto single = TrainClassifier(examples, kToyLabels, SmallOptions());
  ASSERT_TRUE(ensemble.ok() && single.ok());
  EXPECT_NE(ensemble->model.weights(), single->model.weights());
  EXPECT_EQ(Top(ensemble->model, "재산세 고지서가 두 번 왔어요"), "tax");
  EXPECT_EQ(Top(ensemble->model, "윗집 발소리가 너무 커요"), "neighbour_dispute");
  auto again = TrainClassifier(examples, kToyLabels, options);
  EXPECT_EQ(again->model.weights(), ensemble->model.weights());
}

TEST(TriageModel, RefusesUnknownLabelsAndTooFewExamples) {
  auto examples = ToyExamples();
  examples.push_back({"ufo", "외계인이 나타났어요"});
  auto r = TrainClassifier(examples, kToyLabels, SmallOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  const std::vector<LabeledText> three = {{"tax", "세금"}, {"tax", "재산세"}, {"housing", "월세"}};
  EXPECT_FALSE(TrainClassifier(three, kToyLabels, SmallOptions()).ok());
  EXPECT_FALSE(TrainClassifier(ToyExamples(), {"tax"}, SmallOptions()).ok());
}

TEST(TriageModel, TheLexiconTrainsEveryFoldButIsNeverHeldOut) {
  const auto examples = ToyExamples();
  const std::vector<LabeledText> lexicon = {{"tax", "종합소득세"}, {"tax", "종합소득세 신고"}};
  auto with = TrainClassifier(examples, kToyLabels, SmallOptions(), lexicon);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->held_out.size(), examples.size());
  EXPECT_EQ(Top(with->model, "종합소득세"), "tax");
}

// A whole triage model made from the toy set (categories and a tiny crisis set).
TriageModel ToyTriageModel() {
  std::vector<LabeledText> crisis;
  for (const auto* t : {"죽고 싶어요", "며칠째 굶었어요", "오늘 밤 잘 곳이 없어요",
                        "약을 모아뒀어요", "다 끝내고 싶어요", "남편이 지금 때려요"}) {
    crisis.push_back({"crisis", t});
  }
  for (const auto* t : {"더워 죽겠어요", "배고파 죽겠네", "재산세 고지서", "윗집 소음",
                        "전세 보증금", "미치겠어요 서류가 많아서"}) {
    crisis.push_back({"none", t});
  }
  TriageTrainOptions options;
  options.categories = SmallOptions();
  options.crisis = SmallOptions();
  auto trained = TrainTriage(ToyExamples(), crisis, options);
  EXPECT_TRUE(trained.ok()) << (trained.ok() ? "" : trained.error().message);
  return trained.ok() ? std::move(trained->model) : TriageModel{};
}

TEST(TriageModelFile, RoundTripsExactly) {
  TriageModel model = ToyTriageModel();
  const std::string bytes = SerializeTriageModel(model);
  EXPECT_EQ(bytes.substr(0, kTriageModelMagic.size()), kTriageModelMagic);
  auto read = ParseTriageModel(bytes);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->version, model.version);
  EXPECT_EQ(read->version.substr(0, 3), "v1-");
  EXPECT_EQ(read->crisis_threshold, model.crisis_threshold);
  EXPECT_EQ(read->categories.labels(), model.categories.labels());
  EXPECT_EQ(read->categories.buckets(), model.categories.buckets());
  EXPECT_EQ(read->categories.weights(), model.categories.weights());
  EXPECT_EQ(read->crisis.weights(), model.crisis.weights());
  EXPECT_EQ(read->categories.temperature(), model.categories.temperature());
  const auto x = ExtractFeatures("전세 보증금", model.categories.features());
  EXPECT_EQ(read->categories.Probabilities(x), model.categories.Probabilities(x));
  // Writing the read model gives the same bytes again.
  EXPECT_EQ(SerializeTriageModel(*read), bytes);
}

TEST(TriageModelFile, RejectsTruncatedDamagedAndForeignFiles) {
  TriageModel model = ToyTriageModel();
  const std::string bytes = SerializeTriageModel(model);
  for (const std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{12}, std::size_t{20},
                                 bytes.size() / 2, bytes.size() - 1}) {
    auto r = ParseTriageModel(bytes.substr(0, keep));
    ASSERT_FALSE(r.ok()) << keep;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  }
  EXPECT_NE(ParseTriageModel(bytes.substr(0, bytes.size() / 2)).error().message.find("truncated"),
            std::string::npos);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x10);
  EXPECT_NE(ParseTriageModel(flipped).error().message.find("checksum"), std::string::npos);
  EXPECT_NE(ParseTriageModel(bytes + "x").error().message.find("trailing"), std::string::npos);
  EXPECT_NE(ParseTriageModel("PK\x03\x04 a zip file").error().message.find("not a CareDesk"),
            std::string::npos);
  std::string other_format = bytes;
  other_format[kTriageModelMagic.size()] = 2;
  EXPECT_NE(ParseTriageModel(other_format).error().message.find("format version 2"),
            std::string::npos);
  EXPECT_NE(ParseTriageModel(flipped).error().message_ko.find("체크섬"), std::string::npos);
}

TEST(TriageModelFile, RejectsLabelsThisBuildDoesNotKnow) {
  TriageModel model = ToyTriageModel();
  const auto& c = model.categories;
  auto labels = c.labels();
  labels[0] = "ufo_sightings";
  auto renamed = TextClassifier::Make(labels, c.features(), c.temperature(), c.bias(), c.buckets(),
                                      c.weights());
  ASSERT_TRUE(renamed.ok());
  model.categories = std::move(*renamed);
  auto r = ParseTriageModel(SerializeTriageModel(model));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("ufo_sightings"), std::string::npos);
}

TEST(TriageModel, MakeRefusesPartsThatDoNotFit) {
  const FeatureSpec spec;
  EXPECT_FALSE(TextClassifier::Make({"a", "b"}, spec, 1.0, {0, 0}, {5, 3}, {0, 0, 0, 0}).ok());
  EXPECT_FALSE(TextClassifier::Make({"a", "b"}, spec, 1.0, {0}, {}, {}).ok());
  EXPECT_FALSE(TextClassifier::Make({"a", "a"}, spec, 1.0, {0, 0}, {}, {}).ok());
  EXPECT_FALSE(TextClassifier::Make({"a", "b"}, spec, 0.0, {0, 0}, {}, {}).ok());
  EXPECT_FALSE(TextClassifier::Make({"a", "b"}, spec, 1.0, {0, 0}, {1U << 30}, {0, 0}).ok());
  EXPECT_TRUE(TextClassifier::Make({"a", "b"}, spec, 1.0, {0, 0}, {3, 5}, {0, 1, 1, 0}).ok());
}

TEST(TriageModel, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926U);
  EXPECT_EQ(Crc32(""), 0U);
}

}  // namespace
}  // namespace caredesk::core
