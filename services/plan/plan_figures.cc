#include "services/plan/plan_figures.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/thai/thai.h"

namespace prongsai::plan {
namespace {

using google::protobuf::RepeatedPtrField;

const v1::YearBudget* BudgetOf(const v1::Project& project, int be_year) {
  for (const v1::YearBudget& budget : project.budgets()) {
    if (budget.be_year() == be_year) return &budget;
  }
  return nullptr;
}

bool RunsIn(const v1::Project& project, int be_year) {
  return std::find(project.fiscal_years().begin(), project.fiscal_years().end(),
                   be_year) != project.fiscal_years().end();
}

// Orders rounds by the quarter they end in.
bool RoundBefore(const v1::ProgressReport& a, const v1::ProgressReport& b) {
  const int qa = LastQuarterOf(a.round()), qb = LastQuarterOf(b.round());
  if (qa != qb) return qa < qb;
  if (a.report_time().seconds() != b.report_time().seconds()) {
    return a.report_time().seconds() < b.report_time().seconds();
  }
  return a.report_time().nanos() < b.report_time().nanos();
}

v1::Finding MakeFinding(v1::Finding::Severity severity, absl::string_view code,
                        std::string location, std::string message) {
  v1::Finding finding;
  finding.set_severity(severity);
  finding.set_code(std::string(code));
  finding.set_location(std::move(location));
  finding.set_message(std::move(message));
  return finding;
}

}  // namespace

v1::AnnualPlanTotals ComputeTotals(
    const RepeatedPtrField<v1::AnnualPlanEntry>& entries) {
  v1::AnnualPlanTotals totals;
  int64_t budget = 0;
  int per_quarter[4] = {};
  std::map<int, v1::DimensionTotal> dimensions;
  for (const v1::AnnualPlanEntry& entry : entries) {
    budget += entry.budget().satang();
    for (int quarter : entry.quarters()) {
      if (quarter >= 1 && quarter <= 4) ++per_quarter[quarter - 1];
    }
    v1::DimensionTotal& dimension = dimensions[entry.dimension()];
    dimension.set_dimension(entry.dimension());
    dimension.set_projects(dimension.projects() + 1);
    dimension.mutable_budget()->set_satang(dimension.budget().satang() +
                                           entry.budget().satang());
  }
  totals.mutable_budget()->set_satang(budget);
  for (int count : per_quarter) totals.add_projects_per_quarter(count);
  for (auto& [number, dimension] : dimensions) {
    *totals.add_dimensions() = std::move(dimension);
  }
  totals.set_projects(entries.size());
  return totals;
}

std::vector<v1::AnnualPlanEntry> DeriveAnnualEntries(
    absl::Span<const v1::Project> projects, int be_year,
    absl::Span<const int32_t> quarters) {
  std::vector<const v1::Project*> running;
  for (const v1::Project& project : projects) {
    if (RunsIn(project, be_year)) running.push_back(&project);
  }
  std::sort(running.begin(), running.end(),
            [](const v1::Project* a, const v1::Project* b) {
              return a->sequence() < b->sequence();
            });
  std::vector<v1::AnnualPlanEntry> entries;
  for (const v1::Project* project : running) {
    v1::AnnualPlanEntry& entry = entries.emplace_back();
    entry.set_project(project->name());
    entry.set_title(project->title());
    entry.set_dimension(project->dimension());
    const v1::YearBudget* budget = BudgetOf(*project, be_year);
    entry.mutable_budget()->set_satang(
        budget != nullptr ? budget->planned().satang() : 0);
    for (int quarter : quarters) entry.add_quarters(quarter);
  }
  return entries;
}

std::vector<v1::Finding> Reconcile(const v1::AnnualPlan& annual,
                                   absl::Span<const v1::Project> projects) {
  std::vector<v1::Finding> findings;
  absl::flat_hash_map<absl::string_view, const v1::Project*> by_name;
  for (const v1::Project& project : projects) {
    by_name[project.name()] = &project;
  }
  absl::flat_hash_set<absl::string_view> scheduled;
  for (int i = 0; i < annual.entries_size(); ++i) {
    const v1::AnnualPlanEntry& entry = annual.entries(i);
    const std::string location = absl::StrCat("entries[", i, "]");
    auto found = by_name.find(entry.project());
    if (entry.project().empty() || found == by_name.end()) {
      v1::Finding& finding = findings.emplace_back(
          MakeFinding(v1::Finding::WARNING, "UNKNOWN_PROJECT", location,
                      absl::StrCat("\"", entry.title(),
                                   "\" is not a project of the 5-year plan")));
      finding.set_project(entry.project());
      continue;
    }
    const v1::Project& project = *found->second;
    scheduled.insert(project.name());
    if (!RunsIn(project, annual.be_year())) {
      v1::Finding& finding = findings.emplace_back(
          MakeFinding(v1::Finding::WARNING, "ADDED_PROJECT", location,
                      absl::StrCat("ลำดับที่ ", project.sequence(), " \"",
                                   project.title(), "\" is not scheduled in ",
                                   annual.be_year(), " by the 5-year plan")));
      finding.set_project(project.name());
      continue;
    }
    const v1::YearBudget* budget = BudgetOf(project, annual.be_year());
    const int64_t planned = budget != nullptr ? budget->planned().satang() : 0;
    if (entry.budget().satang() != planned) {
      v1::Finding& finding = findings.emplace_back(MakeFinding(
          v1::Finding::WARNING, "BUDGET_DIFFERS", location,
          absl::StrCat("ลำดับที่ ", project.sequence(), ": the 5-year plan has ",
                       thai::FormatBaht(planned), " baht, the annual plan ",
                       thai::FormatBaht(entry.budget().satang()))));
      finding.set_project(project.name());
      finding.mutable_expected()->set_satang(planned);
      finding.mutable_actual()->set_satang(entry.budget().satang());
    }
  }
  std::vector<const v1::Project*> sorted;
  for (const v1::Project& project : projects) sorted.push_back(&project);
  std::sort(sorted.begin(), sorted.end(),
            [](const v1::Project* a, const v1::Project* b) {
              return a->sequence() < b->sequence();
            });
  for (const v1::Project* project : sorted) {
    if (RunsIn(*project, annual.be_year()) &&
        !scheduled.contains(project->name())) {
      v1::Finding& finding = findings.emplace_back(MakeFinding(
          v1::Finding::WARNING, "DROPPED_PROJECT", project->name(),
          absl::StrCat("ลำดับที่ ", project->sequence(), " \"", project->title(),
                       "\" is scheduled in ", annual.be_year(),
                       " but not in the annual plan")));
      finding.set_project(project->name());
    }
  }
  return findings;
}

int LastQuarterOf(v1::Round round) {
  switch (round) {
    case v1::QUARTER_1:
      return 1;
    case v1::HALF_YEAR:
      return 2;
    case v1::QUARTER_3:
      return 3;
    default:
      return 4;
  }
}

namespace {

// One item a round summary counts: an annual-plan entry with a project, or
// one of the year's integrity measures.
struct RoundItem {
  std::string subject;
  std::string title;
  int dimension;
  int last_quarter;
  int64_t approved;
};

// The last quarter an item is scheduled in; 4 when it names none.
int LastScheduledQuarter(
    const google::protobuf::RepeatedField<int32_t>& quarters) {
  int last = 0;
  for (int quarter : quarters) last = std::max(last, quarter);
  return last == 0 ? 4 : last;
}

std::vector<RoundItem> RoundItems(
    const v1::AnnualPlan& annual,
    absl::Span<const v1::IntegrityMeasure> measures) {
  std::vector<RoundItem> items;
  for (const v1::AnnualPlanEntry& entry : annual.entries()) {
    if (entry.project().empty()) continue;
    items.push_back({entry.project(), entry.title(), entry.dimension(),
                     LastScheduledQuarter(entry.quarters()),
                     entry.budget().satang()});
  }
  for (const v1::IntegrityMeasure& measure : measures) {
    // Measures have no dimension of the plan: they are summed under 0.
    items.push_back({measure.name(), measure.title(), 0,
                     LastScheduledQuarter(measure.quarters()), 0});
  }
  return items;
}

// Each subject's latest report of `be_year` up to the round ending in
// `round_quarter`.
absl::flat_hash_map<std::string, const v1::ProgressReport*> LatestReports(
    absl::Span<const v1::ProgressReport> reports, int be_year,
    int round_quarter) {
  absl::flat_hash_map<std::string, const v1::ProgressReport*> latest;
  for (const v1::ProgressReport& report : reports) {
    if (report.be_year() != be_year ||
        LastQuarterOf(report.round()) > round_quarter) {
      continue;
    }
    const v1::ProgressReport*& slot = latest[report.subject()];
    if (slot == nullptr || RoundBefore(*slot, report)) slot = &report;
  }
  return latest;
}

void AddSatang(common::v1::Money& money, int64_t satang) {
  money.set_satang(money.satang() + satang);
}

// Counts `item`, whose latest report is `report` (nullptr when none), into
// the summary's totals and its dimension's; an item due by the round and
// neither done nor cancelled is overdue.
void CountRoundItem(const RoundItem& item, const v1::ProgressReport* report,
                    int round_quarter, v1::DimensionProgress& dimension,
                    v1::RoundSummary& summary) {
  dimension.set_dimension(item.dimension);
  dimension.set_items(dimension.items() + 1);
  AddSatang(*dimension.mutable_approved(), item.approved);
  AddSatang(*summary.mutable_approved(), item.approved);
  const auto status = report == nullptr ? v1::ProgressReport::STATUS_UNSPECIFIED
                                        : report->status();
  if (report == nullptr) {
    summary.add_unreported(item.subject);
  } else {
    *summary.add_latest_reports() = *report;
    AddSatang(*summary.mutable_spent(), report->spent().satang());
    AddSatang(*dimension.mutable_spent(), report->spent().satang());
  }
  if (status == v1::ProgressReport::DONE) {
    summary.set_done(summary.done() + 1);
    dimension.set_done(dimension.done() + 1);
  }
  if (item.last_quarter <= round_quarter &&
      status != v1::ProgressReport::DONE &&
      status != v1::ProgressReport::CANCELLED) {
    v1::OverdueItem& overdue = *summary.add_overdue();
    overdue.set_subject(item.subject);
    overdue.set_title(item.title);
    overdue.set_dimension(item.dimension);
    overdue.set_last_quarter(item.last_quarter);
    overdue.set_status(status);
  }
}

double PercentOf(int part, int whole) {
  return whole == 0 ? 0 : 100.0 * part / whole;
}

}  // namespace

v1::RoundSummary SummarizeRound(const v1::AnnualPlan& annual,
                                absl::Span<const v1::IntegrityMeasure> measures,
                                absl::Span<const v1::ProgressReport> reports,
                                v1::Round round) {
  const std::vector<RoundItem> items = RoundItems(annual, measures);
  const int round_quarter = LastQuarterOf(round);
  const absl::flat_hash_map<std::string, const v1::ProgressReport*> latest =
      LatestReports(reports, annual.be_year(), round_quarter);
  v1::RoundSummary summary;
  summary.set_annual_plan(annual.name());
  summary.set_be_year(annual.be_year());
  summary.set_round(round);
  summary.mutable_approved()->set_satang(0);
  summary.mutable_spent()->set_satang(0);
  std::map<int, v1::DimensionProgress> dimensions;
  for (const RoundItem& item : items) {
    auto found = latest.find(item.subject);
    CountRoundItem(item, found == latest.end() ? nullptr : found->second,
                   round_quarter, dimensions[item.dimension], summary);
  }
  for (auto& [number, dimension] : dimensions) {
    dimension.set_percent_done(PercentOf(dimension.done(), dimension.items()));
    *summary.add_dimensions() = std::move(dimension);
  }
  summary.set_items(static_cast<int>(items.size()));
  summary.set_percent_done(
      PercentOf(summary.done(), static_cast<int>(items.size())));
  return summary;
}

bool FiscalYearHasEnded(int be_year, absl::Time now) {
  return be_year < thai::FiscalQuarterOf(now).be_year;
}

bool NeedsItaScores(const v1::ActionPlan& plan) {
  return std::any_of(plan.targets().begin(), plan.targets().end(),
                     [](const v1::YearTarget& target) {
                       return target.has_ita_score_target() &&
                              !target.has_actual_ita_score();
                     });
}

void FillItaScores(const absl::flat_hash_map<int, double>& scores,
                   v1::ActionPlan& plan) {
  for (v1::YearTarget& target : *plan.mutable_targets()) {
    auto found = scores.find(target.be_year());
    if (!target.has_actual_ita_score() && found != scores.end()) {
      target.set_actual_ita_score(found->second);
    }
  }
}

namespace {

// A reduction target whose year has ended: the only kind whose counts can be
// final.
bool CountsCorruptionCases(const v1::YearTarget& target, absl::Time now) {
  return target.has_corruption_case_reduction_percent() &&
         FiscalYearHasEnded(target.be_year(), now);
}

}  // namespace

std::vector<int> CorruptionCaseYearsToCount(const v1::ActionPlan& plan,
                                            absl::Time now) {
  std::vector<int> years;
  auto add = [&years](int be_year) {
    if (std::find(years.begin(), years.end(), be_year) == years.end()) {
      years.push_back(be_year);
    }
  };
  for (const v1::YearTarget& target : plan.targets()) {
    if (!CountsCorruptionCases(target, now)) continue;
    if (!target.has_base_corruption_cases()) add(target.base_be_year());
    if (!target.has_actual_corruption_cases()) add(target.be_year());
  }
  return years;
}

void FillCorruptionCases(const absl::flat_hash_map<int, int>& cases,
                         absl::Time now, v1::ActionPlan& plan) {
  for (v1::YearTarget& target : *plan.mutable_targets()) {
    if (!CountsCorruptionCases(target, now)) continue;
    if (auto base = cases.find(target.base_be_year());
        !target.has_base_corruption_cases() && base != cases.end()) {
      target.set_base_corruption_cases(base->second);
    }
    if (auto actual = cases.find(target.be_year());
        !target.has_actual_corruption_cases() && actual != cases.end()) {
      target.set_actual_corruption_cases(actual->second);
    }
  }
}

bool MeasureIsLate(const v1::IntegrityMeasure& measure, int be_year,
                   absl::Span<const v1::ProgressReport* const> reports,
                   thai::FiscalQuarter current) {
  const int last_quarter = LastScheduledQuarter(measure.quarters());
  const bool ended =
      current.be_year > be_year ||
      (current.be_year == be_year && last_quarter < current.quarter);
  if (!ended) return false;
  const v1::ProgressReport* latest = nullptr;
  for (const v1::ProgressReport* report : reports) {
    if (latest == nullptr || RoundBefore(*latest, *report)) latest = report;
  }
  return latest == nullptr ||
         (latest->status() != v1::ProgressReport::DONE &&
          latest->status() != v1::ProgressReport::CANCELLED);
}

std::vector<v1::TargetEvaluation> EvaluateTargets(const v1::ActionPlan& plan) {
  std::vector<v1::TargetEvaluation> out;
  for (const v1::YearTarget& target : plan.targets()) {
    v1::TargetEvaluation& evaluation = out.emplace_back();
    evaluation.set_be_year(target.be_year());
    *evaluation.mutable_target() = target;
    evaluation.set_ita_score(v1::TargetEvaluation::UNKNOWN);
    if (target.has_ita_score_target() && target.has_actual_ita_score()) {
      evaluation.set_ita_score(target.actual_ita_score() >=
                                       target.ita_score_target()
                                   ? v1::TargetEvaluation::MET
                                   : v1::TargetEvaluation::NOT_MET);
    }
    evaluation.set_corruption_cases(v1::TargetEvaluation::UNKNOWN);
    if (target.has_corruption_case_reduction_percent() &&
        target.has_base_corruption_cases() &&
        target.has_actual_corruption_cases()) {
      const int base = target.base_corruption_cases();
      const int actual = target.actual_corruption_cases();
      bool met;
      if (base == 0) {
        // Nothing to reduce from: only a year still without cases meets it.
        met = actual == 0;
      } else {
        const double achieved = 100.0 * (base - actual) / base;
        evaluation.set_achieved_reduction_percent(achieved);
        met = achieved + 1e-9 >= target.corruption_case_reduction_percent();
      }
      evaluation.set_corruption_cases(met ? v1::TargetEvaluation::MET
                                          : v1::TargetEvaluation::NOT_MET);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const v1::TargetEvaluation& a, const v1::TargetEvaluation& b) {
              return a.be_year() < b.be_year();
            });
  return out;
}

}  // namespace prongsai::plan
