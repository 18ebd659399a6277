// Table readers of the plan importer: the header and the rows of each table
// of the NACC template, once the scanner (scanner.h) has classified its
// header line. Each row is read into the ImportState (the annual plan's
// entries, the risk rows, the yearly targets, the 5-year table's groups and
// totals); a row that cannot be read is a finding. The cross-checks between
// tables and sheets come later (reconcile.h).
//
//   BeginAnnualTable(state, header_cells, line_no);
//   AnnualRow(state, {"1", "โครงการ...", "1", "20,000", "/", "", "", ""},
//             line_no + 1);  // state.annual.plan->entries(0)
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_TABLES_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_TABLES_H_

#include <string>
#include <vector>

#include "services/plan/plan_import/import_state.h"

namespace prongsai::plan::plan_import {

// Headers: the columns of each table, from its header line.
void BeginTargetsTable(ImportState& state, const std::vector<int>& years,
                       const std::vector<int>& year_columns);
void BeginFiveYearTable(ImportState& state,
                        const std::vector<std::string>& cells,
                        const std::vector<int>& years,
                        const std::vector<int>& year_columns, int line_no);
// Only the first annual-plan table is read; a second one is a finding and
// its rows are ignored.
void BeginAnnualTable(ImportState& state, const std::vector<std::string>& cells,
                      int line_no);
void BeginRiskTable(ImportState& state, const std::vector<std::string>& cells);

// Rows.
void AnnualRow(ImportState& state, const std::vector<std::string>& cells,
               int line_no);
void RiskTableRow(ImportState& state, const std::vector<std::string>& cells,
                  int line_no);
void TargetsRow(ImportState& state, const std::vector<std::string>& cells,
                int line_no);
void FiveYearRow(ImportState& state, const std::vector<std::string>& cells,
                 int line_no);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_TABLES_H_
