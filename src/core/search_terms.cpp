#include "core/search_terms.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>
#include <utility>

namespace caredesk::core {
namespace {

constexpr std::size_t kNoLimit = std::u32string::npos;

// --- UTF-8 -----------------------------------------------------------------------------------

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kSurrogateFirst = 0xD800;
constexpr char32_t kSurrogateLast = 0xDFFF;

// Decodes the code point at `pos` and advances past it. On a malformed sequence advances one byte
// and returns nullopt, so the bad byte is dropped and decoding resynchronises on the next one.
std::optional<char32_t> DecodeNext(std::string_view s, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t extra = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
    min = 0x10000;
  } else {
    ++pos;
    return std::nullopt;
  }
  if (s.size() - pos <= extra) {
    ++pos;
    return std::nullopt;
  }
  for (std::size_t i = 1; i <= extra; ++i) {
    const auto next = static_cast<unsigned char>(s[pos + i]);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return std::nullopt;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > kMaxCodePoint || (cp >= kSurrogateFirst && cp <= kSurrogateLast)) {
    ++pos;
    return std::nullopt;
  }
  pos += extra + 1;
  return cp;
}

// Appends the UTF-8 encoding of a valid scalar value `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// --- Classification ----------------------------------------------------------------------------

enum class CharClass { kWord, kSeparator, kIgnored };

struct CharRange {
  char32_t first;
  char32_t last;
  CharClass char_class;
};

// Non-ASCII code points that are not word characters, sorted and disjoint. Anything not listed
// is a word character (letters, digits, marks of every script, Hangul, CJK ideographs).
constexpr std::array kNonWordRanges = {
    CharRange{0x0080, 0x009F, CharClass::kSeparator},  // C1 controls, NEL
    CharRange{0x00A0, 0x00A9, CharClass::kSeparator},  // NBSP ¡ ¢ £ ¤ ¥ ¦ § ¨ ©
    CharRange{0x00AB, 0x00AC, CharClass::kSeparator},  // « ¬
    CharRange{0x00AD, 0x00AD, CharClass::kIgnored},    // soft hyphen
    CharRange{0x00AE, 0x00B1, CharClass::kSeparator},  // ® ¯ ° ±
    CharRange{0x00B4, 0x00B4, CharClass::kSeparator},  // ´
    CharRange{0x00B6, 0x00B8, CharClass::kSeparator},  // ¶ · ¸
    CharRange{0x00BB, 0x00BB, CharClass::kSeparator},  // »
    CharRange{0x00BF, 0x00BF, CharClass::kSeparator},  // ¿
    CharRange{0x00D7, 0x00D7, CharClass::kSeparator},  // ×
    CharRange{0x00F7, 0x00F7, CharClass::kSeparator},  // ÷
    CharRange{0x034F, 0x034F, CharClass::kIgnored},    // combining grapheme joiner
    CharRange{0x1680, 0x1680, CharClass::kSeparator},  // ogham space
    CharRange{0x180E, 0x180E, CharClass::kIgnored},    // Mongolian vowel separator
    CharRange{0x2000, 0x200A, CharClass::kSeparator},  // spaces
    CharRange{0x200B, 0x200F, CharClass::kIgnored},    // zero-width space, ZWNJ, ZWJ, LRM, RLM
    CharRange{0x2010, 0x2029, CharClass::kSeparator},  // dashes, quotes, bullets, line separators
    CharRange{0x202A, 0x202E, CharClass::kIgnored},    // bidi embeddings
    CharRange{0x202F, 0x205F, CharClass::kSeparator},  // narrow NBSP, punctuation, math space
    CharRange{0x2060, 0x206F, CharClass::kIgnored},    // word joiner, invisible operators, bidi
    CharRange{0x20A0, 0x214F, CharClass::kSeparator},  // currency, symbol marks, letterlike (℃ №)
    CharRange{0x2190, 0x2BFF, CharClass::kSeparator},  // arrows, math, ①, boxes, shapes, dingbats
    CharRange{0x2E00, 0x2E7F, CharClass::kSeparator},  // supplemental punctuation
    CharRange{0x3000, 0x303F, CharClass::kSeparator},  // ideographic space, 、 。 「 」 〈 〉
    CharRange{0x3200, 0x33FF, CharClass::kSeparator},  // ㈜, circled Hangul, ㎡ ㎏
    CharRange{0xE000, 0xF8FF, CharClass::kSeparator},  // private use (icon fonts)
    CharRange{0xFE00, 0xFE0F, CharClass::kIgnored},    // variation selectors
    CharRange{0xFE10, 0xFE1F, CharClass::kSeparator},  // vertical forms
    CharRange{0xFE30, 0xFE6F, CharClass::kSeparator},  // CJK compatibility and small forms
    CharRange{0xFEFF, 0xFEFF, CharClass::kIgnored},    // BOM / zero-width no-break space
    CharRange{0xFF00, 0xFF00, CharClass::kSeparator},  // (unassigned, before full-width ASCII)
    CharRange{0xFF5F, 0xFF65, CharClass::kSeparator},  // half-width CJK punctuation
    CharRange{0xFFE0, 0xFFFF, CharClass::kSeparator},  // full-width symbols (￦), specials, U+FFFD
    CharRange{0x1F000, 0x1FBFF, CharClass::kSeparator},   // emoji and pictographs
    CharRange{0xE0000, 0xE007F, CharClass::kIgnored},     // tags
    CharRange{0xE0100, 0xE01EF, CharClass::kIgnored},     // variation selectors supplement
    CharRange{0xF0000, 0x10FFFF, CharClass::kSeparator},  // supplementary private use
};

constexpr char32_t kAsciiEnd = 0x80;
constexpr char32_t kFullWidthFirst = 0xFF01;  // ！
constexpr char32_t kFullWidthLast = 0xFF5E;   // ～
constexpr char32_t kFullWidthOffset = 0xFF01 - 0x21;

constexpr char32_t kHangulSyllableFirst = 0xAC00;  // 가
constexpr char32_t kHangulSyllableLast = 0xD7A3;   // 힣

// Conjoining jamo composition constants (Unicode ch. 3.12).
constexpr char32_t kJamoLFirst = 0x1100;
constexpr char32_t kJamoVFirst = 0x1161;
constexpr char32_t kJamoTBase = 0x11A7;  // one before the first trailing consonant
constexpr char32_t kJamoLCount = 19;
constexpr char32_t kJamoVCount = 21;
constexpr char32_t kJamoTCount = 28;

bool IsAsciiWordChar(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

CharClass Classify(char32_t c) {
  if (c < kAsciiEnd) {
    return IsAsciiWordChar(c) ? CharClass::kWord : CharClass::kSeparator;
  }
  const auto* const it =
      std::upper_bound(kNonWordRanges.begin(), kNonWordRanges.end(), c,
                       [](char32_t v, const CharRange& r) { return v < r.first; });
  if (it == kNonWordRanges.begin()) {
    return CharClass::kWord;
  }
  const CharRange& range = *(it - 1);
  return c <= range.last ? range.char_class : CharClass::kWord;
}

// Full-width ASCII to ASCII, then ASCII upper case to lower case.
char32_t Fold(char32_t c) {
  if (c >= kFullWidthFirst && c <= kFullWidthLast) {
    c -= kFullWidthOffset;
  }
  if (c >= U'A' && c <= U'Z') {
    c += U'a' - U'A';
  }
  return c;
}

bool IsHangulSyllable(char32_t c) { return c >= kHangulSyllableFirst && c <= kHangulSyllableLast; }

// The canonical composition of `last` followed by `next` when both are Hangul (L+V or LV+T).
std::optional<char32_t> ComposeHangul(char32_t last, char32_t next) {
  if (last >= kJamoLFirst && last < kJamoLFirst + kJamoLCount && next >= kJamoVFirst &&
      next < kJamoVFirst + kJamoVCount) {
    const char32_t l_index = last - kJamoLFirst;
    const char32_t v_index = next - kJamoVFirst;
    return kHangulSyllableFirst + (l_index * kJamoVCount + v_index) * kJamoTCount;
  }
  if (IsHangulSyllable(last) && (last - kHangulSyllableFirst) % kJamoTCount == 0 &&
      next > kJamoTBase && next < kJamoTBase + kJamoTCount) {
    return last + (next - kJamoTBase);
  }
  return std::nullopt;
}

// --- The shared text model ---------------------------------------------------------------------

// NormalizeForSearch limited to its first `limit` code points (never ending in a separator).
// Stops decoding once the limit is reached, so the work is bounded by `limit`, not the input.
std::u32string Normalize(std::string_view utf8, std::size_t limit) {
  std::u32string out;
  bool pending_separator = false;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::optional<char32_t> decoded = DecodeNext(utf8, pos);
    if (!decoded) {
      continue;
    }
    const char32_t c = Fold(*decoded);
    const CharClass char_class = Classify(c);
    if (char_class == CharClass::kIgnored) {
      continue;
    }
    if (char_class == CharClass::kSeparator) {
      pending_separator = !out.empty();
      continue;
    }
    if (!pending_separator && !out.empty()) {
      if (const std::optional<char32_t> composed = ComposeHangul(out.back(), c)) {
        out.back() = *composed;
        continue;
      }
    }
    const std::size_t needed = pending_separator ? 2 : 1;
    if (out.size() + needed > limit) {
      break;  // a separator alone at the limit would be trimmed anyway
    }
    if (pending_separator) {
      out.push_back(kSearchSeparator);
      pending_separator = false;
    }
    out.push_back(c);
  }
  return out;
}

// True when the separator at `i` of normalised `text` joins two Hangul syllables.
bool IsBridged(const std::u32string& text, std::size_t i) {
  return i > 0 && i + 1 < text.size() && IsHangulSyllable(text[i - 1]) &&
         IsHangulSyllable(text[i + 1]);
}

// Normalised `text` without its bridged separators; the kept separators split it into words.
std::u32string Join(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == kSearchSeparator && IsBridged(text, i)) {
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

// The words of a joined text (maximal runs without kSearchSeparator).
std::vector<std::u32string_view> Words(const std::u32string& joined) {
  std::vector<std::u32string_view> words;
  const std::u32string_view view = joined;
  std::size_t start = 0;
  while (start < view.size()) {
    std::size_t end = view.find(kSearchSeparator, start);
    if (end == std::u32string_view::npos) {
      end = view.size();
    }
    if (end > start) {
      words.push_back(view.substr(start, end - start));
    }
    start = end + 1;
  }
  return words;
}

// Collects UTF-8 terms once each, in first-occurrence order.
class TermCollector {
 public:
  void Add(char32_t a) {
    std::string term;
    AppendUtf8(a, term);
    Insert(std::move(term));
  }

  void Add(char32_t a, char32_t b) {
    std::string term;
    AppendUtf8(a, term);
    AppendUtf8(b, term);
    Insert(std::move(term));
  }

  std::vector<std::string> Take() { return std::move(terms_); }

 private:
  void Insert(std::string term) {
    if (seen_.insert(term).second) {
      terms_.push_back(std::move(term));
    }
  }

  std::vector<std::string> terms_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

std::u32string NormalizeForSearch(std::string_view utf8) { return Normalize(utf8, kNoLimit); }

std::vector<std::string> DocumentTerms(std::string_view utf8) {
  const std::u32string text = Normalize(utf8, kMaxIndexedCodePoints);
  TermCollector terms;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == kSearchSeparator) {
      continue;
    }
    // Normalised text has no separator at either end and never two in a row.
    const bool starts_run = i == 0 || text[i - 1] == kSearchSeparator;
    const bool ends_run = i + 1 == text.size() || text[i + 1] == kSearchSeparator;
    if (starts_run && ends_run) {
      terms.Add(text[i]);
    }
    if (!ends_run) {
      terms.Add(text[i], text[i + 1]);
    } else if (i + 1 < text.size() && IsBridged(text, i + 1)) {
      terms.Add(text[i], text[i + 2]);
    }
  }
  return terms.Take();
}

std::vector<std::string> QueryTerms(std::string_view utf8) {
  const std::u32string joined = Join(Normalize(utf8, kNoLimit));
  const std::vector<std::u32string_view> words = Words(joined);
  TermCollector terms;
  if (words.size() == 1 && words.front().size() == 1) {
    terms.Add(words.front().front());
    return terms.Take();
  }
  for (std::size_t w = 0; w < words.size(); ++w) {
    const std::u32string_view word = words[w];
    if (word.size() == 1) {
      // Only a word with kept separators on both sides is a whole run in every match.
      if (w > 0 && w + 1 < words.size()) {
        terms.Add(word.front());
      }
      continue;
    }
    for (std::size_t i = 0; i + 1 < word.size(); ++i) {
      terms.Add(word[i], word[i + 1]);
    }
  }
  return terms.Take();
}

bool QueryIsSearchable(std::string_view utf8) {
  const std::u32string joined = Join(Normalize(utf8, kNoLimit));
  const std::vector<std::u32string_view> words = Words(joined);
  return std::any_of(words.begin(), words.end(),
                     [](std::u32string_view word) { return word.size() >= 2; });
}

bool MatchesQuery(std::string_view document, std::string_view query) {
  const std::u32string joined_query = Join(Normalize(query, kNoLimit));
  if (joined_query.empty()) {
    return false;
  }
  const std::u32string joined_document = Join(Normalize(document, kMaxIndexedCodePoints));
  return joined_document.find(joined_query) != std::u32string::npos;
}

}  // namespace caredesk::core
