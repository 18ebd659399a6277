// The importer of integrity-measures tables (มาตรการส่งเสริมคุณธรรมและความ
// โปร่งใส): pure text in, IntegrityMeasure messages of one fiscal year and
// findings out. It reads the tab-separated tables PDF extraction leaves
// (seeds 000 and 004 show the shape): a header naming the columns (มาตรการ,
// แนวทาง, ขั้นตอน, ผู้รับผิดชอบ, ระยะเวลา, การติดตาม, ตัวชี้วัด), optional
// "ประเด็นที่ N ..." lines naming the ITA issue of the rows after them, and
// one row per measure. A row without a title continues the row before it
// (a cell broken over two lines by the PDF converter).
//
//   ImportedMeasures got = ParseIntegrityMeasures(text, 2568);
//   got.measures[0].title();        // "มาตรการตรวจสอบการใช้ดุลพินิจ"
//   got.measures[0].quarters();     // {2} for "ม.ค.-มี.ค. 65"
//   MeasureTitleKey("มาตรการ ๑  ก") == MeasureTitleKey("มาตรการ1ก");
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_MEASURES_IMPORT_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_MEASURES_IMPORT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan::plan_import {

struct ImportedMeasures {
  // In document order, titles distinct by MeasureTitleKey; be_year set, no
  // name (the store gives it).
  std::vector<v1::IntegrityMeasure> measures;
  // ERROR findings make the document unfit to store.
  std::vector<v1::Finding> findings;
  bool HasErrors() const;
};

// The key measures are matched by (a re-import, a progress report row): no
// whitespace at all (PDF extraction breaks Thai words with spaces), Thai
// digits as ASCII, ASCII letters lower-cased.
std::string MeasureTitleKey(absl::string_view title);

// The cells of a table line as SplitCells gives them, with the markup PDF
// converters leave in cells removed ("<b>", "<li>", "</ul>", "**"): the
// text a person reads.
std::vector<std::string> ReadableCells(absl::string_view line);

// The fiscal quarters a period cell names: "ไตรมาส ๑-๔", "ไตรมาส 2, 3",
// month ranges ("ม.ค.-มี.ค. 65" -> {2}; months in fiscal order, October
// first) and "ตลอดปี" (all four). Sorted, distinct; empty when unreadable.
std::vector<int> QuartersOfPeriod(absl::string_view period);

// Codes: NO_MEASURES_TABLE (error), UNREADABLE_ROW (error: a row with a
// title and nothing else, or more cells than the header), TITLE_TOO_LONG
// (error), DUPLICATE_MEASURE (warning; the later row is dropped),
// PERIOD_UNREADABLE (warning: no quarter could be read).
ImportedMeasures ParseIntegrityMeasures(absl::string_view text, int be_year);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_MEASURES_IMPORT_H_
