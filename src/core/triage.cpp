#include "core/triage.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "core/taxonomy.hpp"
#include "core/text.hpp"
#include "core/triage_lexicon.hpp"
#include "core/triage_rules.hpp"

namespace caredesk::core {
namespace {

constexpr int kPercent = 100;
constexpr std::string_view kCrisisLabel = "crisis";
constexpr std::string_view kNoneLabel = "none";
// A word is named as a trigger when it adds at least this share of what the
// strongest word adds.
constexpr double kMinTermShare = 0.25;
// Agencies: how much a fully shared name weighs against a category score of 1.
constexpr double kNameOverlapWeight = 0.5;

// Floored to whole percent, so that the scores of one answer add up to at most 1.
double FloorPercent(double p) {
  constexpr double kSlack = 1e-9;  // 0.29 * 100 is 28.999999999999996
  return std::floor(p * kPercent + kSlack) / kPercent;
}

std::string WithoutSpaces(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != ' ') {
      out.push_back(c);
    }
  }
  return out;
}

Error InvalidText() {
  return Error::Validation({{"text", "invalid", "Give valid text of at most 4000 characters.",
                             "4000자 이하의 올바른 글자로 입력해 주세요."}});
}

// The words of `text` that add most to the crisis probability: each feature
// occurrence's contribution to the crisis-vs-none logit, shared among the
// words it lies in.
std::vector<std::string> CrisisWords(const TextClassifier& crisis, std::string_view text) {
  const std::size_t c = crisis.LabelIndex(kCrisisLabel);
  const std::size_t n = crisis.LabelIndex(kNoneLabel);
  const ExplainedFeatures ex = ExtractExplainedFeatures(text, crisis.features());
  std::vector<double> per_word(ex.words.size(), 0.0);
  for (const auto& o : ex.occurrences) {
    const double contribution =
        (crisis.Weight(o.bucket, c) - crisis.Weight(o.bucket, n)) * ex.occurrence_value;
    const double share = contribution / static_cast<double>(o.last_word - o.first_word + 1);
    for (std::uint32_t w = o.first_word; w <= o.last_word && w < per_word.size(); ++w) {
      per_word[w] += share;
    }
  }
  std::vector<std::size_t> order(per_word.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return per_word[a] > per_word[b]; });
  std::vector<std::string> out;
  for (const auto w : order) {
    if (out.size() == kMaxModelCrisisTerms || per_word[w] <= 0 ||
        per_word[w] < kMinTermShare * per_word[order[0]]) {
      break;
    }
    if (std::find(out.begin(), out.end(), ex.words[w]) == out.end()) {
      out.push_back(ex.words[w]);
    }
  }
  return out;
}

// Whether `a` and `b` overlap as text (one inside the other, spaces ignored).
bool Overlaps(std::string_view a, std::string_view b) {
  const std::string x = WithoutSpaces(a);
  const std::string y = WithoutSpaces(b);
  return !x.empty() && !y.empty() &&
         (x.find(y) != std::string::npos || y.find(x) != std::string::npos);
}

std::vector<std::u32string> Bigrams(const std::u32string& compact) {
  std::vector<std::u32string> out;
  for (std::size_t i = 0; i + 2 <= compact.size(); ++i) {
    out.push_back(compact.substr(i, 2));
  }
  return out;
}

std::u32string Compact(std::string_view text) {
  std::u32string s = NormalizeTriageText(text);
  std::erase(s, U' ');
  return s;
}

std::string Score2(double v) {
  const auto percent = static_cast<int>(std::lround(v * kPercent));
  std::string digits = std::to_string(percent % kPercent);
  if (digits.size() < 2) {
    digits.insert(0, "0");
  }
  return std::to_string(percent / kPercent) + "." + digits;
}

}  // namespace

std::vector<std::string> CategoryLabels() {
  std::vector<std::string> out;
  for (const auto& c : Categories()) {
    out.emplace_back(c.code);
  }
  return out;
}

std::vector<std::string> CrisisLabels() {
  return {std::string(kNoneLabel), std::string(kCrisisLabel)};
}

Triage::Triage(TriageModel model) : model_(std::move(model)), name_(model_->version) {}

CrisisAssessment Triage::AssessCrisis(std::string_view text) const {
  CrisisAssessment out;
  const CrisisSignal rules = DetectCrisisWords(text);
  out.rule_terms = rules.matched;
  out.terms = rules.matched;
  if (model_) {
    const auto& crisis = model_->crisis;
    const SparseFeatures x = ExtractFeatures(text, crisis.features());
    out.probability = crisis.Probabilities(x)[crisis.LabelIndex(kCrisisLabel)];
    // A text the classifier knows nothing of (no letters, only n-grams no training text had)
    // gets the prior alone, which is no evidence of a crisis.
    const bool seen = std::any_of(x.index.begin(), x.index.end(),
                                  [&](std::uint32_t b) { return crisis.HasBucket(b); });
    out.by_model = seen && out.probability >= model_->crisis_threshold;
    if (out.by_model) {
      for (auto& word : CrisisWords(crisis, text)) {
        const bool known = std::any_of(out.terms.begin(), out.terms.end(),
                                       [&](const std::string& t) { return Overlaps(t, word); });
        if (!known) {
          out.terms.push_back(std::move(word));
        }
      }
    }
  }
  out.flag = rules.flag || out.by_model;
  if (!out.flag) {
    out.terms.clear();
  }
  return out;
}

CrisisAssessment Triage::ScreenForCrisis(std::span<const std::string_view> texts) const {
  // Pieces of at most kMaxTriageTextChars code points that overlap by a few words, so a phrase
  // across a cut is read whole in one of them.
  constexpr std::size_t kOverlapChars = 40;
  CrisisAssessment out;
  auto merge = [&](CrisisAssessment a) {
    out.flag = out.flag || a.flag;
    out.by_model = out.by_model || a.by_model;
    out.probability = std::max(out.probability, a.probability);
    for (auto* from : {&a.terms, &a.rule_terms}) {
      auto& into = from == &a.terms ? out.terms : out.rule_terms;
      for (auto& t : *from) {
        if (std::find(into.begin(), into.end(), t) == into.end()) {
          into.push_back(std::move(t));
        }
      }
    }
  };
  for (const std::string_view text : texts) {
    if (!IsValidUtf8(text)) {
      continue;  // the caller's validation refuses it
    }
    // Byte offset of each code point.
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
        starts.push_back(i);
      }
    }
    for (std::size_t first = 0; first < starts.size();) {
      const std::size_t last = std::min(starts.size(), first + kMaxTriageTextChars);
      const std::size_t end = last == starts.size() ? text.size() : starts[last];
      merge(AssessCrisis(text.substr(starts[first], end - starts[first])));
      if (last == starts.size()) {
        break;
      }
      first = last - kOverlapChars;
    }
  }
  return out;
}

Result<TriageAssessment> Triage::Assess(std::string_view text) const {
  if (!IsValidUtf8(text) || CodePointCount(text) > kMaxTriageTextChars) {
    return InvalidText();
  }
  TriageAssessment out;
  out.model = name_;
  if (!model_) {
    auto rules = SuggestCategories(text);
    if (!rules.ok()) {
      return std::move(rules).error();
    }
    for (const auto& s : rules->suggestions) {
      out.categories.push_back({s.category, s.score});
    }
  } else {
    const auto& classifier = model_->categories;
    const SparseFeatures x = ExtractFeatures(text, classifier.features());
    if (!x.index.empty()) {
      const auto p = classifier.Probabilities(x);
      std::vector<std::size_t> order(p.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
      order.resize(std::min(order.size(), kMaxSuggestions));
      for (const auto i : order) {
        out.categories.push_back({classifier.labels()[i], FloorPercent(p[i])});
      }
    }
  }
  out.crisis = AssessCrisis(text);
  return out;
}

std::vector<AgencySuggestion> SuggestAgencies(std::span<const CategoryScore> categories,
                                              std::string_view text,
                                              std::span<const Agency> agencies, std::size_t limit) {
  // How many agency names have each character pair.
  std::vector<std::vector<std::u32string>> name_bigrams;
  std::map<std::u32string, int> df;
  for (const auto& a : agencies) {
    auto grams = Bigrams(Compact(a.name));
    std::set<std::u32string> distinct(grams.begin(), grams.end());
    for (const auto& g : distinct) {
      ++df[g];
    }
    name_bigrams.push_back(std::move(grams));
  }
  const auto text_grams = Bigrams(Compact(text));
  const std::set<std::u32string> in_text(text_grams.begin(), text_grams.end());
  // Pairs in more than this many names are too common to name in a reason.
  const int common = std::max<int>(1, static_cast<int>(agencies.size()) / 4);

  std::vector<AgencySuggestion> out;
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    const auto& a = agencies[i];
    double score = 0;
    std::string handles_ko;
    std::string handles_en;
    for (const auto& c : categories) {
      if (std::find(a.categories.begin(), a.categories.end(), c.code) == a.categories.end()) {
        continue;
      }
      score += c.score;
      const auto info = FindCategory(c.code);
      handles_ko += (handles_ko.empty() ? "" : "·") +
                    std::string(info ? info->label_ko : std::string_view(c.code));
      handles_en += (handles_en.empty() ? "" : ", ") +
                    std::string(info ? info->label_en : std::string_view(c.code));
    }
    if (handles_ko.empty()) {
      continue;
    }
    const std::string category_score = Score2(score);
    // Name overlap, and the runs of the name the text shares (rare pairs only).
    const auto& grams = name_bigrams[i];
    double shared = 0;
    double total = 0;
    const std::u32string name = Compact(a.name);
    std::vector<bool> mark(name.size(), false);
    for (std::size_t g = 0; g < grams.size(); ++g) {
      const double weight = 1.0 / df[grams[g]];
      total += weight;
      if (in_text.count(grams[g]) == 0) {
        continue;
      }
      shared += weight;
      if (df[grams[g]] <= common) {
        mark[g] = true;
        mark[g + 1] = true;
      }
    }
    std::vector<std::string> runs;
    for (std::size_t p = 0; p < name.size();) {
      if (!mark[p]) {
        ++p;
        continue;
      }
      std::size_t q = p;
      while (q < name.size() && mark[q]) {
        ++q;
      }
      runs.push_back(ToUtf8(std::u32string_view(name).substr(p, q - p)));
      p = q;
    }
    const double overlap = total > 0 ? shared / total : 0;
    AgencySuggestion s;
    s.id = a.id;
    s.name = a.name;
    s.score = score + kNameOverlapWeight * overlap;
    s.reason = handles_ko + " 분야 담당 (" + category_score + ")";
    s.reason_en = "handles " + handles_en + " (" + category_score + ")";
    if (!runs.empty()) {
      std::string quoted;
      for (const auto& r : runs) {
        quoted += (quoted.empty() ? "'" : ", '") + r + "'";
      }
      s.reason += " · 기관명 " + quoted + " 일치";
      s.reason_en += " · name shares " + quoted;
    }
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.score != y.score ? x.score > y.score : x.id < y.id;
  });
  if (out.size() > limit) {
    out.resize(limit);
  }
  return out;
}

std::vector<LabeledText> CategoryLexicon() {
  std::vector<LabeledText> out;
  for (const auto& c : Categories()) {
    for (const auto keyword : CategoryKeywords(c.code)) {
      out.push_back({std::string(c.code), std::string(keyword)});
    }
  }
  for (const auto& term : CategoryTerms()) {
    out.push_back({std::string(term.category), std::string(term.phrase)});
  }
  return out;
}

std::vector<LabeledText> CrisisLexicon() {
  std::vector<LabeledText> out;
  for (const auto keyword : CrisisKeywords()) {
    out.push_back({std::string(kCrisisLabel), std::string(keyword)});
  }
  for (const auto sign : CrisisSigns()) {
    out.push_back({std::string(kCrisisLabel), std::string(sign)});
  }
  for (const auto phrase : CrisisExclusions()) {
    out.push_back({std::string(kNoneLabel), std::string(phrase)});
  }
  for (const auto phrase : NeutralPhrases()) {
    out.push_back({std::string(kNoneLabel), std::string(phrase)});
  }
  return out;
}

TriageTrainOptions DefaultTriageTrainOptions() {
  TriageTrainOptions o;
  o.categories.features.spaced_max = 3;
  o.categories.features.compact_min = 2;
  o.categories.features.compact_max = 2;
  o.categories.lexicon_repeats = 5;
  o.categories.epochs = 10;
  o.categories.ensemble = 4;
  o.crisis.features.spaced_max = 4;
  o.crisis.features.compact_min = 2;
  o.crisis.features.compact_max = 4;
  return o;
}

Result<TrainedTriage> TrainTriage(std::span<const LabeledText> category_examples,
                                  std::span<const LabeledText> crisis_examples,
                                  const TriageTrainOptions& options) {
  std::vector<LabeledText> category_lexicon = CategoryLexicon();
  std::vector<LabeledText> crisis_lexicon = CrisisLexicon();
  if (!options.lexicon) {
    category_lexicon.clear();
    crisis_lexicon.clear();
  }
  auto categories =
      TrainClassifier(category_examples, CategoryLabels(), options.categories, category_lexicon);
  if (!categories.ok()) {
    return std::move(categories).error();
  }
  auto crisis = TrainClassifier(crisis_examples, CrisisLabels(), options.crisis, crisis_lexicon);
  if (!crisis.ok()) {
    return std::move(crisis).error();
  }
  TriageTrainingReport report;
  report.category_examples = category_examples.size();
  report.crisis_examples = crisis_examples.size();
  report.category_temperature = categories->model.temperature();
  report.crisis_temperature = crisis->model.temperature();
  report.category_rows = categories->model.buckets().size();
  report.crisis_rows = crisis->model.buckets().size();

  std::size_t top1 = 0;
  std::size_t top3 = 0;
  for (std::size_t i = 0; i < category_examples.size(); ++i) {
    const auto& p = categories->held_out[i];
    const std::size_t truth = categories->model.LabelIndex(category_examples[i].label);
    const auto better = static_cast<std::size_t>(
        std::count_if(p.begin(), p.end(), [&](double v) { return v > p[truth]; }));
    top1 += better == 0 ? 1 : 0;
    top3 += better < kMaxSuggestions ? 1 : 0;
  }
  const auto n = static_cast<double>(std::max<std::size_t>(1, category_examples.size()));
  report.held_out_top1 = static_cast<double>(top1) / n;
  report.held_out_top3 = static_cast<double>(top3) / n;

  // The threshold: every crisis line the rules miss must reach it.
  const std::size_t c = crisis->model.LabelIndex(kCrisisLabel);
  std::vector<double> held_out(crisis_examples.size(), 0.0);
  for (std::size_t i = 0; i < crisis_examples.size(); ++i) {
    held_out[i] = crisis->held_out[i][c];
  }
  std::vector<bool> by_rules(crisis_examples.size());
  double lowest = 1;
  for (std::size_t i = 0; i < crisis_examples.size(); ++i) {
    by_rules[i] = DetectCrisisWords(crisis_examples[i].text).flag;
    if (crisis_examples[i].label == kCrisisLabel && !by_rules[i]) {
      lowest = std::min(lowest, held_out[i]);
    }
  }
  const double threshold = std::clamp(lowest * kCrisisThresholdMargin, kMinCrisisThreshold, 0.5);
  report.crisis_threshold = static_cast<float>(threshold);  // as the model file stores it
  for (std::size_t i = 0; i < crisis_examples.size(); ++i) {
    const bool flagged = by_rules[i] || held_out[i] >= report.crisis_threshold;
    if (crisis_examples[i].label == kCrisisLabel) {
      ++report.crisis_lines;
      report.crisis_caught += flagged ? 1 : 0;
      report.crisis_by_rules += by_rules[i] ? 1 : 0;
    } else {
      ++report.none_lines;
      report.false_alarms += flagged ? 1 : 0;
    }
  }

  TrainedTriage out;
  out.model.categories = std::move(categories->model);
  out.model.crisis = std::move(crisis->model);
  out.model.crisis_threshold = report.crisis_threshold;
  out.report = report;
  out.crisis_held_out = std::move(held_out);
  out.crisis_by_rules = std::move(by_rules);
  SerializeTriageModel(out.model);  // sets the version
  return out;
}

Result<std::vector<LabeledText>> ParseLabeledLines(std::string_view tsv,
                                                   std::span<const std::string> allowed) {
  std::vector<LabeledText> out;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < tsv.size()) {
    auto end = tsv.find('\n', pos);
    if (end == std::string_view::npos) {
      end = tsv.size();
    }
    std::string_view line = tsv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (Trim(line).empty() || line.front() == '#') {
      continue;
    }
    const std::string where = "line " + std::to_string(line_no);
    auto bad = [&](std::string code, std::string en, std::string ko) {
      return Error::Validation({{where, std::move(code), std::move(en), std::move(ko)}});
    };
    if (!IsValidUtf8(line)) {
      return bad("invalid_utf8", "Not valid UTF-8.", "올바른 UTF-8이 아닙니다.");
    }
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos) {
      return bad("no_tab", "Expected label<TAB>text.", "'분류<TAB>문장' 형식이어야 합니다.");
    }
    const std::string label(Trim(line.substr(0, tab)));
    const std::string text(Trim(line.substr(tab + 1)));
    if (text.empty()) {
      return bad("empty_text", "The text is empty.", "문장이 비어 있습니다.");
    }
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), label) == allowed.end()) {
      return bad("unknown_label", "Unknown label '" + label + "'.",
                 "알 수 없는 분류 '" + label + "'입니다.");
    }
    out.push_back({label, text});
  }
  return out;
}

}  // namespace caredesk::core
