// Search terms for the encrypted full-text index. Pure: no I/O, standard library only.
//
// The index stores HMAC(term) -> case_id postings for DocumentTerms(text). A search looks up
// QueryTerms(query), intersects the postings, then decrypts each candidate and keeps it only if
// MatchesQuery(text, query). The three functions share one model of text, so that for every
// document D and every query Q with QueryIsSearchable(Q) and MatchesQuery(D, Q), every term of
// QueryTerms(Q) is a term of DocumentTerms(D): the index never loses a match.
//
// The model. Text is normalised (NormalizeForSearch) into runs of word characters separated by
// single separators (U+0020). A separator between two Hangul syllables (U+AC00..U+D7A3) is
// "bridged": it is ignored, so 층간 소음, 층간, 소음 and 층간소음 are the same text. Every other
// separator (next to ASCII, digits, jamo, other scripts) is kept: "wi fi" is not "wifi", and
// "3 개월" is not "3개월". Letters, digits and Hangul in one run form one word ("3개월").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace caredesk::core {

// Documents are indexed and matched on their first kMaxIndexedCodePoints normalised code points;
// text beyond that is neither indexed nor matched by MatchesQuery.
inline constexpr std::size_t kMaxIndexedCodePoints = 20000;

// The separator NormalizeForSearch emits between runs of word characters.
inline constexpr char32_t kSearchSeparator = U' ';

// Normalises text for matching. Decodes UTF-8 and drops invalid bytes; drops invisible format
// characters (soft hyphen, zero-width space/joiners, direction marks, variation selectors, BOM);
// composes conjoining Hangul jamo (U+1100 block) into syllables as NFC does; folds full-width ASCII
// (U+FF01..U+FF5E) to ASCII; lower-cases ASCII letters (only those). Whitespace, controls,
// punctuation and symbols (including emoji, ①, ㈜, ㎡, ￦) become separators; every run of them
// becomes one kSearchSeparator, and there is none at the start or end. Everything else (Hangul
// syllables and compatibility jamo, other letters, digits, combining marks) is a word character
// and is kept as is.
std::u32string NormalizeForSearch(std::string_view utf8);

// The index terms of a document, as UTF-8, de-duplicated, in first-occurrence order:
//  * every bigram of adjacent code points inside a run of word characters;
//  * for every bridged separator (Hangul syllable, separator, Hangul syllable) the bigram of the
//    two syllables, so 층간 소음 yields 간소 like 층간소음 does;
//  * the code point itself for every run of exactly one word character.
// Only the first kMaxIndexedCodePoints normalised code points are indexed.
std::vector<std::string> DocumentTerms(std::string_view utf8);

// The terms every matching document must have, as UTF-8, de-duplicated, in first-occurrence
// order. The query is normalised and its bridged separators removed ("층간 소음" -> 층간소음),
// which leaves words split by kept separators ("wifi 고장" -> wifi, 고장). Each word of two or more
// characters contributes all its bigrams; a one-character word between two kept separators
// ("a 가 b" -> 가) contributes itself; a one-character word at either end contributes nothing,
// since a document may continue it (MatchesQuery checks it). A query that is one single character
// returns that character, which DocumentTerms has only for one-character runs; callers should
// refuse such queries (see QueryIsSearchable).
std::vector<std::string> QueryTerms(std::string_view utf8);

// True when the query, after bridged separators are removed, has a word of at least two
// characters: some run of two word characters, or two Hangul syllables separated only by
// whitespace/punctuation ("가 나"). Exactly then QueryTerms carries a bigram, and the index
// answers the query on its own. Empty, blank and one-character queries are not searchable.
bool QueryIsSearchable(std::string_view utf8);

// True when `query`, normalised and with bridged separators removed, occurs as a contiguous
// substring of `document` normalised (first kMaxIndexedCodePoints code points) and with bridged
// separators removed. So "층간소음" matches "층간 소음" and vice versa, "Wifi" matches "WIFI",
// "wifi 고장" matches "WiFi, 고장", but "wifi" does not match "wi fi". A query may start or end
// inside a document word ("간소" matches "층간소음"). False when the query has no word character.
bool MatchesQuery(std::string_view document, std::string_view query);

}  // namespace caredesk::core
