// libFuzzer: the triage training-data loader (core::ParseLabeledLines, which
// app::ReadLabeledFile runs on data/triage/*.tsv), then the keyword-rules triage on every text
// it accepts. The first byte picks the labels allowed (the categories, crisis/none, or any);
// the rest is the file. Invariants: no crash or sanitizer report; an accepted line has an
// allowed label and a trimmed, non-empty, single-line UTF-8 text; a refusal names its line and
// has both messages; a text of the file never makes the triage fail except for its length.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "core/triage.hpp"
#include "tests/fuzz/fuzz_checks.hpp"

namespace caredesk::fuzz {
namespace {

// Triage is the expensive part: a file's first lines are enough.
constexpr std::size_t kAssessedLines = 4;

void CheckLines(std::string_view tsv, const std::vector<std::string>& allowed) {
  auto lines = core::ParseLabeledLines(tsv, allowed);
  if (!lines.ok()) {
    const auto& e = lines.error();
    Require(e.code == core::ErrorCode::kValidationFailed && e.details.size() == 1,
            "a refused file is not one violation");
    const auto& d = e.details.front();
    Require(d.field.starts_with("line ") && !d.message.empty() && !d.message_ko.empty(),
            "a refused line is not named", d.field);
    return;
  }
  static const core::Triage rules;
  std::size_t assessed = 0;
  for (const auto& line : *lines) {
    Require(
        allowed.empty() || std::find(allowed.begin(), allowed.end(), line.label) != allowed.end(),
        "a line with a label outside the allowed ones", line.label);
    Require(!line.text.empty() && line.text == core::Trim(line.text) &&
                core::IsValidUtf8(line.text) && core::IsValidUtf8(line.label) &&
                line.text.find('\n') == std::string::npos,
            "an accepted text breaks the format", line.text);
    if (assessed++ < kAssessedLines) {
      auto assessment = rules.Assess(line.text);
      Require(assessment.ok() || core::CodePointCount(line.text) > core::kMaxTriageTextChars,
              "the triage refused a text of the training file", line.text);
    }
  }
}

}  // namespace
}  // namespace caredesk::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caredesk;
  static const std::vector<std::string> categories = core::CategoryLabels();
  static const std::vector<std::string> crisis = core::CrisisLabels();
  static const std::vector<std::string> any;
  if (size == 0) {
    return 0;
  }
  const std::string_view tsv(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::vector<std::string>* allowed[] = {&categories, &crisis, &any};
  fuzz::CheckLines(tsv, *allowed[static_cast<unsigned char>(data[0] - '0') % 3]);
  return 0;
}
