// What the plan importer knows while it reads one document: the findings so
// far, the table or sheet being read, the rows and sheets collected, and the
// document-level facts (names, spans, declared counts). Internal to
// services/plan/plan_import: the scanner fills it line by line (scanner.h,
// tables.h, sheets.h), the reconciliation turns it into the ImportedPlan
// (reconcile.h).
//
//   ImportState state(CleanText(text));
//   Scan(state);
//   Reconcile(state);
//   return std::move(state.out);
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_IMPORT_STATE_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_IMPORT_STATE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/plan/plan_import/plan_import.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {

using Severity = v1::Finding::Severity;

// A document this broken produces one finding per line; past this many of
// one code the rest are counted in a single summary finding so the response
// stays small.
inline constexpr int kMaxFindingsPerCode = 100;

struct TextLine {
  int line_no = 0;
  std::string text;
};

// How often something was written, and where first.
struct Occurrences {
  int count = 0;
  int first_line = 0;
};

// A number the document declares ("๒๗ โครงการ") and the line saying so.
struct DeclaredCount {
  int count = 0;
  int line_no = 0;
};

// The table whose rows the scanner is reading.
enum class TableKind { kNone, kAnnual, kRisk, kTargets, kFiveYear };

// --------------------------------------------------------- project sheets

// A project sheet as written: fields ๑. .. ๙. (index 0: text before ๑.).
struct Sheet {
  int line_no = 0;
  std::optional<int> sequence;
  std::string mission_code;
  int dimension = 0;
  int current_field = 0;
  std::array<int, 10> heading_line{};
  std::array<std::string, 10> inline_text;
  std::array<std::vector<TextLine>, 10> body;
  std::vector<int> unnumbered;  // fields whose heading lost its number
};

// What ๗. งบประมาณ says: one amount for every year, or amounts per year.
struct SheetBudget {
  bool unreadable = false;
  std::optional<int64_t> all_years;
  std::map<int, int64_t> per_year;
};

// A sheet read into a project, before the cross-checks.
struct Draft {
  v1::Project project;
  int line_no = 0;
  std::optional<int> sequence;
  bool has_title = false;
  std::vector<int> years;  // from ๖.
  int years_line = 0;
  bool has_budget_field = false;
  int budget_line = 0;
  SheetBudget budget;
};

// ----------------------------------------------------------------- tables

struct AnnualTable {
  std::optional<v1::AnnualPlan> plan;
  bool started = false;
  bool ignored = false;  // a second table, not imported
  bool just_ended = false;
  int first_line = 0;
  int total_line = 0;
  // Columns of ลำดับ, รายการ, มิติ, งบประมาณ, the first ไตรมาส, หมายเหตุ.
  std::array<int, 6> columns{};
  struct Row {
    int line_no = 0;
    int sequence = 0;  // ลำดับ
  };
  std::vector<Row> rows;
  std::optional<int64_t> declared_budget;
  std::array<std::optional<int>, 4> declared_quarters;
};

struct RiskRow {
  int line_no = 0;
  int sequence = 0;
  std::array<std::string, 4> cells;  // step, issues, score, controls
};

struct RiskTable {
  std::array<int, 4> columns{};  // of the cells of RiskRow
  std::vector<RiskRow> rows;
};

struct TargetsTable {
  std::vector<int> years;
  std::vector<int> columns;  // parallel to years
  std::optional<int> base_year;
  std::map<int, v1::YearTarget> by_year;
};

// A 5-year table value: an amount, or nullopt for "-".
using Cell = std::optional<int64_t>;

struct ValueRow {
  int line_no = 0;
  std::vector<std::vector<Cell>> per_year;
  std::vector<Cell> flat;  // every value in reading order
};

// Numbered projects of one row of the 5-year table and the value rows
// under them.
struct TableGroup {
  int line_no = 0;
  int dimension = 0;
  std::string mission;
  std::vector<NumberedItem> items;
  std::vector<ValueRow> rows;
  bool wide = false;
  std::vector<int64_t> year_sums;  // filled by attribution
};

// A รวม row of the 5-year table.
struct DeclaredTotal {
  int line_no = 0;
  bool grand = false;
  int dimension = 0;
  std::optional<int> count;
  std::vector<std::optional<int64_t>> per_year;
  std::vector<size_t> groups;  // indices into FiveYearTable::groups
};

struct FiveYearTable {
  std::vector<int> years;
  std::vector<int> columns;  // parallel to years
  int first_line = 0;
  bool wide = false;  // a page where each year spans several columns
  int remark_column = -1;
  int dimension = 0;
  std::string mission;
  std::vector<TableGroup> groups;
  std::vector<size_t> block_groups;  // groups since the last total row
  std::vector<DeclaredTotal> totals;
  // Item number -> year -> value, for attributed items only.
  std::map<int, std::map<int, Cell>> schedule;
  struct Item {
    int line_no = 0;
    std::string title;
  };
  std::map<int, Item> items;  // by item number
};

// ---------------------------------------------------------- the state

struct MissionInfo {
  int line_no = 0;
  std::string heading_title, table_title;
};

struct DimensionTitles {
  std::string heading, table;
};

struct ImportState {
  explicit ImportState(std::string cleaned_text)
      : text(std::move(cleaned_text)) {}

  // Adds a finding, unless kMaxFindingsPerCode of `code` came before.
  void Add(Severity severity, absl::string_view code, std::string location,
           std::string message);

  const std::string text;
  ImportedPlan out;
  std::map<std::string, int> finding_counts;
  TableKind table = TableKind::kNone;

  // Sheets and the heading context.
  std::optional<Sheet> sheet;  // being read
  std::vector<Sheet> sheets;
  int current_dimension = 0;
  std::string current_mission;
  std::set<std::string> heading_codes;
  std::vector<Draft> drafts;  // parallel to sheets
  std::vector<size_t> kept;   // indices into drafts of out.projects
  std::map<std::string, int> title_index;  // title key -> sequence

  // Document-level facts.
  // (index into kOrgPrefixes, name) -> occurrences.
  std::map<std::pair<int, std::string>, Occurrences> names;
  std::string org_short_name;
  // (first, last) B.E. year of "พ.ศ. 2566 - 2570" -> occurrences.
  std::map<std::pair<int, int>, Occurrences> spans;
  std::string title, pending_title, fallback_title;
  std::vector<TextLine> recent_text;  // the last three text lines
  std::optional<DeclaredCount> declared_total_text;
  std::map<int, DeclaredCount> declared_dimension_counts;
  std::map<int, DimensionTitles> dimensions;
  std::map<std::string, MissionInfo> missions;

  AnnualTable annual;
  RiskTable risk;
  TargetsTable targets;
  FiveYearTable five_year;
};

// Sheet-title matching against the kept sheets (title_index): the sequence
// of the sheet whose normalized title equals `title`, or 0.
int SequenceForTitle(const ImportState& state, absl::string_view title);

// The dimension's or the table's title of a dimension, the first one each.
void NoteDimensionTitle(ImportState& state, int dimension,
                        const std::string& title, bool from_table);
// A mission heading (or the table's mission cell), the first title each.
void NoteMission(ImportState& state, const std::string& code,
                 const std::string& title, int line_no, bool from_table);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_IMPORT_STATE_H_
