// libFuzzer: the encrypted search index's text model (core/search_terms.hpp) on arbitrary bytes.
// The input is a document and a query separated by the first NUL byte (no NUL: the input is
// both). Invariants, all from the header's contract:
//  * NormalizeForSearch yields valid scalar values, single separators, none at either end;
//  * terms are non-empty UTF-8 of one or two code points, without repeats;
//  * QueryIsSearchable(q) exactly when QueryTerms(q) carries a bigram;
//  * the index never loses a match: QueryIsSearchable(q) && MatchesQuery(d, q) implies every
//    term of QueryTerms(q) is a term of DocumentTerms(d);
//  * a short document with a word character matches itself.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/search_terms.hpp"
#include "core/text.hpp"
#include "tests/fuzz/fuzz_checks.hpp"

namespace caredesk::fuzz {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kSurrogateFirst = 0xD800;
constexpr char32_t kSurrogateLast = 0xDFFF;

void CheckNormalized(std::string_view text) {
  const auto n = core::NormalizeForSearch(text);
  if (n.empty()) {
    return;
  }
  Require(n.front() != core::kSearchSeparator && n.back() != core::kSearchSeparator,
          "normalised text starts or ends with a separator");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char32_t c = n[i];
    Require(c <= kMaxCodePoint && (c < kSurrogateFirst || c > kSurrogateLast),
            "normalised text holds a non-scalar value");
    Require(!(c == core::kSearchSeparator && i > 0 && n[i - 1] == core::kSearchSeparator),
            "normalised text holds two separators in a row");
  }
}

void CheckTerms(const std::vector<std::string>& terms, std::string_view what) {
  std::unordered_set<std::string> seen;
  for (const auto& t : terms) {
    const auto points = core::CodePointCount(t);
    Require(core::IsValidUtf8(t) && points >= 1 && points <= 2,
            std::string(what) + ": a term is not one or two code points", t);
    Require(seen.insert(t).second, std::string(what) + ": a term repeats", t);
  }
}

bool HasBigram(const std::vector<std::string>& terms) {
  return std::any_of(terms.begin(), terms.end(),
                     [](const std::string& t) { return core::CodePointCount(t) == 2; });
}

void CheckPair(std::string_view document, std::string_view query) {
  CheckNormalized(document);
  CheckNormalized(query);
  const auto doc_terms = core::DocumentTerms(document);
  const auto query_terms = core::QueryTerms(query);
  CheckTerms(doc_terms, "DocumentTerms");
  CheckTerms(query_terms, "QueryTerms");
  const bool searchable = core::QueryIsSearchable(query);
  Require(searchable == HasBigram(query_terms),
          "QueryIsSearchable disagrees with the bigrams of QueryTerms", query);
  if (searchable && core::MatchesQuery(document, query)) {
    const std::unordered_set<std::string> indexed(doc_terms.begin(), doc_terms.end());
    for (const auto& t : query_terms) {
      Require(indexed.contains(t), "the index loses a match: a query term is not indexed",
              "term '" + t + "'\ndocument '" + std::string(document) + "'\nquery '" +
                  std::string(query) + "'");
    }
  }
}

}  // namespace
}  // namespace caredesk::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caredesk;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  if (nul == std::string_view::npos) {
    fuzz::CheckPair(input, input);
    const auto n = core::NormalizeForSearch(input);
    const bool has_word =
        std::any_of(n.begin(), n.end(), [](char32_t c) { return c != core::kSearchSeparator; });
    if (has_word && n.size() <= core::kMaxIndexedCodePoints) {
      fuzz::Require(core::MatchesQuery(input, input), "a document does not match itself",
                    std::string(input));
    }
    return 0;
  }
  fuzz::CheckPair(input.substr(0, nul), input.substr(nul + 1));
  return 0;
}
