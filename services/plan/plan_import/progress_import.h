// The importer of progress reports on integrity measures (รายงานผลการ
// ดำเนินการตามมาตรการ..., รอบ ๖ / ๑๒ เดือน; seed 003 shows the shape): pure
// text and the organization's measures of the year in, ProgressReport
// messages and findings out. The table's header names มาตรการ and the
// results (ผลการดำเนินการ, ผลผลิต/Output, ผลลัพธ์/Outcome), possibly over
// two lines; each row names a measure by its title, matched by
// MeasureTitleKey (whitespace and Thai digits do not matter). A row without
// a title continues the row before it.
//
//   ImportedProgress got = ParseProgressReport(text, 2564,
//       v1::ROUND_UNSPECIFIED, {{"organizations/o/integrityMeasures/m1",
//                                "มาตรการตรวจสอบการใช้ดุลพินิจ"}});
//   got.round;                 // HALF_YEAR: the document says "รอบ ๖ เดือน"
//   got.reports[0].subject();  // "organizations/o/integrityMeasures/m1"
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_PROGRESS_IMPORT_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_PROGRESS_IMPORT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan::plan_import {

// A measure a report row may name: its resource name and title.
struct MeasureRef {
  std::string name;
  std::string title;
};

struct ImportedProgress {
  v1::Round round = v1::ROUND_UNSPECIFIED;
  // One per matched row, in document order: subject, be_year, round,
  // output (the ผลผลิต cell, or the details cell when there is none),
  // outcome, the http(s) links of the row as evidence_uris, and a status:
  // NOT_STARTED when the row reports nothing, else IN_PROGRESS for
  // HALF_YEAR and DONE for FULL_YEAR.
  std::vector<v1::ProgressReport> reports;
  std::vector<v1::Finding> findings;
  bool HasErrors() const;
};

// "รอบ ๖ เดือน" -> HALF_YEAR, "รอบ ๑๒ เดือน" -> FULL_YEAR (the first such
// phrase), else ROUND_UNSPECIFIED.
v1::Round RoundOfDocument(absl::string_view text);

// `round` HALF_YEAR or FULL_YEAR overrides what the document says.
// Codes: NO_PROGRESS_TABLE, ROUND_UNKNOWN, UNKNOWN_MEASURE (no measure has
// the row's title), AMBIGUOUS_MEASURE (two or more do) - all errors: a
// round's report is stored whole or not at all; DUPLICATE_ROW (warning: the
// later row naming a measure is ignored).
ImportedProgress ParseProgressReport(absl::string_view text, int be_year,
                                     v1::Round round,
                                     const std::vector<MeasureRef>& measures);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_PROGRESS_IMPORT_H_
