// Reads the plain text of a local organization's anti-corruption action plan
// written in the NACC template (seed 002: the annual-plan table, the risk
// table, the yearly targets, the 5-year budget table and the project sheets)
// into plan.v1 messages. Pure: no I/O, no clock, no database; the plan
// service stores what this returns.
//
// The text comes from PDF extraction, so nothing in it is trusted: numbers
// that do not add up, sheets that disagree with the tables, lines that cannot
// be read and anything else that is not taken over as data is reported as a
// Finding, never dropped silently. Parsing never fails and runs in time
// roughly linear in the input; any input (empty, binary, megabytes) returns.
//
//   ImportedPlan imported = ParsePlanDocument(text);
//   for (const v1::Finding& f : imported.findings) ...
//
// Decisions a caller should know:
// - A sheet whose ลำดับที่ repeats an earlier one is not returned; a
//   DUPLICATE_SEQUENCE finding names it (title and line). Sheets are never
//   renumbered: the numbers are what the published document says.
// - A sheet without a title, or without a readable ลำดับที่, is not returned
//   (SHEET_WITHOUT_TITLE / SHEET_WITHOUT_SEQUENCE).
// - A project's budgets follow its sheet (๖. years, ๗. amount); the 5-year
//   table only fills what the sheet lacks, and every disagreement between the
//   two is a SCHEDULE_MISMATCH. "-" in the table is "not scheduled", "0" is
//   "scheduled without budget"; the two are never merged.
// - A 5-year table cell that lists one value for several projects (merged
//   cells) is not attributed to any of them (AMBIGUOUS_SCHEDULE); its values
//   still count towards the table's totals.
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_PLAN_IMPORT_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_PLAN_IMPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan {

struct ImportedPlan {
  // Title, fiscal-year span, organization (name and kind; no code),
  // dimensions with missions and sub-missions, yearly targets.
  v1::ActionPlan plan;
  // One per kept project sheet, in document order. name, etag, audit empty.
  std::vector<v1::Project> projects;
  // The risk-assessment table, one per row.
  std::vector<v1::Risk> risks;
  // Parallel to `risks`: per risk, the sequences of the projects whose
  // (normalized) title equals one of its control texts.
  std::vector<std::vector<int>> risk_control_sequences;
  // The annual-plan table (entries' `project` empty), if the text has one.
  std::optional<v1::AnnualPlan> annual_plan;
  // Parallel to `annual_plan->entries`: the sequence of the project sheet
  // with the same normalized title, 0 when none.
  std::vector<int> annual_entry_sequences;
  // Everything not taken over as data, and everything that does not add up.
  std::vector<v1::Finding> findings;
};

ImportedPlan ParsePlanDocument(absl::string_view text);

// The comparison key of titles: whitespace, quotes and list markers removed,
// ASCII lower-cased, and the organization's name (any spelling within a few
// letters of `organization_short_name`, e.g. "อีสานเขต"), "ระบุชื่อองค์กร
// ปกครองส่วนท้องถิ่น" and "องค์กรปกครองส่วนท้องถิ่น" all replaced by one
// placeholder. Exposed for tests and for callers matching titles later.
std::string NormalizeTitleForMatch(absl::string_view title,
                                   absl::string_view organization_short_name);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_PLAN_IMPORT_H_
