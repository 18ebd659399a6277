#include "services/ita/ita_analysis.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_framework.h"

namespace prongsai::ita {
namespace {

constexpr int kDefaultItemsPerTool = 3;

// Lookups into a framework, built once per call.
struct FrameworkIndex {
  explicit FrameworkIndex(const v1::Framework& framework) {
    for (const v1::Indicator& indicator : framework.indicators()) {
      indicators.try_emplace(indicator.number(), &indicator);
    }
    for (int i = 0; i < framework.items_size(); ++i) {
      items.try_emplace(framework.items(i).code(), i);
    }
  }
  const v1::Indicator* Indicator(int number) const {
    auto it = indicators.find(number);
    return it == indicators.end() ? nullptr : it->second;
  }

  absl::flat_hash_map<int, const v1::Indicator*> indicators;
  // Item code -> its position in the framework (its order in a tool).
  absl::flat_hash_map<std::string, int> items;
};

// The indicator figures of a set that the framework knows, first occurrence
// of a number winning, in the set's order.
std::vector<v1::IndicatorResult> IndicatorResults(const FrameworkIndex& index,
                                                  const v1::ScoreSet& scores) {
  std::vector<v1::IndicatorResult> results;
  absl::flat_hash_set<int> seen;
  for (const v1::Score& score : scores.indicators()) {
    const std::optional<int> number = IndicatorNumber(score.code());
    if (!number.has_value()) continue;
    const v1::Indicator* indicator = index.Indicator(*number);
    if (indicator == nullptr || !seen.insert(*number).second) continue;
    v1::IndicatorResult result;
    result.set_number(*number);
    result.set_name(indicator->name());
    result.set_tool(indicator->tool());
    result.set_score(score.score());
    results.push_back(std::move(result));
  }
  return results;
}

void AddItemsToImprove(const v1::Framework& framework,
                       const FrameworkIndex& index, const v1::ScoreSet& scores,
                       int items_per_tool, v1::AgencyAnalysis& analysis) {
  struct Candidate {
    int order;  // In the framework.
    double score;
  };
  absl::flat_hash_map<std::string, std::vector<Candidate>> by_tool;
  absl::flat_hash_set<int> seen;
  for (const v1::Score& score : scores.items()) {
    // The framework's codes are lower-case; a published "O12" is the same.
    auto it = index.items.find(absl::AsciiStrToLower(score.code()));
    if (it == index.items.end() || !seen.insert(it->second).second) continue;
    if (score.score() >= 100) continue;  // Nothing to improve.
    const v1::Indicator* indicator =
        index.Indicator(framework.items(it->second).indicator());
    if (indicator == nullptr) continue;
    by_tool[indicator->tool()].push_back(
        {.order = it->second, .score = score.score()});
  }
  for (const v1::Tool& tool : framework.tools()) {
    auto it = by_tool.find(tool.code());
    if (it == by_tool.end()) continue;
    std::vector<Candidate>& candidates = it->second;
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) {
                if (a.score != b.score) return a.score < b.score;
                return a.order < b.order;
              });
    const size_t count =
        std::min(candidates.size(), static_cast<size_t>(items_per_tool));
    for (size_t i = 0; i < count; ++i) {
      const v1::Item& item = framework.items(candidates[i].order);
      v1::ItemToImprove* out = analysis.add_items_to_improve();
      out->set_tool(tool.code());
      out->set_code(item.code());
      out->set_text(item.text());
      out->set_indicator(item.indicator());
      out->set_score(candidates[i].score);
    }
  }
}

bool LowerScoreFirst(const v1::IndicatorResult& a,
                     const v1::IndicatorResult& b) {
  if (a.score() != b.score()) return a.score() < b.score();
  return a.number() < b.number();
}

bool LowerNumberFirst(const v1::IndicatorResult& a,
                      const v1::IndicatorResult& b) {
  return a.number() < b.number();
}

// Overall, grade and passed (see Analyze).
void SetOverall(const v1::Framework& framework, const v1::Assessment& current,
                const v1::ScoreSet& scores, v1::AgencyAnalysis& analysis) {
  const std::optional<double> overall = EffectiveOverallScore(current);
  analysis.set_overall(overall.value_or(0));
  // Without an overall there is no band to look up: keep the set's own.
  const v1::GradeBand* band =
      overall.has_value() ? BandOrNull(framework, *overall) : nullptr;
  if (!scores.grade().empty()) {
    analysis.set_grade(scores.grade());
  } else if (band != nullptr) {
    analysis.set_grade(band->label());
  }
  analysis.set_passed(band != nullptr ? band->passed() : scores.passed());
}

void AddStrengths(const std::vector<v1::IndicatorResult>& results,
                  double strength_threshold, v1::AgencyAnalysis& analysis) {
  std::vector<v1::IndicatorResult> strengths;
  for (const v1::IndicatorResult& result : results) {
    if (result.score() > strength_threshold) strengths.push_back(result);
  }
  std::sort(strengths.begin(), strengths.end(),
            [](const v1::IndicatorResult& a, const v1::IndicatorResult& b) {
              if (a.score() != b.score()) return a.score() > b.score();
              return a.number() < b.number();
            });
  for (v1::IndicatorResult& result : strengths) {
    *analysis.add_strengths() = std::move(result);
  }
}

void AddWeaknesses(const std::vector<v1::IndicatorResult>& results,
                   v1::AgencyAnalysis& analysis) {
  if (results.empty()) return;
  const double lowest =
      std::min_element(results.begin(), results.end(), LowerScoreFirst)
          ->score();
  std::vector<v1::IndicatorResult> weaknesses;
  for (const v1::IndicatorResult& result : results) {
    if (result.score() == lowest || result.score() < kWeaknessBelow) {
      weaknesses.push_back(result);
    }
  }
  std::sort(weaknesses.begin(), weaknesses.end(), LowerScoreFirst);
  for (v1::IndicatorResult& result : weaknesses) {
    *analysis.add_weaknesses() = std::move(result);
  }
}

// Per indicator in both years, by number.
void AddChanges(const FrameworkIndex& index, const v1::Assessment& previous,
                std::vector<v1::IndicatorResult> results,
                v1::AgencyAnalysis& analysis) {
  analysis.set_previous_be_year(previous.fiscal_year().be_year());
  absl::flat_hash_map<int, double> before;
  for (const v1::IndicatorResult& result :
       IndicatorResults(index, EffectiveScores(previous))) {
    before.emplace(result.number(), result.score());
  }
  std::sort(results.begin(), results.end(), LowerNumberFirst);
  for (const v1::IndicatorResult& result : results) {
    auto it = before.find(result.number());
    if (it == before.end()) continue;
    v1::YearChange* change = analysis.add_changes();
    change->set_indicator(result.number());
    change->set_name(result.name());
    change->set_previous(it->second);
    change->set_current(result.score());
    change->set_change(result.score() - it->second);
  }
}

}  // namespace

std::optional<int> IndicatorNumber(absl::string_view code) {
  int number = 0;
  if (code.empty() ||
      !absl::ascii_isdigit(static_cast<unsigned char>(code[0])) ||
      !absl::SimpleAtoi(code, &number) || number <= 0) {
    return std::nullopt;
  }
  return number;
}

v1::AgencyAnalysis Analyze(const v1::Framework& framework,
                           const v1::Assessment& current,
                           const v1::Assessment* previous,
                           double strength_threshold, int items_per_tool) {
  const FrameworkIndex index(framework);
  std::string basis;
  const v1::ScoreSet& scores = EffectiveScores(current, &basis);

  v1::AgencyAnalysis analysis;
  analysis.set_assessment(current.name());
  analysis.set_be_year(current.fiscal_year().be_year());
  analysis.set_basis(basis);
  analysis.set_strength_threshold(strength_threshold);
  SetOverall(framework, current, scores, analysis);

  std::vector<v1::IndicatorResult> results = IndicatorResults(index, scores);
  for (const v1::IndicatorResult& result : results) {
    *analysis.add_indicators() = result;
  }
  std::sort(analysis.mutable_indicators()->begin(),
            analysis.mutable_indicators()->end(), LowerNumberFirst);
  AddStrengths(results, strength_threshold, analysis);
  AddWeaknesses(results, analysis);
  AddItemsToImprove(framework, index, scores,
                    items_per_tool > 0 ? items_per_tool : kDefaultItemsPerTool,
                    analysis);
  if (previous != nullptr) {
    AddChanges(index, *previous, std::move(results), analysis);
  }
  return analysis;
}

}  // namespace prongsai::ita
