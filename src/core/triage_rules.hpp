// Category suggestions for a concern, from keyword rules: a stand-in until a
// trained classifier exists. Given the concern in the resident's words, it
// names up to three categories of the taxonomy (with the keywords that made
// each one likely) and flags words that may signal a crisis (죽고 싶, 며칠째
// 굶, 단전, ...). Text and keywords are compared with whitespace removed, so
// "층간 소음" matches 층간소음 (keywords of one or two characters must still
// lie within one word). Pure: nothing is stored or logged.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace caredesk::core {

struct CategorySuggestion {
  std::string category;  // a top-level taxonomy code
  // This category's share of all matched keywords, floored to 0.01: the
  // scores of one answer add up to at most 1.
  double score = 0;
  std::vector<std::string> matched;  // the keywords found, in the rule's order
};

struct CrisisSignal {
  bool flag = false;
  std::vector<std::string> matched;
};

struct TriageSuggestion {
  std::vector<CategorySuggestion> suggestions;  // best first, at most kMaxSuggestions
  CrisisSignal crisis;
};

inline constexpr std::size_t kMaxSuggestions = 3;
inline constexpr std::size_t kMaxTriageTextChars = 4000;

// Suggestions for `text`; kValidationFailed (field "text") when it is not
// valid UTF-8 or longer than kMaxTriageTextChars. Nothing matched: no
// suggestions and no crisis flag.
Result<TriageSuggestion> SuggestCategories(std::string_view text);

// The rules' parts on their own, for the trained triage (triage.hpp), which
// uses the crisis rules beside its model and names the keywords of the
// categories its model chose. `text` must be valid UTF-8 (any length).
CrisisSignal DetectCrisisWords(std::string_view text);
std::vector<std::string> MatchCategoryKeywords(std::string_view text, std::string_view category);

// The keywords of one category (empty for "other" and unknown codes), and the
// crisis keywords and the everyday exaggerations that do not count as crisis.
std::span<const std::string_view> CategoryKeywords(std::string_view category);
std::span<const std::string_view> CrisisKeywords();
std::span<const std::string_view> CrisisExclusions();

}  // namespace caredesk::core
