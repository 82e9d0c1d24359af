#include "core/triage_features.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace caredesk::core {
namespace {

std::string Normalized(std::string_view text) { return ToUtf8(NormalizeTriageText(text)); }

// Cosine similarity of two unit-length feature vectors.
double Similarity(const SparseFeatures& a, const SparseFeatures& b) {
  std::map<std::uint32_t, double> m;
  for (std::size_t i = 0; i < a.index.size(); ++i) {
    m[a.index[i]] = a.value[i];
  }
  double dot = 0;
  for (std::size_t i = 0; i < b.index.size(); ++i) {
    const auto it = m.find(b.index[i]);
    dot += it == m.end() ? 0 : it->second * b.value[i];
  }
  return dot;
}

TEST(TriageFeatures, DecomposedHangulIsComposedAsNfc) {
  // 한 and 가 typed as conjoining jamo (NFD): the same text as the syllables.
  EXPECT_EQ(Normalized("\u1112\u1161\u11AB\u1100\u1161\u110B\u1175"), "한가이");
  EXPECT_EQ(Normalized("\u1103\u1161\u11AB\u110C\u1165\u11AB"), "단전");
  EXPECT_EQ(Normalized("한가"), "한가");
  // A final consonant only joins a syllable without one.
  EXPECT_EQ(Normalized("\uD55C\u11AB"), "한\u11AB");
  // Compatibility jamo stay: residents type ㅠㅠ and ㅋㅋ.
  EXPECT_EQ(Normalized("힘들어요ㅠㅠ"), "힘들어요ㅠㅠ");
}

TEST(TriageFeatures, LatinIsFoldedPunctuationAndSpacesCollapse) {
  EXPECT_EQ(Normalized("ＣＣＴＶ가 고장"), "cctv가 고장");
  EXPECT_EQ(Normalized("Passport 갱신"), "passport 갱신");
  EXPECT_EQ(Normalized("  층간…소음!!\t너무\u3000심해요~~  "), "층간 소음 너무 심해요");
  EXPECT_EQ(Normalized("죽고\u200B싶어요"), "죽고싶어요");  // zero-width space disappears
  EXPECT_EQ(Normalized("「전세」 ★사기★"), "전세 사기");
  EXPECT_EQ(Normalized(""), "");
  EXPECT_EQ(Normalized(" .,!? "), "");
  EXPECT_EQ(Normalized("abc\xff\xfe"
                       "def"),
            "abc def");  // invalid bytes break words, never crash
}

TEST(TriageFeatures, FeaturesAreSortedUnitLengthAndInsideTheHashSpace) {
  FeatureSpec spec;
  spec.hash_bits = 12;
  const auto x = ExtractFeatures("윗집 층간소음 때문에 잠을 못 자요", spec);
  ASSERT_FALSE(x.index.empty());
  double norm = 0;
  for (std::size_t i = 0; i < x.index.size(); ++i) {
    EXPECT_LT(x.index[i], 1U << spec.hash_bits);
    if (i > 0) {
      EXPECT_LT(x.index[i - 1], x.index[i]);
    }
    norm += x.value[i] * x.value[i];
  }
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_TRUE(ExtractFeatures("", spec).index.empty());
  EXPECT_TRUE(ExtractFeatures(" !! ", spec).index.empty());
}

TEST(TriageFeatures, TheSameTextInAnyFormGivesTheSameFeatures) {
  const FeatureSpec spec;
  const auto a = ExtractFeatures("단전 예고를 받았어요", spec);
  const auto b = ExtractFeatures("\u1103\u1161\u11AB\u110C\u1165\u11AB 예고를 받았어요!!", spec);
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(a.value, b.value);
  // Deterministic: the hash is fixed arithmetic, not std::hash.
  EXPECT_EQ(ExtractFeatures("단전", spec).index, ExtractFeatures("단전", spec).index);
}

TEST(TriageFeatures, MissingSpacesStillShareMostFeatures) {
  const FeatureSpec spec;
  const auto spaced = ExtractFeatures("층간 소음이 너무 심해요", spec);
  const auto unspaced = ExtractFeatures("층간소음이너무심해요", spec);
  const auto other = ExtractFeatures("재산세 고지서가 왔어요", spec);
  EXPECT_GT(Similarity(spaced, unspaced), 0.5);
  EXPECT_LT(Similarity(spaced, other), 0.2);
  FeatureSpec no_compact = spec;
  no_compact.compact_min = 0;
  no_compact.compact_max = 0;
  EXPECT_GT(Similarity(spaced, unspaced),
            Similarity(ExtractFeatures("층간 소음이 너무 심해요", no_compact),
                       ExtractFeatures("층간소음이너무심해요", no_compact)));
}

TEST(TriageFeatures, ExplainedFeaturesNameTheWordsOfEachOccurrence) {
  FeatureSpec spec;
  spec.spaced_min = 1;
  spec.spaced_max = 2;
  spec.compact_min = 2;
  spec.compact_max = 2;
  const auto ex = ExtractExplainedFeatures("며칠째 굶었어요", spec);
  EXPECT_EQ(ex.words, (std::vector<std::string>{"며칠째", "굶었어요"}));
  EXPECT_EQ(ex.features.index, ExtractFeatures("며칠째 굶었어요", spec).index);
  bool spans_both = false;
  for (const auto& o : ex.occurrences) {
    EXPECT_LE(o.first_word, o.last_word);
    EXPECT_LT(o.last_word, ex.words.size());
    spans_both = spans_both || (o.first_word == 0 && o.last_word == 1);
  }
  EXPECT_TRUE(spans_both);  // 째굶 of the text without spaces
  EXPECT_GT(ex.occurrence_value, 0);
}

TEST(TriageFeatures, SpecsOutsideTheSupportedRangesAreInvalid) {
  EXPECT_TRUE(IsValidFeatureSpec(FeatureSpec{}));
  FeatureSpec s;
  s.hash_bits = kMaxHashBits + 1;
  EXPECT_FALSE(IsValidFeatureSpec(s));
  s = {};
  s.spaced_min = 3;
  s.spaced_max = 2;
  EXPECT_FALSE(IsValidFeatureSpec(s));
  s = {};
  s.compact_min = 0;
  s.compact_max = 0;
  EXPECT_TRUE(IsValidFeatureSpec(s));
  s.compact_max = 3;
  EXPECT_FALSE(IsValidFeatureSpec(s));
}

}  // namespace
}  // namespace caredesk::core
