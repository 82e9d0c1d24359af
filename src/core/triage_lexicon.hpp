// The lexicon of the trained triage: words and phrases whose label is known
// without a training file, taught to the classifiers beside the examples of
// data/triage (core::TrainClassifier's lexicon: in every fold, never held
// out). With the keyword rules (triage_rules.hpp) they give the classifiers
// the vocabulary a few hundred example sentences cannot cover.
#pragma once

#include <span>
#include <string_view>

namespace caredesk::core {

struct CategoryTerm {
  std::string_view category;  // a taxonomy code
  std::string_view phrase;
};

// Words of each category beyond the rules' keywords (무상교복, 버팀목 전세자금 대출, 보건증 ...).
std::span<const CategoryTerm> CategoryTerms();

// Crisis warning signs that are no rule on their own (그동안 고마웠, 물건을 다 나눠, 며칠째 안
// 보이).
std::span<const std::string_view> CrisisSigns();

// Greetings and fillers: no crisis.
std::span<const std::string_view> NeutralPhrases();

}  // namespace caredesk::core
