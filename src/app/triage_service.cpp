#include "app/triage_service.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "app/route_helpers.hpp"
#include "app/triage_files.hpp"
#include "core/triage_eval.hpp"

namespace caredesk::app {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using nlohmann::json;
using State = TriageTraining::State;

constexpr std::array<std::pair<State, std::string_view>, 4> kStates = {{
    {State::kRunning, "running"},
    {State::kInstalled, "installed"},
    {State::kRejected, "rejected"},
    {State::kFailed, "failed"},
}};

// Which version of the file is on disk: its size and modification time ("" when missing).
std::string Stamp(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    return {};
  }
  const auto mtime = fs::last_write_time(path, ec);
  if (ec) {
    return {};
  }
  return std::to_string(size) + ":" + std::to_string(mtime.time_since_epoch().count());
}

std::int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

json FiguresJson(const HeldOutFigures& f) {
  return {{"lines", f.lines},
          {"top1", f.top1},
          {"top3", f.top3},
          {"crisis_lines", f.crisis},
          {"crisis_caught", f.caught},
          {"none_lines", f.none},
          {"false_alarms", f.alarms},
          {"hyperbole_lines", f.hyperbole},
          {"hyperbole_false_alarms", f.hyperbole_alarms}};
}

HeldOutFigures FiguresFrom(const json& j) {
  HeldOutFigures f;
  f.lines = j.value("lines", std::size_t{0});
  f.top1 = j.value("top1", 0.0);
  f.top3 = j.value("top3", 0.0);
  f.crisis = j.value("crisis_lines", std::size_t{0});
  f.caught = j.value("crisis_caught", std::size_t{0});
  f.none = j.value("none_lines", std::size_t{0});
  f.alarms = j.value("false_alarms", std::size_t{0});
  f.hyperbole = j.value("hyperbole_lines", std::size_t{0});
  f.hyperbole_alarms = j.value("hyperbole_false_alarms", std::size_t{0});
  return f;
}

std::string Percent(double share) {
  constexpr double kPercent = 100;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * kPercent);
  return buf;
}

}  // namespace

std::string_view Code(State state) {
  for (const auto& [s, code] : kStates) {
    if (s == state) {
      return code;
    }
  }
  return "failed";
}

json ToJson(const TriageTraining& t) {
  const auto& r = t.report;
  json out = {
      {"state", Code(t.state)},
      {"requested_by", t.requested_by},
      {"started_at", Iso8601(t.started_at)},
      {"finished_at", OptionalTime(t.finished_at)},
      {"seconds", t.seconds},
      {"corrections", t.corrections},
      {"version", t.version},
      {"replaced_version", t.replaced_version},
      {"training",
       {{"category_examples", r.category_examples},
        {"crisis_examples", r.crisis_examples},
        {"top1", r.held_out_top1},
        {"top3", r.held_out_top3},
        {"crisis_threshold", r.crisis_threshold},
        {"crisis_lines", r.crisis_lines},
        {"crisis_caught", r.crisis_caught},
        {"none_lines", r.none_lines},
        {"false_alarms", r.false_alarms}}},
      {"held_out", t.held_out ? FiguresJson(*t.held_out) : json(nullptr)},
      {"held_out_current", t.held_out_current ? FiguresJson(*t.held_out_current) : json(nullptr)},
      {"message", t.message},
      {"message_ko", t.message_ko}};
  return out;
}

std::optional<TriageTraining> TrainingFromJson(const json& j) {
  if (!j.is_object() || !j.contains("state") || !j["state"].is_string()) {
    return std::nullopt;
  }
  TriageTraining t;
  const auto state = j["state"].get<std::string>();
  const auto* found = std::find_if(kStates.begin(), kStates.end(),
                                   [&](const auto& s) { return s.second == state; });
  if (found == kStates.end()) {
    return std::nullopt;
  }
  t.state = found->first;
  try {
    t.requested_by = j.value("requested_by", core::UserId{0});
    if (auto at = ParseRfc3339(j.value("started_at", std::string()))) {
      t.started_at = *at;
    }
    if (j.contains("finished_at") && j["finished_at"].is_string()) {
      t.finished_at = ParseRfc3339(j["finished_at"].get<std::string>());
    }
    t.seconds = j.value("seconds", 0.0);
    t.corrections = j.value("corrections", std::size_t{0});
    t.version = j.value("version", std::string());
    t.replaced_version = j.value("replaced_version", std::string());
    if (const auto& r = j.value("training", json::object()); r.is_object()) {
      t.report.category_examples = r.value("category_examples", std::size_t{0});
      t.report.crisis_examples = r.value("crisis_examples", std::size_t{0});
      t.report.held_out_top1 = r.value("top1", 0.0);
      t.report.held_out_top3 = r.value("top3", 0.0);
      t.report.crisis_threshold = r.value("crisis_threshold", 0.0);
      t.report.crisis_lines = r.value("crisis_lines", std::size_t{0});
      t.report.crisis_caught = r.value("crisis_caught", std::size_t{0});
      t.report.none_lines = r.value("none_lines", std::size_t{0});
      t.report.false_alarms = r.value("false_alarms", std::size_t{0});
    }
    if (j.contains("held_out") && j["held_out"].is_object()) {
      t.held_out = FiguresFrom(j["held_out"]);
    }
    if (j.contains("held_out_current") && j["held_out_current"].is_object()) {
      t.held_out_current = FiguresFrom(j["held_out_current"]);
    }
    t.message = j.value("message", std::string());
    t.message_ko = j.value("message_ko", std::string());
  } catch (const json::exception&) {
    return std::nullopt;  // a figures file of another shape: no last training to show
  }
  return t;
}

TriageService::TriageService(core::Triage initial, Options options, const core::Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      current_(std::make_shared<const core::Triage>(std::move(initial))) {
  if (options_.model_file.empty()) {
    return;
  }
  current_stamp_ = Stamp(options_.model_file);
  next_check_ = SteadyNanos() + std::chrono::nanoseconds(kReloadCheck).count();
  std::ifstream figures(FiguresFile());
  if (figures) {
    auto last = TrainingFromJson(json::parse(figures, nullptr, false));
    // A retraining that was running when the server stopped did not finish.
    if (last && last->state != State::kRunning) {
      training_ = std::move(last);
    }
  }
}

TriageService::~TriageService() { WaitForRetraining(); }

std::shared_ptr<const core::Triage> TriageService::Current() const {
  if (!options_.model_file.empty()) {
    const std::int64_t now = SteadyNanos();
    std::int64_t due = next_check_.load();
    // One caller per period looks at the file; the others go on with the model in use.
    if (now >= due && next_check_.compare_exchange_strong(
                          due, now + std::chrono::nanoseconds(kReloadCheck).count())) {
      ReloadIfChanged();
    }
  }
  std::lock_guard lock(current_mutex_);
  return current_;
}

void TriageService::ReloadIfChanged() const {
  if (options_.model_file.empty()) {
    return;
  }
  const std::string stamp = Stamp(options_.model_file);
  {
    std::lock_guard lock(current_mutex_);
    if (stamp.empty() || stamp == current_stamp_) {
      return;  // unchanged, or gone (keep answering with the model in use)
    }
  }
  auto model = LoadTriageModel(options_.model_file);
  std::lock_guard lock(current_mutex_);
  current_stamp_ = stamp;  // a damaged file is reported once, not at every check
  if (!model.ok() || !*model) {
    spdlog::error("triage model={} changed but cannot be read ({}); answering with {}",
                  options_.model_file, model.ok() ? "missing" : model.error().message,
                  current_->model_name());
    return;
  }
  auto next = std::make_shared<const core::Triage>(std::move(**model));
  spdlog::info("triage model={} changed on disk: version {} replaces {}", options_.model_file,
               next->model_name(), current_->model_name());
  current_ = std::move(next);
}

core::Result<TriageTraining> TriageService::StartRetraining(
    core::UserId by, std::vector<core::LabeledText> corrections) {
  if (options_.model_file.empty()) {
    return Error::Make(ErrorCode::kBadRequest,
                       "Retraining needs a model file (triage.model_file is empty).",
                       "재학습하려면 모델 파일(triage.model_file)이 설정되어 있어야 합니다.");
  }
  std::lock_guard lock(training_mutex_);
  if (training_ && training_->state == State::kRunning) {
    return Error::Make(ErrorCode::kConflict, "A retraining is running already.",
                       "이미 재학습이 진행 중입니다.");
  }
  if (worker_.joinable()) {
    worker_.join();  // the last one has finished (its state is no longer running)
  }
  TriageTraining t;
  t.requested_by = by;
  t.started_at = clock_.Now();
  t.corrections = corrections.size();
  training_ = t;
  worker_ = std::thread(
      [this, t, c = std::move(corrections)]() mutable { Retrain(std::move(t), std::move(c)); });
  return t;
}

std::optional<TriageTraining> TriageService::LastTraining() const {
  std::lock_guard lock(training_mutex_);
  if (!training_ || training_->state == State::kRunning || options_.model_file.empty()) {
    return training_;
  }
  // Another server may have retrained since: its figures file is the newer word.
  std::ifstream figures(FiguresFile());
  if (figures) {
    auto last = TrainingFromJson(json::parse(figures, nullptr, false));
    if (last && last->started_at > training_->started_at) {
      return last;
    }
  }
  return training_;
}

void TriageService::WaitForRetraining() {
  std::thread worker;
  {
    std::lock_guard lock(training_mutex_);
    worker = std::move(worker_);
  }
  if (worker.joinable()) {
    worker.join();
  }
}

std::optional<HeldOutFigures> TriageService::HeldOut(const core::Triage& triage) const {
  const fs::path dir(options_.data_dir);
  std::error_code ec;
  if (!fs::exists(dir / "test.tsv", ec) || !fs::exists(dir / "crisis_test.tsv", ec)) {
    return std::nullopt;
  }
  auto categories = ReadLabeledFile((dir / "test.tsv").string(), core::CategoryLabels());
  auto crisis = ReadLabeledFile((dir / "crisis_test.tsv").string(), core::CrisisLabels());
  if (!categories.ok() || !crisis.ok()) {
    spdlog::warn("triage held-out files in {} cannot be read: retraining compares nothing",
                 options_.data_dir);
    return std::nullopt;
  }
  const auto c = core::EvaluateCategories(triage, *categories);
  const auto k = core::EvaluateCrisis(triage, *crisis);
  return HeldOutFigures{c.lines, c.Top1(), c.Top3(),    k.crisis,          k.caught,
                        k.none,  k.alarms, k.hyperbole, k.hyperbole_alarms};
}

void TriageService::Retrain(TriageTraining t, std::vector<core::LabeledText> corrections) {
  const auto started = std::chrono::steady_clock::now();
  auto fail = [&](const Error& e) {
    t.state = State::kFailed;
    t.message = e.message;
    t.message_ko = e.message_ko;
  };
  auto data = ReadTriageTrainingData(options_.data_dir);
  if (!data.ok()) {
    fail(data.error());
  } else {
    data->categories.insert(data->categories.end(), std::make_move_iterator(corrections.begin()),
                            std::make_move_iterator(corrections.end()));
    auto trained = core::TrainTriage(data->categories, data->crisis, options_.train);
    if (!trained.ok()) {
      fail(trained.error());
    } else {
      t.report = trained->report;
      const std::string bytes = core::SerializeTriageModel(trained->model);
      t.version = trained->model.version;
      auto candidate = std::make_shared<const core::Triage>(std::move(trained->model));
      const auto current = Current();
      t.replaced_version = current->model_name();
      t.held_out = HeldOut(*candidate);
      t.held_out_current = HeldOut(*current);
      const auto& now = t.held_out;
      const auto& before = t.held_out_current;
      if (now && before && current->has_model() && now->caught < before->caught) {
        t.state = State::kRejected;
        t.message = "The new model catches " + std::to_string(now->caught) + " of " +
                    std::to_string(now->crisis) + " held-out crisis lines, the model in use " +
                    std::to_string(before->caught) + ": the model in use stays.";
        t.message_ko = "새 모델은 검증용 위기 문장 " + std::to_string(now->crisis) + "개 중 " +
                       std::to_string(now->caught) + "개를 잡아 현재 모델(" +
                       std::to_string(before->caught) + "개)보다 적습니다. 현재 모델을 유지합니다.";
      } else if (now && before && current->has_model() && now->top3 + kMaxTop3Drop < before->top3) {
        t.state = State::kRejected;
        t.message = "The new model's held-out top-3 accuracy is " + Percent(now->top3) +
                    ", the model in use " + Percent(before->top3) + ": the model in use stays.";
        t.message_ko = "새 모델의 검증 상위 3개 정확도가 " + Percent(now->top3) + "로 현재 모델(" +
                       Percent(before->top3) + ")보다 낮습니다. 현재 모델을 유지합니다.";
      } else if (auto s = WriteFileAtomically(options_.model_file, bytes); !s.ok()) {
        fail(s.error());
      } else {
        std::lock_guard lock(current_mutex_);
        current_ = std::move(candidate);
        current_stamp_ = Stamp(options_.model_file);
        t.state = State::kInstalled;
      }
    }
  }
  t.finished_at = clock_.Now();
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  Finish(std::move(t));
}

void TriageService::Finish(TriageTraining t) {
  spdlog::info(
      "triage retraining by user={} {} in {:.1f}s: version={} corrections={} top1={:.3f} "
      "top3={:.3f}{}{}",
      t.requested_by, Code(t.state), t.seconds, t.version, t.corrections,
      t.held_out ? t.held_out->top1 : t.report.held_out_top1,
      t.held_out ? t.held_out->top3 : t.report.held_out_top3, t.message.empty() ? "" : " ",
      t.message);
  // The figures beside the model, for a restart and the other servers; best effort (the model
  // itself is written already).
  const std::string path = FiguresFile();
  if (auto s = WriteFileAtomically(path, ToJson(t).dump(2) + "\n"); !s.ok()) {
    spdlog::warn("triage figures file {} not written: {}", path, s.error().message);
  }
  std::lock_guard lock(training_mutex_);
  training_ = std::move(t);
}

}  // namespace caredesk::app
