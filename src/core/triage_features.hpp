// What the triage classifier sees of a text: the text normalised (code points,
// Hangul composed, Latin lower-cased, punctuation and whitespace made single
// spaces) and turned into hashed features: character n-grams over the text
// with its spaces, character n-grams over the text with the spaces removed
// (residents and counselors often type without spacing: 층간소음이심해요), and
// whole words. Korean needs no word segmenter for this. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caredesk::core {

// Normalises `text` (UTF-8; invalid bytes become U+FFFD):
//  * conjoining Hangul jamo sequences (NFD, as some keyboards and macOS send)
//    are composed into syllables, so 가 typed as ᄀ+ᅡ is the same as 가 (NFC);
//    compatibility jamo (ㅠㅠ, ㅋㅋ) stay as they are;
//  * full-width ASCII (Ａ, １) becomes ASCII; Latin letters become lower case;
//  * punctuation, symbols, control characters and every kind of whitespace
//    become one space; zero-width characters disappear; no leading or trailing
//    space.
std::u32string NormalizeTriageText(std::string_view text);

// UTF-8 for code points (as NormalizeTriageText produces them).
std::string ToUtf8(std::u32string_view text);

// Which features to extract; stored in the model file, so a model is always
// fed the features it was trained on.
struct FeatureSpec {
  std::uint8_t hash_bits = 18;  // 2^hash_bits buckets
  // Character n-grams over " text " (with its spaces and a space at each end).
  std::uint8_t spaced_min = 1;
  std::uint8_t spaced_max = 4;
  // Character n-grams over the text with its spaces removed; 0 = none.
  std::uint8_t compact_min = 2;
  std::uint8_t compact_max = 4;
  bool words = true;  // each whole word

  bool operator==(const FeatureSpec&) const = default;
};

inline constexpr std::uint8_t kMinHashBits = 8;
inline constexpr std::uint8_t kMaxHashBits = 24;
inline constexpr std::uint8_t kMaxNgram = 8;

// True when `spec` is usable: hash bits in [kMinHashBits, kMaxHashBits], each
// n-gram range within [1, kMaxNgram] with min <= max (compact may be 0..0).
bool IsValidFeatureSpec(const FeatureSpec& spec);

// A text's features: bucket indexes in increasing order with their weights
// (occurrence counts scaled to unit Euclidean length). Empty for a text
// without letters.
struct SparseFeatures {
  std::vector<std::uint32_t> index;
  std::vector<float> value;
};

SparseFeatures ExtractFeatures(std::string_view text, const FeatureSpec& spec);

// One occurrence of a feature and the words of the normalised text it lies in
// (first_word..last_word, inclusive).
struct FeatureOccurrence {
  std::uint32_t bucket = 0;
  std::uint32_t first_word = 0;
  std::uint32_t last_word = 0;
};

// The features with where they came from, to explain a decision: which words
// made it. Every occurrence adds `occurrence_value` to its bucket's value.
struct ExplainedFeatures {
  SparseFeatures features;
  std::vector<std::string> words;  // the normalised words, UTF-8
  std::vector<FeatureOccurrence> occurrences;
  float occurrence_value = 0;
};

ExplainedFeatures ExtractExplainedFeatures(std::string_view text, const FeatureSpec& spec);

}  // namespace caredesk::core
