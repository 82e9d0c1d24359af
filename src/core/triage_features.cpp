#include "core/triage_features.hpp"

#include <algorithm>
#include <cmath>

namespace caredesk::core {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kSpace = U' ';

// Decodes UTF-8; each malformed sequence becomes one U+FFFD.
std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    int extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
      min = 0x10000;
    } else {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    bool ok = true;
    std::size_t consumed = 1;  // the lead byte and the continuation bytes read
    for (std::size_t j = 1; j <= static_cast<std::size_t>(extra); ++j) {
      if (i + j >= s.size() || (static_cast<unsigned char>(s[i + j]) & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
      consumed = j + 1;
    }
    if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(kReplacement);
      i += consumed;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Hangul composition (Unicode 15, section 3.12).
constexpr char32_t kSBase = 0xAC00;
constexpr char32_t kLBase = 0x1100;
constexpr char32_t kVBase = 0x1161;
constexpr char32_t kTBase = 0x11A7;
constexpr char32_t kLCount = 19;
constexpr char32_t kVCount = 21;
constexpr char32_t kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount;
constexpr char32_t kSCount = kLCount * kNCount;

// The composed pair, or 0 when `a` and `b` do not compose.
char32_t ComposeHangul(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
      b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  return 0;
}

enum class CharClass { kLetter, kBreak, kIgnore };

bool InRange(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

CharClass Classify(char32_t c) {
  if (c < 0x80) {
    const bool alnum = (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z');
    return alnum ? CharClass::kLetter : CharClass::kBreak;  // controls, space, punctuation
  }
  if (c == 0x00AD || InRange(c, 0x200B, 0x200D) || c == 0x2060 || c == 0xFEFF) {
    return CharClass::kIgnore;  // soft hyphen, zero-width characters
  }
  if (InRange(c, 0x0080, 0x00BF) || c == 0x00D7 || c == 0x00F7 || c == 0x1680 ||
      InRange(c, 0x2000, 0x206F) ||  // general punctuation and spaces
      InRange(c, 0x2190, 0x2BFF) ||  // arrows, maths, shapes, dingbats (★, ♥, ※ ...)
      InRange(c, 0x3000, 0x303F) ||  // ideographic space, 、。「」『』〈〉《》【】〜
      InRange(c, 0xFF61, 0xFF65) || c == kReplacement) {
    return CharClass::kBreak;
  }
  return CharClass::kLetter;
}

// Full-width ASCII to ASCII, then Latin letters to lower case.
char32_t Fold(char32_t c) {
  constexpr char32_t kFullWidthOffset = 0xFEE0;
  if (InRange(c, 0xFF01, 0xFF5E)) {
    c -= kFullWidthOffset;
  }
  if (InRange(c, U'A', U'Z') || (InRange(c, 0x00C0, 0x00DE) && c != 0x00D7)) {
    c += 0x20;
  }
  return c;
}

// FNV-1a over a kind tag and code points, then a SplitMix64 finaliser for
// well-spread low bits. Fixed arithmetic: the same bucket on every platform.
std::uint64_t HashNgram(char kind, const char32_t* begin, std::size_t n) {
  constexpr std::uint64_t kOffset = 14695981039346656037ULL;
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t h = kOffset;
  h = (h ^ static_cast<std::uint64_t>(kind)) * kPrime;
  for (std::size_t i = 0; i < n; ++i) {
    h = (h ^ static_cast<std::uint64_t>(begin[i])) * kPrime;
  }
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return h;
}

constexpr char kSpacedKind = 'S';
constexpr char kCompactKind = 'C';
constexpr char kWordKind = 'W';

// Walks every feature occurrence of `text`; `emit(bucket, first_word, last_word)`.
template <typename Emit>
void ForEachOccurrence(const std::u32string& text, const FeatureSpec& spec, Emit emit) {
  const std::uint64_t mask = (std::uint64_t{1} << spec.hash_bits) - 1;
  auto bucket = [&](char kind, const char32_t* p, std::size_t n) {
    return static_cast<std::uint32_t>(HashNgram(kind, p, n) & mask);
  };
  if (text.empty()) {
    return;
  }
  // " text " with the word of each position (spaces: the word after them).
  std::u32string spaced;
  std::vector<std::uint32_t> word_of;
  spaced.reserve(text.size() + 2);
  word_of.reserve(text.size() + 2);
  spaced.push_back(kSpace);
  word_of.push_back(0);
  std::uint32_t word = 0;
  for (const char32_t c : text) {
    if (c == kSpace) {
      ++word;
    }
    spaced.push_back(c);
    word_of.push_back(word);
  }
  spaced.push_back(kSpace);
  word_of.push_back(word);

  // The words a span [i, i + n) of `spaced` covers: spaces at its ends belong
  // to no word.
  auto span_words = [&](std::size_t i, std::size_t n, std::uint32_t* first, std::uint32_t* last) {
    std::size_t b = i;
    std::size_t e = i + n - 1;
    while (b <= e && spaced[b] == kSpace) {
      ++b;
    }
    while (e > b && spaced[e] == kSpace) {
      --e;
    }
    if (b > e || spaced[b] == kSpace) {
      return false;  // only spaces
    }
    *first = word_of[b];
    *last = word_of[e];
    return true;
  };

  for (std::size_t n = spec.spaced_min; n <= spec.spaced_max && n >= 1; ++n) {
    for (std::size_t i = 0; i + n <= spaced.size(); ++i) {
      std::uint32_t first = 0;
      std::uint32_t last = 0;
      if (!span_words(i, n, &first, &last)) {
        continue;
      }
      emit(bucket(kSpacedKind, spaced.data() + i, n), first, last);
    }
  }

  if (spec.compact_min > 0) {
    std::u32string compact;
    std::vector<std::uint32_t> compact_word;
    compact.reserve(text.size());
    compact_word.reserve(text.size());
    for (std::size_t i = 1; i + 1 < spaced.size(); ++i) {
      if (spaced[i] != kSpace) {
        compact.push_back(spaced[i]);
        compact_word.push_back(word_of[i]);
      }
    }
    for (std::size_t n = spec.compact_min; n <= spec.compact_max; ++n) {
      for (std::size_t i = 0; i + n <= compact.size(); ++i) {
        emit(bucket(kCompactKind, compact.data() + i, n), compact_word[i], compact_word[i + n - 1]);
      }
    }
  }

  if (spec.words) {
    std::size_t begin = 0;
    std::uint32_t w = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == kSpace) {
        if (i > begin) {
          emit(bucket(kWordKind, text.data() + begin, i - begin), w, w);
        }
        begin = i + 1;
        ++w;
      }
    }
  }
}

// Counts per bucket, scaled to unit length.
SparseFeatures Merge(std::vector<std::uint32_t> buckets, float* occurrence_value) {
  SparseFeatures out;
  std::sort(buckets.begin(), buckets.end());
  double sum_squares = 0;
  for (std::size_t i = 0; i < buckets.size();) {
    std::size_t j = i;
    while (j < buckets.size() && buckets[j] == buckets[i]) {
      ++j;
    }
    const auto count = static_cast<double>(j - i);
    out.index.push_back(buckets[i]);
    out.value.push_back(static_cast<float>(count));
    sum_squares += count * count;
    i = j;
  }
  const float scale = sum_squares > 0 ? static_cast<float>(1.0 / std::sqrt(sum_squares)) : 0.0F;
  for (auto& v : out.value) {
    v *= scale;
  }
  if (occurrence_value != nullptr) {
    *occurrence_value = scale;
  }
  return out;
}

}  // namespace

std::u32string NormalizeTriageText(std::string_view text) {
  const std::u32string decoded = DecodeUtf8(text);
  std::u32string out;
  out.reserve(decoded.size());
  bool pending_space = false;
  for (const char32_t raw : decoded) {
    const char32_t c = Fold(raw);
    const CharClass cls = Classify(c);
    if (cls == CharClass::kIgnore) {
      continue;
    }
    if (cls == CharClass::kBreak) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(kSpace);
      pending_space = false;
    } else if (!out.empty()) {
      if (const char32_t composed = ComposeHangul(out.back(), c); composed != 0) {
        out.back() = composed;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

bool IsValidFeatureSpec(const FeatureSpec& spec) {
  auto range_ok = [](std::uint8_t lo, std::uint8_t hi) {
    return lo >= 1 && lo <= hi && hi <= kMaxNgram;
  };
  const bool compact_ok = (spec.compact_min == 0 && spec.compact_max == 0) ||
                          range_ok(spec.compact_min, spec.compact_max);
  return spec.hash_bits >= kMinHashBits && spec.hash_bits <= kMaxHashBits &&
         range_ok(spec.spaced_min, spec.spaced_max) && compact_ok;
}

SparseFeatures ExtractFeatures(std::string_view text, const FeatureSpec& spec) {
  const std::u32string normalized = NormalizeTriageText(text);
  std::vector<std::uint32_t> buckets;
  buckets.reserve(normalized.size() * (spec.spaced_max + spec.compact_max + 1));
  ForEachOccurrence(normalized, spec,
                    [&](std::uint32_t b, std::uint32_t, std::uint32_t) { buckets.push_back(b); });
  return Merge(std::move(buckets), nullptr);
}

ExplainedFeatures ExtractExplainedFeatures(std::string_view text, const FeatureSpec& spec) {
  const std::u32string normalized = NormalizeTriageText(text);
  ExplainedFeatures out;
  std::vector<std::uint32_t> buckets;
  ForEachOccurrence(normalized, spec,
                    [&](std::uint32_t b, std::uint32_t first, std::uint32_t last) {
                      buckets.push_back(b);
                      out.occurrences.push_back({b, first, last});
                    });
  out.features = Merge(std::move(buckets), &out.occurrence_value);
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= normalized.size(); ++i) {
    if (i == normalized.size() || normalized[i] == kSpace) {
      if (i > begin) {
        out.words.push_back(ToUtf8(std::u32string_view(normalized).substr(begin, i - begin)));
      }
      begin = i + 1;
    }
  }
  return out;
}

}  // namespace caredesk::core
