// The triage classifier on data/triage: training time, held-out accuracy, model size and the
// latency of one classification, in process. scripts/bench_triage.sh runs fastText on the same
// split (the files this benchmark writes) and prints both side by side.
//
//   triage/train/<lexicon|no_lexicon>  TrainTriage on train.tsv + crisis_train.tsv, once (the
//                                      "Time" column is the training time); counters: train_s,
//                                      top1, top3 (test.tsv), crisis_recall, false_alarms,
//                                      hyperbole_false_alarms (crisis_test.tsv), model_bytes.
//                                      no_lexicon: the training files alone, as fastText sees
//                                      them.
//   triage/categories                  one text's top three categories (features, softmax,
//                                      sort), cycling through test.tsv: what fastText's
//                                      predict does. TimedRun counters (ops_per_s, p50_us,
//                                      p99_us).
//   triage/assess                      Triage::Assess of one text as POST /api/v1/triage runs
//                                      it: categories, crisis rules and crisis classifier.
//
// Environment:
//   CAREDESK_TRIAGE_DATA  the data directory (default data/triage)
//   CAREDESK_TRIAGE_OUT   where to write the fastText input files (train.ft: train.tsv;
//                         train_lexicon.ft: train.tsv plus the lexicon as TrainTriage repeats
//                         it; test.ft), if set
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/timed_run.hpp"
#include "core/triage.hpp"

namespace {

namespace core = caredesk::core;
using Clock = std::chrono::steady_clock;

constexpr int kExitSetupFailed = 2;
constexpr caredesk::bench::RunLimits kLatencyLimits{std::chrono::milliseconds(3000), 2'000'000,
                                                    1000};

struct Data {
  std::vector<core::LabeledText> train;
  std::vector<core::LabeledText> test;
  std::vector<core::LabeledText> crisis_train;
  std::vector<core::LabeledText> crisis_test;
};

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::vector<core::LabeledText> ReadOrDie(const std::string& path,
                                         const std::vector<std::string>& labels) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto lines = core::ParseLabeledLines(text.str(), labels);
  if (!in || !lines.ok() || lines->empty()) {
    std::cerr << "triage_bench: cannot read " << path << "\n";
    std::exit(kExitSetupFailed);
  }
  return std::move(*lines);
}

const Data& TheData() {
  static const Data data = [] {
    const std::string dir = Env("CAREDESK_TRIAGE_DATA", "data/triage");
    const auto categories = core::CategoryLabels();
    const auto crisis = core::CrisisLabels();
    return Data{ReadOrDie(dir + "/train.tsv", categories), ReadOrDie(dir + "/test.tsv", categories),
                ReadOrDie(dir + "/crisis_train.tsv", crisis),
                ReadOrDie(dir + "/crisis_test.tsv", crisis)};
  }();
  return data;
}

// fastText's input: "__label__<code> <text>" per line.
void WriteFastText(const std::filesystem::path& path, const std::vector<core::LabeledText>& lines,
                   int repeats = 1) {
  std::ofstream out(path);
  for (int r = 0; r < repeats; ++r) {
    for (const auto& l : lines) {
      out << "__label__" << l.label << " " << l.text << "\n";
    }
  }
}

void WriteFastTextInputs() {
  const std::string dir = Env("CAREDESK_TRIAGE_OUT", "");
  if (dir.empty()) {
    return;
  }
  const auto& d = TheData();
  std::filesystem::create_directories(dir);
  WriteFastText(std::filesystem::path(dir) / "train.ft", d.train);
  WriteFastText(std::filesystem::path(dir) / "test.ft", d.test);
  // The lexicon as TrainTriage sees it: every entry lexicon_repeats times per epoch.
  std::vector<core::LabeledText> with = d.train;
  const auto lexicon = core::CategoryLexicon();
  for (int r = 0; r < core::DefaultTriageTrainOptions().categories.lexicon_repeats; ++r) {
    with.insert(with.end(), lexicon.begin(), lexicon.end());
  }
  WriteFastText(std::filesystem::path(dir) / "train_lexicon.ft", with);
}

std::unique_ptr<core::Triage>& Shipped() {
  static std::unique_ptr<core::Triage> triage;
  return triage;
}

void Train(benchmark::State& state, bool lexicon) {
  const auto& d = TheData();
  auto options = core::DefaultTriageTrainOptions();
  options.lexicon = lexicon;
  for (auto _ : state) {
    const auto begin = Clock::now();
    auto trained = core::TrainTriage(d.train, d.crisis_train, options);
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    if (!trained.ok()) {
      state.SkipWithError(trained.error().message.c_str());
      return;
    }
    state.SetIterationTime(seconds);
    const std::string bytes = core::SerializeTriageModel(trained->model);
    const core::Triage triage(trained->model);
    std::size_t top1 = 0;
    std::size_t top3 = 0;
    for (const auto& l : d.test) {
      const auto a = triage.Assess(l.text);
      const auto& c = a->categories;
      top1 += !c.empty() && c.front().code == l.label ? 1 : 0;
      top3 += std::any_of(c.begin(), c.end(), [&](const auto& x) { return x.code == l.label; });
    }
    std::size_t crisis = 0;
    std::size_t caught = 0;
    std::size_t none = 0;
    std::size_t alarms = 0;
    for (const auto& l : d.crisis_test) {
      const bool flag = triage.AssessCrisis(l.text).flag;
      if (l.label == "crisis") {
        ++crisis;
        caught += flag ? 1 : 0;
      } else {
        ++none;
        alarms += flag ? 1 : 0;
      }
    }
    state.counters["train_s"] = seconds;
    state.counters["top1"] = static_cast<double>(top1) / static_cast<double>(d.test.size());
    state.counters["top3"] = static_cast<double>(top3) / static_cast<double>(d.test.size());
    state.counters["crisis_recall"] = static_cast<double>(caught) / static_cast<double>(crisis);
    state.counters["false_alarms"] = static_cast<double>(alarms) / static_cast<double>(none);
    state.counters["model_bytes"] = static_cast<double>(bytes.size());
    state.counters["train_lines"] = static_cast<double>(d.train.size());
    state.counters["test_lines"] = static_cast<double>(d.test.size());
    if (lexicon) {
      Shipped() = std::make_unique<core::Triage>(std::move(trained->model));
    }
  }
}

const core::Triage& ShippedOrDie() {
  if (!Shipped()) {
    auto trained = core::TrainTriage(TheData().train, TheData().crisis_train);
    if (!trained.ok()) {
      std::cerr << "triage_bench: training failed\n";
      std::exit(kExitSetupFailed);
    }
    Shipped() = std::make_unique<core::Triage>(std::move(trained->model));
  }
  return *Shipped();
}

void Categories(benchmark::State& state) {
  const auto& classifier = ShippedOrDie().model()->categories;
  const auto& texts = TheData().test;
  std::size_t i = 0;
  caredesk::bench::TimedRun(state, kLatencyLimits, "categories", [&] {
    const auto x = core::ExtractFeatures(texts[i++ % texts.size()].text, classifier.features());
    auto p = classifier.Probabilities(x);
    std::vector<std::size_t> order(p.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      order[k] = k;
    }
    std::partial_sort(order.begin(), order.begin() + 3, order.end(),
                      [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    benchmark::DoNotOptimize(order.data());
    return true;
  });
}

void Assess(benchmark::State& state) {
  const auto& triage = ShippedOrDie();
  const auto& texts = TheData().test;
  std::size_t i = 0;
  caredesk::bench::TimedRun(state, kLatencyLimits, "assess", [&] {
    auto a = triage.Assess(texts[i++ % texts.size()].text);
    benchmark::DoNotOptimize(a);
    return a.ok();
  });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  WriteFastTextInputs();
  benchmark::RegisterBenchmark("triage/train/lexicon", Train, true)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("triage/train/no_lexicon", Train, false)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("triage/categories", Categories)->Iterations(1)->UseManualTime();
  benchmark::RegisterBenchmark("triage/assess", Assess)->Iterations(1)->UseManualTime();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
