// The plan importer's cross-checks (services/plan/plan_import/reconcile.h)
// on states built by hand: what each check fills in and what it reports.
#include "services/plan/plan_import/reconcile.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/sheets.h"
#include "tests/services/plan/finding_codes.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::Pair;

ValueRow Row(std::vector<std::vector<Cell>> per_year) {
  ValueRow row;
  for (const std::vector<Cell>& values : per_year) {
    row.flat.insert(row.flat.end(), values.begin(), values.end());
  }
  row.per_year = std::move(per_year);
  return row;
}

TableGroup Group(int line_no, const std::vector<int>& numbers,
                 std::vector<ValueRow> rows) {
  TableGroup group;
  group.line_no = line_no;
  for (int number : numbers) {
    group.items.push_back({number, absl::StrCat("โครงการ ", number)});
  }
  group.rows = std::move(rows);
  return group;
}

TEST(FinishFiveYearTest, OneRowOrOneRowPerItemIsAttributed) {
  ImportState state("");
  state.five_year.years = {2566, 2567};
  // Items 1 and 2 on one row, two values per year ("-" for item 2 in 2566);
  // items 3 and 4 on a row each.
  state.five_year.groups.push_back(
      Group(5, {1, 2}, {Row({{100, std::nullopt}, {0, 200}})}));
  state.five_year.groups.push_back(
      Group(6, {3, 4}, {Row({{10}, {20}}), Row({{30}, {40}})}));
  DeclaredTotal total;
  total.line_no = 9;
  total.grand = true;
  total.count = 4;
  total.per_year = {140, 999};
  total.groups = {0, 1};
  state.five_year.totals.push_back(total);
  FinishFiveYear(state);
  const auto& schedule = state.five_year.schedule;
  EXPECT_THAT(schedule.at(1),
              ElementsAre(Pair(2566, Optional(100)), Pair(2567, Optional(0))));
  EXPECT_THAT(schedule.at(2),
              ElementsAre(Pair(2566, std::nullopt), Pair(2567, Optional(200))));
  EXPECT_THAT(schedule.at(4),
              ElementsAre(Pair(2566, Optional(30)), Pair(2567, Optional(40))));
  EXPECT_THAT(state.five_year.groups[1].year_sums, ElementsAre(40, 60));
  EXPECT_EQ(state.five_year.items.at(3).line_no, 6);
  // 2566 adds up (100 + 10 + 30); 2567 does not (0 + 200 + 20 + 40 = 260).
  ASSERT_THAT(FindingCodes(state), ElementsAre("TOTAL_MISMATCH"));
  EXPECT_EQ(state.out.findings[0].severity(), v1::Finding::ERROR);
  EXPECT_THAT(state.out.findings[0].message(), HasSubstr("for 2567"));
}

TEST(FinishFiveYearTest, MergedCellsAreCountedButNotAttributed) {
  ImportState state("");
  state.five_year.years = {2566};
  // Three items, one row with one value: a merged cell.
  state.five_year.groups.push_back(Group(7, {1, 2, 3}, {Row({{300}})}));
  FinishFiveYear(state);
  EXPECT_TRUE(state.five_year.schedule.empty());
  EXPECT_THAT(state.five_year.groups[0].year_sums, ElementsAre(300));
  EXPECT_EQ(state.five_year.items.size(), 3u);
  ASSERT_THAT(FindingCodes(state), ElementsAre("AMBIGUOUS_SCHEDULE"));
  EXPECT_EQ(state.out.findings[0].location(), "line 7");
}

TEST(FinishFiveYearTest, WidePagesReadYearByYear) {
  ImportState state("");
  state.five_year.years = {2566, 2567};
  TableGroup group = Group(8, {1, 2}, {});
  group.wide = true;
  ValueRow row;
  row.flat = {1, 2, 3, 4, 1};  // 2566: items 1, 2; 2567: items 1, 2; extra
  group.rows.push_back(row);
  state.five_year.groups.push_back(group);
  FinishFiveYear(state);
  EXPECT_THAT(state.five_year.schedule.at(2),
              ElementsAre(Pair(2566, Optional(2)), Pair(2567, Optional(4))));
  EXPECT_THAT(FindingCodes(state), ElementsAre("WIDE_ROW_EXTRA_VALUES"));
}

// Two sheets numbered 1, one without a title, none numbered 2.
TEST(FinishProjectsTest, DuplicateUntitledAndMissingSheets) {
  ImportState state("");
  StartSheet(state, 1, 1);
  SheetLine(state, 2, "๑. ชื่อโครงการ : ก");
  FinishSheet(state);
  StartSheet(state, 3, 1);
  SheetLine(state, 4, "๑. ชื่อโครงการ : ข");
  FinishSheet(state);
  StartSheet(state, 5, 4);
  FinishSheet(state);
  StartSheet(state, 6, 3);
  SheetLine(state, 7, "๑. ชื่อโครงการ : ค");
  FinishSheet(state);
  FinishProjects(state);
  EXPECT_THAT(state.kept, ElementsAre(0u, 3u));
  EXPECT_THAT(state.title_index, ElementsAre(Pair("ก", 1), Pair("ค", 3)));
  std::vector<std::string> codes = FindingCodes(state);
  EXPECT_THAT(codes, ElementsAre("DUPLICATE_SEQUENCE", "SHEET_WITHOUT_TITLE",
                                 "SHEET_WITHOUT_BUDGET", "SHEET_MISSING_FIELD",
                                 "SHEET_WITHOUT_BUDGET", "SHEET_MISSING_FIELD",
                                 "MISSING_SEQUENCE"));
  EXPECT_EQ(state.out.findings.back().location(), "ลำดับที่ 2");
}

class FinishAnnualTest : public ::testing::Test {
 protected:
  // Sheets 1 (2569: 100 baht) and 2 (2569 and 2570), annual plan 2569.
  void SetUp() override {
    state_.out.plan.mutable_fiscal_years()->set_first_be_year(2566);
    state_.out.plan.mutable_fiscal_years()->set_last_be_year(2570);
    AddProject(1, "หนึ่ง", {2569}, 10'000);
    AddProject(2, "สอง", {2569, 2570}, 0);
    state_.annual.plan.emplace();
    state_.annual.plan->set_be_year(2569);
    state_.annual.first_line = 10;
  }
  void AddProject(int sequence, const std::string& title,
                  const std::vector<int>& years, int64_t satang) {
    v1::Project& project = state_.out.projects.emplace_back();
    project.set_sequence(sequence);
    project.set_title(title);
    project.set_dimension(1);
    for (int year : years) {
      project.add_fiscal_years(year);
      v1::YearBudget& budget = *project.add_budgets();
      budget.set_be_year(year);
      if (satang > 0) budget.mutable_planned()->set_satang(satang);
    }
    state_.title_index[title] = sequence;
  }
  void AddEntry(int sequence, const std::string& title, int64_t satang,
                int line_no) {
    v1::AnnualPlanEntry& entry = *state_.annual.plan->add_entries();
    entry.set_title(title);
    entry.set_dimension(1);
    entry.mutable_budget()->set_satang(satang);
    entry.add_quarters(1);
    state_.annual.rows.push_back({line_no, sequence});
  }
  ImportState state_{""};
};

TEST_F(FinishAnnualTest, RowsAgainstTotalsAndSheets) {
  AddEntry(1, "หนึ่ง", 20'000, 11);  // plans 100 baht, the row says 200
  AddEntry(3, "อื่น", 5'000, 12);    // numbered 3 in second place; no sheet
  state_.annual.total_line = 13;
  state_.annual.declared_budget = 25'000;
  state_.annual.declared_quarters[0] = 3;
  FinishAnnual(state_);
  ASSERT_TRUE(state_.out.annual_plan.has_value());
  EXPECT_THAT(state_.out.annual_entry_sequences, ElementsAre(1, 0));
  // Quarter 1: 3 declared, 2 ticked; sheet 2 is scheduled in 2569 but has
  // no row.
  EXPECT_THAT(
      FindingCodes(state_),
      ElementsAre("TOTAL_MISMATCH", "MISSING_SEQUENCE", "BUDGET_DIFFERS",
                  "UNMATCHED_ANNUAL_ENTRY", "DROPPED_PROJECT"));
  EXPECT_EQ(state_.out.findings[0].severity(), v1::Finding::WARNING);
  EXPECT_EQ(state_.out.findings[1].location(), "line 12");
  EXPECT_EQ(state_.out.findings[4].location(), "ลำดับที่ 2");
}

TEST_F(FinishAnnualTest, AddedProjectAndNoTotalRow) {
  state_.annual.plan->set_be_year(2570);
  AddEntry(1, "หนึ่ง", 10'000, 11);  // sheet 1 is not scheduled in 2570
  AddEntry(2, "สอง", 1, 12);
  FinishAnnual(state_);
  EXPECT_THAT(FindingCodes(state_),
              ElementsAre("NO_TOTAL_ROW", "ADDED_PROJECT"));
  EXPECT_THAT(state_.out.findings[1].message(), HasSubstr("(its sheet: 2569)"));
}

TEST(FinishAnnualWithoutTableTest, NothingToCheck) {
  ImportState state("");
  FinishAnnual(state);
  EXPECT_FALSE(state.out.annual_plan.has_value());
  EXPECT_THAT(state.out.findings, IsEmpty());
}

}  // namespace
}  // namespace prongsai::plan::plan_import
