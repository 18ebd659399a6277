#include "services/plan/plan_export.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"

namespace prongsai::plan {
namespace {

constexpr absl::string_view kMarkdownContentType =
    "text/markdown; charset=utf-8";
constexpr absl::string_view kCsvContentType = "text/csv; charset=utf-8";

// Excel opens a BOM-less CSV in the system's ANSI code page (TIS-620 /
// windows-874 on Thai Windows at best, windows-1252 elsewhere) and turns Thai
// UTF-8 into mojibake; a UTF-8 byte-order mark makes it read UTF-8. Officers
// open these files by double-click, so the BOM wins over the few tools that
// would keep it as part of the first header (RFC 4180 allows any charset).
constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kCrLf = "\r\n";

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

// --- A format-neutral document model --------------------------------------

// Whether a cell's text came from a user. Only user text can be a formula
// injection: renderer-made cells hold numbers, "-", "☑" and Thai labels.
enum class Source { kRenderer, kUser };

struct Cell {
  std::string text;
  Source source;
};

Cell Made(std::string text) {
  return {.text = std::move(text), .source = Source::kRenderer};
}
Cell User(absl::string_view text) {
  return {.text = std::string(text), .source = Source::kUser};
}

using Row = std::vector<Cell>;

enum class Align { kLeft, kCenter, kRight };

struct Column {
  std::string heading;
  Align align;
};

struct Table {
  // Markdown "## title"; in CSV a row above the header, except for the first
  // table whose header must be the file's first row.
  std::string title;
  std::vector<Column> columns;
  std::vector<Row> rows;
  // Markdown: written instead of a table without rows.
  std::string empty_text;
};

// Lines under a heading, such as the legend of dimensions: a paragraph and a
// list in Markdown, one row per line in CSV.
struct Notes {
  std::string heading;
  std::vector<Cell> lines;
};

struct Document {
  std::string title;
  std::vector<Table> tables;
  std::vector<Notes> notes;  // After the tables.
};

// --- Markdown ---------------------------------------------------------------

// '\' and '|' are escaped so that user text cannot end a cell (GFM splits a
// row at every unescaped '|', and "\\|" is an escaped backslash then a
// split); '<' so that it cannot open an HTML tag when the Markdown is shown
// as HTML. Line breaks would end the row: they become "<br>" in cells and a
// space elsewhere.
std::string MarkdownEscape(absl::string_view text,
                           absl::string_view line_break) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case '|':
      case '<':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out.append(line_break.data(), line_break.size());
        break;
      case '\n':
        out.append(line_break.data(), line_break.size());
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string MarkdownCell(absl::string_view text) {
  return MarkdownEscape(text, "<br>");
}
std::string MarkdownText(absl::string_view text) {
  return MarkdownEscape(text, " ");
}

std::string MarkdownRow(const std::vector<std::string>& cells) {
  return absl::StrCat("| ", absl::StrJoin(cells, " | "), " |");
}

std::string RenderMarkdown(const Document& document) {
  std::vector<std::string> lines;
  lines.push_back(absl::StrCat("# ", MarkdownText(document.title)));
  for (const Table& table : document.tables) {
    lines.push_back("");
    if (!table.title.empty()) {
      lines.push_back(absl::StrCat("## ", MarkdownText(table.title)));
      lines.push_back("");
    }
    if (table.rows.empty() && !table.empty_text.empty()) {
      lines.push_back(MarkdownText(table.empty_text));
      continue;
    }
    std::vector<std::string> headings;
    std::vector<std::string> rules;
    for (const Column& column : table.columns) {
      headings.push_back(MarkdownCell(column.heading));
      switch (column.align) {
        case Align::kLeft:
          rules.push_back("---");
          break;
        case Align::kCenter:
          rules.push_back(":---:");
          break;
        case Align::kRight:
          rules.push_back("---:");
          break;
      }
    }
    lines.push_back(MarkdownRow(headings));
    lines.push_back(absl::StrCat("|", absl::StrJoin(rules, "|"), "|"));
    for (const Row& row : table.rows) {
      std::vector<std::string> cells;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        cells.push_back(i < row.size() ? MarkdownCell(row[i].text) : "");
      }
      lines.push_back(MarkdownRow(cells));
    }
  }
  for (const Notes& notes : document.notes) {
    lines.push_back("");
    lines.push_back(MarkdownText(notes.heading));
    lines.push_back("");
    for (const Cell& line : notes.lines) {
      lines.push_back(absl::StrCat("- ", MarkdownText(line.text)));
    }
  }
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

// --- CSV --------------------------------------------------------------------

// A spreadsheet runs a cell that starts with '=', '+', '-' or '@' as a
// formula (tab, CR and LF lead some of them to the same place), so a title
// such as "=HYPERLINK(...)" or "-2+3+cmd|..." would execute when an officer
// opens the file. Such user text gets a leading apostrophe (OWASP's advice),
// which keeps it visible as text. A lone "-" is left alone: with no operand
// it cannot be a formula, and it is how documents write "nothing / not
// scheduled". Renderer-made cells (numbers, "-" for an unset amount) are
// never touched, whatever their first character.
bool IsFormulaLike(const Cell& cell) {
  if (cell.source != Source::kUser || cell.text.empty() || cell.text == "-") {
    return false;
  }
  return absl::string_view("=+-@\t\r\n").find(cell.text.front()) !=
         absl::string_view::npos;
}

// RFC 4180: fields holding a comma, a quote or a line break are quoted, with
// quotes doubled.
std::string CsvField(const Cell& cell) {
  std::string value =
      IsFormulaLike(cell) ? absl::StrCat("'", cell.text) : cell.text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

class CsvWriter {
 public:
  // Every record gets `width` fields, so that the file is a rectangle.
  explicit CsvWriter(size_t width) : width_(width) {}

  void Add(const Row& row) {
    std::vector<std::string> fields;
    fields.reserve(width_);
    for (size_t i = 0; i < width_; ++i) {
      fields.push_back(i < row.size() ? CsvField(row[i]) : "");
    }
    absl::StrAppend(&out_, absl::StrJoin(fields, ","), kCrLf);
  }
  void AddBlank() { Add({}); }

  std::string Finish() && { return std::move(out_); }

 private:
  size_t width_;
  std::string out_ = std::string(kUtf8Bom);
};

std::string RenderCsv(const Document& document) {
  size_t width = 1;
  for (const Table& table : document.tables) {
    width = std::max(width, table.columns.size());
  }
  CsvWriter csv(width);
  bool first = true;
  for (const Table& table : document.tables) {
    if (!first) {
      csv.AddBlank();
      if (!table.title.empty()) csv.Add({Made(table.title)});
    }
    first = false;
    Row headings;
    for (const Column& column : table.columns) {
      headings.push_back(Made(column.heading));
    }
    csv.Add(headings);
    for (const Row& row : table.rows) csv.Add(row);
  }
  for (const Notes& notes : document.notes) {
    csv.AddBlank();
    csv.Add({Made(notes.heading)});
    for (const Cell& line : notes.lines) csv.Add({line});
  }
  return std::move(csv).Finish();
}

RenderedDocument Render(const Document& document, v1::DocumentFormat format) {
  // DOCUMENT_FORMAT_UNSPECIFIED (and any unknown value) is Markdown.
  if (format == v1::CSV) {
    return {.content_type = std::string(kCsvContentType),
            .content = RenderCsv(document)};
  }
  return {.content_type = std::string(kMarkdownContentType),
          .content = RenderMarkdown(document)};
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

  Table table;
  table.columns = {
      {.heading = "ลำดับ", .align = Align::kRight},
      {.heading = "รายการโครงการ", .align = Align::kLeft},
      {.heading = "มิติ", .align = Align::kCenter},
      {.heading = "งบประมาณ (บาท)", .align = Align::kRight},
  };
  for (int quarter = 1; quarter <= 4; ++quarter) {
    table.columns.push_back(
        {.heading = numbers.Text(absl::StrCat("ไตรมาส ", quarter)),
         .align = Align::kCenter});
  }
  table.columns.push_back({.heading = "หมายเหตุ", .align = Align::kLeft});

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
    table.rows.push_back(std::move(row));
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
  table.rows.push_back(std::move(total));
  document.tables.push_back(std::move(table));

  const std::vector<const v1::Dimension*> dimensions = SortedDimensions(plan);
  if (!dimensions.empty()) {
    Notes legend = {.heading = "คำอธิบาย", .lines = {}};
    for (const v1::Dimension* dimension : dimensions) {
      // Renderer-made prefix, user-made title: the line starts with "มิติ",
      // so it can never read as a formula.
      legend.lines.push_back(
          {.text = absl::StrCat("มิติ ", numbers.Int(dimension->number()), " ",
                                dimension->title()),
           .source = Source::kRenderer});
    }
    document.notes.push_back(std::move(legend));
  }
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
  Table items;
  items.title = "ผลการดำเนินงานรายโครงการ/มาตรการ";
  items.columns = {
      {.heading = "ลำดับ", .align = Align::kRight},
      {.heading = "โครงการ/มาตรการ", .align = Align::kLeft},
      {.heading = "สถานะ", .align = Align::kLeft},
      {.heading = "ผลผลิต (Output)", .align = Align::kLeft},
      {.heading = "ผลลัพธ์ (Outcome)", .align = Align::kLeft},
      {.heading = "ใช้จ่ายจริง (บาท)", .align = Align::kRight},
  };
  items.empty_text = "ไม่มีรายการ";
  int sequence = 0;
  for (const v1::ProgressReport& report : summary.latest_reports()) {
    items.rows.push_back({
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
    items.rows.push_back({
        Made(numbers.Int(++sequence)),
        User(SubjectTitle(subject, titles)),
        Made(std::string(kNotReported)),
        Made(""),
        Made(""),
        Made(""),
    });
  }
  document.tables.push_back(std::move(items));

  Table by_dimension;
  by_dimension.title = "สรุปผลการดำเนินงานรายมิติ";
  by_dimension.columns = {
      {.heading = "มิติ", .align = Align::kCenter},
      {.heading = "ชื่อมิติ", .align = Align::kLeft},
      {.heading = "จำนวนรายการ", .align = Align::kRight},
      {.heading = "ดำเนินการแล้ว", .align = Align::kRight},
      {.heading = "ร้อยละที่ดำเนินการแล้ว", .align = Align::kRight},
      {.heading = "งบประมาณที่อนุมัติ (บาท)", .align = Align::kRight},
      {.heading = "ใช้จ่ายจริง (บาท)", .align = Align::kRight},
  };
  for (const v1::DimensionProgress& progress : summary.dimensions()) {
    const std::string title = DimensionTitle(plan, progress.dimension());
    by_dimension.rows.push_back({
        Made(DimensionNumber(progress.dimension(), numbers)),
        progress.dimension() > 0 ? User(title) : Made("ไม่ระบุมิติ"),
        Made(numbers.Int(progress.items())),
        Made(numbers.Int(progress.done())),
        Made(numbers.Percent(progress.percent_done())),
        Made(numbers.Money(progress.has_approved(), progress.approved())),
        Made(numbers.Money(progress.has_spent(), progress.spent())),
    });
  }
  by_dimension.rows.push_back({
      Made(""),
      Made(std::string(kTotal)),
      Made(numbers.Int(summary.items())),
      Made(numbers.Int(summary.done())),
      Made(numbers.Percent(summary.percent_done())),
      Made(numbers.Money(summary.has_approved(), summary.approved())),
      Made(numbers.Money(summary.has_spent(), summary.spent())),
  });
  document.tables.push_back(std::move(by_dimension));

  Table overdue;
  overdue.title = "รายการที่ล่าช้ากว่าแผน";
  overdue.columns = {
      {.heading = "ลำดับ", .align = Align::kRight},
      {.heading = "โครงการ/มาตรการ", .align = Align::kLeft},
      {.heading = "มิติ", .align = Align::kCenter},
      {.heading = "ไตรมาสสุดท้ายตามแผน", .align = Align::kCenter},
      {.heading = "สถานะล่าสุด", .align = Align::kLeft},
  };
  overdue.empty_text = "ไม่มีรายการที่ล่าช้ากว่าแผน";
  sequence = 0;
  for (const v1::OverdueItem& item : summary.overdue()) {
    overdue.rows.push_back({
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
  document.tables.push_back(std::move(overdue));
  return Render(document, format);
}

}  // namespace prongsai::plan
