// How well a Triage does on labelled lines: top-1 / top-3 accuracy and the
// confusion matrix for categories; recall and false alarms for crisis
// language, with the everyday exaggerations counted apart. Used by `caredesk
// triage eval` and by retraining, which compares a new model with the one in
// use on the held-out files before it replaces it. Pure.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/triage.hpp"

namespace caredesk::core {

struct CategoryEvaluation {
  std::vector<std::string> labels;  // CategoryLabels(), the order of `confusion`
  std::size_t lines = 0;
  std::size_t top1 = 0;  // lines whose top suggestion is the label
  std::size_t top3 = 0;  // lines with the label among the suggestions
  // confusion[true][suggested]; the extra last column: no suggestion at all.
  std::vector<std::vector<std::size_t>> confusion;
  std::vector<std::string> errors;  // "true -> suggested: text" per line got wrong

  double Top1() const { return Ratio(top1, lines); }
  double Top3() const { return Ratio(top3, lines); }
  static double Ratio(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0 : static_cast<double>(part) / static_cast<double>(whole);
  }
};

struct CrisisEvaluation {
  std::size_t crisis = 0;            // lines labelled crisis
  std::size_t caught = 0;            // of them, flagged
  std::size_t by_rules = 0;          // of them, flagged by the keyword rules
  std::size_t none = 0;              // lines labelled none
  std::size_t alarms = 0;            // of them, flagged
  std::size_t hyperbole = 0;         // none lines that are everyday exaggerations
  std::size_t hyperbole_alarms = 0;  // of them, flagged
  std::vector<std::string> errors;   // "missed (p=…): text", "false alarm (…): text"

  double Recall() const { return CategoryEvaluation::Ratio(caught, crisis); }
  double FalseAlarms() const { return CategoryEvaluation::Ratio(alarms, none); }
  double HyperboleFalseAlarms() const {
    return CategoryEvaluation::Ratio(hyperbole_alarms, hyperbole);
  }
};

// Lines whose label is not a taxonomy code count as wrong with no true row.
CategoryEvaluation EvaluateCategories(const Triage& triage, std::span<const LabeledText> lines);
CrisisEvaluation EvaluateCrisis(const Triage& triage, std::span<const LabeledText> lines);

// A line of crisis|none labels only (a crisis test file), not categories.
bool IsCrisisFile(std::span<const LabeledText> lines);

// A text that says 죽/미치/돌아버리/못 살…: in a none line, an everyday
// exaggeration such as 더워 죽겠다, 배고파 죽겠네, 미치겠어요 — the lines a crisis
// flag must not fire on.
bool SoundsLikeExaggeration(std::string_view text);

}  // namespace caredesk::core
