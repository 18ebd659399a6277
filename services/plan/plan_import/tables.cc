#include "services/plan/plan_import/tables.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using v1::Finding;

// Column indices of AnnualTable::columns.
enum AnnualColumn {
  kSequenceColumn,
  kTitleColumn,
  kDimensionColumn,
  kBudgetColumn,
  kFirstQuarterColumn,
  kRemarkColumn,
};

std::string JoinedCells(const std::vector<std::string>& cells) {
  return Quote(absl::StrJoin(cells, " | "));
}

// ------------------------------------------------------ annual table

// The รวม row: a row with "รวม" in a cell before the budget column.
bool IsAnnualTotalRow(const std::vector<std::string>& cells, int budget_col) {
  for (int column = 0;
       column < budget_col && column < static_cast<int>(cells.size());
       ++column) {
    if (absl::StrContains(cells[column], "รวม")) return true;
  }
  return false;
}

// The declared totals of the รวม row: budget and projects per quarter.
void AnnualTotalRow(ImportState& state, const std::vector<std::string>& cells,
                    int line_no) {
  AnnualTable& annual = state.annual;
  annual.total_line = line_no;
  const absl::string_view budget = CellAt(cells, annual.columns[kBudgetColumn]);
  if (!budget.empty()) {
    absl::StatusOr<std::optional<int64_t>> amount = thai::ParseBaht(budget);
    if (amount.ok() && amount->has_value()) {
      annual.declared_budget = **amount;
    } else {
      state.Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line_no),
                absl::StrCat("annual-plan total budget ", Quote(budget),
                             " is not an amount"));
    }
  }
  for (int quarter = 0; quarter < 4; ++quarter) {
    const absl::string_view cell =
        CellAt(cells, annual.columns[kFirstQuarterColumn] + quarter);
    if (cell.empty()) continue;
    absl::StatusOr<int64_t> count = thai::ParseInteger(cell);
    if (count.ok()) {
      annual.declared_quarters[quarter] = static_cast<int>(*count);
    } else {
      state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
                absl::StrCat("annual-plan total for quarter ", quarter + 1, " ",
                             Quote(cell), " is not a number"));
    }
  }
}

// A row without ลำดับ: the "1 2 3 4" sub-header under ไตรมาส, the rest of
// a title broken across lines by the PDF, or a finding.
void AnnualRowWithoutSequence(ImportState& state,
                              const std::vector<std::string>& cells,
                              absl::string_view title, int line_no) {
  bool only_numbers = true;
  bool any = false;
  for (const std::string& cell : cells) {
    if (cell.empty()) continue;
    any = true;
    if (!thai::ParseInteger(cell).ok()) only_numbers = false;
  }
  if (!any || (only_numbers && title.empty())) return;
  v1::AnnualPlan& plan = *state.annual.plan;
  if (!title.empty() && plan.entries_size() > 0) {
    v1::AnnualPlanEntry& last = *plan.mutable_entries(plan.entries_size() - 1);
    last.set_title(absl::StrCat(last.title(), " ", title));
    return;
  }
  state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
            absl::StrCat("annual-plan row without ลำดับ: ", JoinedCells(cells)));
}

void ReadEntryDimension(ImportState& state, absl::string_view cell,
                        int64_t sequence, int line_no,
                        v1::AnnualPlanEntry& entry) {
  absl::StatusOr<int64_t> dimension = thai::ParseInteger(cell);
  if (dimension.ok() && *dimension >= 1 && *dimension <= 9) {
    entry.set_dimension(static_cast<int>(*dimension));
    return;
  }
  state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
            absl::StrCat("annual-plan row ", sequence, ": dimension ",
                         Quote(cell), " is not a number 1-9"));
}

void ReadEntryBudget(ImportState& state, absl::string_view cell,
                     int64_t sequence, int line_no,
                     v1::AnnualPlanEntry& entry) {
  absl::StatusOr<std::optional<int64_t>> amount = thai::ParseBaht(cell);
  if (amount.ok() && amount->has_value()) {
    entry.mutable_budget()->set_satang(**amount);
  } else if (amount.ok()) {
    state.Add(Finding::INFO, "UNREADABLE_AMOUNT", LineLoc(line_no),
              absl::StrCat("annual-plan row ", sequence,
                           ": budget is \"-\"; no budget recorded"));
  } else {
    state.Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line_no),
              absl::StrCat("annual-plan row ", sequence, ": budget ",
                           Quote(cell), " is not an amount"));
  }
}

// The marks documents tick a quarter with.
bool IsTick(absl::string_view cell) {
  return absl::StrContains(cell, "☑") || absl::StrContains(cell, "✓") ||
         absl::StrContains(cell, "✔") || absl::StrContains(cell, "✅") ||
         absl::StrContains(cell, "☒") || cell == "/" || cell == "x" ||
         cell == "X";
}

void ReadEntryQuarters(ImportState& state,
                       const std::vector<std::string>& cells, int64_t sequence,
                       int line_no, v1::AnnualPlanEntry& entry) {
  for (int quarter = 0; quarter < 4; ++quarter) {
    const absl::string_view cell =
        CellAt(cells, state.annual.columns[kFirstQuarterColumn] + quarter);
    if (cell.empty() || cell == "☐" || IsDash(cell)) continue;
    if (IsTick(cell)) {
      entry.add_quarters(quarter + 1);
    } else {
      state.Add(
          Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
          absl::StrCat("annual-plan row ", sequence, ": quarter ", quarter + 1,
                       " cell ", Quote(cell), " is not a tick"));
    }
  }
}

// A numbered row: one entry of the annual plan.
void AnnualEntryRow(ImportState& state, const std::vector<std::string>& cells,
                    int64_t sequence, absl::string_view title, int line_no) {
  const std::array<int, 6>& columns = state.annual.columns;
  v1::AnnualPlanEntry& entry = *state.annual.plan->add_entries();
  state.annual.rows.push_back({line_no, static_cast<int>(sequence)});
  entry.set_title(std::string(title));
  ReadEntryDimension(state, CellAt(cells, columns[kDimensionColumn]), sequence,
                     line_no, entry);
  ReadEntryBudget(state, CellAt(cells, columns[kBudgetColumn]), sequence,
                  line_no, entry);
  ReadEntryQuarters(state, cells, sequence, line_no, entry);
  entry.set_remark(std::string(CellAt(cells, columns[kRemarkColumn])));
}

// -------------------------------------------------------- risk table

// Where an overlap of `add` with the end of `dst` ends in `add`: PDF
// extraction sometimes repeats the last words of a page at the top of the
// next one. 0 when there is none.
size_t RepeatedPrefix(absl::string_view dst, absl::string_view add) {
  constexpr size_t kProbe = 24;
  constexpr size_t kTail = 400;
  if (add.size() < kProbe) return 0;
  const absl::string_view tail =
      dst.substr(dst.size() > kTail ? dst.size() - kTail : 0);
  const absl::string_view probe = add.substr(0, kProbe);
  for (size_t at = tail.find(probe); at != absl::string_view::npos;
       at = tail.find(probe, at + 1)) {
    const absl::string_view suffix = tail.substr(at);
    // The repetition ends at a code point boundary of `add`.
    if (absl::StartsWith(add, suffix) &&
        (suffix.size() == add.size() ||
         (static_cast<unsigned char>(add[suffix.size()]) & 0xC0) != 0x80)) {
      return suffix.size();
    }
  }
  return 0;
}

// Appends a continuation (the next page's part of a row) to `dst`; a
// repetition of dst's end is removed once.
void AppendContinuation(ImportState& state, std::string* dst,
                        absl::string_view add, int line_no) {
  if (add.empty()) return;
  if (dst->empty()) {
    *dst = std::string(add);
    return;
  }
  const size_t repeated = RepeatedPrefix(*dst, add);
  if (repeated == 0) {
    absl::StrAppend(dst, " ", add);
    return;
  }
  state.Add(
      Finding::INFO, "DUPLICATED_TEXT", LineLoc(line_no),
      absl::StrCat("the continued row repeats ", Quote(add.substr(0, repeated)),
                   " from the previous page; the repetition is "
                   "dropped"));
  absl::StrAppend(dst, add.substr(repeated));
}

// ------------------------------------------------------- 5-year table

void Tokenize(ImportState& state, absl::string_view cell, int line_no,
              std::vector<Cell>* out) {
  for (absl::string_view token :
       absl::StrSplit(cell, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
    if (IsDash(token)) {
      out->push_back(std::nullopt);
      continue;
    }
    absl::StatusOr<std::optional<int64_t>> amount = thai::ParseBaht(token);
    if (amount.ok()) {
      out->push_back(*amount);
    } else {
      state.Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line_no),
                absl::StrCat("5-year table: ", Quote(token),
                             " is neither an amount nor \"-\"; ignored"));
    }
  }
}

// Cells of a normal page beyond the years: the remark column. An amount
// there is counted in no year.
void CheckRemarkAmount(ImportState& state,
                       const std::vector<std::string>& cells, int line_no) {
  const FiveYearTable& table = state.five_year;
  if (table.wide || table.remark_column < 0) return;
  const absl::string_view remark = CellAt(cells, table.remark_column);
  if (remark.empty() || !IsDigitAt(remark, 0)) return;
  if (const std::optional<int64_t> amount = FirstAmount(remark)) {
    state.Add(
        Finding::WARNING, "AMOUNT_IN_REMARK", LineLoc(line_no),
        absl::StrCat("5-year table: the หมายเหตุ column holds ", Baht(*amount),
                     " baht; it is not counted in any fiscal year"));
  }
}

// The values of a row, per year and in reading order. On a wide page a
// year's values run up to the next year's column (the last: to the remark
// column).
ValueRow MakeValueRow(ImportState& state, const std::vector<std::string>& cells,
                      int line_no) {
  const FiveYearTable& table = state.five_year;
  ValueRow row;
  row.line_no = line_no;
  const int cell_count = static_cast<int>(cells.size());
  for (size_t year = 0; year < table.columns.size(); ++year) {
    std::vector<Cell> tokens;
    const int start = table.columns[year];
    int end = start + 1;
    if (table.wide) {
      end = year + 1 < table.columns.size()
                ? table.columns[year + 1]
                : std::max(start + 1, table.remark_column);
    }
    for (int column = start; column < end && column < cell_count; ++column) {
      Tokenize(state, cells[column], line_no, &tokens);
    }
    row.per_year.push_back(std::move(tokens));
  }
  if (table.wide) {
    const int first = table.columns.empty() ? cell_count : table.columns[0];
    for (int column = first; column < cell_count; ++column) {
      Tokenize(state, cells[column], line_no, &row.flat);
    }
  } else {
    for (const std::vector<Cell>& values : row.per_year) {
      row.flat.insert(row.flat.end(), values.begin(), values.end());
    }
  }
  CheckRemarkAmount(state, cells, line_no);
  return row;
}

// "๑. การสร้างวัฒนธรรมสุจริต" (the table's dimension cell).
bool LeadingDimensionCell(absl::string_view cell, int* dimension,
                          std::string* title) {
  size_t pos = 0;
  const std::optional<int> number = ReadInt(cell, &pos, 1);
  if (!number || *number < 1 || pos >= cell.size() || cell[pos] != '.') {
    return false;
  }
  if (pos + 1 < cell.size() && IsDigitAt(cell, pos + 1)) return false;
  *dimension = *number;
  *title = CollapseWhitespace(cell.substr(pos + 1));
  return true;
}

// The dimension and mission cells, which hold for the rows below them.
void NoteRowContext(ImportState& state, absl::string_view dimension_cell,
                    absl::string_view mission_cell, int line_no) {
  if (!dimension_cell.empty()) {
    int dimension;
    std::string title;
    if (LeadingDimensionCell(dimension_cell, &dimension, &title)) {
      state.five_year.dimension = dimension;
      NoteDimensionTitle(state, dimension, title, /*from_table=*/true);
    }
  }
  if (!mission_cell.empty()) {
    std::string code, title;
    if (MissionCode(mission_cell, &code, &title)) {
      state.five_year.mission = code;
      NoteMission(state, code, title, line_no, /*from_table=*/true);
    }
  }
}

// A รวม / รวมทั้งสิ้น row: the declared totals, closing the groups since
// the last one (the grand total: every group).
void FiveYearTotalRow(ImportState& state, const std::vector<std::string>& cells,
                      const std::string& head, int line_no) {
  FiveYearTable& table = state.five_year;
  DeclaredTotal total;
  total.line_no = line_no;
  total.grand = absl::StrContains(head, "รวมทั้งสิ้น");
  total.dimension = table.dimension;
  if (absl::StrContains(head, "โครงการ")) {
    if (const std::optional<double> count = FirstNumber(head)) {
      total.count = static_cast<int>(*count);
    }
  }
  for (size_t year = 0; year < table.columns.size(); ++year) {
    const absl::string_view cell = CellAt(cells, table.columns[year]);
    std::optional<int64_t> amount;
    if (!cell.empty()) {
      amount = FirstAmount(cell);
      if (!amount && !IsDash(cell)) {
        state.Add(
            Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line_no),
            absl::StrCat("5-year table total for ",
                         year < table.years.size() ? table.years[year] : 0, " ",
                         Quote(cell), " is not an amount"));
      }
    }
    total.per_year.push_back(amount);
  }
  if (total.grand) {
    for (size_t group = 0; group < table.groups.size(); ++group) {
      total.groups.push_back(group);
    }
  } else {
    total.groups = std::move(table.block_groups);
    table.block_groups.clear();
  }
  table.totals.push_back(std::move(total));
}

// A row naming numbered projects: a new group with its first value row.
void FiveYearGroupRow(ImportState& state, const std::vector<std::string>& cells,
                      std::vector<NumberedItem> items,
                      const std::string& leading, int line_no) {
  FiveYearTable& table = state.five_year;
  if (!leading.empty()) {
    state.Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(line_no),
              absl::StrCat("5-year table: text before the first numbered "
                           "project ignored: ",
                           Quote(leading)));
  }
  TableGroup group;
  group.line_no = line_no;
  group.dimension = table.dimension;
  group.mission = table.mission;
  group.items = std::move(items);
  group.wide = table.wide;
  group.rows.push_back(MakeValueRow(state, cells, line_no));
  table.block_groups.push_back(table.groups.size());
  table.groups.push_back(std::move(group));
}

// A row with neither projects nor a total: more values of the group above
// (when the first three cells are empty), a dimension or mission cell
// alone, or a finding.
void FiveYearValueRow(ImportState& state, const std::vector<std::string>& cells,
                      bool heading_cells_empty, bool projects_cell_empty,
                      int line_no) {
  FiveYearTable& table = state.five_year;
  ValueRow row = MakeValueRow(state, cells, line_no);
  const bool has_values = !row.flat.empty();
  if (heading_cells_empty) {
    if (!has_values) return;
    if (table.groups.empty() || table.block_groups.empty()) {
      state.Add(
          Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
          "5-year table: values without a project row above them; ignored");
      return;
    }
    table.groups.back().rows.push_back(std::move(row));
    return;
  }
  if (projects_cell_empty && !has_values) return;
  state.Add(
      Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
      absl::StrCat("5-year table row not understood: ", JoinedCells(cells)));
}

}  // namespace

// ------------------------------------------------------------ headers

void BeginTargetsTable(ImportState& state, const std::vector<int>& years,
                       const std::vector<int>& year_columns) {
  state.targets.years = years;
  state.targets.columns = year_columns;
}

void BeginFiveYearTable(ImportState& state,
                        const std::vector<std::string>& cells,
                        const std::vector<int>& years,
                        const std::vector<int>& year_columns, int line_no) {
  FiveYearTable& table = state.five_year;
  if (table.years.empty()) {
    table.years = years;
    table.first_line = line_no;
  } else if (table.years != years) {
    state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
              absl::StrCat("5-year table header lists years ", YearList(years),
                           " but the table began with ", YearList(table.years),
                           "; the years of the first header are used"));
  }
  table.columns = year_columns;
  table.wide = year_columns.size() > 1 && year_columns[1] - year_columns[0] > 1;
  table.remark_column = -1;
  for (size_t column = 0; column < cells.size(); ++column) {
    if (absl::StrContains(cells[column], "หมายเหตุ")) {
      table.remark_column = static_cast<int>(column);
    }
  }
}

void BeginAnnualTable(ImportState& state, const std::vector<std::string>& cells,
                      int line_no) {
  AnnualTable& annual = state.annual;
  if (annual.started) {
    annual.ignored = true;
    state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
              "a second annual-plan table starts here; only the first one is "
              "imported, this one is ignored");
    return;
  }
  annual.started = true;
  annual.ignored = false;
  annual.first_line = line_no;
  annual.plan = v1::AnnualPlan();
  // The fiscal year is in the title, a line or two above the header.
  for (auto it = state.recent_text.rbegin(); it != state.recent_text.rend();
       ++it) {
    if (const std::optional<int> year = FirstYear(it->text)) {
      annual.plan->set_be_year(*year);
      break;
    }
  }
  if (annual.plan->be_year() == 0) {
    state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
              "the annual-plan table has no fiscal year in its title");
  }
  annual.columns = {0, 1, 2, 3, 4, -1};
  for (size_t column = 0; column < cells.size(); ++column) {
    const std::string& cell = cells[column];
    const int index = static_cast<int>(column);
    if (absl::StartsWith(cell, "ลำดับ")) annual.columns[kSequenceColumn] = index;
    if (absl::StrContains(cell, "รายการ")) annual.columns[kTitleColumn] = index;
    if (absl::StartsWith(cell, "มิติ")) annual.columns[kDimensionColumn] = index;
    if (absl::StrContains(cell, "งบประมาณ")) {
      annual.columns[kBudgetColumn] = index;
    }
    if (absl::StrContains(cell, "ไตรมาส")) {
      annual.columns[kFirstQuarterColumn] = index;
    }
    if (absl::StrContains(cell, "หมายเหตุ"))
      annual.columns[kRemarkColumn] = index;
  }
}

void BeginRiskTable(ImportState& state, const std::vector<std::string>& cells) {
  std::array<int, 4>& columns = state.risk.columns;
  columns = {1, 2, 3, 4};
  for (size_t column = 0; column < cells.size(); ++column) {
    const std::string& cell = cells[column];
    const int index = static_cast<int>(column);
    if (absl::StrContains(cell, "ขั้นตอน")) columns[0] = index;
    if (absl::StrContains(cell, "ประเด็น")) columns[1] = index;
    if (absl::StrContains(cell, "Risk") || absl::StrContains(cell, "ระดับ")) {
      columns[2] = index;
    }
    if (absl::StrContains(cell, "มาตรการ")) columns[3] = index;
  }
}

// --------------------------------------------------------------- rows

void AnnualRow(ImportState& state, const std::vector<std::string>& cells,
               int line_no) {
  const std::array<int, 6>& columns = state.annual.columns;
  if (IsAnnualTotalRow(cells, columns[kBudgetColumn])) {
    AnnualTotalRow(state, cells, line_no);
    return;
  }
  const absl::string_view sequence = CellAt(cells, columns[kSequenceColumn]);
  const absl::string_view title = CellAt(cells, columns[kTitleColumn]);
  if (sequence.empty()) {
    AnnualRowWithoutSequence(state, cells, title, line_no);
    return;
  }
  absl::StatusOr<int64_t> sequence_value = thai::ParseInteger(sequence);
  if (!sequence_value.ok() || title.empty()) {
    state.Add(
        Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
        absl::StrCat("annual-plan row not understood: ", JoinedCells(cells)));
    return;
  }
  AnnualEntryRow(state, cells, *sequence_value, title, line_no);
}

void RiskTableRow(ImportState& state, const std::vector<std::string>& cells,
                  int line_no) {
  const std::array<int, 4>& columns = state.risk.columns;
  std::vector<RiskRow>& rows = state.risk.rows;
  const absl::string_view first = CellAt(cells, 0);
  if (first.empty()) {
    if (rows.empty()) {
      state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
                absl::StrCat("risk-table continuation without a row: ",
                             JoinedCells(cells)));
      return;
    }
    for (int part = 0; part < 4; ++part) {
      AppendContinuation(state, &rows.back().cells[part],
                         CellAt(cells, columns[part]), line_no);
    }
    return;
  }
  absl::StatusOr<int64_t> sequence = thai::ParseInteger(first);
  if (!sequence.ok() || *sequence < 1 || *sequence > 9999) {
    state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
              absl::StrCat("risk-table row with ลำดับ ", Quote(first),
                           " that is not a number: ", JoinedCells(cells)));
    return;
  }
  RiskRow row;
  row.line_no = line_no;
  row.sequence = static_cast<int>(*sequence);
  for (int part = 0; part < 4; ++part) {
    row.cells[part] = std::string(CellAt(cells, columns[part]));
  }
  rows.push_back(std::move(row));
}

void TargetsRow(ImportState& state, const std::vector<std::string>& cells,
                int line_no) {
  TargetsTable& targets = state.targets;
  const absl::string_view first = CellAt(cells, 0);
  const bool cases = absl::StrContains(first, "คดี");
  const bool ita = absl::StrContains(first, "ITA") ||
                   absl::StrContains(first, "ita") ||
                   absl::StrContains(first, "คะแนน");
  if (!cases && !ita) {
    state.Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(line_no),
              absl::StrCat("targets table: line not understood: ",
                           JoinedCells(cells)));
    return;
  }
  if (cases) {
    // "(คำนวณจากปี ๒๕๖๕)": the base year of the reduction.
    if (const std::optional<int> base = FirstYear(first)) {
      targets.base_year = *base;
    }
  }
  for (size_t index = 0; index < targets.years.size(); ++index) {
    const int year = targets.years[index];
    const absl::string_view cell = CellAt(cells, targets.columns[index]);
    if (cell.empty()) continue;
    const std::optional<double> value = FirstNumber(cell);
    if (!value) {
      state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(line_no),
                absl::StrCat("target for ", year, " ", Quote(cell),
                             " is not a number"));
      continue;
    }
    v1::YearTarget& target = targets.by_year[year];
    target.set_be_year(year);
    if (cases) {
      target.set_corruption_case_reduction_percent(*value);
    } else {
      target.set_ita_score_target(*value);
    }
  }
}

void FiveYearRow(ImportState& state, const std::vector<std::string>& cells,
                 int line_no) {
  // The sub-header "งบประมาณ" under each year.
  const bool sub_header =
      std::all_of(cells.begin(), cells.end(), [](const std::string& cell) {
        return cell.empty() || absl::StrContains(cell, "งบประมาณ");
      });
  if (sub_header) return;
  const absl::string_view dimension_cell = CellAt(cells, 0);
  const absl::string_view mission_cell = CellAt(cells, 1);
  const absl::string_view projects_cell = CellAt(cells, 2);
  NoteRowContext(state, dimension_cell, mission_cell, line_no);
  std::string leading;
  std::vector<NumberedItem> items = SplitNumbered(projects_cell, ')', &leading);
  const std::string head =
      absl::StrCat(dimension_cell, " ", mission_cell, " ", projects_cell);
  if (items.empty() && absl::StrContains(head, "รวม")) {
    FiveYearTotalRow(state, cells, head, line_no);
  } else if (!items.empty()) {
    FiveYearGroupRow(state, cells, std::move(items), leading, line_no);
  } else {
    FiveYearValueRow(
        state, cells,
        dimension_cell.empty() && mission_cell.empty() && projects_cell.empty(),
        projects_cell.empty(), line_no);
  }
}

}  // namespace prongsai::plan::plan_import
