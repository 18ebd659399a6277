#include "services/plan/plan_export.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/render/csv.h"
#include "common/render/document.h"
#include "common/render/markdown.h"
#include "common/thai/thai.h"

namespace prongsai::plan {
namespace {

constexpr absl::string_view kMarkdownContentType =
    "text/markdown; charset=utf-8";
constexpr absl::string_view kCsvContentType = "text/csv; charset=utf-8";

constexpr absl::string_view kTick = "☑";
constexpr absl::string_view kTotal = "รวมทั้งสิ้น";

// --- Numbers the renderer writes -----------------------------------------

// Writes numbers in the requested digits. Everything it returns is made by
// the renderer, never by a user.
class Numbers {
 public:
  explicit Numbers(v1::Digits digits) : thai_(digits == v1::THAI) {}

  // `ascii` is renderer-made text whose ASCII digits follow the request.
  std::string Text(absl::string_view ascii) const {
    return thai_ ? thai::AsciiDigitsToThai(ascii) : std::string(ascii);
  }
  std::string Int(int64_t value) const { return Text(absl::StrCat(value)); }
  std::string Baht(int64_t satang) const {
    return Text(thai::FormatBaht(satang));
  }
  // An unset amount is "-", as in the published tables.
  std::string Money(bool has, const common::v1::Money& money) const {
    return has ? Baht(money.satang()) : "-";
  }
  // One decimal, rounded half away from zero: 200/3 -> "66.7".
  std::string Percent(double percent) const {
    if (!std::isfinite(percent)) return "-";
    const int64_t tenths = std::llround(percent * 10);
    const uint64_t magnitude = tenths < 0 ? 0 - static_cast<uint64_t>(tenths)
                                          : static_cast<uint64_t>(tenths);
    return Text(absl::StrCat(tenths < 0 ? "-" : "", magnitude / 10, ".",
                             magnitude % 10));
  }

 private:
  bool thai_;
};

using render::Align;
using render::Cell;
using render::Column;
using render::Document;
using render::Made;
using render::User;

using Row = std::vector<Cell>;

RenderedDocument Render(const Document& document, v1::DocumentFormat format) {
  // DOCUMENT_FORMAT_UNSPECIFIED (and any unknown value) is Markdown.
  if (format == v1::CSV) {
    return {.content_type = std::string(kCsvContentType),
            .content = render::RenderCsv(document)};
  }
  return {.content_type = std::string(kMarkdownContentType),
          .content = render::RenderMarkdown(document)};
}

// --- Shared pieces ----------------------------------------------------------

// " ของ {organization}", or nothing when the plan names no organization.
std::string OfOrganization(const v1::ActionPlan& plan) {
  const common::v1::OrganizationRef& organization = plan.organization();
  const std::string& who =
      organization.name().empty() ? organization.code() : organization.name();
  return who.empty() ? "" : absl::StrCat(" ของ ", who);
}

std::string RoundName(v1::Round round, const Numbers& numbers) {
  switch (round) {
    case v1::QUARTER_1:
      return numbers.Text("ไตรมาสที่ 1");
    case v1::HALF_YEAR:
      return numbers.Text("รอบ 6 เดือน");
    case v1::QUARTER_3:
      return numbers.Text("ไตรมาสที่ 3");
    case v1::FULL_YEAR:
      return numbers.Text("รอบ 12 เดือน");
    default:
      return "";
  }
}

constexpr absl::string_view kNotReported = "ยังไม่รายงาน";

std::string StatusName(v1::ProgressReport::Status status) {
  switch (status) {
    case v1::ProgressReport::NOT_STARTED:
      return "ยังไม่ดำเนินการ";
    case v1::ProgressReport::IN_PROGRESS:
      return "อยู่ระหว่างดำเนินการ";
    case v1::ProgressReport::DONE:
      return "ดำเนินการแล้ว";
    case v1::ProgressReport::CANCELLED:
      return "ยกเลิก";
    case v1::ProgressReport::POSTPONED:
      return "เลื่อน";
    default:
      return "ไม่ระบุ";
  }
}

// The plan's dimensions by number, for the legend and the summary.
std::vector<const v1::Dimension*> SortedDimensions(const v1::ActionPlan& plan) {
  std::vector<const v1::Dimension*> dimensions;
  for (const v1::Dimension& dimension : plan.dimensions()) {
    dimensions.push_back(&dimension);
  }
  std::stable_sort(dimensions.begin(), dimensions.end(),
                   [](const v1::Dimension* a, const v1::Dimension* b) {
                     return a->number() < b->number();
                   });
  return dimensions;
}

std::string DimensionTitle(const v1::ActionPlan& plan, int number) {
  for (const v1::Dimension& dimension : plan.dimensions()) {
    if (dimension.number() == number) return dimension.title();
  }
  return "";
}

// Dimension numbers start at 1; 0 means none (e.g. an integrity measure).
std::string DimensionNumber(int number, const Numbers& numbers) {
  return number > 0 ? numbers.Int(number) : "";
}

std::string SubjectTitle(
    const std::string& subject,
    const absl::flat_hash_map<std::string, std::string>& titles) {
  const auto it = titles.find(subject);
  return it != titles.end() && !it->second.empty() ? it->second : subject;
}

// The annual plan's one table: a row per entry and the totals row.
void AddAnnualTable(const v1::AnnualPlan& annual, const Numbers& numbers,
                    Document& document) {
  std::vector<Column> columns = {
      {.heading = "ลำดับ", .align = Align::kRight},
      {.heading = "รายการโครงการ", .align = Align::kLeft},
      {.heading = "มิติ", .align = Align::kCenter},
      {.heading = "งบประมาณ (บาท)", .align = Align::kRight},
  };
  for (int quarter = 1; quarter <= 4; ++quarter) {
    columns.push_back(
        {.heading = numbers.Text(absl::StrCat("ไตรมาส ", quarter)),
         .align = Align::kCenter});
  }
  columns.push_back({.heading = "หมายเหตุ", .align = Align::kLeft});

  std::vector<Row> rows;
  int sequence = 0;
  for (const v1::AnnualPlanEntry& entry : annual.entries()) {
    Row row = {
        Made(numbers.Int(++sequence)),
        User(entry.title()),
        Made(DimensionNumber(entry.dimension(), numbers)),
        Made(numbers.Money(entry.has_budget(), entry.budget())),
    };
    for (int quarter = 1; quarter <= 4; ++quarter) {
      const bool runs =
          std::find(entry.quarters().begin(), entry.quarters().end(),
                    quarter) != entry.quarters().end();
      row.push_back(Made(runs ? std::string(kTick) : ""));
    }
    row.push_back(User(entry.remark()));
    rows.push_back(std::move(row));
  }

  const v1::AnnualPlanTotals& totals = annual.totals();
  Row total = {
      Made(""),
      Made(std::string(kTotal)),
      Made(""),
      Made(numbers.Money(totals.has_budget(), totals.budget())),
  };
  for (int quarter = 0; quarter < 4; ++quarter) {
    // The service always sets four counts; a short list leaves cells empty
    // rather than inventing zeros.
    total.push_back(Made(quarter < totals.projects_per_quarter_size()
                             ? numbers.Int(totals.projects_per_quarter(quarter))
                             : ""));
  }
  total.push_back(Made(""));
  rows.push_back(std::move(total));
  document.Table(std::move(columns), std::move(rows));
}

// The legend of the plan's dimensions by number, when it has any.
void AddDimensionLegend(const v1::ActionPlan& plan, const Numbers& numbers,
                        Document& document) {
  const std::vector<const v1::Dimension*> dimensions = SortedDimensions(plan);
  if (dimensions.empty()) return;
  std::vector<Cell> lines;
  lines.reserve(dimensions.size());
  for (const v1::Dimension* dimension : dimensions) {
    // Renderer-made prefix, user-made title: the line starts with "มิติ",
    // so it can never read as a formula.
    lines.push_back(Made(absl::StrCat("มิติ ", numbers.Int(dimension->number()),
                                      " ", dimension->title())));
  }
  document.Paragraph("คำอธิบาย");
  document.List(std::move(lines));
}

// A row per latest report, then a row per unreported item.
void AddRoundItems(const v1::RoundSummary& summary,
                   const absl::flat_hash_map<std::string, std::string>& titles,
                   const Numbers& numbers, Document& document) {
  std::vector<Column> columns = {
      {.heading = "ลำดับ", .align = Align::kRight},
      {.heading = "โครงการ/มาตรการ", .align = Align::kLeft},
      {.heading = "สถานะ", .align = Align::kLeft},
      {.heading = "ผลผลิต (Output)", .align = Align::kLeft},
      {.heading = "ผลลัพธ์ (Outcome)", .align = Align::kLeft},
      {.heading = "ใช้จ่ายจริง (บาท)", .align = Align::kRight},
  };
  std::vector<Row> rows;
  int sequence = 0;
  for (const v1::ProgressReport& report : summary.latest_reports()) {
    rows.push_back({
        Made(numbers.Int(++sequence)),
        User(SubjectTitle(report.subject(), titles)),
        Made(StatusName(report.status())),
        User(report.output()),
        User(report.outcome()),
        Made(numbers.Money(report.has_spent(), report.spent())),
    });
  }
  for (const std::string& subject : summary.unreported()) {
    // No report: nothing spent is known, not even "-".
    rows.push_back({
        Made(numbers.Int(++sequence)),
        User(SubjectTitle(subject, titles)),
        Made(std::string(kNotReported)),
        Made(""),
        Made(""),
        Made(""),
    });
  }
  document.Heading(1, "ผลการดำเนินงานรายโครงการ/มาตรการ");
  document.Table(std::move(columns), std::move(rows), "ไม่มีรายการ");
}

// Progress per dimension and the totals row.
void AddRoundDimensions(const v1::ActionPlan& plan,
                        const v1::RoundSummary& summary, const Numbers& numbers,
                        Document& document) {
  std::vector<Column> columns = {
      {.heading = "มิติ", .align = Align::kCenter},
      {.heading = "ชื่อมิติ", .align = Align::kLeft},
      {.heading = "จำนวนรายการ", .align = Align::kRight},
      {.heading = "ดำเนินการแล้ว", .align = Align::kRight},
      {.heading = "ร้อยละที่ดำเนินการแล้ว", .align = Align::kRight},
      {.heading = "งบประมาณที่อนุมัติ (บาท)", .align = Align::kRight},
      {.heading = "ใช้จ่ายจริง (บาท)", .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::DimensionProgress& progress : summary.dimensions()) {
    const std::string title = DimensionTitle(plan, progress.dimension());
    rows.push_back({
        Made(DimensionNumber(progress.dimension(), numbers)),
        progress.dimension() > 0 ? User(title) : Made("ไม่ระบุมิติ"),
        Made(numbers.Int(progress.items())),
        Made(numbers.Int(progress.done())),
        Made(numbers.Percent(progress.percent_done())),
        Made(numbers.Money(progress.has_approved(), progress.approved())),
        Made(numbers.Money(progress.has_spent(), progress.spent())),
    });
  }
  rows.push_back({
      Made(""),
      Made(std::string(kTotal)),
      Made(numbers.Int(summary.items())),
      Made(numbers.Int(summary.done())),
      Made(numbers.Percent(summary.percent_done())),
      Made(numbers.Money(summary.has_approved(), summary.approved())),
      Made(numbers.Money(summary.has_spent(), summary.spent())),
  });
  document.Heading(1, "สรุปผลการดำเนินงานรายมิติ");
  document.Table(std::move(columns), std::move(rows));
}

void AddRoundOverdue(
    const v1::RoundSummary& summary,
    const absl::flat_hash_map<std::string, std::string>& titles,
    const Numbers& numbers, Document& document) {
  std::vector<Column> columns = {
      {.heading = "ลำดับ", .align = Align::kRight},
      {.heading = "โครงการ/มาตรการ", .align = Align::kLeft},
      {.heading = "มิติ", .align = Align::kCenter},
      {.heading = "ไตรมาสสุดท้ายตามแผน", .align = Align::kCenter},
      {.heading = "สถานะล่าสุด", .align = Align::kLeft},
  };
  std::vector<Row> rows;
  int sequence = 0;
  for (const v1::OverdueItem& item : summary.overdue()) {
    rows.push_back({
        Made(numbers.Int(++sequence)),
        User(item.title().empty() ? SubjectTitle(item.subject(), titles)
                                  : item.title()),
        Made(DimensionNumber(item.dimension(), numbers)),
        Made(item.last_quarter() > 0 ? numbers.Int(item.last_quarter()) : ""),
        Made(item.status() == v1::ProgressReport::STATUS_UNSPECIFIED
                 ? std::string(kNotReported)
                 : StatusName(item.status())),
    });
  }
  document.Heading(1, "รายการที่ล่าช้ากว่าแผน");
  document.Table(std::move(columns), std::move(rows), "ไม่มีรายการที่ล่าช้ากว่าแผน");
}

}  // namespace

RenderedDocument RenderAnnualPlan(const v1::ActionPlan& plan,
                                  const v1::AnnualPlan& annual,
                                  v1::DocumentFormat format,
                                  v1::Digits digits) {
  const Numbers numbers(digits);
  Document document;
  document.title =
      absl::StrCat("แผนปฏิบัติการป้องกันการทุจริต พ.ศ. ",
                   numbers.Int(annual.be_year()), OfOrganization(plan));
  AddAnnualTable(annual, numbers, document);
  AddDimensionLegend(plan, numbers, document);
  return Render(document, format);
}

RenderedDocument RenderRoundReport(
    const v1::ActionPlan& plan, const v1::RoundSummary& summary,
    const absl::flat_hash_map<std::string, std::string>& titles,
    v1::DocumentFormat format, v1::Digits digits) {
  const Numbers numbers(digits);
  Document document;
  const std::string round = RoundName(summary.round(), numbers);
  document.title =
      absl::StrCat("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ",
                   numbers.Int(summary.be_year()), round.empty() ? "" : " (",
                   round, round.empty() ? "" : ")", OfOrganization(plan));
  // Sections follow the seeds' report (item, status, output, outcome), then
  // what the round summary adds: progress per dimension and overdue items.
  AddRoundItems(summary, titles, numbers, document);
  AddRoundDimensions(plan, summary, numbers, document);
  AddRoundOverdue(summary, titles, numbers, document);
  return Render(document, format);
}

}  // namespace prongsai::plan
