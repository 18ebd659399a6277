// Project sheets of the plan importer: the "ลำดับที่ N" heading that opens a
// sheet, the field headings ๑. ชื่อโครงการ .. ๙. ผลผลิต/ผลลัพธ์ (numbered
// or not), the lines of each field, and the reading of a finished sheet into
// a v1::Project draft (title, kind, items, ๖. years, ๗. budget).
//
//   StartSheet(state, line_no, 3);         // "ลำดับที่ ๓"
//   SheetLine(state, line_no, "๖. ระยะเวลา : ปี ๒๕๖๖");
//   FinishSheet(state);                    // into state.sheets
//   Draft draft = DraftFromSheet(state, state.sheets.back());
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_SHEETS_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_SHEETS_H_

#include <array>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "services/plan/plan_import/import_state.h"

namespace prongsai::plan::plan_import {

// The names of fields ๑. .. ๙. in findings ("๗. งบประมาณ"); index 0 is "".
extern const std::array<absl::string_view, 10> kFieldNames;

// "ลำดับที่ 3" (the number in *sequence) or "ลำดับที่" alone (nullopt);
// false for anything else, such as running text "ลำดับที่ติด...".
bool ParseSequenceLine(absl::string_view text, std::optional<int>* sequence);

// A sheet field heading for a field after `current_field`.
struct FieldHeading {
  int field = 0;
  // The text after ':' (for ๑.: after the keyword when there is no ':').
  std::string rest;
  bool numbered = false;
};

// "๖. ระยะเวลา..." (or "๖.ระยะเวลา"), or the keyword alone on a short line
// for the field right after `current_field` (the number lost in
// extraction).
std::optional<FieldHeading> ParseFieldHeading(absl::string_view text,
                                              int current_field);

// Opens a sheet (closing none: see FinishSheet).
void StartSheet(ImportState& state, int line_no, std::optional<int> sequence);

// A "๑. ชื่อโครงการ" line outside any sheet opens one whose "ลำดับที่" line
// is missing (an ERROR finding); false for any other line.
bool StartSheetWithoutSequence(ImportState& state, int line_no,
                               const std::string& text);

// A line of the open sheet: a field heading or the body of the field.
void SheetLine(ImportState& state, int line_no, const std::string& text);

// Moves the open sheet, if any, to state.sheets.
void FinishSheet(ImportState& state);

// Reads ๗. งบประมาณ: "ไม่ใช้งบประมาณ" (0 for every year), one amount, or
// amounts after the years they belong to. Unreadable text is a finding.
SheetBudget ParseSheetBudget(ImportState& state, const std::string& text,
                             int line_no, int sequence);

// Reads a finished sheet into a project draft; what it cannot take over is
// a finding.
Draft DraftFromSheet(ImportState& state, const Sheet& sheet);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_SHEETS_H_
