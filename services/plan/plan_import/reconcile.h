// The cross-checks of the plan importer, run once the whole text is
// scanned: they turn what the scanner collected in the ImportState into
// the ImportedPlan (state.out) and report, as findings, everything that does
// not add up — the organization's name and the plan's span, duplicate and
// missing sheets, the 5-year table against its totals and against the
// sheets, the annual plan against its total row and the sheets, the risk
// rows, the dimension/mission tree, the targets and the declared counts.
//
//   Scan(state);
//   Reconcile(state);  // every step below, in this order
//   ImportedPlan imported = std::move(state.out);
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_RECONCILE_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_RECONCILE_H_

#include "services/plan/plan_import/import_state.h"

namespace prongsai::plan::plan_import {

// All of the steps below, then NO_PLAN_FOUND and FINDINGS_TRUNCATED.
void Reconcile(ImportState& state);

// The organization (the most frequent name), the span (the most frequent
// "พ.ศ. 2566 - 2570") and the title.
void FinishOrganization(ImportState& state);
// Sheets into drafts; one kept per sequence (state.kept); missing fields
// and sequences.
void FinishProjects(ImportState& state);
// The 5-year table's values attributed to its items (state.five_year
// .schedule), and its declared totals against the rows.
void FinishFiveYear(ImportState& state);
// Each kept sheet's years and budgets, filled from the 5-year table where
// the sheet lacks them and checked against it; into state.out.projects.
void FinishBudgets(ImportState& state);
// The annual plan against its total row, the sheets and the 5-year plan.
void FinishAnnual(ImportState& state);
void FinishRisks(ImportState& state);
void FinishTree(ImportState& state);
void FinishTargets(ImportState& state);
void FinishDeclaredCounts(ImportState& state);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_RECONCILE_H_
