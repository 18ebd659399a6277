// Figures the plan service derives from its resources, without I/O: the
// totals of an annual plan, the annual plan the 5-year plan schedules and
// what an annual plan differs from it in, a round's progress, and the plan's
// targets against their actuals (with the rules for which actuals the peers
// are asked for).
//
//   *annual.mutable_totals() = ComputeTotals(annual.entries());
//   for (v1::Finding& finding : Reconcile(annual, projects)) ...
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_FIGURES_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_FIGURES_H_

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/thai/thai.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan {

// ------------------------------------------------- inputs of EvaluateTargets

// Whether fiscal year `be_year` is over at `now` (a year still running has
// no final counts).
bool FiscalYearHasEnded(int be_year, absl::Time now);
// Whether a target has an ITA score target but no actual score to check it
// against, which the ITA service may have.
bool NeedsItaScores(const v1::ActionPlan& plan);
// Sets each target's missing actual ITA score from `scores` (by fiscal
// year); recorded scores stay.
void FillItaScores(const absl::flat_hash_map<int, double>& scores,
                   v1::ActionPlan& plan);
// The fiscal years whose corruption-case counts the plan lacks, in the order
// the targets need them, once each: for each reduction target whose year has
// ended, its base year (no base count) and its year (no actual count).
std::vector<int> CorruptionCaseYearsToCount(const v1::ActionPlan& plan,
                                            absl::Time now);
// Sets the missing base and actual counts of the targets
// CorruptionCaseYearsToCount looks at from `cases` (by fiscal year); a year
// absent from `cases` stays unknown.
void FillCorruptionCases(const absl::flat_hash_map<int, int>& cases,
                         absl::Time now, v1::ActionPlan& plan);

// ---------------------------------------------------------------- figures

v1::AnnualPlanTotals ComputeTotals(
    const google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry>& entries);

// The annual plan of `be_year` as the 5-year plan schedules it: each project
// running that year, in sequence order, with its planned budget (zero when
// scheduled without an amount) and `quarters`.
std::vector<v1::AnnualPlanEntry> DeriveAnnualEntries(
    absl::Span<const v1::Project> projects, int be_year,
    absl::Span<const int32_t> quarters);

// What differs between `annual` and the 5-year plan's schedule of its year:
// ADDED_PROJECT (a project the plan does not schedule that year),
// DROPPED_PROJECT (scheduled but absent), BUDGET_DIFFERS (entry budget vs
// planned), UNKNOWN_PROJECT (a row with no project of the plan).
std::vector<v1::Finding> Reconcile(const v1::AnnualPlan& annual,
                                   absl::Span<const v1::Project> projects);

// The last quarter of a round (1, 2, 3 or 4).
int LastQuarterOf(v1::Round round);

// A round's state: the annual plan's entries with a project and the year's
// measures are the items; `reports` are every report of the year (any
// round; those after `round` are ignored, the latest per subject counts).
v1::RoundSummary SummarizeRound(const v1::AnnualPlan& annual,
                                absl::Span<const v1::IntegrityMeasure> measures,
                                absl::Span<const v1::ProgressReport> reports,
                                v1::Round round);

// Whether an integrity measure of `be_year` is late at `current`: its last
// scheduled quarter (4 when it names none) has ended, and its latest report
// of the year (by round, then time, as SummarizeRound picks it; `reports`
// are that measure's reports of the year) is neither DONE nor CANCELLED. A
// measure without reports whose quarter has ended is late. The rule the ITA
// analysis applies to the measures answering a weakness
// (services/ita/ita_peers.cc) and RoundSummary.overdue apply at a round's
// end.
bool MeasureIsLate(const v1::IntegrityMeasure& measure, int be_year,
                   absl::Span<const v1::ProgressReport* const> reports,
                   thai::FiscalQuarter current);

// Each target against its actuals (those the plan records; fill the others
// first with FillItaScores and FillCorruptionCases), by year.
std::vector<v1::TargetEvaluation> EvaluateTargets(const v1::ActionPlan& plan);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_FIGURES_H_
