#include "app/triage_files.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/taxonomy.hpp"

namespace caredesk::app {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

Error FileError(const std::string& path, const std::string& what, const std::string& what_ko) {
  return Error::Make(ErrorCode::kBadRequest, path + ": " + what, path + ": " + what_ko);
}

core::Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FileError(path, std::string("cannot read (") + std::strerror(errno) + ")",
                     std::string("읽을 수 없습니다 (") + std::strerror(errno) + ")");
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return FileError(path, "read failed", "읽기에 실패했습니다");
  }
  return out.str();
}

}  // namespace

core::Result<std::optional<core::TriageModel>> LoadTriageModel(const std::string& path) {
  if (path.empty()) {
    return std::optional<core::TriageModel>{};
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return std::optional<core::TriageModel>{};
  }
  auto bytes = ReadWhole(path);
  if (!bytes.ok()) {
    return std::move(bytes).error();
  }
  auto model = core::ParseTriageModel(*bytes);
  if (!model.ok()) {
    return FileError(path, model.error().message, model.error().message_ko);
  }
  return std::optional<core::TriageModel>(std::move(*model));
}

core::Result<core::Triage> OpenTriage(const std::string& path) {
  auto model = LoadTriageModel(path);
  if (!model.ok()) {
    return std::move(model).error();
  }
  if (!*model) {
    return core::Triage();
  }
  return core::Triage(std::move(**model));
}

void LogTriage(const core::Triage& triage, const std::string& path) {
  if (const auto* model = triage.model(); model != nullptr) {
    spdlog::info("triage model={} version={} crisis_threshold={:.3f}", path, model->version,
                 model->crisis_threshold);
  } else if (path.empty()) {
    spdlog::info("triage: keyword rules (triage.model_file is empty)");
  } else {
    spdlog::warn(
        "triage model={} missing: category suggestions and crisis flags come from "
        "keyword rules (run 'caredesk triage train')",
        path);
  }
}

core::Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return FileError(path, "cannot create the directory (" + ec.message() + ")",
                       "디렉터리를 만들 수 없습니다 (" + ec.message() + ")");
    }
  }
  const std::string temporary = path + ".tmp";
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (f == nullptr) {
    return FileError(temporary, std::string("cannot write (") + std::strerror(errno) + ")",
                     std::string("쓸 수 없습니다 (") + std::strerror(errno) + ")");
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() &&
                       std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    fs::remove(temporary, ec);
    return FileError(temporary, "write failed", "쓰기에 실패했습니다");
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return FileError(path, "cannot replace (" + ec.message() + ")",
                     "바꿀 수 없습니다 (" + ec.message() + ")");
  }
  return {};
}

core::Result<std::vector<core::LabeledText>> ReadLabeledFile(const std::string& path,
                                                             std::span<const std::string> allowed) {
  auto text = ReadWhole(path);
  if (!text.ok()) {
    return std::move(text).error();
  }
  auto lines = core::ParseLabeledLines(*text, allowed);
  if (!lines.ok()) {
    const auto& e = lines.error();
    const auto& d = e.details.empty() ? core::FieldViolation{} : e.details.front();
    return FileError(path, d.field + ": " + d.message, d.field + ": " + d.message_ko);
  }
  return lines;
}

core::Result<TriageTrainingData> ReadTriageTrainingData(const std::string& dir) {
  TriageTrainingData data;
  auto categories = ReadLabeledFile((fs::path(dir) / "train.tsv").string(), core::CategoryLabels());
  if (!categories.ok()) {
    return std::move(categories).error();
  }
  auto crisis =
      ReadLabeledFile((fs::path(dir) / "crisis_train.tsv").string(), core::CrisisLabels());
  if (!crisis.ok()) {
    return std::move(crisis).error();
  }
  data.categories = std::move(*categories);
  data.crisis = std::move(*crisis);
  return data;
}

std::vector<core::LabeledText> CorrectionExamples(std::vector<core::TriageCorrection> corrections) {
  std::vector<core::LabeledText> out;
  for (auto& c : corrections) {
    if (core::FindCategory(c.category)) {
      out.push_back({std::move(c.category), std::move(c.text)});
    }
  }
  return out;
}

}  // namespace caredesk::app
