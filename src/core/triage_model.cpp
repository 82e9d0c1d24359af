#include "core/triage_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "core/taxonomy.hpp"

namespace caredesk::core {
namespace {

static_assert(std::numeric_limits<float>::is_iec559, "the model file stores IEEE 754 floats");

// --- Deterministic randomness (SplitMix64; std distributions differ between libraries) -------

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n > 0 (the modulo bias is irrelevant at these sizes).
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t state_;
};

template <typename T>
void Shuffle(std::vector<T>& v, SplitMix64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[rng.Below(i)]);
  }
}

// --- Training ----------------------------------------------------------------------------------

// Softmax regression with dense weights over every bucket, for training only.
class DenseSoftmax {
 public:
  DenseSoftmax(std::size_t buckets, std::size_t labels)
      : k_(labels),
        w_(buckets * labels, 0.0F),
        g_(buckets, 0.0F),
        b_(labels, 0.0),
        gb_(labels, 0.0),
        z_(labels),
        grad_(labels) {}

  void Logits(const SparseFeatures& x, std::vector<double>& z) const {
    z.assign(b_.begin(), b_.end());
    for (std::size_t j = 0; j < x.index.size(); ++j) {
      const float* w = &w_[static_cast<std::size_t>(x.index[j]) * k_];
      const double v = x.value[j];
      for (std::size_t k = 0; k < k_; ++k) {
        z[k] += v * w[k];
      }
    }
  }

  // One AdaGrad step on one example. The adaptive rate is per feature (one sum of
  // squared gradients per bucket, over all labels), which costs one square root
  // per feature instead of one per weight.
  void Step(const SparseFeatures& x, std::size_t label, double rate, double l2) {
    constexpr double kEpsilon = 1e-8;
    Logits(x, z_);
    const std::vector<double> p = Softmax(z_, 1.0);
    double grad_norm = 0;
    for (std::size_t k = 0; k < k_; ++k) {
      const double grad = p[k] - (k == label ? 1.0 : 0.0);
      grad_[k] = static_cast<float>(grad);
      grad_norm += grad * grad;
      gb_[k] += grad * grad;
      b_[k] -= rate * grad / (std::sqrt(gb_[k]) + kEpsilon);
    }
    const auto l2f = static_cast<float>(l2);
    for (std::size_t j = 0; j < x.index.size(); ++j) {
      const std::size_t bucket = x.index[j];
      const double v = x.value[j];
      g_[bucket] += static_cast<float>(grad_norm * v * v);
      const auto step =
          static_cast<float>(rate / (std::sqrt(static_cast<double>(g_[bucket])) + kEpsilon));
      const auto vf = static_cast<float>(v);
      float* w = &w_[bucket * k_];
      for (std::size_t k = 0; k < k_; ++k) {
        w[k] -= step * (grad_[k] * vf + l2f * w[k]);
      }
    }
  }

  void Train(const std::vector<SparseFeatures>& xs, const std::vector<std::size_t>& ys,
             std::vector<std::size_t> order, const TrainOptions& options, SplitMix64& rng) {
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
      Shuffle(order, rng);
      for (const auto i : order) {
        Step(xs[i], ys[i], options.learning_rate, options.l2);
      }
    }
  }

  const std::vector<float>& weights() const { return w_; }
  const std::vector<double>& bias() const { return b_; }

 private:
  std::size_t k_;
  std::vector<float> w_;
  std::vector<float> g_;  // AdaGrad's sums of squared gradients, per bucket
  std::vector<double> b_;
  std::vector<double> gb_;
  std::vector<double> z_;
  std::vector<float> grad_;
};

// Mean negative log-likelihood of the labels under softmax(beta * logits).
double MeanNll(const std::vector<std::vector<double>>& logits, const std::vector<std::size_t>& ys,
               double beta) {
  double sum = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    double max = -std::numeric_limits<double>::infinity();
    for (const double z : logits[i]) {
      max = std::max(max, beta * z);
    }
    double total = 0;
    for (const double z : logits[i]) {
      total += std::exp(beta * z - max);
    }
    sum += max + std::log(total) - beta * logits[i][ys[i]];
  }
  return sum / static_cast<double>(std::max<std::size_t>(1, logits.size()));
}

// The temperature minimising the held-out NLL. NLL is convex in beta = 1/T,
// so a golden-section search over beta finds the minimum.
double FitTemperature(const std::vector<std::vector<double>>& logits,
                      const std::vector<std::size_t>& ys) {
  constexpr double kMinBeta = 0.02;
  constexpr double kMaxBeta = 50;
  constexpr int kIterations = 80;
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double lo = kMinBeta;
  double hi = kMaxBeta;
  double a = hi - phi * (hi - lo);
  double b = lo + phi * (hi - lo);
  double fa = MeanNll(logits, ys, a);
  double fb = MeanNll(logits, ys, b);
  for (int i = 0; i < kIterations; ++i) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = MeanNll(logits, ys, a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = MeanNll(logits, ys, b);
    }
  }
  return 1.0 / ((lo + hi) / 2);
}

// --- Quantisation: weights are stored as int16 times a power of two per label -------------------

constexpr double kMaxQuantum = 32767;

// The smallest exponent e with max_abs <= 32767 * 2^e (0 for all-zero weights). Applying it
// to weights already quantised with it gives it back, so a model file round-trips exactly.
int QuantumExponent(double max_abs) {
  if (max_abs <= 0) {
    return 0;
  }
  int e = 0;
  std::frexp(max_abs / kMaxQuantum, &e);
  while (max_abs <= kMaxQuantum * std::ldexp(1.0, e - 1)) {
    --e;
  }
  while (max_abs > kMaxQuantum * std::ldexp(1.0, e)) {
    ++e;
  }
  return e;
}

std::vector<int> QuantumExponents(const std::vector<float>& weights, std::size_t labels) {
  std::vector<double> max_abs(labels, 0.0);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    max_abs[i % labels] = std::max(max_abs[i % labels], std::abs(static_cast<double>(weights[i])));
  }
  std::vector<int> e(labels);
  for (std::size_t k = 0; k < labels; ++k) {
    e[k] = QuantumExponent(max_abs[k]);
  }
  return e;
}

std::int16_t Quantise(float w, int exponent) {
  return static_cast<std::int16_t>(std::lround(std::ldexp(static_cast<double>(w), -exponent)));
}

float Dequantise(std::int16_t q, int exponent) {
  return static_cast<float>(std::ldexp(static_cast<double>(q), exponent));
}

// --- Bytes ---------------------------------------------------------------------------------------

class Writer {
 public:
  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void I8(std::int8_t v) { U8(static_cast<std::uint8_t>(v)); }
  void U16(std::uint16_t v) {
    U8(static_cast<std::uint8_t>(v & 0xFF));
    U8(static_cast<std::uint8_t>(v >> 8));
  }
  void U32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      U8(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
    }
  }
  void F32(float v) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    U32(bits);
  }
  void Raw(std::string_view s) { out_.append(s); }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == in_.size(); }
  std::uint8_t U8() {
    if (pos_ >= in_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::int8_t I8() { return static_cast<std::int8_t>(U8()); }
  std::uint16_t U16() {
    const std::uint16_t lo = U8();
    return static_cast<std::uint16_t>(lo | (U8() << 8));
  }
  std::uint32_t U32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= static_cast<std::uint32_t>(U8()) << (8 * i);
    }
    return v;
  }
  float F32() {
    const std::uint32_t bits = U32();
    float v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::string_view Raw(std::size_t n) {
    if (n > in_.size() - pos_) {
      ok_ = false;
      pos_ = in_.size();
      return {};
    }
    const auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

Error BadModel(const std::string& what, const std::string& what_ko) {
  return Error::Make(ErrorCode::kBadRequest, "triage model file: " + what,
                     "분류 모델 파일 오류: " + what_ko);
}

void WriteClassifier(Writer& w, const TextClassifier& c) {
  const auto& spec = c.features();
  w.U8(spec.hash_bits);
  w.U8(spec.spaced_min);
  w.U8(spec.spaced_max);
  w.U8(spec.compact_min);
  w.U8(spec.compact_max);
  w.U8(spec.words ? 1 : 0);
  w.F32(static_cast<float>(c.temperature()));
  w.U16(static_cast<std::uint16_t>(c.labels().size()));
  for (const auto& label : c.labels()) {
    w.U8(static_cast<std::uint8_t>(label.size()));
    w.Raw(label);
  }
  for (const float b : c.bias()) {
    w.F32(b);
  }
  const std::size_t k = c.labels().size();
  const auto exponents = QuantumExponents(c.weights(), k);
  for (const int e : exponents) {
    w.I8(static_cast<std::int8_t>(e));
  }
  w.U32(static_cast<std::uint32_t>(c.buckets().size()));
  for (std::size_t r = 0; r < c.buckets().size(); ++r) {
    w.U32(c.buckets()[r]);
    for (std::size_t j = 0; j < k; ++j) {
      w.U16(static_cast<std::uint16_t>(Quantise(c.weights()[r * k + j], exponents[j])));
    }
  }
}

constexpr std::size_t kMaxLabels = 256;
constexpr std::size_t kMaxLabelBytes = 255;
constexpr int kMaxExponent = 64;

Result<TextClassifier> ReadClassifier(Reader& r) {
  FeatureSpec spec;
  spec.hash_bits = r.U8();
  spec.spaced_min = r.U8();
  spec.spaced_max = r.U8();
  spec.compact_min = r.U8();
  spec.compact_max = r.U8();
  spec.words = r.U8() != 0;
  const float temperature = r.F32();
  const std::size_t k = r.U16();
  if (!r.ok()) {
    return BadModel("truncated", "파일이 잘렸습니다");
  }
  if (!IsValidFeatureSpec(spec)) {
    return BadModel("unsupported feature settings", "지원하지 않는 특징 설정입니다");
  }
  if (k < 2 || k > kMaxLabels) {
    return BadModel("bad label count", "분류 개수가 잘못되었습니다");
  }
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < k; ++i) {
    labels.emplace_back(r.Raw(r.U8()));
  }
  std::vector<float> bias(k);
  for (auto& b : bias) {
    b = r.F32();
  }
  std::vector<int> exponents(k);
  for (auto& e : exponents) {
    e = r.I8();
    if (std::abs(e) > kMaxExponent) {
      return BadModel("bad weight scale", "가중치 배율이 잘못되었습니다");
    }
  }
  const std::uint32_t rows = r.U32();
  const std::size_t row_bytes = 4 + 2 * k;
  if (!r.ok() || rows > r.remaining() / row_bytes) {
    return BadModel("truncated", "파일이 잘렸습니다");
  }
  std::vector<std::uint32_t> buckets(rows);
  std::vector<float> weights(static_cast<std::size_t>(rows) * k);
  for (std::size_t i = 0; i < rows; ++i) {
    buckets[i] = r.U32();
    for (std::size_t j = 0; j < k; ++j) {
      weights[i * k + j] = Dequantise(static_cast<std::int16_t>(r.U16()), exponents[j]);
    }
  }
  if (!r.ok()) {
    return BadModel("truncated", "파일이 잘렸습니다");
  }
  auto made = TextClassifier::Make(std::move(labels), spec, temperature, std::move(bias),
                                   std::move(buckets), std::move(weights));
  if (!made.ok()) {
    return BadModel("inconsistent classifier (" + made.error().internal_detail + ")",
                    "분류기 구성이 맞지 않습니다");
  }
  return made;
}

constexpr std::array<std::uint32_t, 256> MakeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int j = 0; j < 8; ++j) {
      c = (c & 1) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    }
    table[i] = c;
  }
  return table;
}

constexpr auto kCrcTable = MakeCrcTable();

std::string VersionOf(std::uint32_t crc) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "v" + std::to_string(kTriageModelFormat) + "-";
  for (int shift = 28; shift >= 0; shift -= 4) {
    out.push_back(kHex[(crc >> shift) & 0xF]);
  }
  return out;
}

}  // namespace

// --- TextClassifier ------------------------------------------------------------------------------

Result<TextClassifier> TextClassifier::Make(std::vector<std::string> labels,
                                            const FeatureSpec& spec, double temperature,
                                            std::vector<float> bias,
                                            std::vector<std::uint32_t> buckets,
                                            std::vector<float> weights) {
  const std::size_t k = labels.size();
  if (!IsValidFeatureSpec(spec)) {
    return Error::Internal("invalid feature spec");
  }
  if (k < 2 || bias.size() != k || weights.size() != buckets.size() * k) {
    return Error::Internal("label, bias and weight counts differ");
  }
  if (!(temperature > 0) || !std::isfinite(temperature)) {
    return Error::Internal("temperature must be positive");
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (labels[i].empty() || labels[i].size() > kMaxLabelBytes ||
        std::count(labels.begin(), labels.end(), labels[i]) != 1) {
      return Error::Internal("labels must be distinct and non-empty");
    }
  }
  const std::uint64_t size = std::uint64_t{1} << spec.hash_bits;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i] >= size || (i > 0 && buckets[i] <= buckets[i - 1])) {
      return Error::Internal("buckets must increase and fit the hash space");
    }
  }
  if (!std::all_of(weights.begin(), weights.end(), [](float w) { return std::isfinite(w); }) ||
      !std::all_of(bias.begin(), bias.end(), [](float b) { return std::isfinite(b); })) {
    return Error::Internal("weights must be finite");
  }
  TextClassifier c;
  c.labels_ = std::move(labels);
  c.spec_ = spec;
  c.temperature_ = temperature;
  c.bias_ = std::move(bias);
  c.buckets_ = std::move(buckets);
  c.weights_ = std::move(weights);
  c.row_of_.assign(size, -1);
  for (std::size_t i = 0; i < c.buckets_.size(); ++i) {
    c.row_of_[c.buckets_[i]] = static_cast<std::int32_t>(i);
  }
  return c;
}

std::vector<double> TextClassifier::Logits(const SparseFeatures& x) const {
  const std::size_t k = labels_.size();
  std::vector<double> z(bias_.begin(), bias_.end());
  for (std::size_t j = 0; j < x.index.size(); ++j) {
    const std::int32_t row = x.index[j] < row_of_.size() ? row_of_[x.index[j]] : -1;
    if (row < 0) {
      continue;
    }
    const float* w = &weights_[static_cast<std::size_t>(row) * k];
    const double v = x.value[j];
    for (std::size_t l = 0; l < k; ++l) {
      z[l] += v * w[l];
    }
  }
  return z;
}

std::vector<double> TextClassifier::Probabilities(const SparseFeatures& x) const {
  return Softmax(Logits(x), temperature_);
}

float TextClassifier::Weight(std::uint32_t bucket, std::size_t label) const {
  if (bucket >= row_of_.size() || label >= labels_.size() || row_of_[bucket] < 0) {
    return 0;
  }
  return weights_[static_cast<std::size_t>(row_of_[bucket]) * labels_.size() + label];
}

std::size_t TextClassifier::LabelIndex(std::string_view label) const {
  const auto it = std::find(labels_.begin(), labels_.end(), label);
  return static_cast<std::size_t>(it - labels_.begin());
}

std::vector<double> Softmax(std::span<const double> logits, double temperature) {
  std::vector<double> p(logits.size());
  if (logits.empty()) {
    return p;
  }
  const double max = *std::max_element(logits.begin(), logits.end());
  double total = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    p[i] = std::exp((logits[i] - max) / temperature);
    total += p[i];
  }
  for (auto& v : p) {
    v /= total;
  }
  return p;
}

// --- Training ------------------------------------------------------------------------------------

Result<TrainedClassifier> TrainClassifier(std::span<const LabeledText> examples,
                                          std::vector<std::string> labels,
                                          const TrainOptions& options,
                                          std::span<const LabeledText> lexicon) {
  if (!IsValidFeatureSpec(options.features) || options.epochs < 1 || options.folds < 2 ||
      options.lexicon_repeats < 0 || options.ensemble < 1 || !(options.learning_rate > 0) ||
      options.l2 < 0) {
    Panic("TrainClassifier: invalid options");
  }
  if (labels.size() < 2) {
    return Error::Validation({{"labels", "too_few", "A classifier needs at least two labels.",
                               "분류는 두 가지 이상이어야 합니다."}});
  }
  const auto folds = static_cast<std::size_t>(options.folds);
  if (examples.size() < folds) {
    return Error::Validation(
        {{"examples", "too_few",
          "At least " + std::to_string(folds) + " training examples are needed.",
          "학습 예문이 " + std::to_string(folds) + "개 이상 필요합니다."}});
  }
  // Examples first, then the lexicon (indexes from examples.size() on).
  std::vector<SparseFeatures> xs;
  std::vector<std::size_t> ys;
  const std::size_t total = examples.size() + lexicon.size();
  xs.reserve(total);
  ys.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    const bool from_lexicon = i >= examples.size();
    const auto& e = from_lexicon ? lexicon[i - examples.size()] : examples[i];
    const auto it = std::find(labels.begin(), labels.end(), e.label);
    if (it == labels.end()) {
      const std::string where = std::string(from_lexicon ? "lexicon[" : "examples[") +
                                std::to_string(from_lexicon ? i - examples.size() : i) + "]";
      return Error::Validation({{where + ".label", "unknown", "Unknown label '" + e.label + "'.",
                                 "알 수 없는 분류 '" + e.label + "'입니다."}});
    }
    ys.push_back(static_cast<std::size_t>(it - labels.begin()));
    xs.push_back(ExtractFeatures(e.text, options.features));
  }
  const std::size_t k = labels.size();
  const std::size_t buckets = std::size_t{1} << options.features.hash_bits;
  // Each member of the ensemble has its own seed, folds and shuffles; its logits are
  // averaged, which for linear models is averaging the weights.
  const auto members = static_cast<std::size_t>(options.ensemble);
  std::vector<std::vector<double>> held_out_logits(examples.size(), std::vector<double>(k, 0.0));
  std::vector<float> dense(buckets * k, 0.0F);
  std::vector<double> bias_sum(k, 0.0);
  std::vector<double> fold_logits;
  for (std::size_t m = 0; m < members; ++m) {
    constexpr std::uint64_t kMemberSeedStep = 0x9E3779B97F4A7C15ULL;
    SplitMix64 rng(options.seed + m * kMemberSeedStep);

    // Stratified folds: each label's examples are dealt round the folds in a shuffled order.
    // The lexicon is in no fold (kNoFold): every model trains on it.
    constexpr std::size_t kNoFold = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> fold_of(total, kNoFold);
    for (std::size_t label = 0; label < k; ++label) {
      std::vector<std::size_t> of_label;
      for (std::size_t i = 0; i < examples.size(); ++i) {
        if (ys[i] == label) {
          of_label.push_back(i);
        }
      }
      Shuffle(of_label, rng);
      for (std::size_t j = 0; j < of_label.size(); ++j) {
        fold_of[of_label[j]] = j % folds;
      }
    }

    for (std::size_t f = 0; f < folds; ++f) {
      std::vector<std::size_t> train;
      for (std::size_t i = 0; i < total; ++i) {
        const int times = i < examples.size() ? 1 : options.lexicon_repeats;
        for (int t = 0; t < times && fold_of[i] != f; ++t) {
          train.push_back(i);
        }
      }
      DenseSoftmax fold_model(buckets, k);
      fold_model.Train(xs, ys, std::move(train), options, rng);
      for (std::size_t i = 0; i < examples.size(); ++i) {
        if (fold_of[i] == f) {
          fold_model.Logits(xs[i], fold_logits);
          for (std::size_t l = 0; l < k; ++l) {
            held_out_logits[i][l] += fold_logits[l] / static_cast<double>(members);
          }
        }
      }
    }

    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < total; ++i) {
      const int times = i < examples.size() ? 1 : options.lexicon_repeats;
      all.insert(all.end(), static_cast<std::size_t>(times), i);
    }
    DenseSoftmax member(buckets, k);
    member.Train(xs, ys, std::move(all), options, rng);
    const auto& w = member.weights();
    for (std::size_t i = 0; i < dense.size(); ++i) {
      dense[i] += w[i] / static_cast<float>(members);
    }
    for (std::size_t l = 0; l < k; ++l) {
      bias_sum[l] += member.bias()[l] / static_cast<double>(members);
    }
  }
  const double temperature = FitTemperature(
      held_out_logits, std::vector<std::size_t>(
                           ys.begin(), ys.begin() + static_cast<std::ptrdiff_t>(examples.size())));

  // Keep the rows of buckets some text touched, quantised as the model file stores them.
  std::vector<std::uint32_t> rows;
  std::vector<float> weights;
  for (std::size_t b = 0; b < buckets; ++b) {
    const float* w = &dense[b * k];
    if (std::any_of(w, w + k, [](float v) { return v != 0.0F; })) {
      rows.push_back(static_cast<std::uint32_t>(b));
      weights.insert(weights.end(), w, w + k);
    }
  }
  const auto exponents = QuantumExponents(weights, k);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    weights[i] = Dequantise(Quantise(weights[i], exponents[i % k]), exponents[i % k]);
  }
  std::vector<float> bias;
  for (const double b : bias_sum) {
    bias.push_back(static_cast<float>(b));
  }
  // The file stores the temperature as a float: use exactly that.
  auto model =
      TextClassifier::Make(std::move(labels), options.features, static_cast<float>(temperature),
                           std::move(bias), std::move(rows), std::move(weights));
  if (!model.ok()) {
    Panic("TrainClassifier: built an inconsistent model");
  }
  TrainedClassifier out{std::move(*model), {}};
  out.held_out.reserve(examples.size());
  for (const auto& z : held_out_logits) {
    out.held_out.push_back(Softmax(z, out.model.temperature()));
  }
  return out;
}

// --- The model file ------------------------------------------------------------------------------

std::uint32_t Crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFU;
  for (const char ch : bytes) {
    c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
  }
  return c ^ 0xFFFFFFFFU;
}

// magic "CDTRIAGE" | u32 format | u32 payload length | payload | u32 CRC-32 of all before it.
// Payload: f32 crisis threshold, the category classifier, the crisis classifier. Little-endian.
std::string SerializeTriageModel(TriageModel& model) {
  Writer payload;
  payload.F32(static_cast<float>(model.crisis_threshold));
  WriteClassifier(payload, model.categories);
  WriteClassifier(payload, model.crisis);
  Writer file;
  file.Raw(kTriageModelMagic);
  file.U32(kTriageModelFormat);
  file.U32(static_cast<std::uint32_t>(payload.str().size()));
  file.Raw(payload.str());
  const std::uint32_t crc = Crc32(file.str());
  file.U32(crc);
  model.version = VersionOf(crc);
  return std::move(file.str());
}

Result<TriageModel> ParseTriageModel(std::string_view bytes) {
  constexpr std::size_t kHeader = 8 + 4 + 4;
  constexpr std::size_t kTrailer = 4;
  if (bytes.size() < kTriageModelMagic.size() ||
      bytes.substr(0, kTriageModelMagic.size()) != kTriageModelMagic) {
    return BadModel("not a CareDesk triage model", "CareDesk 분류 모델 파일이 아닙니다");
  }
  Reader header(bytes.substr(kTriageModelMagic.size()));
  const std::uint32_t format = header.U32();
  const std::uint32_t length = header.U32();
  if (!header.ok()) {
    return BadModel("truncated", "파일이 잘렸습니다");
  }
  if (format != kTriageModelFormat) {
    return BadModel("format version " + std::to_string(format) + ", this build reads version " +
                        std::to_string(kTriageModelFormat) + " (run 'caredesk triage train')",
                    "모델 형식 버전 " + std::to_string(format) + "은(는) 읽을 수 없습니다 (버전 " +
                        std::to_string(kTriageModelFormat) +
                        "만 지원; 'caredesk triage train'으로 다시 학습하세요)");
  }
  if (bytes.size() != kHeader + length + kTrailer) {
    return BadModel(bytes.size() < kHeader + length + kTrailer ? "truncated" : "trailing bytes",
                    bytes.size() < kHeader + length + kTrailer
                        ? "파일이 잘렸습니다"
                        : "파일 끝에 불필요한 데이터가 있습니다");
  }
  Reader trailer(bytes.substr(kHeader + length));
  const std::uint32_t crc = trailer.U32();
  if (crc != Crc32(bytes.substr(0, kHeader + length))) {
    return BadModel("checksum mismatch (the file is damaged)",
                    "체크섬이 맞지 않습니다 (파일 손상)");
  }
  Reader r(bytes.substr(kHeader, length));
  TriageModel model;
  model.crisis_threshold = r.F32();
  auto categories = ReadClassifier(r);
  if (!categories.ok()) {
    return std::move(categories).error();
  }
  auto crisis = ReadClassifier(r);
  if (!crisis.ok()) {
    return std::move(crisis).error();
  }
  if (!r.ok() || !r.AtEnd()) {
    return BadModel("payload length mismatch", "내용 길이가 맞지 않습니다");
  }
  if (!(model.crisis_threshold >= 0 && model.crisis_threshold <= 1)) {
    return BadModel("crisis threshold outside 0..1", "위기 임계값이 0~1 범위를 벗어났습니다");
  }
  for (const auto& label : categories->labels()) {
    if (!FindCategory(label)) {
      return BadModel("category '" + label + "' is not in this build's taxonomy",
                      "분류 '" + label + "'은(는) 이 버전의 상담 분야에 없습니다");
    }
  }
  if (crisis->labels() != std::vector<std::string>{"none", "crisis"}) {
    return BadModel("the crisis classifier must have the labels none, crisis",
                    "위기 분류기의 분류는 none, crisis여야 합니다");
  }
  model.categories = std::move(*categories);
  model.crisis = std::move(*crisis);
  model.version = VersionOf(crc);
  return model;
}

}  // namespace caredesk::core
