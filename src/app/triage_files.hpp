// The triage model file and the training files on disk: the I/O around the
// pure classifier of core/triage.hpp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ports/case_repository.hpp"
#include "core/result.hpp"
#include "core/triage.hpp"

namespace caredesk::app {

// The model at `path`. nullopt when `path` is empty or no file is there (the
// caller falls back to the keyword rules). kBadRequest naming the path when the
// file cannot be read or is not a valid model of this build (damaged,
// truncated, another format version).
core::Result<std::optional<core::TriageModel>> LoadTriageModel(const std::string& path);

// A Triage for `path`: the model when there is one, the keyword rules when
// there is none; an invalid model file is an error.
core::Result<core::Triage> OpenTriage(const std::string& path);

// Logs what `triage` (opened from `path`) answers with: the model's version,
// or a warning that the keyword rules answer because the file is missing.
void LogTriage(const core::Triage& triage, const std::string& path);

// Writes `bytes` to `path` atomically (a temporary file beside it, flushed,
// then renamed), creating the directory when needed.
core::Status WriteFileAtomically(const std::string& path, const std::string& bytes);

// The labelled lines of a training or test file (core::ParseLabeledLines);
// errors name the file.
core::Result<std::vector<core::LabeledText>> ReadLabeledFile(const std::string& path,
                                                             std::span<const std::string> allowed);

// The training files of a data directory: train.tsv (category<TAB>text) and
// crisis_train.tsv (crisis|none<TAB>text).
struct TriageTrainingData {
  std::vector<core::LabeledText> categories;
  std::vector<core::LabeledText> crisis;
};
core::Result<TriageTrainingData> ReadTriageTrainingData(const std::string& dir);

// The counselors' corrections as category examples (those of a category this
// build still knows).
std::vector<core::LabeledText> CorrectionExamples(std::vector<core::TriageCorrection> corrections);

}  // namespace caredesk::app
