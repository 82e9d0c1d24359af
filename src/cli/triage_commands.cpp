#include "cli/triage_commands.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/app.hpp"
#include "app/triage_files.hpp"
#include "cli/cli_output.hpp"
#include "core/taxonomy.hpp"
#include "core/triage.hpp"
#include "core/triage_eval.hpp"

namespace caredesk::cli {
namespace {

using app::Config;
using app::ConfigLoader;

constexpr double kPercent = 100.0;

std::string Percent(std::size_t part, std::size_t whole) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1)
      << (whole == 0 ? 0.0 : kPercent * static_cast<double>(part) / static_cast<double>(whole))
      << "% (" << part << "/" << whole << ")";
  return out.str();
}

std::string Fixed(double v, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << v;
  return out.str();
}

// The model to use: --model, else triage.model_file.
std::string ModelPath(const Config& config, const std::string& flag) {
  return flag.empty() ? config.triage.model_file : flag;
}

// The counselors' corrections kept in the database (sealed; opened with the key file).
core::Result<std::vector<core::LabeledText>> ReadCorrections(Config config) {
  config.triage.model_file.clear();  // the model being replaced is not needed, even if damaged
  auto app = app::App::Open(config);
  if (!app.ok()) {
    return std::move(app).error();
  }
  auto corrections = (*app)->case_repository().ListTriageCorrections((*app)->district().id);
  if (!corrections.ok()) {
    return std::move(corrections).error();
  }
  return app::CorrectionExamples(std::move(*corrections));
}

int Train(const Config& config, const std::string& data_dir, const std::string& model_path,
          bool with_corrections) {
  const auto started = std::chrono::steady_clock::now();
  auto data = app::ReadTriageTrainingData(data_dir);
  if (!data.ok()) {
    PrintError(data.error());
    return kExitRuntime;
  }
  std::size_t corrections = 0;
  if (with_corrections) {
    auto read = ReadCorrections(config);
    if (!read.ok()) {
      PrintError(read.error());
      return kExitRuntime;
    }
    corrections = read->size();
    data->categories.insert(data->categories.end(), read->begin(), read->end());
  }
  auto trained = core::TrainTriage(data->categories, data->crisis);
  if (!trained.ok()) {
    PrintError(trained.error());
    return kExitRuntime;
  }
  const std::string bytes = core::SerializeTriageModel(trained->model);
  const std::string path = ModelPath(config, model_path);
  if (auto s = app::WriteFileAtomically(path, bytes); !s.ok()) {
    PrintError(s.error());
    return kExitRuntime;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& r = trained->report;
  std::cout << "triage training: " << r.category_examples << " category examples (" << corrections
            << " of them counselors' corrections from the database), " << r.crisis_examples
            << " crisis examples (" << data_dir << ")\n"
            << "  categories: held-out top-1 " << Fixed(kPercent * r.held_out_top1, 1)
            << "%, top-3 " << Fixed(kPercent * r.held_out_top3, 1)
            << "% (each line predicted by a model of the "
            << "other folds); temperature " << Fixed(r.category_temperature, 3) << "\n"
            << "  crisis: threshold " << Fixed(r.crisis_threshold, 3) << "; held out: caught "
            << Percent(r.crisis_caught, r.crisis_lines) << " of crisis lines (" << r.crisis_by_rules
            << " by the rules), false alarms " << Percent(r.false_alarms, r.none_lines)
            << " of none lines; temperature " << Fixed(r.crisis_temperature, 3) << "\n"
            << "model written: " << path << " ("
            << Fixed(static_cast<double>(bytes.size()) / 1e6, 2) << " MB, "
            << r.category_rows + r.crisis_rows << " weight rows, version " << trained->model.version
            << ", " << Fixed(seconds, 1) << " s)\n";
  return 0;
}

core::Result<core::Triage> OpenForUse(const Config& config, const std::string& model_path) {
  const std::string path = ModelPath(config, model_path);
  auto triage = app::OpenTriage(path);
  if (triage.ok()) {
    app::LogTriage(*triage, path);
  }
  return triage;
}

// One JSON object per input line, in order.
int Classify(const Config& config, const std::string& model_path, const std::string& input) {
  auto triage = OpenForUse(config, model_path);
  if (!triage.ok()) {
    PrintError(triage.error());
    return kExitRuntime;
  }
  std::ifstream file;
  if (!input.empty()) {
    file.open(input);
    if (!file) {
      std::cerr << "caredesk: " << input << ": 읽을 수 없습니다 / cannot read\n";
      return kExitRuntime;
    }
  }
  std::istream& in = input.empty() ? std::cin : file;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    nlohmann::ordered_json out;
    auto assessed = triage->Assess(line);
    if (!assessed.ok()) {
      const auto& e = assessed.error();
      out["error"] = {{"code", core::ErrorCodeName(e.code)},
                      {"message", e.message},
                      {"message_ko", e.message_ko}};
    } else {
      out["categories"] = nlohmann::ordered_json::array();
      for (const auto& c : assessed->categories) {
        out["categories"].push_back({{"code", c.code}, {"score", c.score}});
      }
      out["crisis"] = assessed->crisis.flag;
      out["crisis_terms"] = assessed->crisis.terms;
    }
    std::cout << out.dump() << "\n";
  }
  return 0;
}

int EvalCrisis(const core::Triage& triage, const std::vector<core::LabeledText>& lines,
               bool show_errors) {
  const auto e = core::EvaluateCrisis(triage, lines);
  std::cout << "crisis evaluation, model " << triage.model_name() << "\n"
            << "  crisis recall            " << Percent(e.caught, e.crisis) << "  (" << e.by_rules
            << " by the rules)\n"
            << "  false alarms, all none   " << Percent(e.alarms, e.none) << "\n"
            << "  false alarms, hyperbole  " << Percent(e.hyperbole_alarms, e.hyperbole)
            << "  (none lines with 죽/미치/돌아버리/못 살 ...)\n"
            << "crisis_recall=" << Fixed(e.Recall(), 4)
            << " false_alarms=" << Fixed(e.FalseAlarms(), 4)
            << " hyperbole_false_alarms=" << Fixed(e.HyperboleFalseAlarms(), 4) << "\n";
  if (show_errors) {
    for (const auto& line : e.errors) {
      std::cout << "  " << line << "\n";
    }
  }
  return 0;
}

int EvalCategories(const core::Triage& triage, const std::vector<core::LabeledText>& lines,
                   bool show_errors) {
  const auto e = core::EvaluateCategories(triage, lines);
  const auto& labels = e.labels;
  const auto& confusion = e.confusion;
  const std::size_t k = labels.size();
  std::cout << "category evaluation, model " << triage.model_name() << ", " << e.lines << " lines\n"
            << "  top-1 accuracy  " << Percent(e.top1, e.lines) << "\n"
            << "  top-3 accuracy  " << Percent(e.top3, e.lines) << "\n"
            << "top1=" << Fixed(e.Top1(), 4) << " top3=" << Fixed(e.Top3(), 4) << "\n\n";
  std::cout << "  #  category           precision  recall  lines\n";
  for (std::size_t i = 0; i < k; ++i) {
    std::size_t predicted_as = 0;
    std::size_t actual = 0;
    for (std::size_t j = 0; j < k; ++j) {
      predicted_as += confusion[j][i];
    }
    for (std::size_t j = 0; j <= k; ++j) {
      actual += confusion[i][j];
    }
    const auto precision =
        predicted_as == 0
            ? std::string("    -")
            : Fixed(static_cast<double>(confusion[i][i]) / static_cast<double>(predicted_as), 2);
    const auto recall =
        actual == 0 ? std::string("    -")
                    : Fixed(static_cast<double>(confusion[i][i]) / static_cast<double>(actual), 2);
    std::cout << "  " << std::setw(2) << i + 1 << " " << std::left << std::setw(18) << labels[i]
              << std::right << std::setw(10) << precision << std::setw(8) << recall << std::setw(7)
              << actual << "\n";
  }
  std::cout << "\nconfusion matrix (rows: true category, columns: top suggestion by #; - none)\n"
            << "                        ";
  for (std::size_t j = 0; j < k; ++j) {
    std::cout << std::setw(4) << j + 1;
  }
  std::cout << "   -\n";
  for (std::size_t i = 0; i < k; ++i) {
    std::cout << "  " << std::setw(2) << i + 1 << " " << std::left << std::setw(18) << labels[i]
              << std::right << " ";
    for (std::size_t j = 0; j <= k; ++j) {
      std::cout << std::setw(4)
                << (confusion[i][j] == 0 ? std::string(".") : std::to_string(confusion[i][j]));
    }
    std::cout << "\n";
  }
  if (show_errors) {
    std::cout << "\nmisclassified (true -> top suggestion):\n";
    for (const auto& line : e.errors) {
      std::cout << "  " << line << "\n";
    }
  }
  return 0;
}

int Eval(const Config& config, const std::string& model_path, const std::string& input,
         bool show_errors) {
  auto triage = OpenForUse(config, model_path);
  if (!triage.ok()) {
    PrintError(triage.error());
    return kExitRuntime;
  }
  auto lines = app::ReadLabeledFile(input, {});
  if (!lines.ok()) {
    PrintError(lines.error());
    return kExitRuntime;
  }
  if (core::IsCrisisFile(*lines)) {
    return EvalCrisis(*triage, *lines, show_errors);
  }
  const auto labels = core::CategoryLabels();
  for (const auto& l : *lines) {
    if (std::find(labels.begin(), labels.end(), l.label) == labels.end()) {
      std::cerr << "caredesk: " << input << ": 알 수 없는 분류 '" << l.label
                << "' / unknown label (expected category codes, or crisis|none)\n";
      return kExitRuntime;
    }
  }
  return EvalCategories(*triage, *lines, show_errors);
}

}  // namespace

struct TriageCommands::Impl {
  CLI::App* triage = nullptr;
  CLI::App* train = nullptr;
  CLI::App* classify = nullptr;
  CLI::App* eval = nullptr;
  std::unique_ptr<ConfigLoader> train_config;
  std::unique_ptr<ConfigLoader> classify_config;
  std::unique_ptr<ConfigLoader> eval_config;
  std::string data_dir = "data/triage";
  bool corrections = false;
  std::string train_model;
  std::string classify_model;
  std::string classify_input;
  std::string eval_model;
  std::string eval_input;
  bool show_errors = false;
};

TriageCommands::TriageCommands(CLI::App& cli) : impl_(std::make_unique<Impl>()) {
  auto& i = *impl_;
  i.triage = cli.add_subcommand("triage", "Category and crisis classifier: train, classify, eval");
  i.triage->require_subcommand(1);
  i.train = i.triage->add_subcommand(
      "train", "Train the classifier on DIR/train.tsv and DIR/crisis_train.tsv, write the model");
  i.train_config = std::make_unique<ConfigLoader>(*i.train);
  i.train->add_option("--data", i.data_dir, "Directory of train.tsv and crisis_train.tsv")
      ->capture_default_str();
  i.train->add_option("--model", i.train_model, "Model file to write (default: triage.model_file)");
  i.train->add_flag("--corrections", i.corrections,
                    "Also learn from the counselors' corrections in the database (the category "
                    "they chose over the top suggestion; needs database.url and the key file)");
  i.classify = i.triage->add_subcommand(
      "classify", "One text per line (stdin or --input) -> one JSON object per line");
  i.classify_config = std::make_unique<ConfigLoader>(*i.classify);
  i.classify->add_option("--input", i.classify_input, "Read the texts from FILE, not stdin");
  i.classify->add_option("--model", i.classify_model,
                         "Model file (default: triage.model_file; missing: keyword rules)");
  i.eval = i.triage->add_subcommand(
      "eval", "Accuracy on a labelled file: label<TAB>text (categories, or crisis|none)");
  i.eval_config = std::make_unique<ConfigLoader>(*i.eval);
  i.eval->add_option("--input", i.eval_input, "Labelled file, e.g. data/triage/test.tsv")
      ->required();
  i.eval->add_option("--model", i.eval_model,
                     "Model file (default: triage.model_file; missing: keyword rules)");
  i.eval->add_flag("--errors", i.show_errors, "Also list every line it got wrong");
}

TriageCommands::~TriageCommands() = default;

bool TriageCommands::parsed() const { return impl_->triage->parsed(); }

int TriageCommands::Run(const std::function<const char*(const char*)>& env) const {
  auto& i = *impl_;
  const ConfigLoader* loader = i.train->parsed()      ? i.train_config.get()
                               : i.classify->parsed() ? i.classify_config.get()
                                                      : i.eval_config.get();
  auto config = loader->Load(env);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  app::ConfigureLogging(config->log);
  if (i.train->parsed()) {
    return Train(*config, i.data_dir, i.train_model, i.corrections);
  }
  if (i.classify->parsed()) {
    return Classify(*config, i.classify_model, i.classify_input);
  }
  return Eval(*config, i.eval_model, i.eval_input, i.show_errors);
}

}  // namespace caredesk::cli
