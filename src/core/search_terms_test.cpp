#include "core/search_terms.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace caredesk::core {
namespace {

using Terms = std::vector<std::string>;

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  for (const char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {  // the tests use nothing beyond the BMP here
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

using Index = std::unordered_set<std::string>;

Index IndexOf(std::string_view document) {
  const Terms document_terms = DocumentTerms(document);
  return {document_terms.begin(), document_terms.end()};
}

// The query terms missing from the document's index (empty means the index finds the document).
Terms MissingTerms(const Index& index, std::string_view query) {
  Terms missing;
  for (const std::string& term : QueryTerms(query)) {
    if (!index.contains(term)) {
      missing.push_back(term);
    }
  }
  return missing;
}

Terms MissingTerms(std::string_view document, std::string_view query) {
  return MissingTerms(IndexOf(document), query);
}

// Found by the index and confirmed by verification: what a user sees as a hit.
bool Found(std::string_view document, std::string_view query) {
  return QueryIsSearchable(query) && MissingTerms(document, query).empty() &&
         MatchesQuery(document, query);
}

// --- NormalizeForSearch ------------------------------------------------------------------------

TEST(NormalizeForSearch, CollapsesSeparatorsAndLowercasesAscii) {
  EXPECT_EQ(NormalizeForSearch("  Hello,   WORLD!! "), U"hello world");
  EXPECT_EQ(NormalizeForSearch("윗집\t층간소음...때문에"), U"윗집 층간소음 때문에");
  EXPECT_EQ(NormalizeForSearch(" \t\n,.!"), U"");
  EXPECT_EQ(NormalizeForSearch(""), U"");
}

TEST(NormalizeForSearch, FoldsFullWidthAsciiAndTreatsSymbolsAsSeparators) {
  EXPECT_EQ(NormalizeForSearch("ＷｉＦｉ　１２３"), U"wifi 123");  // incl. ideographic space
  EXPECT_EQ(NormalizeForSearch("소음😡문제"), U"소음 문제");
  EXPECT_EQ(NormalizeForSearch("①월세②관리비"), U"월세 관리비");
  EXPECT_EQ(NormalizeForSearch("「긴급」 ㈜한빛 84㎡ ￦500"), U"긴급 한빛 84 500");
  EXPECT_EQ(NormalizeForSearch("A\u00A0B"), U"a b");  // no-break space
}

TEST(NormalizeForSearch, KeepsJamoAndOtherScriptsAsWordCharacters) {
  EXPECT_EQ(NormalizeForSearch("ㅋㅋ ㅠㅠ"), U"ㅋㅋ ㅠㅠ");
  EXPECT_EQ(NormalizeForSearch("Café 東京"), U"caf\u00E9 東京");
  EXPECT_EQ(NormalizeForSearch("Ünïcode"), U"\u00DCn\u00EFcode");  // only ASCII is lower-cased
}

TEST(NormalizeForSearch, DropsInvisibleCharactersAndComposesConjoiningJamo) {
  EXPECT_EQ(NormalizeForSearch("층\u200B간\u00AD소\uFEFF음"), U"층간소음");
  // 소음 typed as decomposed (NFD) jamo, as macOS produces.
  EXPECT_EQ(NormalizeForSearch("\u1109\u1169\u110B\u1173\u11B7"), U"소음");
  EXPECT_TRUE(Found("\u1109\u1169\u110B\u1173\u11B7 민원", "소음"));
  EXPECT_TRUE(Found("소음 민원", "\u1109\u1169\u110B\u1173\u11B7"));
}

TEST(NormalizeForSearch, DropsInvalidUtf8Bytes) {
  EXPECT_EQ(NormalizeForSearch("\xFF\xFE층간\xC3소음\xED\xA0\x80"), U"층간소음");
  EXPECT_EQ(NormalizeForSearch("ab\x80"
                               "cd"),
            U"abcd");
  EXPECT_EQ(NormalizeForSearch("\xC0\xAF"), U"");      // overlong '/'
  EXPECT_EQ(NormalizeForSearch("가\xEC\x84"), U"가");  // truncated at the end
}

// --- DocumentTerms and QueryTerms --------------------------------------------------------------

TEST(DocumentTerms, BigramsOfRunsBridgesBetweenSyllablesAndLoneCharacters) {
  EXPECT_EQ(DocumentTerms("가나 다"), (Terms{"가나", "나다", "다"}));
  EXPECT_EQ(DocumentTerms("층간 소음"), (Terms{"층간", "간소", "소음"}));
  EXPECT_EQ(DocumentTerms("층간소음"), (Terms{"층간", "간소", "소음"}));
  // No bridge next to ASCII or digits; letters, digits and Hangul in one run form one word.
  EXPECT_EQ(DocumentTerms("ab c"), (Terms{"ab", "c"}));
  EXPECT_EQ(DocumentTerms("3개월 a"), (Terms{"3개", "개월", "a"}));
  EXPECT_EQ(DocumentTerms("Wi-Fi"), (Terms{"wi", "fi"}));
}

TEST(DocumentTerms, DeduplicatesInFirstOccurrenceOrder) {
  EXPECT_EQ(DocumentTerms("가나가나 가나"), (Terms{"가나", "나가"}));
  EXPECT_TRUE(DocumentTerms("").empty());
  EXPECT_TRUE(DocumentTerms(" ,. ").empty());
}

TEST(QueryTerms, RemovesSpacesBetweenSyllablesOnly) {
  EXPECT_EQ(QueryTerms("층간 소음"), (Terms{"층간", "간소", "소음"}));
  EXPECT_EQ(QueryTerms("층간소음"), (Terms{"층간", "간소", "소음"}));
  EXPECT_EQ(QueryTerms("간 소"), (Terms{"간소"}));
  EXPECT_EQ(QueryTerms("WiFi 고장"), (Terms{"wi", "if", "fi", "고장"}));
  EXPECT_EQ(QueryTerms("3개월"), (Terms{"3개", "개월"}));
}

TEST(QueryTerms, OneCharacterWordsNeedKeptSeparatorsOnBothSides) {
  EXPECT_EQ(QueryTerms("a 가 b"), (Terms{"가"}));  // 가 must be a whole run in the document
  EXPECT_EQ(QueryTerms("a bc d"), (Terms{"bc"}));  // a and d may be ends of longer words
  EXPECT_TRUE(QueryTerms("a b").empty());
  EXPECT_EQ(QueryTerms("소"), (Terms{"소"}));
  EXPECT_TRUE(QueryTerms("").empty());
  EXPECT_TRUE(QueryTerms("  ").empty());
}

TEST(QueryIsSearchable, NeedsTwoCharactersInOneWord) {
  EXPECT_TRUE(QueryIsSearchable("소음"));
  EXPECT_TRUE(QueryIsSearchable("가 나"));
  EXPECT_TRUE(QueryIsSearchable("가, 나"));
  EXPECT_TRUE(QueryIsSearchable("ab"));
  EXPECT_TRUE(QueryIsSearchable("3개"));
  EXPECT_FALSE(QueryIsSearchable("소"));
  EXPECT_FALSE(QueryIsSearchable("a b"));
  EXPECT_FALSE(QueryIsSearchable("3 개"));
  EXPECT_FALSE(QueryIsSearchable(""));
  EXPECT_FALSE(QueryIsSearchable(" \t\n"));
  EXPECT_FALSE(QueryIsSearchable("!?…"));
  EXPECT_FALSE(QueryIsSearchable("\xFF\xFE"));
}

// --- MatchesQuery and the end-to-end examples ---------------------------------------------------

TEST(Search, FindsNoiseComplaint) {
  constexpr std::string_view kDocument = "윗집 층간소음 때문에 잠을 못 자요";
  EXPECT_TRUE(Found(kDocument, "소음"));
  EXPECT_TRUE(Found(kDocument, "층간소음"));
  EXPECT_TRUE(Found(kDocument, "층간 소음"));
  EXPECT_TRUE(Found(kDocument, "윗집"));
  EXPECT_TRUE(Found(kDocument, "윗집 층간"));
  EXPECT_TRUE(Found(kDocument, "윗집층간"));
  EXPECT_TRUE(Found(kDocument, "못자요"));
  EXPECT_FALSE(MatchesQuery(kDocument, "소금"));
  EXPECT_FALSE(MissingTerms(kDocument, "소금").empty());
}

TEST(Search, SpacedDocumentFoundByUnspacedQuery) {
  EXPECT_TRUE(Found("층간 소음 민원", "층간소음"));
  EXPECT_TRUE(Found("층간, 소음 민원", "층간소음"));
  EXPECT_TRUE(Found("층간 소음 민원", "간 소"));
  EXPECT_TRUE(Found("층간소음 민원", "간 소"));
}

TEST(Search, VerificationRemovesBigramFalsePositives) {
  constexpr std::string_view kDocument = "층간 문제는 없고 소음 문제만";
  EXPECT_EQ(MissingTerms(kDocument, "층간 소음"), (Terms{"간소"}));
  constexpr std::string_view kOther = "층간 이웃, 소음은 간소한 편";
  EXPECT_TRUE(MissingTerms(kOther, "층간소음").empty());  // index candidate ...
  EXPECT_FALSE(MatchesQuery(kOther, "층간소음"));         // ... rejected on verification
}

TEST(Search, FindsRentArrears) {
  constexpr std::string_view kDocument = "월세가 3개월 밀렸어요";
  EXPECT_TRUE(Found(kDocument, "월세"));
  EXPECT_TRUE(Found(kDocument, "3개월"));
  EXPECT_TRUE(Found(kDocument, "밀렸"));
  EXPECT_TRUE(Found(kDocument, "３개월"));
  // Separators next to digits or ASCII are never bridged, in the index or in matching.
  EXPECT_FALSE(MatchesQuery(kDocument, "3 개월"));
}

TEST(Search, FindsEnglishCaseInsensitively) {
  constexpr std::string_view kDocument = "WiFi 고장";
  EXPECT_TRUE(Found(kDocument, "wifi"));
  EXPECT_TRUE(Found(kDocument, "WIFI"));
  EXPECT_TRUE(Found(kDocument, "ｗｉｆｉ"));
  EXPECT_TRUE(Found(kDocument, "wifi 고장"));
  EXPECT_TRUE(Found(kDocument, "wifi, 고장"));
  EXPECT_TRUE(Found(kDocument, "fi 고"));
  EXPECT_FALSE(MatchesQuery(kDocument, "wifi고장"));
  EXPECT_FALSE(MatchesQuery(kDocument, "wi fi"));
  EXPECT_FALSE(MatchesQuery("wi fi", "wifi"));
}

TEST(Search, EmptyAndBlankQueriesMatchNothing) {
  EXPECT_FALSE(MatchesQuery("윗집 층간소음", ""));
  EXPECT_FALSE(MatchesQuery("윗집 층간소음", "   "));
  EXPECT_FALSE(MatchesQuery("윗집 층간소음", ",.!"));
  EXPECT_FALSE(MatchesQuery("", "소음"));
}

TEST(Search, OneSyllableWordIsIndexedByItself) {
  const Terms terms = DocumentTerms("잠을 못 자요");
  EXPECT_NE(std::find(terms.begin(), terms.end(), "못"), terms.end());
  EXPECT_TRUE(MatchesQuery("잠을 못 자요", "못"));
}

// --- Truncation --------------------------------------------------------------------------------

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

TEST(Search, LongDocumentsAreIndexedAndMatchedOnTheirPrefixOnly) {
  const std::string ascii = Repeat("a", kMaxIndexedCodePoints - 1) + "bc";
  EXPECT_TRUE(Found(ascii, "ab"));
  EXPECT_FALSE(MatchesQuery(ascii, "bc"));
  EXPECT_FALSE(MissingTerms(ascii, "bc").empty());

  // The bridge 가·나 would cross the limit: neither indexed nor matched.
  const std::string hangul = Repeat("가", kMaxIndexedCodePoints - 1) + " 나다";
  EXPECT_FALSE(MatchesQuery(hangul, "가나"));
  EXPECT_FALSE(MissingTerms(hangul, "가나").empty());
  EXPECT_TRUE(Found(hangul, "가가"));
}

TEST(Search, HugeInputIsBounded) {
  const std::string huge = Repeat("층간소음 ", 1'000'000);
  const Terms terms = DocumentTerms(huge);
  EXPECT_EQ(terms, (Terms{"층간", "간소", "소음", "음층"}));
}

// --- Property: the index never loses a match ----------------------------------------------------

enum class TokenKind { kHangul, kAscii, kDigit, kSeparator, kIgnorable };

struct Token {
  std::string_view text;
  TokenKind kind;
};

// A small alphabet so that random documents repeat bigrams and queries collide often.
constexpr Token kAlphabet[] = {
    {"가", TokenKind::kHangul},   {"나", TokenKind::kHangul},    {"간", TokenKind::kHangul},
    {"층", TokenKind::kHangul},   {"소", TokenKind::kHangul},    {"음", TokenKind::kHangul},
    {"a", TokenKind::kAscii},     {"b", TokenKind::kAscii},      {"A", TokenKind::kAscii},
    {"Ｂ", TokenKind::kAscii},    {"1", TokenKind::kDigit},      {"2", TokenKind::kDigit},
    {" ", TokenKind::kSeparator}, {" ", TokenKind::kSeparator},  {"  ", TokenKind::kSeparator},
    {",", TokenKind::kSeparator}, {".", TokenKind::kSeparator},  {"\t", TokenKind::kSeparator},
    {"·", TokenKind::kSeparator}, {"、", TokenKind::kSeparator}, {"\u200B", TokenKind::kIgnorable},
};

using TokenList = std::vector<Token>;

std::string Concat(const TokenList& tokens) {
  std::string out;
  for (const Token& token : tokens) {
    out += token.text;
  }
  return out;
}

bool IsSyllableToken(const Token& token) { return token.kind == TokenKind::kHangul; }

class PropertyTest : public ::testing::Test {
 protected:
  static constexpr unsigned kSeed = 20240611;

  TokenList RandomTokens(std::size_t max_length) {
    std::uniform_int_distribution<std::size_t> length(0, max_length);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(kAlphabet) - 1);
    TokenList tokens(length(rng_));
    for (Token& token : tokens) {
      token = kAlphabet[pick(rng_)];
    }
    return tokens;
  }

  std::size_t Below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  bool Coin() { return Below(2) == 0; }

  // Rewrites `query` in ways that keep it matching the same documents: drops separators between
  // two syllables, inserts a space between two adjacent syllables, changes ASCII case, swaps a
  // separator for another.
  TokenList Mutate(TokenList query) {
    if (Coin()) {  // remove every separator run that sits between two syllables
      TokenList out;
      for (std::size_t i = 0; i < query.size(); ++i) {
        if (query[i].kind == TokenKind::kSeparator && !out.empty() && IsSyllableToken(out.back())) {
          std::size_t j = i;
          while (j < query.size() && query[j].kind == TokenKind::kSeparator) {
            ++j;
          }
          if (j < query.size() && IsSyllableToken(query[j])) {
            i = j - 1;
            continue;
          }
        }
        out.push_back(query[i]);
      }
      query = out;
    }
    if (Coin()) {  // insert a space between two adjacent syllables
      std::vector<std::size_t> gaps;
      for (std::size_t i = 1; i < query.size(); ++i) {
        if (IsSyllableToken(query[i - 1]) && IsSyllableToken(query[i])) {
          gaps.push_back(i);
        }
      }
      if (!gaps.empty()) {
        const std::size_t at = gaps[Below(gaps.size())];
        query.insert(query.begin() + static_cast<std::ptrdiff_t>(at),
                     Token{" ", TokenKind::kSeparator});
      }
    }
    for (Token& token : query) {
      if (token.kind == TokenKind::kAscii && Coin()) {
        token.text = token.text == "a"    ? "A"
                     : token.text == "A"  ? "a"
                     : token.text == "b"  ? "Ｂ"
                     : token.text == "Ｂ" ? "b"
                                          : token.text;
      } else if (token.kind == TokenKind::kSeparator && Coin()) {
        token.text = Coin() ? "," : " ";
      }
    }
    return query;
  }

  // Checks the invariant for one pair; returns true when it was exercised (a searchable match).
  bool CheckInvariant(const std::string& document, const std::string& query) {
    return CheckInvariant(document, IndexOf(document), query);
  }

  bool CheckInvariant(const std::string& document, const Index& index, const std::string& query) {
    if (!MatchesQuery(document, query) || !QueryIsSearchable(query)) {
      return false;
    }
    const Terms missing = MissingTerms(index, query);
    EXPECT_TRUE(missing.empty()) << "document [" << document << "] query [" << query << "] misses ["
                                 << (missing.empty() ? "" : missing.front()) << "]";
    return true;
  }

  std::mt19937 rng_{kSeed};
};

TEST_F(PropertyTest, SubstringQueriesAreFoundThroughTheIndex) {
  constexpr int kDocuments = 3000;
  constexpr int kQueriesPerDocument = 8;
  constexpr std::size_t kMaxTokens = 30;
  int exercised = 0;
  for (int d = 0; d < kDocuments; ++d) {
    const TokenList document_tokens = RandomTokens(kMaxTokens);
    const std::string document = Concat(document_tokens);
    const Index index = IndexOf(document);
    for (int q = 0; q < kQueriesPerDocument; ++q) {
      const std::size_t begin = Below(document_tokens.size() + 1);
      const std::size_t end = begin + Below(document_tokens.size() - begin + 1);
      TokenList query_tokens(document_tokens.begin() + static_cast<std::ptrdiff_t>(begin),
                             document_tokens.begin() + static_cast<std::ptrdiff_t>(end));
      if (Coin()) {
        query_tokens = Mutate(query_tokens);
      }
      const std::string query = Concat(query_tokens);
      // Every substring (and every mutation of it) with a word character must match.
      const bool has_word = !NormalizeForSearch(query).empty();
      ASSERT_EQ(MatchesQuery(document, query), has_word)
          << "document [" << document << "] query [" << query << "]";
      if (CheckInvariant(document, index, query)) {
        ++exercised;
      }
    }
  }
  EXPECT_GT(exercised, kDocuments * kQueriesPerDocument / 3);
}

TEST_F(PropertyTest, RandomQueriesThatMatchAreFoundThroughTheIndex) {
  constexpr int kDocuments = 5000;
  constexpr int kQueriesPerDocument = 20;
  constexpr std::size_t kMaxDocumentTokens = 25;
  constexpr std::size_t kMaxQueryTokens = 4;
  int exercised = 0;
  for (int d = 0; d < kDocuments; ++d) {
    const std::string document = Concat(RandomTokens(kMaxDocumentTokens));
    const Index index = IndexOf(document);
    for (int q = 0; q < kQueriesPerDocument; ++q) {
      if (CheckInvariant(document, index, Concat(RandomTokens(kMaxQueryTokens)))) {
        ++exercised;
      }
    }
  }
  EXPECT_GT(exercised, 500);
}

TEST_F(PropertyTest, ByteSlicesAndRandomBytesNeverCrashOrLoseMatches) {
  constexpr int kCases = 5000;
  constexpr std::size_t kMaxTokens = 20;
  constexpr std::size_t kMaxRandomBytes = 24;
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < kCases; ++i) {
    const std::string document = Concat(RandomTokens(kMaxTokens));
    // A byte slice may cut UTF-8 sequences in half.
    const std::size_t begin = Below(document.size() + 1);
    const std::size_t length = Below(document.size() - begin + 1);
    CheckInvariant(document, document.substr(begin, length));

    std::string noise(Below(kMaxRandomBytes + 1), '\0');
    for (char& c : noise) {
      c = static_cast<char>(byte(rng_));
    }
    CheckInvariant(noise, noise.substr(0, noise.size() / 2));
    CheckInvariant(document + noise, noise);
    (void)NormalizeForSearch(noise);
    (void)QueryTerms(noise);
  }
}

// Queries around the kMaxIndexedCodePoints boundary: those before it must be found, those
// across or after it must not match (text beyond the limit is neither indexed nor matched).
TEST_F(PropertyTest, LongDocumentsKeepTheInvariantAtTheLimit) {
  constexpr int kDocuments = 8;
  constexpr int kQueriesPerDocument = 40;
  constexpr std::size_t kMaxQueryTokens = 12;
  constexpr std::size_t kTokensBeforeLimit = 30;
  constexpr std::size_t kTokensAfterLimit = 10;
  constexpr std::size_t kExtraWordTokens = 200;
  constexpr char32_t kFirstUniqueSyllable = U'홀';  // not in kAlphabet, nor the next 60
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kAlphabet) - 1);
  int exercised = 0;
  for (int d = 0; d < kDocuments; ++d) {
    // Each word token adds one normalised code point, so the document passes the limit.
    TokenList tokens;
    std::size_t word_tokens = 0;
    while (word_tokens < kMaxIndexedCodePoints + kExtraWordTokens) {
      tokens.push_back(kAlphabet[pick(rng_)]);
      word_tokens += NormalizeForSearch(tokens.back().text).size();
    }
    // The shortest token prefix whose normalisation passes the limit.
    std::size_t low = 0;
    std::size_t high = tokens.size();
    while (low < high) {
      const std::size_t mid = low + (high - low) / 2;
      const TokenList prefix(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(mid));
      if (NormalizeForSearch(Concat(prefix)).size() > kMaxIndexedCodePoints) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    const std::size_t limit_token = low;
    ASSERT_GT(limit_token, kTokensBeforeLimit);
    ASSERT_LT(limit_token + kTokensAfterLimit + kMaxQueryTokens, tokens.size());

    // Give the word tokens around the limit characters found nowhere else, keeping each token's
    // kind (so the normalised length, and the limit, stay put): a query there has bigrams that
    // only the limit decides whether the index has.
    std::deque<std::string> unique_texts;
    char32_t next_syllable = kFirstUniqueSyllable;
    char next_letter = 'c';
    for (std::size_t i = limit_token - kTokensBeforeLimit;
         i < limit_token + kTokensAfterLimit + kMaxQueryTokens; ++i) {
      if (tokens[i].kind == TokenKind::kHangul) {
        unique_texts.push_back(ToUtf8(std::u32string(1, next_syllable++)));
      } else if (tokens[i].kind == TokenKind::kAscii || tokens[i].kind == TokenKind::kDigit) {
        unique_texts.emplace_back(1, next_letter);
        next_letter = next_letter == 'z' ? 'c' : static_cast<char>(next_letter + 1);
      } else {
        continue;
      }
      tokens[i].text = unique_texts.back();
    }

    const std::string document = Concat(tokens);
    const Index index = IndexOf(document);
    for (int q = 0; q < kQueriesPerDocument; ++q) {
      const std::size_t begin =
          limit_token - kTokensBeforeLimit + Below(kTokensBeforeLimit + kTokensAfterLimit);
      const std::size_t end = begin + 1 + Below(kMaxQueryTokens);
      const TokenList query_tokens(tokens.begin() + static_cast<std::ptrdiff_t>(begin),
                                   tokens.begin() + static_cast<std::ptrdiff_t>(end));
      if (CheckInvariant(document, index, Concat(Mutate(query_tokens)))) {
        ++exercised;
      }
    }
  }
  EXPECT_GT(exercised, kDocuments * kQueriesPerDocument / 4);
}

}  // namespace
}  // namespace caredesk::core
