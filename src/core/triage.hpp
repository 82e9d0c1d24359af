// Triage of a concern in the resident's own words: the likely categories (the
// top three with calibrated scores), whether it may signal a crisis and which
// words say so, and the agencies of the directory that could take it.
//
// With a trained TriageModel (triage_model.hpp) the categories come from its
// classifier; without one, from the keyword rules (triage_rules.hpp). A crisis
// is flagged when a crisis keyword of the rules occurs outside an everyday
// exaggeration (더워 죽겠다, 배고파 죽겠네, 미치겠어요), OR when the crisis
// classifier's probability reaches the model's threshold, which training sets
// so that every crisis line of the validation slices is caught (a text with
// nothing the classifier has seen is no evidence either way). Pure: the text
// is neither kept nor logged. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/result.hpp"
#include "core/triage_model.hpp"
#include "core/triage_rules.hpp"

namespace caredesk::core {

struct CategoryScore {
  std::string code;  // a taxonomy code
  double score = 0;  // calibrated probability floored to 0.01; scores of an answer add up to <= 1
};

struct CrisisAssessment {
  bool flag = false;
  // What triggered the flag (empty without one): the rules' crisis keywords,
  // then the words of the text that added most to the classifier's probability.
  std::vector<std::string> terms;
  std::vector<std::string> rule_terms;  // the rules' part of `terms`
  double probability = 0;               // the crisis classifier's (0 without a model)
  bool by_model = false;                // the classifier reached the threshold
};

struct TriageAssessment {
  // Best first. With a model: the top kMaxSuggestions (scores may floor to 0);
  // with the rules: the categories whose keywords occur, at most kMaxSuggestions.
  std::vector<CategoryScore> categories;
  CrisisAssessment crisis;
  std::string model;  // "rules", or the version of the model that answered
};

inline constexpr std::string_view kRulesModelName = "rules";
inline constexpr std::size_t kMaxModelCrisisTerms = 3;

class Triage {
 public:
  Triage() = default;  // keyword rules only
  explicit Triage(TriageModel model);

  bool has_model() const { return model_.has_value(); }
  const TriageModel* model() const { return model_ ? &*model_ : nullptr; }
  // "rules" or the model's version.
  const std::string& model_name() const { return name_; }

  // kValidationFailed (field "text") when `text` is not valid UTF-8 or longer
  // than kMaxTriageTextChars. A text without letters gets no categories.
  Result<TriageAssessment> Assess(std::string_view text) const;

  // The crisis part alone (text already validated).
  CrisisAssessment AssessCrisis(std::string_view text) const;

  // Crisis words in any of `texts`, of any length (a long note is read in
  // overlapping pieces); terms without repeats. Invalid UTF-8 is skipped.
  CrisisAssessment ScreenForCrisis(std::span<const std::string_view> texts) const;

 private:
  std::optional<TriageModel> model_;
  std::string name_{kRulesModelName};
};

// Where the triage in use comes from. The server's is replaced by a retraining
// while requests run, so callers take the current one per use and keep it for
// as long as they use it.
class TriageSource {
 public:
  virtual ~TriageSource() = default;
  virtual std::shared_ptr<const Triage> Current() const = 0;
};

// One triage for good (tests, the command line).
class FixedTriage final : public TriageSource {
 public:
  explicit FixedTriage(Triage triage)
      : triage_(std::make_shared<const Triage>(std::move(triage))) {}
  std::shared_ptr<const Triage> Current() const override { return triage_; }

 private:
  std::shared_ptr<const Triage> triage_;
};

// --- Agencies ----------------------------------------------------------------------------------

struct AgencySuggestion {
  AgencyId id = 0;
  std::string name;
  double score = 0;    // the scores of its categories among the suggested, plus name overlap
  std::string reason;  // Korean: "주거 분야 담당 (0.81) · 기관명 '치매안심' 일치"
  std::string reason_en;  // "handles Housing (0.81) · name shares '치매안심'"
};

inline constexpr std::size_t kMaxAgencySuggestions = 3;

// Agencies that handle one of `categories` (as Assess returned them), best
// first: by the summed scores of the suggested categories each one handles,
// then by how much of its name the text shares (character pairs of the name,
// weighted by how few of the agencies' names have them, so 마포구청 counts for
// little and 치매 for much). At most `limit`; agencies handling none of the
// categories are never suggested.
std::vector<AgencySuggestion> SuggestAgencies(std::span<const CategoryScore> categories,
                                              std::string_view text,
                                              std::span<const Agency> agencies,
                                              std::size_t limit = kMaxAgencySuggestions);

// --- Training ------------------------------------------------------------------------------------

struct TriageTrainingReport {
  std::size_t category_examples = 0;
  std::size_t crisis_examples = 0;
  double category_temperature = 1;
  double crisis_temperature = 1;
  // Out-of-fold (each line predicted by a model that never saw it).
  double held_out_top1 = 0;
  double held_out_top3 = 0;
  double crisis_threshold = 0;
  std::size_t crisis_lines = 0;     // lines labelled crisis
  std::size_t crisis_caught = 0;    // of them, flagged by rules or model at the threshold
  std::size_t crisis_by_rules = 0;  // of them, flagged by the rules
  std::size_t none_lines = 0;       // lines labelled none
  std::size_t false_alarms = 0;     // of them, flagged
  std::size_t category_rows = 0;    // weight rows kept (model size)
  std::size_t crisis_rows = 0;
};

struct TrainedTriage {
  TriageModel model;
  TriageTrainingReport report;
  // Per crisis example, in input order: the out-of-fold crisis probability and whether
  // the rules flag it.
  std::vector<double> crisis_held_out;
  std::vector<bool> crisis_by_rules;
};

// Trains the category classifier on `category_examples` (labels: taxonomy
// codes) and the crisis classifier on `crisis_examples` (labels: "crisis",
// "none"), each with the keyword rules' words as a lexicon (the crisis
// keywords as crisis, the everyday exaggerations as none), and sets the crisis
// threshold: a margin below the lowest
// out-of-fold probability of the crisis lines the rules miss (so all of them
// would have been caught), but never below kMinCrisisThreshold.
// kValidationFailed for an unknown label or too few examples.
struct TriageTrainOptions {
  TrainOptions categories;
  TrainOptions crisis;
  // Teach the rules' keywords and triage_lexicon.hpp beside the examples (off: the training
  // files alone, e.g. to compare with another classifier trained on them).
  bool lexicon = true;
};

// The settings chosen on the out-of-fold results of the training files of
// data/triage (never on the held-out test files): for the categories short
// n-grams (spaced 1-3, compact 2), the lexicon five times per epoch, 10 epochs
// and an ensemble of four; for crisis language longer n-grams (spaced 1-4,
// compact 2-4), 30 epochs, one model.
TriageTrainOptions DefaultTriageTrainOptions();

Result<TrainedTriage> TrainTriage(std::span<const LabeledText> category_examples,
                                  std::span<const LabeledText> crisis_examples,
                                  const TriageTrainOptions& options = DefaultTriageTrainOptions());

inline constexpr double kMinCrisisThreshold = 0.05;
inline constexpr double kCrisisThresholdMargin = 0.8;

// What TrainTriage teaches beside the examples: the category keywords of the
// rules and triage_lexicon.hpp's terms; the crisis keywords and warning signs
// (crisis), the everyday exaggerations and neutral phrases (none).
std::vector<LabeledText> CategoryLexicon();
std::vector<LabeledText> CrisisLexicon();

// Parses training lines "label<TAB>text" (UTF-8). Blank lines and lines
// starting with '#' are skipped. kValidationFailed naming the line for a line
// without a tab, an empty text, invalid UTF-8, or (when `allowed` is not
// empty) a label outside `allowed`.
Result<std::vector<LabeledText>> ParseLabeledLines(std::string_view tsv,
                                                   std::span<const std::string> allowed);

// The labels of the two classifiers: every taxonomy code, and none/crisis.
std::vector<std::string> CategoryLabels();
std::vector<std::string> CrisisLabels();

}  // namespace caredesk::core
