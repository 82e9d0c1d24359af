// The triage the server answers with, and its retraining from the admin screen.
//
// The model in use is swapped whole (a shared_ptr), so a request that took it
// keeps it while a retraining replaces it. A retraining runs in a thread of its
// own on the training files of triage.data_dir plus the counselors'
// corrections, and replaces the model only when it is not worse on the
// held-out files (test.tsv, crisis_test.tsv, when the data directory has them):
// it must catch every crisis line the current model catches, and its top-3
// accuracy may not drop by more than kMaxTop3Drop. The new model is written to
// triage.model_file (atomically) with its figures beside it
// (<model_file>.json), so a restart, `caredesk triage eval` and the other app
// servers that share the file see the same model: each server reads the file
// again when it changed, at most every kReloadCheck.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/identity.hpp"
#include "core/ports/clock.hpp"
#include "core/result.hpp"
#include "core/triage.hpp"

namespace caredesk::app {

inline constexpr double kMaxTop3Drop = 0.02;
inline constexpr std::chrono::seconds kReloadCheck{30};

// What a model achieves on the held-out files.
struct HeldOutFigures {
  std::size_t lines = 0;  // category lines
  double top1 = 0;
  double top3 = 0;
  std::size_t crisis = 0;  // crisis lines
  std::size_t caught = 0;
  std::size_t none = 0;
  std::size_t alarms = 0;
  std::size_t hyperbole = 0;
  std::size_t hyperbole_alarms = 0;
};

// One retraining, as GET /api/v1/triage/model shows it.
struct TriageTraining {
  enum class State { kRunning, kInstalled, kRejected, kFailed };
  State state = State::kRunning;
  core::UserId requested_by = 0;
  core::TimePoint started_at;
  std::optional<core::TimePoint> finished_at;
  double seconds = 0;
  std::size_t corrections = 0;             // counselors' corrections among the category examples
  core::TriageTrainingReport report;       // out-of-fold figures of the training files
  std::string version;                     // of the new model
  std::string replaced_version;            // of the model it replaced (installed) or kept
  std::optional<HeldOutFigures> held_out;  // the new model's
  std::optional<HeldOutFigures> held_out_current;  // the one in use when it finished
  std::string message;                             // why rejected or failed (English)
  std::string message_ko;                          // (Korean)
};

std::string_view Code(TriageTraining::State state);
nlohmann::json ToJson(const TriageTraining& t);
// Back from ToJson (the figures file); nullopt for anything else.
std::optional<TriageTraining> TrainingFromJson(const nlohmann::json& j);

class TriageService final : public core::TriageSource {
 public:
  struct Options {
    std::string model_file;  // empty: keyword rules, and no retraining
    std::string data_dir;    // train.tsv, crisis_train.tsv; test.tsv, crisis_test.tsv if any
    core::TriageTrainOptions train = core::DefaultTriageTrainOptions();
  };

  // `initial`: the model read from options.model_file at start (or the rules).
  TriageService(core::Triage initial, Options options, const core::Clock& clock);
  ~TriageService() override;  // waits for a running retraining
  TriageService(const TriageService&) = delete;
  TriageService& operator=(const TriageService&) = delete;

  std::shared_ptr<const core::Triage> Current() const override;

  // Starts retraining with `corrections` (category, text) added to train.tsv.
  // kConflict while one runs; kBadRequest without a model file or training files.
  core::Result<TriageTraining> StartRetraining(core::UserId by,
                                               std::vector<core::LabeledText> corrections);
  // The running or last retraining (also one before a restart, from the figures file).
  std::optional<TriageTraining> LastTraining() const;
  // Waits for a running retraining to finish (tests, shutdown).
  void WaitForRetraining();

  // Reads the model file again if it is not the one in use (another server
  // retrained, or an operator ran `caredesk triage train`). Current() calls it
  // at most every kReloadCheck.
  void ReloadIfChanged() const;

  const Options& options() const { return options_; }

 private:
  void Retrain(TriageTraining training, std::vector<core::LabeledText> corrections);
  std::optional<HeldOutFigures> HeldOut(const core::Triage& triage) const;
  void Finish(TriageTraining training);
  std::string FiguresFile() const { return options_.model_file + ".json"; }

  Options options_;
  const core::Clock& clock_;

  mutable std::mutex current_mutex_;
  mutable std::shared_ptr<const core::Triage> current_;
  mutable std::string current_stamp_;  // size and mtime of the file current_ came from
  mutable std::atomic<std::int64_t> next_check_{0};  // steady-clock nanoseconds

  mutable std::mutex training_mutex_;
  std::optional<TriageTraining> training_;
  std::thread worker_;
};

}  // namespace caredesk::app
