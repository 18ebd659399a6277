// Renders plan-service data as the tables Thai local organizations publish:
// the annual anti-corruption action plan (seed 002's first table) and the
// progress report of a round (seeds 003/004), in Markdown or CSV, with Thai
// headings and Thai (๐-๙) or Arabic digits. Pure functions: no I/O, no clock,
// so the service's Export* RPCs and the tests share them.
//
//   RenderedDocument doc = RenderAnnualPlan(plan, annual, v1::CSV, v1::THAI);
//   // doc.content_type == "text/csv; charset=utf-8"
//
// Digits: only what the renderer writes (years, sequence numbers, budgets,
// counts, percents, quarter and dimension numbers in headings) follows
// `digits`; text users typed (titles, remarks, outputs) is left as written.
//
// Markdown: a heading, then GitHub-flavoured pipe tables. In user text, '\',
// '|', '<', '[' and ']' are backslash-escaped and line breaks become "<br>"
// in cells (a space elsewhere), so user text can neither break a table nor
// inject HTML or links (common/render/markdown.h).
//
// CSV (RFC 4180): UTF-8 with a byte-order mark, CRLF line ends, the first
// record is the header row, every record has the same number of fields.
// Text cells that a spreadsheet would read as a formula are neutralised (see
// common/render/csv.cc). The document's title is not in the CSV (its first row
// is the header, so tools import it as a table); callers name the file instead.
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_EXPORT_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_EXPORT_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan {

struct RenderedDocument {
  // "text/markdown; charset=utf-8" or "text/csv; charset=utf-8".
  std::string content_type;
  std::string content;
};

// The annual plan table of seed 002: the title "แผนปฏิบัติการป้องกันการทุจริต
// พ.ศ. {be_year} ของ {organization name}" (Markdown only), one row per entry
// (ลำดับ 1..n in entry order, title, dimension, budget in baht or "-" when
// unset, ☑ per quarter, remark), the "รวมทั้งสิ้น" row from `annual.totals()`,
// then the legend of `plan.dimensions()` by number ("มิติ 1 ...").
// DOCUMENT_FORMAT_UNSPECIFIED means MARKDOWN; DIGITS_UNSPECIFIED means ARABIC.
RenderedDocument RenderAnnualPlan(const v1::ActionPlan& plan,
                                  const v1::AnnualPlan& annual,
                                  v1::DocumentFormat format, v1::Digits digits);

// The progress report of a round ("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ.
// {be_year} (รอบ ๖ เดือน) ของ {organization}"): a row per latest report
// (title from `titles` keyed by the report's subject, else the subject;
// status in Thai; output; outcome; money spent), then a row per unreported
// item with status "ยังไม่รายงาน"; the summary per dimension (items, done, %
// done with one decimal, approved, spent) and its "รวมทั้งสิ้น" row; then the
// overdue items.
RenderedDocument RenderRoundReport(
    const v1::ActionPlan& plan, const v1::RoundSummary& summary,
    const absl::flat_hash_map<std::string, std::string>& titles,
    v1::DocumentFormat format, v1::Digits digits);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_EXPORT_H_
