#include "services/ita/ita_scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/ita/ita_framework.h"

namespace prongsai::ita {
namespace {

constexpr int kDefaultMinRespondents = 30;
constexpr double kZ95 = 1.96;
// domain.md / ita.proto: the four levels score 0 / 33 / 67 / 100.
constexpr double kFourLevelScores[] = {0, 33, 67, 100};

// A map key as it may appear in a field path: escaped and cut short, so that
// a hostile key cannot flood the error message.
std::string DisplayKey(absl::string_view key) {
  constexpr size_t kMaxShown = 32;
  std::string shown = absl::CHexEscape(key.substr(0, kMaxShown));
  if (key.size() > kMaxShown) absl::StrAppend(&shown, "...");
  return shown;
}

int MinRespondents(const v1::Framework& framework) {
  return framework.min_respondents() > 0 ? framework.min_respondents()
                                         : kDefaultMinRespondents;
}

const v1::Item* FindItem(const v1::Framework& framework,
                         absl::string_view code) {
  for (const v1::Item& item : framework.items()) {
    if (item.code() == code) return &item;
  }
  return nullptr;
}

const v1::Indicator* FindIndicator(const v1::Framework& framework, int number) {
  for (const v1::Indicator& indicator : framework.indicators()) {
    if (indicator.number() == number) return &indicator;
  }
  return nullptr;
}

const v1::Tool* FindTool(const v1::Framework& framework,
                         absl::string_view code) {
  for (const v1::Tool& tool : framework.tools()) {
    if (tool.code() == code) return &tool;
  }
  return nullptr;
}

int ItemCount(const v1::Framework& framework, int indicator) {
  return static_cast<int>(std::count_if(
      framework.items().begin(), framework.items().end(),
      [&](const v1::Item& item) { return item.indicator() == indicator; }));
}

// Indicator.weight, where 0 stands for its number of items (ita.proto).
double IndicatorWeight(const v1::Framework& framework,
                       const v1::Indicator& indicator) {
  return indicator.weight() > 0 ? indicator.weight()
                                : ItemCount(framework, indicator.number());
}

absl::Status ValidateScoreFigure(absl::string_view path,
                                 const v1::Score& score) {
  if (!std::isfinite(score.score()) || score.score() < 0 ||
      score.score() > 100) {
    return InvalidField(FieldPath(path, "score"), "must be between 0 and 100");
  }
  if (score.respondents() < 0) {
    return InvalidField(FieldPath(path, "respondents"), "must be >= 0");
  }
  if (score.has_standard_error() &&
      (!std::isfinite(score.standard_error()) || score.standard_error() < 0)) {
    return InvalidField(FieldPath(path, "standard_error"),
                        "must be a finite number >= 0");
  }
  if (score.has_ci_low() && (!std::isfinite(score.ci_low()) ||
                             score.ci_low() < 0 || score.ci_low() > 100)) {
    return InvalidField(FieldPath(path, "ci_low"), "must be between 0 and 100");
  }
  if (score.has_ci_high() && (!std::isfinite(score.ci_high()) ||
                              score.ci_high() < 0 || score.ci_high() > 100)) {
    return InvalidField(FieldPath(path, "ci_high"),
                        "must be between 0 and 100");
  }
  // An interval whose ends are swapped is no interval: stored, it would be
  // read back as a figure nobody published.
  if (score.has_ci_low() && score.has_ci_high() &&
      score.ci_low() > score.ci_high()) {
    return InvalidField(FieldPath(path, "ci_low"), "must not be above ci_high");
  }
  return absl::OkStatus();
}

// Sample statistics of per-respondent values, for the standard error.
void SetSpread(const std::vector<double>& values, v1::Score& score) {
  const size_t n = values.size();
  if (n < 2) return;
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / n;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double se = std::sqrt(squares / (n - 1)) / std::sqrt(double(n));
  score.set_standard_error(se);
  score.set_ci_low(std::clamp(score.score() - kZ95 * se, 0.0, 100.0));
  score.set_ci_high(std::clamp(score.score() + kZ95 * se, 0.0, 100.0));
}

double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? 0 : sum / values.size();
}

// Running weighted mean.
struct Weighted {
  double sum = 0;
  double weight = 0;
  void Add(double value, double w) {
    sum += value * w;
    weight += w;
  }
  bool empty() const { return weight <= 0; }
  double mean() const { return sum / weight; }
};

struct ToolResult {
  std::optional<v1::Score> tool;
  std::vector<v1::Score> indicators;
  std::vector<v1::Score> items;
};

std::optional<double> AnswerScore(v1::Scale scale, int answer) {
  switch (scale) {
    case v1::FOUR_LEVEL:
      if (answer < 0 || answer > 3) return std::nullopt;
      return kFourLevelScores[answer];
    case v1::YES_NO:
      if (answer < 0 || answer > 1) return std::nullopt;
      return answer == 1 ? 100.0 : 0.0;
    default:
      return std::nullopt;
  }
}

// A survey tool's answers, each a score, gathered in one pass over the
// respondents: per item, per indicator (each respondent's mean over the
// indicator's items they answered) and per respondent for the tool.
struct SurveyAnswers {
  // The tool's indicators by number.
  std::map<int, const v1::Indicator*> indicators;
  // By item position in the framework.
  std::vector<std::vector<double>> item_values;
  std::map<int, std::vector<double>> indicator_means;
  std::vector<double> tool_scores;
};

SurveyAnswers CollectSurveyAnswers(
    const v1::Framework& framework, const v1::Tool& tool,
    const std::vector<v1::Respondent>& respondents) {
  SurveyAnswers answers;
  for (const v1::Indicator& indicator : framework.indicators()) {
    if (indicator.tool() == tool.code()) {
      answers.indicators[indicator.number()] = &indicator;
    }
  }
  absl::flat_hash_map<std::string, int> item_index;
  for (int i = 0; i < framework.items_size(); ++i) {
    if (answers.indicators.contains(framework.items(i).indicator())) {
      item_index[framework.items(i).code()] = i;
    }
  }
  answers.item_values.resize(framework.items_size());
  for (const v1::Respondent& respondent : respondents) {
    if (absl::AsciiStrToUpper(respondent.tool()) != tool.code()) continue;
    std::map<int, std::pair<double, int>> own;  // indicator -> sum, count
    absl::flat_hash_set<int> seen;
    for (const auto& [key, answer] : respondent.answers()) {
      auto it = item_index.find(absl::AsciiStrToLower(key));
      if (it == item_index.end() || !seen.insert(it->second).second) continue;
      const v1::Item& item = framework.items(it->second);
      std::optional<double> value = AnswerScore(item.scale(), answer);
      if (!value.has_value()) continue;
      answers.item_values[it->second].push_back(*value);
      own[item.indicator()].first += *value;
      own[item.indicator()].second += 1;
    }
    if (own.empty()) continue;
    Weighted respondent_tool;
    for (const auto& [number, sum_count] : own) {
      const double mean = sum_count.first / sum_count.second;
      answers.indicator_means[number].push_back(mean);
      respondent_tool.Add(
          mean, IndicatorWeight(framework, *answers.indicators[number]));
    }
    if (!respondent_tool.empty()) {
      answers.tool_scores.push_back(respondent_tool.mean());
    }
  }
  return answers;
}

ToolResult ScoreSurveyTool(const v1::Framework& framework, const v1::Tool& tool,
                           const std::vector<v1::Respondent>& respondents) {
  const int min_respondents = MinRespondents(framework);
  SurveyAnswers answers = CollectSurveyAnswers(framework, tool, respondents);
  ToolResult result;
  std::map<int, std::vector<double>> indicator_item_scores;
  for (int i = 0; i < framework.items_size(); ++i) {
    const std::vector<double>& values = answers.item_values[i];
    if (values.empty()) continue;
    v1::Score score;
    score.set_code(framework.items(i).code());
    score.set_score(Mean(values));
    score.set_respondents(static_cast<int>(values.size()));
    score.set_low_confidence(score.respondents() < min_respondents);
    SetSpread(values, score);
    indicator_item_scores[framework.items(i).indicator()].push_back(
        score.score());
    result.items.push_back(std::move(score));
  }
  Weighted tool_score;
  for (const auto& [number, item_scores] : indicator_item_scores) {
    v1::Score score;
    score.set_code(absl::StrCat(number));
    score.set_score(Mean(item_scores));
    const std::vector<double>& means = answers.indicator_means[number];
    score.set_respondents(static_cast<int>(means.size()));
    score.set_low_confidence(score.respondents() < min_respondents);
    SetSpread(means, score);
    tool_score.Add(score.score(),
                   IndicatorWeight(framework, *answers.indicators[number]));
    result.indicators.push_back(std::move(score));
  }
  if (!tool_score.empty()) {
    v1::Score score;
    score.set_code(tool.code());
    score.set_score(tool_score.mean());
    score.set_respondents(static_cast<int>(answers.tool_scores.size()));
    score.set_low_confidence(score.respondents() < min_respondents);
    SetSpread(answers.tool_scores, score);
    result.tool = std::move(score);
  }
  return result;
}

ToolResult ScoreChecklistTool(
    const v1::Framework& framework, const v1::Tool& tool,
    const absl::flat_hash_map<std::string, bool>& checks) {
  std::map<int, const v1::Indicator*> indicators;
  for (const v1::Indicator& indicator : framework.indicators()) {
    if (indicator.tool() == tool.code()) {
      indicators[indicator.number()] = &indicator;
    }
  }
  ToolResult result;
  std::map<int, std::vector<double>> indicator_item_scores;
  std::map<int, int> unchecked;
  for (const v1::Item& item : framework.items()) {
    if (!indicators.contains(item.indicator())) continue;
    auto check = checks.find(item.code());
    if (check == checks.end()) {
      ++unchecked[item.indicator()];
      continue;
    }
    v1::Score score;
    score.set_code(item.code());
    score.set_score(check->second ? 100 : 0);
    score.set_respondents(1);
    indicator_item_scores[item.indicator()].push_back(score.score());
    result.items.push_back(std::move(score));
  }
  Weighted tool_score;
  int checks_counted = 0;
  bool incomplete = false;
  for (const auto& [number, item_scores] : indicator_item_scores) {
    v1::Score score;
    score.set_code(absl::StrCat(number));
    score.set_score(Mean(item_scores));
    score.set_respondents(static_cast<int>(item_scores.size()));
    score.set_low_confidence(unchecked[number] > 0);
    checks_counted += score.respondents();
    tool_score.Add(score.score(),
                   IndicatorWeight(framework, *indicators[number]));
    result.indicators.push_back(std::move(score));
  }
  for (const auto& [number, count] : unchecked) incomplete |= count > 0;
  if (!tool_score.empty()) {
    v1::Score score;
    score.set_code(tool.code());
    score.set_score(tool_score.mean());
    score.set_respondents(checks_counted);
    score.set_low_confidence(incomplete);
    result.tool = std::move(score);
  }
  return result;
}

std::string Format2(double value) { return absl::StrFormat("%.2f", value); }

// OVERALL_MISMATCH when every tool is published.
void CheckOverall(const v1::Framework& framework, const v1::ScoreSet& published,
                  const absl::flat_hash_map<std::string, double>& tools,
                  std::vector<v1::ConsistencyFinding>& findings) {
  if (!published.has_overall()) return;
  Weighted expected;
  std::vector<std::string> terms;
  bool all_tools = true;
  for (const v1::Tool& tool : framework.tools()) {
    auto it = tools.find(tool.code());
    if (it == tools.end()) {
      all_tools = false;
      break;
    }
    expected.Add(it->second, tool.weight());
    terms.push_back(absl::StrCat(tool.code(), " ", tool.weight(), "%"));
  }
  const double overall = published.overall().score();
  if (all_tools && !expected.empty() &&
      std::abs(overall - expected.mean()) > kPublishedTolerance) {
    v1::ConsistencyFinding& finding = findings.emplace_back();
    finding.set_kind(v1::ConsistencyFinding::OVERALL_MISMATCH);
    finding.set_code("overall");
    finding.set_published(overall);
    finding.set_expected(expected.mean());
    finding.set_message(absl::StrCat("published overall ", Format2(overall),
                                     " differs from the weighted tool scores (",
                                     absl::StrJoin(terms, ", "),
                                     "): ", Format2(expected.mean())));
  }
}

// TOOL_MISMATCH per tool whose indicators are all published.
void CheckTools(const v1::Framework& framework,
                const absl::flat_hash_map<std::string, double>& tools,
                const absl::flat_hash_map<std::string, double>& indicators,
                std::vector<v1::ConsistencyFinding>& findings) {
  for (const v1::Tool& tool : framework.tools()) {
    auto published_tool = tools.find(tool.code());
    if (published_tool == tools.end()) continue;
    Weighted expected;
    bool all_indicators = true;
    for (const v1::Indicator& indicator : framework.indicators()) {
      if (indicator.tool() != tool.code()) continue;
      auto it = indicators.find(absl::StrCat(indicator.number()));
      if (it == indicators.end()) {
        all_indicators = false;
        break;
      }
      expected.Add(it->second, IndicatorWeight(framework, indicator));
    }
    if (!all_indicators || expected.empty()) continue;
    if (std::abs(published_tool->second - expected.mean()) >
        kPublishedTolerance) {
      v1::ConsistencyFinding& finding = findings.emplace_back();
      finding.set_kind(v1::ConsistencyFinding::TOOL_MISMATCH);
      finding.set_code(tool.code());
      finding.set_published(published_tool->second);
      finding.set_expected(expected.mean());
      finding.set_message(absl::StrCat(
          "published ", tool.code(), " ", Format2(published_tool->second),
          " differs from the weighted mean of its indicators: ",
          Format2(expected.mean())));
    }
  }
}

// GRADE_MISMATCH when the published grade is not the band of the overall.
// The bands are taken to depend on the overall alone: the public evidence
// shows no other rule, though seed 001 labels 99.78 "ต้องปรับปรุง" (a floor
// per tool or indicator would explain it, and is not documented), so the
// finding names the rule it assumed.
void CheckGrade(const v1::Framework& framework, const v1::ScoreSet& published,
                std::vector<v1::ConsistencyFinding>& findings) {
  if (!published.has_overall() || published.grade().empty()) return;
  const double overall = published.overall().score();
  const v1::GradeBand& band = BandOf(framework, overall);
  const std::string grade(absl::StripAsciiWhitespace(published.grade()));
  // Latin grades are compared without case ("a" is "A"); Thai has none.
  if (!absl::EqualsIgnoreCase(grade, band.label())) {
    const bool known =
        std::any_of(framework.grade_bands().begin(),
                    framework.grade_bands().end(), [&](const v1::GradeBand& b) {
                      return absl::EqualsIgnoreCase(grade, b.label());
                    });
    v1::ConsistencyFinding& finding = findings.emplace_back();
    finding.set_kind(v1::ConsistencyFinding::GRADE_MISMATCH);
    finding.set_code("overall");
    finding.set_published(overall);
    finding.set_message(absl::StrCat(
        "published grade \"", grade, "\"",
        known ? "" : " (not a grade of this framework)",
        " is not the band of overall ", Format2(overall), ": \"", band.label(),
        "\" by the ", framework.be_year(), " framework (min ", band.min_score(),
        "; assumed: the band depends on the overall alone)"));
  }
}

// MISSING_INDICATOR per indicator without a score, by number.
void CheckIndicatorsPresent(
    const v1::Framework& framework,
    const absl::flat_hash_map<std::string, double>& indicators,
    std::vector<v1::ConsistencyFinding>& findings) {
  std::vector<const v1::Indicator*> by_number;
  for (const v1::Indicator& indicator : framework.indicators()) {
    by_number.push_back(&indicator);
  }
  std::sort(by_number.begin(), by_number.end(),
            [](const v1::Indicator* a, const v1::Indicator* b) {
              return a->number() < b->number();
            });
  for (const v1::Indicator* indicator : by_number) {
    const std::string code = absl::StrCat(indicator->number());
    if (indicators.contains(code)) continue;
    v1::ConsistencyFinding& finding = findings.emplace_back();
    finding.set_kind(v1::ConsistencyFinding::MISSING_INDICATOR);
    finding.set_code(code);
    finding.set_message(absl::StrCat("indicator ", code, " (",
                                     indicator->name(), ", ", indicator->tool(),
                                     ") has no published score"));
  }
}

}  // namespace

absl::Status ValidatePublished(absl::string_view field_path,
                               const v1::Framework& framework,
                               v1::ScoreSet& published) {
  const std::string year = absl::StrCat(framework.be_year());
  if (!published.has_overall()) {
    return InvalidField(FieldPath(field_path, "overall"), "is required");
  }
  {
    v1::Score& overall = *published.mutable_overall();
    const std::string path = FieldPath(field_path, "overall");
    std::string code(absl::StripAsciiWhitespace(overall.code()));
    if (!code.empty() && absl::AsciiStrToLower(code) != "overall") {
      return InvalidField(FieldPath(path, "code"),
                          "must be \"overall\" or empty");
    }
    overall.set_code("overall");
    PRONGSAI_RETURN_IF_ERROR(ValidateScoreFigure(path, overall));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < published.tools_size(); ++i) {
    v1::Score& score = *published.mutable_tools(i);
    const std::string path = IndexedPath(FieldPath(field_path, "tools"), i);
    std::string code =
        absl::AsciiStrToUpper(absl::StripAsciiWhitespace(score.code()));
    if (FindTool(framework, code) == nullptr) {
      return InvalidField(
          FieldPath(path, "code"),
          absl::StrCat("is not a tool of the ", year, " framework"));
    }
    if (!seen.insert(code).second) {
      return InvalidField(FieldPath(path, "code"),
                          absl::StrCat("repeats tool ", code));
    }
    score.set_code(code);
    PRONGSAI_RETURN_IF_ERROR(ValidateScoreFigure(path, score));
  }
  seen.clear();
  for (int i = 0; i < published.indicators_size(); ++i) {
    v1::Score& score = *published.mutable_indicators(i);
    const std::string path =
        IndexedPath(FieldPath(field_path, "indicators"), i);
    int number = 0;
    if (!absl::SimpleAtoi(score.code(), &number) ||
        FindIndicator(framework, number) == nullptr) {
      return InvalidField(FieldPath(path, "code"),
                          absl::StrCat("is not an indicator number of the ",
                                       year, " framework"));
    }
    std::string code = absl::StrCat(number);
    if (!seen.insert(code).second) {
      return InvalidField(FieldPath(path, "code"),
                          absl::StrCat("repeats indicator ", code));
    }
    score.set_code(code);
    PRONGSAI_RETURN_IF_ERROR(ValidateScoreFigure(path, score));
  }
  seen.clear();
  for (int i = 0; i < published.items_size(); ++i) {
    v1::Score& score = *published.mutable_items(i);
    const std::string path = IndexedPath(FieldPath(field_path, "items"), i);
    std::string code =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(score.code()));
    if (FindItem(framework, code) == nullptr) {
      return InvalidField(
          FieldPath(path, "code"),
          absl::StrCat("is not an item of the ", year, " framework"));
    }
    if (!seen.insert(code).second) {
      return InvalidField(FieldPath(path, "code"),
                          absl::StrCat("repeats item ", code));
    }
    score.set_code(code);
    PRONGSAI_RETURN_IF_ERROR(ValidateScoreFigure(path, score));
  }
  published.set_grade(
      std::string(absl::StripAsciiWhitespace(published.grade())));
  return ValidateText(FieldPath(field_path, "grade"), published.grade(), 64,
                      false);
}

std::vector<v1::ConsistencyFinding> CheckPublished(
    const v1::Framework& framework, const v1::ScoreSet& published) {
  absl::flat_hash_map<std::string, double> tools;
  for (const v1::Score& score : published.tools()) {
    tools[score.code()] = score.score();
  }
  absl::flat_hash_map<std::string, double> indicators;
  for (const v1::Score& score : published.indicators()) {
    indicators[score.code()] = score.score();
  }
  std::vector<v1::ConsistencyFinding> findings;
  CheckOverall(framework, published, tools, findings);
  CheckTools(framework, tools, indicators, findings);
  CheckGrade(framework, published, findings);
  CheckIndicatorsPresent(framework, indicators, findings);
  return findings;
}

absl::Status ValidateRawAnswers(absl::string_view field_path,
                                const v1::Framework& framework,
                                const v1::IngestRawAnswersRequest& message) {
  for (int i = 0; i < message.respondents_size(); ++i) {
    const v1::Respondent& respondent = message.respondents(i);
    const std::string path =
        IndexedPath(FieldPath(field_path, "respondents"), i);
    const std::string tool_code = absl::AsciiStrToUpper(respondent.tool());
    const v1::Tool* tool = FindTool(framework, tool_code);
    if (tool == nullptr || tool->kind() != v1::Tool::SURVEY) {
      return InvalidField(FieldPath(path, "tool"),
                          absl::StrCat("must be a survey tool of the ",
                                       framework.be_year(), " framework"));
    }
    if (respondent.answers().empty()) {
      return InvalidField(FieldPath(path, "answers"), "must not be empty");
    }
    std::vector<std::pair<std::string, int>> answers(
        respondent.answers().begin(), respondent.answers().end());
    std::sort(answers.begin(), answers.end());
    absl::flat_hash_set<std::string> seen;
    for (const auto& [key, answer] : answers) {
      const std::string answer_path =
          absl::StrCat(path, ".answers[", DisplayKey(key), "]");
      const std::string code = absl::AsciiStrToLower(key);
      const v1::Item* item = FindItem(framework, code);
      const v1::Indicator* indicator =
          item == nullptr ? nullptr
                          : FindIndicator(framework, item->indicator());
      if (indicator == nullptr || indicator->tool() != tool->code()) {
        return InvalidField(answer_path,
                            absl::StrCat("is not an item of ", tool->code()));
      }
      if (!seen.insert(code).second) {
        return InvalidField(answer_path, "answers the same item twice");
      }
      if (!AnswerScore(item->scale(), answer).has_value()) {
        return InvalidField(answer_path, item->scale() == v1::FOUR_LEVEL
                                             ? "must be 0-3"
                                             : "must be 0 or 1");
      }
    }
  }
  std::vector<std::string> keys;
  for (const auto& [key, published] : message.oit_checks()) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  absl::flat_hash_set<std::string> seen;
  for (const std::string& key : keys) {
    const std::string path = FieldPath(
        field_path, absl::StrCat("oit_checks[", DisplayKey(key), "]"));
    const std::string code = absl::AsciiStrToLower(key);
    const v1::Item* item = FindItem(framework, code);
    const v1::Indicator* indicator =
        item == nullptr ? nullptr : FindIndicator(framework, item->indicator());
    const v1::Tool* tool =
        indicator == nullptr ? nullptr : FindTool(framework, indicator->tool());
    if (tool == nullptr || tool->kind() != v1::Tool::CHECKLIST) {
      return InvalidField(path,
                          absl::StrCat("is not a checklist item of the ",
                                       framework.be_year(), " framework"));
    }
    if (!seen.insert(code).second) {
      return InvalidField(path, "checks the same item twice");
    }
  }
  return absl::OkStatus();
}

v1::ScoreSet ComputeScores(const v1::Framework& framework,
                           const RawAnswers& answers) {
  absl::flat_hash_map<std::string, bool> checks;
  for (const auto& [key, published] : answers.oit_checks) {
    checks.emplace(absl::AsciiStrToLower(key), published);
  }

  v1::ScoreSet result;
  std::vector<v1::Score> indicators;
  absl::flat_hash_map<std::string, v1::Score> item_scores;
  Weighted overall;
  double variance = 0;  // of the weighted sum, before dividing by Σw²
  bool any_se = false;
  bool all_tools = true;
  bool any_low = false;
  int survey_respondents = 0;
  for (const v1::Tool& tool : framework.tools()) {
    ToolResult scored =
        tool.kind() == v1::Tool::CHECKLIST
            ? ScoreChecklistTool(framework, tool, checks)
            : ScoreSurveyTool(framework, tool, answers.respondents);
    for (v1::Score& score : scored.indicators) {
      indicators.push_back(std::move(score));
    }
    for (v1::Score& score : scored.items) {
      item_scores[score.code()] = std::move(score);
    }
    if (!scored.tool.has_value()) {
      all_tools = false;
      continue;
    }
    const v1::Score& score = *scored.tool;
    overall.Add(score.score(), tool.weight());
    any_low |= score.low_confidence();
    if (tool.kind() == v1::Tool::SURVEY) {
      survey_respondents += score.respondents();
      if (score.has_standard_error()) {
        any_se = true;
        variance += tool.weight() * tool.weight() * score.standard_error() *
                    score.standard_error();
      }
    }
    *result.add_tools() = score;
  }
  std::sort(indicators.begin(), indicators.end(),
            [](const v1::Score& a, const v1::Score& b) {
              int x = 0, y = 0;
              (void)absl::SimpleAtoi(a.code(), &x);
              (void)absl::SimpleAtoi(b.code(), &y);
              return x < y;
            });
  for (v1::Score& score : indicators) *result.add_indicators() = score;
  for (const v1::Item& item : framework.items()) {
    auto it = item_scores.find(item.code());
    if (it != item_scores.end()) *result.add_items() = std::move(it->second);
  }

  v1::Score& total = *result.mutable_overall();
  total.set_code("overall");
  if (overall.empty()) {
    // Nothing to score: an overall of 0 must not read as a real result.
    total.set_low_confidence(true);
    return result;
  }
  total.set_score(overall.mean());
  // Weights renormalized over fewer tools are not the framework's formula:
  // say so with no respondents and low confidence.
  total.set_respondents(all_tools ? survey_respondents : 0);
  total.set_low_confidence(!all_tools || any_low);
  if (any_se) {
    const double se = std::sqrt(variance) / overall.weight;
    total.set_standard_error(se);
    total.set_ci_low(std::clamp(total.score() - kZ95 * se, 0.0, 100.0));
    total.set_ci_high(std::clamp(total.score() + kZ95 * se, 0.0, 100.0));
  }
  const v1::GradeBand& band = BandOf(framework, total.score());
  result.set_grade(band.label());
  result.set_passed(band.passed());
  return result;
}

absl::StatusOr<RawAnswers> MergeRawMessages(
    const v1::Framework& framework,
    std::vector<v1::IngestRawAnswersRequest>& messages) {
  RawAnswers answers;
  for (size_t i = 0; i < messages.size(); ++i) {
    v1::IngestRawAnswersRequest& message = messages[i];
    PRONGSAI_RETURN_IF_ERROR(ValidateRawAnswers(
        IndexedPath("messages", static_cast<int64_t>(i)), framework, message));
    for (v1::Respondent& respondent : *message.mutable_respondents()) {
      answers.respondents.push_back(std::move(respondent));
    }
    for (const auto& [item, present] : message.oit_checks()) {
      answers.oit_checks[absl::AsciiStrToLower(item)] = present;
    }
  }
  messages.clear();
  if (answers.respondents.empty() && answers.oit_checks.empty()) {
    return InvalidField("messages",
                        "carry no respondents and no OIT checks; nothing "
                        "to compute scores from");
  }
  return answers;
}

RespondentCounts CountRespondents(
    const std::vector<v1::Respondent>& respondents) {
  RespondentCounts counts;
  for (const v1::Respondent& respondent : respondents) {
    const std::string tool = absl::AsciiStrToUpper(respondent.tool());
    if (tool == "IIT") ++counts.iit;
    if (tool == "EIT") ++counts.eit;
  }
  return counts;
}

std::vector<std::string> DroppedTools(const v1::ScoreSet& stored,
                                      const v1::ScoreSet& computed) {
  std::vector<std::string> dropped;
  for (const v1::Score& tool : stored.tools()) {
    const bool kept = std::any_of(
        computed.tools().begin(), computed.tools().end(),
        [&](const v1::Score& score) { return score.code() == tool.code(); });
    if (!kept) dropped.push_back(tool.code());
  }
  return dropped;
}

}  // namespace prongsai::ita
