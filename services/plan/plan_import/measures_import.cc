#include "services/plan/plan_import/measures_import.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using Severity = v1::Finding::Severity;

// The title limit of IntegrityMeasure.title, in code points.
constexpr size_t kMaxTitleCodePoints = 500;

// Columns of a measures table, -1 when the header has none.
struct MeasureColumns {
  int title = -1;
  int guideline = -1;
  int steps = -1;
  int owner = -1;
  int period = -1;
  int follow_up = -1;
  int indicators = -1;
  int count = 0;
};

// The more specific words are tried first: the title header of seed 004
// ("มาตรการ โครงการ หรือ กิจกรรมที่ดำเนินการ...") names no other column.
void AssignColumn(absl::string_view cell, int index, MeasureColumns* columns) {
  const std::array<std::pair<absl::string_view, int*>, 7> words = {{
      {"ขั้นตอน", &columns->steps},
      {"ระยะเวลา", &columns->period},
      {"ผู้รับผิดชอบ", &columns->owner},
      {"แนวทาง", &columns->guideline},
      {"ติดตาม", &columns->follow_up},
      {"ตัวชี้วัด", &columns->indicators},
      {"มาตรการ", &columns->title},
  }};
  for (const auto& [word, column] : words) {
    if (absl::StrContains(cell, word)) {
      if (*column < 0) *column = index;
      return;
    }
  }
}

std::optional<MeasureColumns> MeasuresHeader(
    const std::vector<std::string>& cells) {
  MeasureColumns columns;
  for (size_t i = 0; i < cells.size(); ++i) {
    AssignColumn(cells[i], static_cast<int>(i), &columns);
  }
  columns.count = static_cast<int>(cells.size());
  if (columns.title < 0 || columns.steps < 0) return std::nullopt;
  if (columns.owner < 0 && columns.period < 0) return std::nullopt;
  return columns;
}

// "ประเด็นที่ ๑ กระบวนการ...": the issue as written, whitespace collapsed.
std::optional<std::string> IssueHeading(const std::vector<std::string>& cells) {
  int filled = 0;
  std::string first;
  for (const std::string& cell : cells) {
    if (cell.empty()) continue;
    if (++filled == 1) first = cell;
  }
  if (filled != 1 || !absl::StartsWith(first, "ประเด็นที่")) {
    return std::nullopt;
  }
  return first;
}

void AddFinding(ImportedMeasures& out, Severity severity,
                absl::string_view code, int line_no, std::string message) {
  v1::Finding& finding = out.findings.emplace_back();
  finding.set_severity(severity);
  finding.set_code(std::string(code));
  finding.set_location(LineLoc(line_no));
  finding.set_message(std::move(message));
}

std::vector<std::string> StepsOf(absl::string_view text) {
  std::string leading;
  std::vector<NumberedItem> items = SplitNumbered(text, '.', &leading);
  if (items.empty()) items = SplitNumbered(text, ')', &leading);
  std::vector<std::string> steps;
  if (!CollapseWhitespace(leading).empty()) {
    steps.push_back(CollapseWhitespace(leading));
  }
  for (const NumberedItem& item : items) {
    const std::string step = CollapseWhitespace(item.text);
    if (!step.empty()) steps.push_back(step);
  }
  return steps;
}

std::vector<std::string> IndicatorsOf(absl::string_view text) {
  std::vector<std::string> indicators;
  for (absl::string_view part :
       absl::StrSplit(text, absl::ByAnyChar(",/ "), absl::SkipEmpty())) {
    indicators.push_back(thai::ThaiDigitsToAscii(part));
  }
  return indicators;
}

// Joins a continuation cell to the text before it.
void Append(std::string* field, absl::string_view more) {
  if (more.empty()) return;
  *field = field->empty() ? std::string(more) : absl::StrCat(*field, " ", more);
}

// The text of one measure while its row (and continuation lines) are read;
// turned into a message when the next row starts.
struct PendingRow {
  int line_no = 0;
  std::string title, guideline, steps, owner, period, follow_up, indicators;
  std::string issue;
};

void AppendCells(const MeasureColumns& c, const std::vector<std::string>& cells,
                 PendingRow* row) {
  Append(&row->title, CellAt(cells, c.title));
  Append(&row->guideline, CellAt(cells, c.guideline));
  Append(&row->steps, CellAt(cells, c.steps));
  Append(&row->owner, CellAt(cells, c.owner));
  Append(&row->period, CellAt(cells, c.period));
  Append(&row->follow_up, CellAt(cells, c.follow_up));
  Append(&row->indicators, CellAt(cells, c.indicators));
}

class MeasuresReader {
 public:
  MeasuresReader(ImportedMeasures& out, int be_year)
      : out_(out), be_year_(be_year) {}

  void Line(absl::string_view line, int line_no) {
    if (!absl::StrContains(line, '\t')) {
      Flush();
      columns_.reset();  // a text line ends the table
      return;
    }
    const std::vector<std::string> cells = ReadableCells(line);
    if (std::optional<MeasureColumns> header = MeasuresHeader(cells)) {
      Flush();
      columns_ = *header;
      return;
    }
    if (!columns_) return;
    if (std::optional<std::string> issue = IssueHeading(cells)) {
      Flush();
      issue_ = *issue;
      return;
    }
    Row(cells, line_no);
  }

  void Finish() {
    Flush();
    if (!saw_table_) {
      AddFinding(out_, v1::Finding::ERROR, "NO_MEASURES_TABLE", 1,
                 "no table with the columns มาตรการ, ขั้นตอน and "
                 "ผู้รับผิดชอบ or ระยะเวลา");
    }
  }

 private:
  void Row(const std::vector<std::string>& cells, int line_no) {
    saw_table_ = true;
    const int filled = static_cast<int>(std::count_if(
        cells.begin(), cells.end(), [](const auto& c) { return !c.empty(); }));
    if (filled == 0) return;
    if (CellAt(cells, columns_->title).empty()) {
      if (pending_) AppendCells(*columns_, cells, &*pending_);
      return;
    }
    Flush();
    if (filled == 1 || static_cast<int>(cells.size()) > columns_->count) {
      AddFinding(
          out_, v1::Finding::ERROR, "UNREADABLE_ROW", line_no,
          absl::StrCat("the row does not fit the table's ", columns_->count,
                       " columns: ", Quote(absl::StrJoin(cells, " | "))));
      return;
    }
    pending_.emplace();
    pending_->line_no = line_no;
    pending_->issue = issue_;
    AppendCells(*columns_, cells, &*pending_);
  }

  void Flush() {
    if (!pending_) return;
    PendingRow row = std::move(*pending_);
    pending_.reset();
    if (thai::CodePoints(row.title).size() > kMaxTitleCodePoints) {
      AddFinding(out_, v1::Finding::ERROR, "TITLE_TOO_LONG", row.line_no,
                 absl::StrCat("a measure's title is at most ",
                              kMaxTitleCodePoints, " characters"));
      return;
    }
    if (!keys_.insert(MeasureTitleKey(row.title)).second) {
      AddFinding(out_, v1::Finding::WARNING, "DUPLICATE_MEASURE", row.line_no,
                 absl::StrCat("the measure ", Quote(row.title),
                              " is written twice; the later row is ignored"));
      return;
    }
    Store(row);
  }

  void Store(const PendingRow& row) {
    v1::IntegrityMeasure& measure = out_.measures.emplace_back();
    measure.set_be_year(be_year_);
    measure.set_title(row.title);
    measure.set_guideline(row.guideline);
    for (std::string& step : StepsOf(row.steps)) measure.add_steps(step);
    measure.set_owner(row.owner);
    measure.set_period_text(row.period);
    for (int quarter : QuartersOfPeriod(row.period)) {
      measure.add_quarters(quarter);
    }
    if (measure.quarters().empty()) {
      AddFinding(out_, v1::Finding::WARNING, "PERIOD_UNREADABLE", row.line_no,
                 absl::StrCat("no quarter could be read from the period ",
                              Quote(row.period)));
    }
    measure.set_follow_up(row.follow_up);
    for (std::string& id : IndicatorsOf(row.indicators)) {
      measure.add_ita_indicators(id);
    }
    measure.set_ita_issue(row.issue);
  }

  ImportedMeasures& out_;
  int be_year_;
  std::optional<MeasureColumns> columns_;
  std::optional<PendingRow> pending_;
  std::string issue_;
  std::set<std::string> keys_;
  bool saw_table_ = false;
};

// Thai month abbreviations by fiscal position (ต.ค. = 0 ... ก.ย. = 11).
// "มี.ค." is tried before "ม.ค." would be found inside it by accident: each
// is matched at its own start only.
constexpr std::array<absl::string_view, 12> kMonths = {
    "ต.ค.",  "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.",
    "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."};

std::optional<int> MonthAt(absl::string_view text, size_t pos) {
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (absl::StartsWith(text.substr(pos), kMonths[m])) {
      return static_cast<int>(m);
    }
  }
  return std::nullopt;
}

void AddRange(int from, int to, std::set<int>* into) {
  for (int q = std::min(from, to); q <= std::max(from, to); ++q) {
    if (q >= 1 && q <= 4) into->insert(q);
  }
}

// "ไตรมาส ๑-๔", "ไตรมาส 2, 3", "ไตรมาสที่ 1".
void QuarterNumbers(absl::string_view text, std::set<int>* quarters) {
  constexpr absl::string_view kQuarter = "ไตรมาส";
  for (size_t at = text.find(kQuarter); at != absl::string_view::npos;
       at = text.find(kQuarter, at + 1)) {
    size_t pos = at + kQuarter.size();
    if (absl::StartsWith(text.substr(pos), "ที่")) pos += strlen("ที่");
    std::optional<int> previous;
    bool range = false;
    for (pos = SkipSpaces(text, pos); pos < text.size();
         pos = SkipSpaces(text, pos)) {
      if (std::optional<int> q = ReadInt(text, &pos, 1)) {
        range&& previous ? AddRange(*previous, *q, quarters)
                         : AddRange(*q, *q, quarters);
        previous = q;
        range = false;
      } else if (text[pos] == '-' || text[pos] == ',') {
        range = text[pos] == '-';
        ++pos;
      } else {
        break;
      }
    }
  }
}

// Month ranges: "ม.ค.-มี.ค. 65" covers January to March, i.e. quarter 2.
void MonthQuarters(absl::string_view text, std::set<int>* quarters) {
  std::optional<int> start;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const std::optional<int> month = MonthAt(text, pos);
    if (!month) continue;
    const size_t after = pos + kMonths[*month].size();
    const size_t next = SkipSpaces(text, after);
    const bool opens_range = next < text.size() && text[next] == '-';
    if (start && !opens_range) {
      AddRange(*start / 3 + 1, *month / 3 + 1, quarters);
      start.reset();
    } else if (opens_range) {
      start = month;
    } else {
      AddRange(*month / 3 + 1, *month / 3 + 1, quarters);
    }
    pos = after - 1;
  }
}

// The length of an HTML tag ("<b>", "</li>", "<ul style=...>") at
// text[pos], or 0.
size_t TagAt(absl::string_view text, size_t pos) {
  constexpr size_t kLongestTag = 200;
  if (text[pos] != '<' || pos + 1 >= text.size()) return 0;
  const size_t name = text[pos + 1] == '/' ? pos + 2 : pos + 1;
  if (name >= text.size() || !absl::ascii_isalpha(text[name])) return 0;
  const size_t end = text.find('>', name);
  if (end == absl::string_view::npos || end - pos > kLongestTag) return 0;
  return end - pos + 1;
}

std::string WithoutMarkup(absl::string_view cell) {
  std::string out;
  for (size_t pos = 0; pos < cell.size();) {
    if (const size_t tag = TagAt(cell, pos); tag > 0) {
      out.push_back(' ');
      pos += tag;
    } else if (cell.substr(pos, 2) == "**") {
      pos += 2;
    } else {
      out.push_back(cell[pos++]);
    }
  }
  return CollapseWhitespace(out);
}

}  // namespace

std::vector<std::string> ReadableCells(absl::string_view line) {
  std::vector<std::string> cells = SplitCells(line);
  for (std::string& cell : cells) cell = WithoutMarkup(cell);
  return cells;
}

bool ImportedMeasures::HasErrors() const {
  return std::any_of(findings.begin(), findings.end(), [](const auto& f) {
    return f.severity() == v1::Finding::ERROR;
  });
}

std::string MeasureTitleKey(absl::string_view title) {
  std::string key = thai::ThaiDigitsToAscii(title);
  key.erase(
      std::remove_if(key.begin(), key.end(),
                     [](unsigned char c) { return absl::ascii_isspace(c); }),
      key.end());
  absl::AsciiStrToLower(&key);
  return key;
}

std::vector<int> QuartersOfPeriod(absl::string_view period) {
  std::set<int> quarters;
  if (absl::StrContains(period, "ตลอดปี")) AddRange(1, 4, &quarters);
  QuarterNumbers(period, &quarters);
  MonthQuarters(period, &quarters);
  return {quarters.begin(), quarters.end()};
}

ImportedMeasures ParseIntegrityMeasures(absl::string_view text, int be_year) {
  ImportedMeasures out;
  const std::string clean = CleanText(text);
  MeasuresReader reader(out, be_year);
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(clean, '\n')) {
    reader.Line(line, ++line_no);
  }
  reader.Finish();
  return out;
}

}  // namespace prongsai::plan::plan_import
