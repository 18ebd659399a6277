#include "services/plan/plan_import/scanner.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/sheets.h"
#include "services/plan/plan_import/tables.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using v1::Finding;

constexpr absl::string_view kPlanTitle = "แผนปฏิบัติการป้องกันการทุจริต";

// ----------------------------------------------------------- table lines

// Whether `cells` start a table; if so, the sheet being read ends and the
// table's reader takes the header.
bool StartTable(ImportState& state, const std::vector<std::string>& cells,
                int line_no) {
  const TableHeader header = ClassifyTableHeader(cells);
  if (header.kind == TableKind::kNone) return false;
  FinishSheet(state);
  state.table = header.kind;
  switch (header.kind) {
    case TableKind::kTargets:
      BeginTargetsTable(state, header.years, header.year_columns);
      break;
    case TableKind::kFiveYear:
      BeginFiveYearTable(state, cells, header.years, header.year_columns,
                         line_no);
      break;
    case TableKind::kAnnual:
      BeginAnnualTable(state, cells, line_no);
      break;
    case TableKind::kRisk:
      BeginRiskTable(state, cells);
      break;
    case TableKind::kNone:
      break;
  }
  return true;
}

void EndTable(ImportState& state) {
  if (state.table == TableKind::kAnnual) state.annual.just_ended = true;
  state.table = TableKind::kNone;
}

void TableRow(ImportState& state, const std::vector<std::string>& cells,
              int line_no) {
  switch (state.table) {
    case TableKind::kAnnual:
      if (!state.annual.ignored) AnnualRow(state, cells, line_no);
      break;
    case TableKind::kRisk:
      RiskTableRow(state, cells, line_no);
      break;
    case TableKind::kTargets:
      TargetsRow(state, cells, line_no);
      break;
    case TableKind::kFiveYear:
      FiveYearRow(state, cells, line_no);
      break;
    case TableKind::kNone:
      break;
  }
}

// ------------------------------------------------- document-level facts

// Counts every organization name ("องค์การบริหารส่วนตำบล<name>") in text.
void ScanNames(ImportState& state, absl::string_view text, int line_no) {
  for (size_t prefix_index = 0; prefix_index < kOrgPrefixes.size();
       ++prefix_index) {
    const absl::string_view prefix = kOrgPrefixes[prefix_index].text;
    size_t pos = 0;
    while ((pos = text.find(prefix, pos)) != absl::string_view::npos) {
      pos += prefix.size();
      std::string name = NameAfter(text, pos);
      if (name.empty()) continue;
      Occurrences& seen =
          state.names[{static_cast<int>(prefix_index), std::move(name)}];
      if (seen.count++ == 0) seen.first_line = line_no;
    }
  }
}

// Skips a dash at text[*pos] (after which the second year of a span comes).
bool ConsumeDash(absl::string_view text, size_t* pos) {
  for (absl::string_view dash : {"-", "–", "—"}) {
    if (absl::StartsWith(text.substr(*pos), dash)) {
      *pos += dash.size();
      return true;
    }
  }
  return false;
}

// "2566 - 2570" at text[pos]: the span of years it names, if plausible.
std::optional<std::pair<int, int>> SpanAt(absl::string_view text, size_t pos) {
  size_t cursor = SkipSpaces(text, pos);
  const std::optional<int> first = ReadInt(text, &cursor, 4);
  if (!first) return std::nullopt;
  cursor = SkipSpaces(text, cursor);
  if (!ConsumeDash(text, &cursor)) return std::nullopt;
  cursor = SkipSpaces(text, cursor);
  const std::optional<int> last = ReadInt(text, &cursor, 4);
  if (!last || !PlausibleBeYear(*first) || !PlausibleBeYear(*last)) {
    return std::nullopt;
  }
  if (*last <= *first || *last - *first > 9) return std::nullopt;
  return std::make_pair(*first, *last);
}

// Counts every "พ.ศ. 2566 - 2570" in text.
void ScanSpans(ImportState& state, absl::string_view text, int line_no) {
  constexpr absl::string_view kEra = "พ.ศ.";
  size_t pos = 0;
  while ((pos = text.find(kEra, pos)) != absl::string_view::npos) {
    pos += kEra.size();
    if (const std::optional<std::pair<int, int>> span = SpanAt(text, pos)) {
      Occurrences& seen = state.spans[*span];
      if (seen.count++ == 0) seen.first_line = line_no;
    }
  }
}

// ------------------------------------------------------------ headings

// "ลำดับที่ N": a new sheet.
bool SequenceHeadingLine(ImportState& state, int line_no,
                         const std::string& text) {
  std::optional<int> sequence;
  if (!ParseSequenceLine(text, &sequence)) return false;
  FinishSheet(state);
  StartSheet(state, line_no, sequence);
  if (!sequence) {
    state.Add(
        Finding::ERROR, "SHEET_WITHOUT_SEQUENCE", LineLoc(line_no),
        absl::StrCat("sheet heading ", Quote(text), " has no readable number"));
  }
  return true;
}

// "มิติที่ ๑ ... จำนวน ๘ โครงการ": the title before จำนวน; the count is
// recorded (the first one of each dimension) for FinishDeclaredCounts.
std::string DimensionTitleAndCount(ImportState& state, int dimension,
                                   const std::string& title, int line_no) {
  const size_t count_at = title.find("จำนวน");
  if (count_at == std::string::npos) return title;
  const absl::string_view count_text =
      absl::string_view(title).substr(count_at);
  if (absl::StrContains(count_text, "โครงการ")) {
    if (const std::optional<double> count = FirstNumber(count_text)) {
      if (!state.declared_dimension_counts.contains(dimension)) {
        state.declared_dimension_counts[dimension] = {static_cast<int>(*count),
                                                      line_no};
      }
    }
  }
  return CollapseWhitespace(title.substr(0, count_at));
}

// "มิติที่ ๑ ...": a new dimension. Inside a sheet only a titled heading of
// this dimension or a later one counts (a body line may start "มิติ").
bool DimensionHeadingLine(ImportState& state, int line_no,
                          const std::string& text) {
  int dimension;
  std::string title;
  if (!DimensionHeading(text, &dimension, &title)) return false;
  if (state.sheet && (title.empty() || dimension < state.current_dimension)) {
    return false;
  }
  FinishSheet(state);
  state.current_dimension = dimension;
  state.current_mission.clear();
  NoteDimensionTitle(state, dimension,
                     DimensionTitleAndCount(state, dimension, title, line_no),
                     /*from_table=*/false);
  return true;
}

bool AcceptMission(const ImportState& state, const std::string& code) {
  if (!state.sheet) return true;
  // Inside a sheet, "2.1 ..." may be a list item of the body; only a code
  // not seen yet, of this dimension or a later one, is taken as a heading.
  const int dimension = code[0] - '0';
  if (state.heading_codes.contains(code)) return false;
  return dimension >= state.current_dimension;
}

// "๑.๑ title": a new mission.
bool MissionHeadingLine(ImportState& state, int line_no,
                        const std::string& text) {
  std::string code, title;
  if (!MissionCode(text, &code, &title) || !AcceptMission(state, code)) {
    return false;
  }
  FinishSheet(state);
  state.current_mission = code;
  state.current_dimension = code[0] - '0';
  state.heading_codes.insert(code);
  NoteMission(state, code, title, line_no, /*from_table=*/false);
  return true;
}

// ----------------------------------------------------- other text lines

// The cover: "แผนปฏิบัติการป้องกันการทุจริต" then "เพื่อ..." on the next
// line; any line starting with the words is the fallback title.
void NoteCoverTitle(ImportState& state, const std::string& text) {
  if (!state.pending_title.empty() && state.title.empty() &&
      absl::StartsWith(text, "เพื่อ")) {
    state.title = absl::StrCat(state.pending_title, text);
  }
  state.pending_title.clear();
  if (absl::StartsWith(text, kPlanTitle)) {
    if (text == kPlanTitle) state.pending_title = text;
    if (state.fallback_title.empty()) state.fallback_title = text;
  }
}

// "รวมทั้งสิ้น ๒๗ โครงการ": the first such count in the text.
void NoteDeclaredTotal(ImportState& state, const std::string& text,
                       int line_no) {
  if (state.declared_total_text) return;
  const size_t at = text.find("รวมทั้งสิ้น");
  if (at == std::string::npos) return;
  const absl::string_view after = absl::string_view(text).substr(at);
  const size_t projects = after.find("โครงการ");
  if (projects == absl::string_view::npos) return;
  if (const std::optional<double> count =
          FirstNumber(after.substr(0, projects))) {
    state.declared_total_text = {static_cast<int>(*count), line_no};
  }
}

// A text line outside sheets, tables and headings.
void DocumentLine(ImportState& state, int line_no, const std::string& text) {
  // "** note" right under the annual-plan table.
  if (state.annual.just_ended && absl::StartsWith(text, "**") &&
      state.annual.plan) {
    state.annual.plan->set_note(
        std::string(absl::StripAsciiWhitespace(absl::StripPrefix(text, "**"))));
  }
  state.annual.just_ended = false;
  NoteCoverTitle(state, text);
  NoteDeclaredTotal(state, text, line_no);
  state.recent_text.push_back({line_no, text});
  if (state.recent_text.size() > 3) {
    state.recent_text.erase(state.recent_text.begin());
  }
}

void ReadTextLine(ImportState& state, int line_no, const std::string& text) {
  ScanNames(state, text, line_no);
  // Years in a sheet are the project's, not the plan's span.
  if (!state.sheet) ScanSpans(state, text, line_no);
  if (absl::StartsWith(text, "#####")) return;
  if (SequenceHeadingLine(state, line_no, text) ||
      DimensionHeadingLine(state, line_no, text) ||
      MissionHeadingLine(state, line_no, text)) {
    return;
  }
  if (state.sheet) {
    SheetLine(state, line_no, text);
    return;
  }
  if (StartSheetWithoutSequence(state, line_no, text)) return;
  DocumentLine(state, line_no, text);
}

}  // namespace

std::optional<int> YearCell(absl::string_view cell) {
  if (!absl::ConsumePrefix(&cell, "ปี")) return std::nullopt;
  const absl::string_view rest = absl::StripAsciiWhitespace(cell);
  size_t pos = 0;
  const std::optional<int> year = ReadInt(rest, &pos, 4);
  if (!year || !PlausibleBeYear(*year)) return std::nullopt;
  return year;
}

TableHeader ClassifyTableHeader(const std::vector<std::string>& cells) {
  TableHeader header;
  for (size_t column = 0; column < cells.size(); ++column) {
    if (const std::optional<int> year = YearCell(cells[column])) {
      header.years.push_back(*year);
      header.year_columns.push_back(static_cast<int>(column));
    }
  }
  const absl::string_view first = CellAt(cells, 0);
  const bool has_years = !header.years.empty();
  if (has_years && absl::StartsWith(first, "ค่าเป้าหมาย")) {
    header.kind = TableKind::kTargets;
  } else if (has_years && (first == "มิติ" || AnyCellContains(cells, "ภารกิจ"))) {
    header.kind = TableKind::kFiveYear;
  } else if (AnyCellContains(cells, "ไตรมาส") &&
             AnyCellContains(cells, "งบประมาณ") &&
             (AnyCellContains(cells, "รายการ") ||
              AnyCellContains(cells, "โครงการ"))) {
    header.kind = TableKind::kAnnual;
  } else if (AnyCellContains(cells, "ขั้นตอน") &&
             (AnyCellContains(cells, "ความเสี่ยง") ||
              AnyCellContains(cells, "Risk"))) {
    header.kind = TableKind::kRisk;
  }
  return header;
}

bool DimensionHeading(absl::string_view text, int* dimension,
                      std::string* title) {
  // The template's word and the typos PDFs of it carry.
  for (absl::string_view prefix : {"มิติที่", "มติที่", "มิตที่", "มิตินี้", "มิติ"}) {
    if (!absl::StartsWith(text, prefix)) continue;
    size_t pos = SkipSpaces(text, prefix.size());
    const std::optional<int> number = ReadInt(text, &pos, 1);
    if (!number || *number < 1 || *number > 9) return false;
    if (pos < text.size() && text[pos] != ' ') return false;
    *dimension = *number;
    *title = CollapseWhitespace(text.substr(pos));
    return true;
  }
  return false;
}

void Scan(ImportState& state) {
  const std::vector<absl::string_view> lines = absl::StrSplit(state.text, '\n');
  for (size_t index = 0; index < lines.size(); ++index) {
    const int line_no = static_cast<int>(index) + 1;
    const absl::string_view raw = lines[index];
    const absl::string_view stripped = absl::StripAsciiWhitespace(raw);
    if (stripped.empty()) continue;
    if (raw.find('\t') != absl::string_view::npos) {
      const std::vector<std::string> cells = SplitCells(raw);
      if (StartTable(state, cells, line_no)) continue;
      if (state.table != TableKind::kNone) {
        TableRow(state, cells, line_no);
        continue;
      }
    }
    if (state.table != TableKind::kNone) EndTable(state);
    ReadTextLine(state, line_no, CollapseWhitespace(stripped));
  }
  FinishSheet(state);
  EndTable(state);
}

}  // namespace prongsai::plan::plan_import
