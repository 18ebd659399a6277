// The line scanner of the plan importer: splits the cleaned text into lines,
// tells table lines (tab-separated cells) from text lines, recognises the
// header that starts each table of the NACC template and hands every line to
// the reader of its section: a table row to tables.h, a sheet line to
// sheets.h, headings and cover text to the document-level facts of the
// ImportState.
//
//   ImportState state(CleanText(text));
//   Scan(state);  // state.sheets, state.annual, state.five_year, ...
//   ClassifyTableHeader({"ลำดับ", "รายการ", "งบประมาณ", "ไตรมาส"}).kind;
//   // TableKind::kAnnual
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_SCANNER_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_SCANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/plan/plan_import/import_state.h"

namespace prongsai::plan::plan_import {

// What a table line says about the table it starts.
struct TableHeader {
  TableKind kind = TableKind::kNone;  // kNone: not a header
  std::vector<int> years;             // the "ปี 2566" cells, in order
  std::vector<int> year_columns;      // parallel to years
};

// Whether `cells` are the header of the targets table (ค่าเป้าหมาย and
// years), the 5-year table (มิติ or ภารกิจ, and years), the annual-plan
// table (ไตรมาส, งบประมาณ and รายการ or โครงการ) or the risk table
// (ขั้นตอน and ความเสี่ยง or Risk), tried in that order.
TableHeader ClassifyTableHeader(const std::vector<std::string>& cells);

// "ปี 2566" / "ปี ๒๕๖๖": the year of a header cell.
std::optional<int> YearCell(absl::string_view cell);

// "มิติที่ ๑ title" (and the typos PDFs of it carry): the number and the
// title after it.
bool DimensionHeading(absl::string_view text, int* dimension,
                      std::string* title);

// Reads all of state.text into state; the last sheet and table are closed.
void Scan(ImportState& state);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_SCANNER_H_
