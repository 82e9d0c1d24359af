// The triage classifiers: multinomial logistic regression (softmax) over the
// hashed text features of triage_features.hpp, trained by AdaGrad SGD with L2
// and a fixed seed (the same data gives the same model, bit for bit), with
// probabilities calibrated by temperature scaling on out-of-fold predictions
// of the training data. And the model file: both classifiers of a trained
// triage (categories, crisis) with a header, a format version and a CRC-32.
// Pure: the caller reads and writes the bytes. Models are immutable once made
// and thread-safe to use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/triage_features.hpp"

namespace caredesk::core {

// One training example: a label of the classifier and a text.
struct LabeledText {
  std::string label;
  std::string text;
};

class TextClassifier {
 public:
  TextClassifier() = default;

  // Builds a classifier from its parts. `buckets` strictly increasing, each
  // below 2^spec.hash_bits; `weights` row-major, buckets.size() x labels.size();
  // `bias` one per label; temperature > 0. kInternal (naming the problem) when
  // the parts do not fit together.
  static Result<TextClassifier> Make(std::vector<std::string> labels, const FeatureSpec& spec,
                                     double temperature, std::vector<float> bias,
                                     std::vector<std::uint32_t> buckets,
                                     std::vector<float> weights);

  const std::vector<std::string>& labels() const { return labels_; }
  const FeatureSpec& features() const { return spec_; }
  double temperature() const { return temperature_; }
  const std::vector<float>& bias() const { return bias_; }
  const std::vector<std::uint32_t>& buckets() const { return buckets_; }
  const std::vector<float>& weights() const { return weights_; }

  // Raw scores before temperature and softmax, one per label.
  std::vector<double> Logits(const SparseFeatures& x) const;
  // Calibrated probabilities, one per label, adding up to 1.
  std::vector<double> Probabilities(const SparseFeatures& x) const;
  // The weight of `bucket` for label index `label`; 0 when no training text had the bucket.
  float Weight(std::uint32_t bucket, std::size_t label) const;
  // Whether some training text had `bucket` (it has weights).
  bool HasBucket(std::uint32_t bucket) const {
    return bucket < row_of_.size() && row_of_[bucket] >= 0;
  }
  // The index of `label`, or labels().size() when unknown.
  std::size_t LabelIndex(std::string_view label) const;

 private:
  std::vector<std::string> labels_;
  FeatureSpec spec_;
  double temperature_ = 1;
  std::vector<float> bias_;
  std::vector<std::uint32_t> buckets_;
  std::vector<float> weights_;
  std::vector<std::int32_t> row_of_;  // bucket -> row, -1 for none; 2^hash_bits entries
};

// Softmax of `logits` divided by `temperature`.
std::vector<double> Softmax(std::span<const double> logits, double temperature);

struct TrainOptions {
  FeatureSpec features;
  int epochs = 30;
  double learning_rate = 0.5;  // AdaGrad's base step
  double l2 = 1e-6;            // per-step L2 penalty on the weights a text touches
  // Out-of-fold predictions: the training data is split into this many
  // stratified validation slices; each is predicted by a model trained on the
  // others. They calibrate the temperature (and the crisis threshold).
  int folds = 5;
  // Each lexicon entry is trained on this many times per epoch (it is a word or two, a
  // training line a whole sentence).
  int lexicon_repeats = 1;
  // Models trained with different seeds (their own folds and shuffles) whose weights are
  // averaged: the logits of the average are the average of the logits, and less noisy.
  int ensemble = 1;
  std::uint64_t seed = 20261201;
};

struct TrainedClassifier {
  TextClassifier model;  // trained on every example, weights as stored in the model file
  // For each example, in input order: the calibrated probabilities from the
  // fold model that never saw it.
  std::vector<std::vector<double>> held_out;
};

// Trains a classifier over `labels` (every example's label must be one of
// them). `lexicon` holds known words and phrases of the labels (the keyword
// rules): they are training examples of every fold and of the final model, but
// never held out, so the out-of-fold predictions cover `examples` only.
// kValidationFailed for an unknown label, fewer examples than folds, or fewer
// than two labels; the options are the caller's and are checked as bugs.
Result<TrainedClassifier> TrainClassifier(std::span<const LabeledText> examples,
                                          std::vector<std::string> labels,
                                          const TrainOptions& options,
                                          std::span<const LabeledText> lexicon = {});

// A trained triage as stored in the model file.
struct TriageModel {
  TextClassifier categories;  // labels: taxonomy codes
  TextClassifier crisis;      // labels: exactly "none", "crisis"
  // Crisis when the crisis classifier's probability is at least this.
  double crisis_threshold = 0.5;
  // "v1-" and the file's CRC-32 in hex: names this exact model in answers.
  std::string version;
};

inline constexpr std::uint32_t kTriageModelFormat = 1;
inline constexpr std::string_view kTriageModelMagic = "CDTRIAGE";

// The model file's bytes; sets model.version to what ParseTriageModel will read back.
std::string SerializeTriageModel(TriageModel& model);

// Reads a model file. kBadRequest with a message naming the problem (not a
// CareDesk triage model, another format version, truncated, checksum
// mismatch, labels this build does not know, parts that do not fit).
Result<TriageModel> ParseTriageModel(std::string_view bytes);

// CRC-32 (IEEE 802.3), as the model file uses it.
std::uint32_t Crc32(std::string_view bytes);

}  // namespace caredesk::core
