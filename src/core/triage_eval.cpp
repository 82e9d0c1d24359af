#include "core/triage_eval.hpp"

#include <algorithm>
#include <cstdio>

namespace caredesk::core {
namespace {

std::string Probability(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", p);
  return buf;
}

}  // namespace

bool IsCrisisFile(std::span<const LabeledText> lines) {
  return !lines.empty() && std::all_of(lines.begin(), lines.end(), [](const auto& l) {
    return l.label == "crisis" || l.label == "none";
  });
}

bool SoundsLikeExaggeration(std::string_view text) {
  static constexpr std::string_view kWords[] = {"죽",   "디지",   "뒤지",     "미치",
                                                "미쳐", "돌아버", "쓰러지겠", "못 살"};
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](std::string_view w) { return text.find(w) != std::string_view::npos; });
}

CategoryEvaluation EvaluateCategories(const Triage& triage, std::span<const LabeledText> lines) {
  CategoryEvaluation e;
  e.labels = CategoryLabels();
  const std::size_t k = e.labels.size();
  auto index = [&](const std::string& code) {
    return static_cast<std::size_t>(std::find(e.labels.begin(), e.labels.end(), code) -
                                    e.labels.begin());
  };
  e.confusion.assign(k, std::vector<std::size_t>(k + 1, 0));
  for (const auto& l : lines) {
    ++e.lines;
    const auto a = triage.Assess(l.text);
    const std::size_t truth = index(l.label);
    std::size_t predicted = k;  // k: no suggestion
    if (a.ok() && !a->categories.empty()) {
      predicted = index(a->categories.front().code);
      e.top3 += std::any_of(a->categories.begin(), a->categories.end(),
                            [&](const auto& c) { return c.code == l.label; })
                    ? 1
                    : 0;
    }
    if (truth < k) {
      ++e.confusion[truth][predicted];
    }
    if (truth < k && predicted == truth) {
      ++e.top1;
    } else {
      e.errors.push_back(l.label + " -> " + (predicted < k ? e.labels[predicted] : "-") + ": " +
                         l.text);
    }
  }
  return e;
}

CrisisEvaluation EvaluateCrisis(const Triage& triage, std::span<const LabeledText> lines) {
  CrisisEvaluation e;
  for (const auto& l : lines) {
    const auto a = triage.AssessCrisis(l.text);
    if (l.label == "crisis") {
      ++e.crisis;
      e.caught += a.flag ? 1 : 0;
      e.by_rules += a.rule_terms.empty() ? 0 : 1;
      if (!a.flag) {
        e.errors.push_back("missed (p=" + Probability(a.probability) + "): " + l.text);
      }
      continue;
    }
    ++e.none;
    const bool exaggeration = SoundsLikeExaggeration(l.text);
    e.hyperbole += exaggeration ? 1 : 0;
    if (!a.flag) {
      continue;
    }
    ++e.alarms;
    e.hyperbole_alarms += exaggeration ? 1 : 0;
    std::string terms;
    for (const auto& t : a.terms) {
      terms += (terms.empty() ? "" : ", ") + t;
    }
    e.errors.push_back(std::string(exaggeration ? "false alarm, hyperbole" : "false alarm") +
                       " (p=" + Probability(a.probability) + "; " + terms + "): " + l.text);
  }
  return e;
}

}  // namespace caredesk::core
