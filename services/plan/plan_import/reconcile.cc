#include "services/plan/plan_import/reconcile.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/plan_import.h"
#include "services/plan/plan_import/sheets.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using v1::Finding;

// ------------------------------------------------------- organization

// The organization: the most frequent (prefix, name) pair, or null.
const std::pair<const std::pair<int, std::string>, Occurrences>*
MostFrequentName(const ImportState& state) {
  const std::pair<const std::pair<int, std::string>, Occurrences>* best =
      nullptr;
  for (const auto& entry : state.names) {
    if (best == nullptr || entry.second.count > best->second.count) {
      best = &entry;
    }
  }
  return best;
}

// Misspellings of the organization's name: a few letters apart from it.
void ReportNameVariants(ImportState& state, int best_count, int first_line) {
  const std::vector<char32_t> name = thai::CodePoints(state.org_short_name);
  const int limit = (static_cast<int>(name.size()) + 2) / 3;
  std::vector<std::string> variants;
  for (const auto& [key, seen] : state.names) {
    const auto& [prefix_index, other] = key;
    if (other == state.org_short_name) continue;
    if (Levenshtein(thai::CodePoints(other), name) > limit) continue;
    variants.push_back(absl::StrCat(kOrgPrefixes[prefix_index].text, other,
                                    " (", seen.count, "×, first line ",
                                    seen.first_line, ")"));
  }
  if (variants.empty()) return;
  state.Add(
      Finding::WARNING, "NAME_VARIANT", LineLoc(first_line),
      absl::StrCat("the organization is named \"",
                   state.out.plan.organization().name(), "\" ", best_count,
                   " times, but also spelt: ", absl::StrJoin(variants, "; ")));
}

void ChooseOrganization(ImportState& state) {
  const auto* best = MostFrequentName(state);
  if (best == nullptr) {
    state.Add(Finding::WARNING, "MISSING_ORGANIZATION", "line 1",
              "no organization name (องค์การบริหารส่วนตำบล…, เทศบาล…) found");
    return;
  }
  const auto& [prefix_index, name] = best->first;
  state.org_short_name = name;
  common::v1::OrganizationRef& organization =
      *state.out.plan.mutable_organization();
  // The misspelt prefix (index 1) is named as the correct one (index 0).
  organization.set_name(absl::StrCat(
      kOrgPrefixes[prefix_index == 1 ? 0 : prefix_index].text, name));
  organization.set_kind(kOrgPrefixes[prefix_index].kind);
  ReportNameVariants(state, best->second.count, best->second.first_line);
}

// The plan's span: the most frequent "พ.ศ. 2566 - 2570". Ties go to the
// span written first (the cover).
void ChooseSpan(ImportState& state) {
  int span_count = 0;
  int span_line = 0;
  for (const auto& [span, seen] : state.spans) {
    if (seen.count > span_count ||
        (seen.count == span_count && seen.first_line < span_line)) {
      span_count = seen.count;
      span_line = seen.first_line;
      state.out.plan.mutable_fiscal_years()->set_first_be_year(span.first);
      state.out.plan.mutable_fiscal_years()->set_last_be_year(span.second);
    }
  }
  if (span_count == 0) {
    state.Add(Finding::ERROR, "MISSING_FISCAL_YEARS", "line 1",
              "no fiscal-year span (พ.ศ. ๒๕๖๖ - ๒๕๗๐) found");
  }
}

void ChooseTitle(ImportState& state) {
  std::string& title = state.title;
  if (title.empty() && !state.fallback_title.empty()) {
    // "แผนปฏิบัติการป้องกันการทุจริต พ.ศ. 2569 ของ ...": keep the name only.
    title = state.fallback_title;
    for (absl::string_view cut : {" พ.ศ.", " (พ.ศ.", " ของ", " ปี"}) {
      const size_t at = title.find(cut.data(), 0, cut.size());
      if (at != std::string::npos) title.resize(at);
    }
  }
  if (title.empty()) {
    state.Add(Finding::ERROR, "MISSING_TITLE", "line 1",
              "no plan title (แผนปฏิบัติการป้องกันการทุจริต…) found");
  }
  state.out.plan.set_title(title);
}

// ------------------------------------------------------------ projects

// Keeps the first titled sheet of each sequence, in document order.
void KeepOneSheetPerSequence(ImportState& state) {
  std::map<int, size_t> first_of;
  for (size_t index = 0; index < state.drafts.size(); ++index) {
    const Draft& draft = state.drafts[index];
    if (!draft.has_title) {
      state.Add(
          Finding::ERROR, "SHEET_WITHOUT_TITLE",
          draft.sequence ? SeqLoc(*draft.sequence) : LineLoc(draft.line_no),
          absl::StrCat("the sheet at line ", draft.line_no,
                       " has no ๑. ชื่อโครงการ; it is not imported"));
      continue;
    }
    if (!draft.sequence) continue;  // SHEET_WITHOUT_SEQUENCE already reported
    const auto [it, inserted] = first_of.emplace(*draft.sequence, index);
    if (!inserted) {
      const Draft& first = state.drafts[it->second];
      state.Add(
          Finding::ERROR, "DUPLICATE_SEQUENCE", SeqLoc(*draft.sequence),
          absl::StrCat("ลำดับที่ ", *draft.sequence, " appears again at line ",
                       draft.line_no, " (", Quote(draft.project.title()),
                       "); the first sheet (line ", first.line_no, ", ",
                       Quote(first.project.title()),
                       ") is kept and this one is not imported"));
      continue;
    }
    state.kept.push_back(index);
  }
}

// A kept sheet without ๗. or other fields; its title in the title index.
void CheckKeptSheet(ImportState& state, size_t index) {
  const Draft& draft = state.drafts[index];
  const int sequence = *draft.sequence;
  if (!draft.has_budget_field) {
    state.Add(Finding::WARNING, "SHEET_WITHOUT_BUDGET", SeqLoc(sequence),
              absl::StrCat("ลำดับที่ ", sequence, " (line ", draft.line_no,
                           ") has no ๗. งบประมาณ line"));
  }
  std::vector<std::string> missing;
  const Sheet& sheet = state.sheets[index];
  for (int field : {2, 3, 4, 5, 6, 8, 9}) {
    if (sheet.heading_line[field] == 0)
      missing.emplace_back(kFieldNames[field]);
  }
  if (!missing.empty()) {
    state.Add(Finding::WARNING, "SHEET_MISSING_FIELD", SeqLoc(sequence),
              absl::StrCat("ลำดับที่ ", sequence, " (line ", draft.line_no,
                           ") lacks ", absl::StrJoin(missing, ", ")));
  }
  state.title_index.emplace(
      NormalizeTitleForMatch(draft.project.title(), state.org_short_name),
      sequence);
}

// Numbers below the highest sequence that no kept sheet has.
void ReportMissingSequences(ImportState& state) {
  std::set<int> sequences;
  for (size_t index : state.kept) {
    sequences.insert(*state.drafts[index].sequence);
  }
  if (sequences.empty()) return;
  const int highest = *sequences.rbegin();
  for (int number = 1; number < highest; ++number) {
    if (sequences.contains(number)) continue;
    state.Add(Finding::WARNING, "MISSING_SEQUENCE", SeqLoc(number),
              absl::StrCat("no sheet numbered ", number, " (sheets run 1..",
                           highest, ")"));
  }
}

// ----------------------------------------------------------- 5-year table

// values[item][year] of a group.
using ItemYearValues = std::vector<std::vector<Cell>>;

// A normal page: one row with a value per item in each year, or one row
// per item with one value in each year.
std::optional<ItemYearValues> AttributeNarrowGroup(const TableGroup& group,
                                                   size_t year_count) {
  const size_t item_count = group.items.size();
  const auto row_has = [&](const ValueRow& row, size_t per_year) {
    // A row cut short (a page break, a damaged line) has fewer years than
    // the table's heading.
    if (row.per_year.size() < year_count) return false;
    for (size_t year = 0; year < year_count; ++year) {
      if (row.per_year[year].size() != per_year) return false;
    }
    return true;
  };
  ItemYearValues values(item_count, std::vector<Cell>(year_count));
  if (group.rows.size() == 1 && row_has(group.rows[0], item_count)) {
    for (size_t item = 0; item < item_count; ++item) {
      for (size_t year = 0; year < year_count; ++year) {
        values[item][year] = group.rows[0].per_year[year][item];
      }
    }
    return values;
  }
  const bool row_each =
      group.rows.size() == item_count &&
      std::all_of(group.rows.begin(), group.rows.end(),
                  [&](const ValueRow& row) { return row_has(row, 1); });
  if (!row_each) return std::nullopt;
  for (size_t item = 0; item < item_count; ++item) {
    for (size_t year = 0; year < year_count; ++year) {
      values[item][year] = group.rows[item].per_year[year][0];
    }
  }
  return values;
}

// A page where each year spans several columns: the values come out in
// reading order, year by year, one per project; what follows the first
// years × projects values repeats them.
std::optional<ItemYearValues> AttributeWideGroup(ImportState& state,
                                                 const TableGroup& group,
                                                 size_t year_count) {
  const size_t item_count = group.items.size();
  std::vector<Cell> flat;
  for (const ValueRow& row : group.rows) {
    flat.insert(flat.end(), row.flat.begin(), row.flat.end());
  }
  if (item_count == 0 || flat.size() < item_count * year_count) {
    return std::nullopt;
  }
  ItemYearValues values(item_count, std::vector<Cell>(year_count));
  for (size_t year = 0; year < year_count; ++year) {
    for (size_t item = 0; item < item_count; ++item) {
      values[item][year] = flat[year * item_count + item];
    }
  }
  const size_t used = item_count * year_count;
  if (flat.size() > used) {
    state.Add(
        Finding::INFO, "WIDE_ROW_EXTRA_VALUES", LineLoc(group.line_no),
        absl::StrCat("5-year table (a page with ", year_count,
                     " multi-column years): items ", group.items.front().number,
                     "-", group.items.back().number, " have ", flat.size(),
                     " values for ", item_count, " project(s) × ", year_count,
                     " years; the first ", used, " are read year by year, ",
                     flat.size() - used, " are ignored"));
  }
  return values;
}

// Attributed values into the schedule and the group's year sums.
void RecordSchedule(ImportState& state, TableGroup& group,
                    const ItemYearValues& values) {
  const std::vector<int>& years = state.five_year.years;
  for (size_t item = 0; item < group.items.size(); ++item) {
    std::map<int, Cell>& schedule =
        state.five_year.schedule[group.items[item].number];
    for (size_t year = 0; year < years.size(); ++year) {
      schedule[years[year]] = values[item][year];
      if (values[item][year]) group.year_sums[year] += *values[item][year];
    }
  }
}

// Merged cells: the values count towards the totals, but no item gets them.
void ReportAmbiguousGroup(ImportState& state, TableGroup& group) {
  const size_t year_count = state.five_year.years.size();
  std::vector<std::string> shapes;
  for (const ValueRow& row : group.rows) {
    for (size_t year = 0; year < year_count && year < row.per_year.size();
         ++year) {
      for (const Cell& cell : row.per_year[year]) {
        if (cell) group.year_sums[year] += *cell;
      }
    }
    std::vector<size_t> sizes;
    for (const std::vector<Cell>& values : row.per_year) {
      sizes.push_back(values.size());
    }
    shapes.push_back(absl::StrJoin(sizes, "/"));
  }
  state.Add(
      Finding::WARNING, "AMBIGUOUS_SCHEDULE", LineLoc(group.line_no),
      absl::StrCat("5-year table: items ", group.items.front().number, "-",
                   group.items.back().number, " (", group.items.size(),
                   " projects, mission ",
                   group.mission.empty() ? "?" : group.mission, ") share ",
                   group.rows.size(), " value row(s) with [",
                   absl::StrJoin(shapes, "; "),
                   "] values per year; merged cells cannot be attributed to "
                   "single projects, so the sheets alone give their "
                   "schedule"));
}

void AttributeGroup(ImportState& state, TableGroup& group) {
  const size_t year_count = state.five_year.years.size();
  group.year_sums.assign(year_count, 0);
  const std::optional<ItemYearValues> values =
      group.wide ? AttributeWideGroup(state, group, year_count)
                 : AttributeNarrowGroup(group, year_count);
  for (const NumberedItem& item : group.items) {
    state.five_year.items[item.number] = {group.line_no, item.text};
  }
  if (values) {
    RecordSchedule(state, group, *values);
  } else {
    ReportAmbiguousGroup(state, group);
  }
}

// A declared total against the rows it closes.
void CheckDeclaredTotal(ImportState& state, const DeclaredTotal& total) {
  const FiveYearTable& table = state.five_year;
  const size_t year_count = table.years.size();
  int count = 0;
  std::vector<int64_t> sums(year_count, 0);
  for (size_t group_index : total.groups) {
    const TableGroup& group = table.groups[group_index];
    count += static_cast<int>(group.items.size());
    for (size_t year = 0; year < year_count; ++year) {
      sums[year] += group.year_sums[year];
    }
  }
  const std::string what =
      total.grand ? std::string("grand total")
                  : absl::StrCat("total of dimension ", total.dimension);
  if (total.count && *total.count != count) {
    state.Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(total.line_no),
              absl::StrCat("5-year table ", what, ": declared ", *total.count,
                           " projects, the rows list ", count));
  }
  for (size_t year = 0; year < year_count && year < total.per_year.size();
       ++year) {
    const std::optional<int64_t>& declared = total.per_year[year];
    if (!declared || *declared == sums[year]) continue;
    state.Add(
        Finding::ERROR, "TOTAL_MISMATCH", LineLoc(total.line_no),
        absl::StrCat("5-year table ", what, " for ", table.years[year],
                     ": declared ", Baht(*declared),
                     " baht, the rows add up to ", Baht(sums[year]), " baht"));
  }
}

// -------------------------------------------------------------- budgets

// The amount ๗. gives for `year`, if any.
std::optional<int64_t> SheetAmount(const Draft& draft, int year) {
  if (draft.budget.all_years) return draft.budget.all_years;
  const auto it = draft.budget.per_year.find(year);
  if (it != draft.budget.per_year.end()) return it->second;
  return std::nullopt;
}

// The years the 5-year table gives a value ("0" included, "-" not).
std::vector<int> ScheduledYears(const std::map<int, Cell>* schedule) {
  std::vector<int> years;
  if (schedule == nullptr) return years;
  for (const auto& [year, cell] : *schedule) {
    if (cell) years.push_back(year);
  }
  return years;
}

// One budget per year, the sheet's amount first, the table's otherwise.
void AddYearBudgets(ImportState& state, const Draft& draft,
                    const std::vector<int>& years,
                    const std::map<int, Cell>* schedule, v1::Project& project) {
  const common::v1::FiscalYearSpan& span = state.out.plan.fiscal_years();
  const int sequence = *draft.sequence;
  for (int year : years) {
    project.add_fiscal_years(year);
    v1::YearBudget& budget = *project.add_budgets();
    budget.set_be_year(year);
    std::optional<int64_t> amount = SheetAmount(draft, year);
    if (!amount && schedule != nullptr) {
      const auto it = schedule->find(year);
      if (it != schedule->end() && it->second) amount = it->second;
    }
    if (amount) budget.mutable_planned()->set_satang(*amount);
    if (span.first_be_year() != 0 &&
        (year < span.first_be_year() || year > span.last_be_year())) {
      state.Add(Finding::WARNING, "YEAR_OUTSIDE_PLAN", SeqLoc(sequence),
                absl::StrCat("ลำดับที่ ", sequence, " is scheduled in ", year,
                             ", outside the plan's ", span.first_be_year(), "-",
                             span.last_be_year()));
    }
  }
  for (const auto& [year, amount] : draft.budget.per_year) {
    if (std::find(years.begin(), years.end(), year) != years.end()) continue;
    state.Add(
        Finding::WARNING, "SCHEDULE_MISMATCH", SeqLoc(sequence),
        absl::StrCat("ลำดับที่ ", sequence, ": ๗. งบประมาณ gives ", Baht(amount),
                     " baht for ", year, " but ๖. does not list ", year,
                     "; the amount is not imported"));
  }
}

// The sheet's years and amounts against the 5-year table's.
void CheckSheetAgainstTable(ImportState& state, const Draft& draft,
                            const std::map<int, Cell>& schedule,
                            const std::vector<int>& table_years) {
  const int sequence = *draft.sequence;
  bool differs = draft.years != table_years;
  std::vector<std::string> sheet_text, table_text;
  for (int year : draft.years) {
    const std::optional<int64_t> amount = SheetAmount(draft, year);
    sheet_text.push_back(absl::StrCat(year, " ", amount ? Baht(*amount) : "?"));
    const auto it = schedule.find(year);
    if (amount && it != schedule.end() && it->second &&
        *it->second != *amount) {
      differs = true;
    }
  }
  if (!differs) return;
  for (int year : table_years) {
    table_text.push_back(absl::StrCat(year, " ", Baht(*schedule.at(year))));
  }
  state.Add(
      Finding::WARNING, "SCHEDULE_MISMATCH", SeqLoc(sequence),
      absl::StrCat("ลำดับที่ ", sequence, " ", Quote(draft.project.title()),
                   ": the sheet (line ", draft.years_line, ") schedules ",
                   absl::StrJoin(sheet_text, ", "), "; the 5-year table (line ",
                   state.five_year.items[sequence].line_no, ") schedules ",
                   table_text.empty() ? std::string("no year")
                                      : absl::StrJoin(table_text, ", "),
                   " and \"-\" in the other years; the sheet is kept"));
}

// Whether the 5-year table lists the sheet, under the same title.
void CheckTableListing(ImportState& state, const v1::Project& project,
                       int sequence) {
  const auto item = state.five_year.items.find(sequence);
  if (item == state.five_year.items.end()) {
    state.Add(Finding::WARNING, "SHEET_NOT_IN_TABLE", SeqLoc(sequence),
              absl::StrCat("ลำดับที่ ", sequence, " ", Quote(project.title()),
                           " is not listed in the 5-year table"));
    return;
  }
  const std::string& table_title = item->second.title;
  if (NormalizeTitleForMatch(table_title, state.org_short_name) ==
      NormalizeTitleForMatch(project.title(), state.org_short_name)) {
    return;
  }
  state.Add(Finding::WARNING, "TITLE_MISMATCH", SeqLoc(sequence),
            absl::StrCat("the 5-year table (line ", item->second.line_no,
                         ") names item ", sequence, " ", Quote(table_title),
                         ", the sheet names it ", Quote(project.title())));
}

// A kept sheet's years and budgets; it goes into state.out.projects.
void FinishProjectBudgets(ImportState& state, Draft& draft) {
  const int sequence = *draft.sequence;
  const auto schedule_it = state.five_year.schedule.find(sequence);
  const std::map<int, Cell>* schedule =
      schedule_it == state.five_year.schedule.end() ? nullptr
                                                    : &schedule_it->second;
  const std::vector<int> table_years = ScheduledYears(schedule);
  std::vector<int> years = draft.years;
  if (years.empty() && !table_years.empty()) {
    years = table_years;
    state.Add(Finding::INFO, "YEARS_FROM_TABLE", SeqLoc(sequence),
              absl::StrCat("ลำดับที่ ", sequence,
                           ": the sheet names no fiscal year; the 5-year "
                           "table's ",
                           YearList(table_years), " are used"));
  }
  AddYearBudgets(state, draft, years, schedule, draft.project);
  if (schedule != nullptr && !draft.years.empty()) {
    CheckSheetAgainstTable(state, draft, *schedule, table_years);
  }
  if (!state.five_year.groups.empty()) {
    CheckTableListing(state, draft.project, sequence);
  }
  state.out.projects.push_back(draft.project);
}

// ------------------------------------------------------------ annual plan

// The rows against the รวมทั้งสิ้น row and the numbering of ลำดับ.
void CheckAnnualTotals(ImportState& state, const v1::AnnualPlan& plan) {
  const AnnualTable& annual = state.annual;
  int64_t budget = 0;
  std::array<int, 4> quarters{};
  for (const v1::AnnualPlanEntry& entry : plan.entries()) {
    budget += entry.budget().satang();
    for (int quarter : entry.quarters()) ++quarters[quarter - 1];
  }
  if (annual.declared_budget && *annual.declared_budget != budget) {
    state.Add(
        Finding::ERROR, "TOTAL_MISMATCH", LineLoc(annual.total_line),
        absl::StrCat("annual plan ", plan.be_year(), ": declared total ",
                     Baht(*annual.declared_budget),
                     " baht, the rows add up to ", Baht(budget), " baht"));
  }
  for (int quarter = 0; quarter < 4; ++quarter) {
    const std::optional<int>& declared = annual.declared_quarters[quarter];
    if (!declared || *declared == quarters[quarter]) continue;
    state.Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(annual.total_line),
              absl::StrCat("annual plan ", plan.be_year(), ", quarter ",
                           quarter + 1, ": declared ", *declared,
                           " projects, the rows tick ", quarters[quarter]));
  }
  if (annual.total_line == 0 && plan.entries_size() > 0) {
    state.Add(Finding::INFO, "NO_TOTAL_ROW", LineLoc(annual.first_line),
              "the annual-plan table has no รวมทั้งสิ้น row to check");
  }
  for (size_t row = 0; row < annual.rows.size(); ++row) {
    if (annual.rows[row].sequence == static_cast<int>(row) + 1) continue;
    state.Add(Finding::WARNING, "MISSING_SEQUENCE",
              LineLoc(annual.rows[row].line_no),
              absl::StrCat("annual-plan row ", row + 1, " is numbered ",
                           annual.rows[row].sequence));
    break;
  }
}

// Whether the annual plan's year lies in the plan's span.
bool AnnualYearInSpan(const ImportState& state, int year) {
  const common::v1::FiscalYearSpan& span = state.out.plan.fiscal_years();
  return year != 0 && year >= span.first_be_year() &&
         year <= span.last_be_year();
}

// One row against the project sheet of the same title and, when `in_span`,
// against what the 5-year plan schedules in that year.
void CheckAnnualEntry(ImportState& state, const v1::AnnualPlanEntry& entry,
                      const AnnualTable::Row& row, const v1::Project& project,
                      bool in_span) {
  const int year = state.annual.plan->be_year();
  const int sequence = project.sequence();
  const std::string line = LineLoc(row.line_no);
  if (entry.dimension() != 0 && project.dimension() != 0 &&
      entry.dimension() != project.dimension()) {
    state.Add(Finding::WARNING, "DIMENSION_DIFFERS", line,
              absl::StrCat("annual-plan row ", row.sequence,
                           " is in dimension ", entry.dimension(), ", ลำดับที่ ",
                           sequence, " in dimension ", project.dimension()));
  }
  if (!in_span) return;
  const v1::YearBudget* year_budget = nullptr;
  for (const v1::YearBudget& budget : project.budgets()) {
    if (budget.be_year() == year) year_budget = &budget;
  }
  if (year_budget == nullptr) {
    state.Add(
        Finding::WARNING, "ADDED_PROJECT", line,
        absl::StrCat("annual-plan row ", row.sequence, " ",
                     Quote(entry.title()), " is ลำดับที่ ", sequence,
                     ", which the 5-year plan does not schedule in ", year,
                     " (its sheet: ",
                     YearList(std::vector<int>(project.fiscal_years().begin(),
                                               project.fiscal_years().end())),
                     ")"));
  } else if (year_budget->has_planned() && entry.has_budget() &&
             year_budget->planned().satang() != entry.budget().satang()) {
    state.Add(
        Finding::WARNING, "BUDGET_DIFFERS", line,
        absl::StrCat("annual-plan row ", row.sequence, ": ",
                     Baht(entry.budget().satang()), " baht, ลำดับที่ ", sequence,
                     " plans ", Baht(year_budget->planned().satang()),
                     " baht for ", year));
  }
}

// Projects the 5-year plan schedules in the year that no row names.
void ReportDroppedProjects(ImportState& state, int year,
                           const std::set<int>& matched) {
  for (const v1::Project& project : state.out.projects) {
    if (matched.contains(project.sequence())) continue;
    for (int scheduled : project.fiscal_years()) {
      if (scheduled != year) continue;
      state.Add(Finding::WARNING, "DROPPED_PROJECT", SeqLoc(project.sequence()),
                absl::StrCat("ลำดับที่ ", project.sequence(), " ",
                             Quote(project.title()), " is scheduled in ", year,
                             " but the annual plan has no row for it"));
    }
  }
}

// Rows against sheets, and the 5-year plan's schedule of that year.
void MatchAnnualEntries(ImportState& state, const v1::AnnualPlan& plan) {
  std::map<int, const v1::Project*> by_sequence;
  for (const v1::Project& project : state.out.projects) {
    by_sequence[project.sequence()] = &project;
  }
  std::set<int> matched;
  const bool in_span = AnnualYearInSpan(state, plan.be_year());
  for (int index = 0; index < plan.entries_size(); ++index) {
    const v1::AnnualPlanEntry& entry = plan.entries(index);
    const AnnualTable::Row& row = state.annual.rows[index];
    const int sequence = SequenceForTitle(state, entry.title());
    state.out.annual_entry_sequences.push_back(sequence);
    if (sequence == 0) {
      state.Add(Finding::WARNING, "UNMATCHED_ANNUAL_ENTRY",
                LineLoc(row.line_no),
                absl::StrCat("annual-plan row ", row.sequence, " ",
                             Quote(entry.title()),
                             " matches no project sheet by title"));
      continue;
    }
    matched.insert(sequence);
    CheckAnnualEntry(state, entry, row, *by_sequence.at(sequence), in_span);
  }
  if (in_span) ReportDroppedProjects(state, plan.be_year(), matched);
}

// ----------------------------------------------------------------- risks

v1::Risk::Level LevelOf(absl::string_view word) {
  if (word == "ต่ำ" || word == "น้อย") return v1::Risk::LOW;
  if (word == "ปานกลาง") return v1::Risk::MEDIUM;
  return v1::Risk::HIGH;
}

bool IsLevelWord(absl::string_view word) {
  return word == "สูง" || word == "สูงมาก" || word == "ปานกลาง" || word == "ต่ำ" ||
         word == "น้อย";
}

// A risk cell's numbered items ("1. ... 2. ..."), text before the first
// one as an item of its own; skipped numbers are a finding.
std::vector<std::string> SplitRiskCell(ImportState& state, const RiskRow& row,
                                       const std::string& text,
                                       absl::string_view what) {
  std::string leading;
  std::vector<NumberedItem> items = SplitNumbered(text, '.', &leading);
  std::vector<std::string> out;
  if (!leading.empty()) out.push_back(leading);
  int expected = 1;
  std::vector<int> gaps;
  for (NumberedItem& item : items) {
    for (; expected < item.number; ++expected) gaps.push_back(expected);
    expected = item.number + 1;
    out.push_back(std::move(item.text));
  }
  if (!gaps.empty() && !items.empty()) {
    state.Add(Finding::INFO, "NUMBERING_GAP", LineLoc(row.line_no),
              absl::StrCat("risk row ", row.sequence, ": the ", what,
                           " skip number(s) ", absl::StrJoin(gaps, ", ")));
  }
  return out;
}

// The Risk Score cell: one level per word.
std::vector<v1::Risk::Level> RiskLevels(ImportState& state,
                                        const RiskRow& row) {
  std::vector<v1::Risk::Level> levels;
  for (absl::string_view word :
       absl::StrSplit(row.cells[2], ' ', absl::SkipEmpty())) {
    if (IsLevelWord(word)) {
      levels.push_back(LevelOf(word));
    } else {
      state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(row.line_no),
                absl::StrCat("risk row ", row.sequence, ": Risk Score ",
                             Quote(word), " is not สูง / ปานกลาง / ต่ำ"));
    }
  }
  return levels;
}

// Issues with their levels (when there is one per issue); the row's level
// is the highest.
void ReadIssuesAndLevels(ImportState& state, const RiskRow& row,
                         v1::Risk& risk) {
  const std::vector<std::string> issues =
      SplitRiskCell(state, row, row.cells[1], "issues");
  const std::vector<v1::Risk::Level> levels = RiskLevels(state, row);
  for (size_t index = 0; index < issues.size(); ++index) {
    v1::Risk::Issue& issue = *risk.add_issues();
    issue.set_text(issues[index]);
    if (levels.size() == issues.size()) issue.set_level(levels[index]);
  }
  const std::string where = absl::StrCat("risk row ", row.sequence);
  if (levels.empty()) {
    state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(row.line_no),
              absl::StrCat(where, ": no risk level"));
    return;
  }
  risk.set_level(*std::max_element(levels.begin(), levels.end()));
  if (levels.size() > 1 && levels.size() != issues.size()) {
    state.Add(Finding::WARNING, "RISK_LEVEL_COUNT", LineLoc(row.line_no),
              absl::StrCat(where, ": ", levels.size(), " levels for ",
                           issues.size(), " issues; the highest is the row's"));
  }
}

// ------------------------------------------------------------------ tree

// Codes in numeric order ("1.10" after "1.9").
std::vector<int> MissionCodeKey(const std::string& code) {
  std::vector<int> parts;
  for (absl::string_view part : absl::StrSplit(code, '.')) {
    int value = 0;
    (void)absl::SimpleAtoi(part, &value);
    parts.push_back(value);
  }
  return parts;
}

// A sub-mission ("1.1.2") under its mission, which is added untitled when
// no heading named it.
v1::Mission& ParentMission(ImportState& state, v1::Dimension& dimension,
                           const std::string& code, int line_no) {
  const std::vector<int> parts = MissionCodeKey(code);
  const std::string parent = absl::StrCat(parts[0], ".", parts[1]);
  v1::Mission* mission = nullptr;
  for (v1::Mission& candidate : *dimension.mutable_missions()) {
    if (candidate.code() == parent) mission = &candidate;
  }
  if (mission != nullptr) return *mission;
  state.Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(line_no),
            absl::StrCat("sub-mission ", code, " has no heading ", parent,
                         " above it; an untitled ", parent, " is added"));
  mission = dimension.add_missions();
  mission->set_code(parent);
  return *mission;
}

void AddMissions(ImportState& state, const std::vector<std::string>& codes,
                 v1::Dimension& dimension) {
  for (const std::string& code : codes) {
    if (code[0] - '0' != dimension.number()) continue;
    const MissionInfo& info = state.missions.at(code);
    const std::string& title =
        !info.heading_title.empty() ? info.heading_title : info.table_title;
    v1::Mission& mission =
        MissionCodeKey(code).size() == 2
            ? *dimension.add_missions()
            : *ParentMission(state, dimension, code, info.line_no)
                   .add_sub_missions();
    mission.set_code(code);
    mission.set_title(title);
  }
}

}  // namespace

// ---------------------------------------------------------------- steps

void FinishOrganization(ImportState& state) {
  ChooseOrganization(state);
  ChooseSpan(state);
  ChooseTitle(state);
}

void FinishProjects(ImportState& state) {
  for (const Sheet& sheet : state.sheets) {
    state.drafts.push_back(DraftFromSheet(state, sheet));
  }
  KeepOneSheetPerSequence(state);
  for (size_t index : state.kept) CheckKeptSheet(state, index);
  ReportMissingSequences(state);
}

void FinishFiveYear(ImportState& state) {
  for (TableGroup& group : state.five_year.groups) {
    AttributeGroup(state, group);
  }
  for (const DeclaredTotal& total : state.five_year.totals) {
    CheckDeclaredTotal(state, total);
  }
}

void FinishBudgets(ImportState& state) {
  std::set<int> sheet_numbers;
  for (size_t index : state.kept) {
    Draft& draft = state.drafts[index];
    sheet_numbers.insert(*draft.sequence);
    FinishProjectBudgets(state, draft);
  }
  for (const auto& [number, item] : state.five_year.items) {
    if (sheet_numbers.contains(number)) continue;
    state.Add(Finding::WARNING, "TABLE_ITEM_WITHOUT_SHEET",
              LineLoc(item.line_no),
              absl::StrCat("the 5-year table lists item ", number, " ",
                           Quote(item.title), " but no sheet has that number"));
  }
}

void FinishAnnual(ImportState& state) {
  if (!state.annual.plan) return;
  const v1::AnnualPlan& plan = *state.annual.plan;
  CheckAnnualTotals(state, plan);
  MatchAnnualEntries(state, plan);
  state.out.annual_plan = std::move(*state.annual.plan);
}

void FinishRisks(ImportState& state) {
  for (const RiskRow& row : state.risk.rows) {
    v1::Risk risk;
    risk.set_sequence(row.sequence);
    risk.set_process_step(CollapseWhitespace(row.cells[0]));
    ReadIssuesAndLevels(state, row, risk);
    std::vector<int> controls;
    for (std::string& control :
         SplitRiskCell(state, row, row.cells[3], "control measures")) {
      const int sequence = SequenceForTitle(state, control);
      if (sequence != 0 && std::find(controls.begin(), controls.end(),
                                     sequence) == controls.end()) {
        controls.push_back(sequence);
      }
      risk.add_control_texts(std::move(control));
    }
    if (risk.process_step().empty()) {
      state.Add(
          Finding::WARNING, "UNREADABLE_LINE", LineLoc(row.line_no),
          absl::StrCat("risk row ", row.sequence, ": no ขั้นตอนการดำเนินงาน"));
    }
    state.out.risks.push_back(std::move(risk));
    state.out.risk_control_sequences.push_back(std::move(controls));
  }
}

void FinishTree(ImportState& state) {
  std::set<int> numbers;
  for (const auto& [number, titles] : state.dimensions) numbers.insert(number);
  for (const auto& [code, info] : state.missions) numbers.insert(code[0] - '0');
  for (const v1::Project& project : state.out.projects) {
    if (project.dimension() > 0) numbers.insert(project.dimension());
  }
  std::vector<std::string> codes;
  for (const auto& [code, info] : state.missions) codes.push_back(code);
  std::sort(codes.begin(), codes.end(),
            [](const std::string& a, const std::string& b) {
              return MissionCodeKey(a) < MissionCodeKey(b);
            });
  for (int number : numbers) {
    v1::Dimension& dimension = *state.out.plan.add_dimensions();
    dimension.set_number(number);
    const auto it = state.dimensions.find(number);
    if (it != state.dimensions.end()) {
      dimension.set_title(!it->second.heading.empty() ? it->second.heading
                                                      : it->second.table);
    }
    AddMissions(state, codes, dimension);
  }
}

void FinishTargets(ImportState& state) {
  const common::v1::FiscalYearSpan& span = state.out.plan.fiscal_years();
  for (auto& [year, target] : state.targets.by_year) {
    if (state.targets.base_year) {
      target.set_base_be_year(*state.targets.base_year);
    }
    if (span.first_be_year() != 0 &&
        (year < span.first_be_year() || year > span.last_be_year())) {
      state.Add(
          Finding::WARNING, "YEAR_OUTSIDE_PLAN", "line 1",
          absl::StrCat("a target is set for ", year, ", outside the plan's ",
                       span.first_be_year(), "-", span.last_be_year()));
    }
    *state.out.plan.add_targets() = target;
  }
}

void FinishDeclaredCounts(ImportState& state) {
  const int sheets = static_cast<int>(state.out.projects.size());
  if (state.declared_total_text && state.declared_total_text->count != sheets) {
    state.Add(
        Finding::WARNING, "TOTAL_MISMATCH",
        LineLoc(state.declared_total_text->line_no),
        absl::StrCat("the text declares ", state.declared_total_text->count,
                     " projects in all; the document has ", sheets,
                     " project sheets"));
  }
  for (const DeclaredTotal& total : state.five_year.totals) {
    if (!total.grand || !total.count || *total.count == sheets) continue;
    state.Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(total.line_no),
              absl::StrCat("the 5-year table declares ", *total.count,
                           " projects in all; the document has ", sheets,
                           " project sheets"));
  }
  std::map<int, int> per_dimension;
  for (const v1::Project& project : state.out.projects) {
    ++per_dimension[project.dimension()];
  }
  for (const auto& [dimension, declared] : state.declared_dimension_counts) {
    if (declared.count == per_dimension[dimension]) continue;
    state.Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(declared.line_no),
              absl::StrCat("dimension ", dimension, " is declared with ",
                           declared.count, " projects; the document has ",
                           per_dimension[dimension], " sheets in it"));
  }
}

void Reconcile(ImportState& state) {
  FinishOrganization(state);
  FinishProjects(state);
  FinishFiveYear(state);
  FinishBudgets(state);
  FinishAnnual(state);
  FinishRisks(state);
  FinishTree(state);
  FinishTargets(state);
  FinishDeclaredCounts(state);
  if (state.out.projects.empty() && state.risk.rows.empty() &&
      !state.out.annual_plan && state.five_year.groups.empty()) {
    state.Add(Finding::ERROR, "NO_PLAN_FOUND", "line 1",
              "the text has no project sheet, risk table, annual-plan table "
              "or 5-year table of the NACC template");
  }
  for (const auto& [code, count] : state.finding_counts) {
    if (count <= kMaxFindingsPerCode) continue;
    v1::Finding finding;
    finding.set_severity(Finding::INFO);
    finding.set_code("FINDINGS_TRUNCATED");
    finding.set_location("line 1");
    finding.set_message(absl::StrCat(count - kMaxFindingsPerCode, " more ",
                                     code, " findings are not listed"));
    state.out.findings.push_back(std::move(finding));
  }
}

}  // namespace prongsai::plan::plan_import
