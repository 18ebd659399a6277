// The plan importer's table readers (services/plan/plan_import/tables.h),
// row by row, after the header a scanner would have classified.
#include "services/plan/plan_import/tables.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_import/import_state.h"
#include "tests/services/plan/finding_codes.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

class AnnualTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_.recent_text.push_back({1, "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๙"});
    BeginAnnualTable(
        state_,
        {"ลำดับ", "รายการ", "มิติ", "งบประมาณ", "ไตรมาส", "", "", "", "หมายเหตุ"},
        2);
  }
  ImportState state_{""};
};

TEST_F(AnnualTableTest, EntryWithTicksDashBudgetAndRemark) {
  AnnualRow(state_,
            {"๑", "โครงการอบรม", "๒", "๑๕,๐๐๐", "✓", "", "X", "-", "ต่อเนื่อง"},
            3);
  AnnualRow(state_, {"2", "กิจกรรม", "1", "-", "", "", "", "", ""}, 4);
  ASSERT_TRUE(state_.annual.plan.has_value());
  EXPECT_EQ(state_.annual.plan->be_year(), 2569);
  ASSERT_EQ(state_.annual.plan->entries_size(), 2);
  const v1::AnnualPlanEntry& first = state_.annual.plan->entries(0);
  EXPECT_EQ(first.title(), "โครงการอบรม");
  EXPECT_EQ(first.dimension(), 2);
  EXPECT_EQ(first.budget().satang(), 1'500'000);
  EXPECT_THAT(first.quarters(), ElementsAre(1, 3));
  EXPECT_EQ(first.remark(), "ต่อเนื่อง");
  // "-": no budget, said as INFO.
  EXPECT_FALSE(state_.annual.plan->entries(1).has_budget());
  EXPECT_THAT(FindingCodes(state_), ElementsAre("UNREADABLE_AMOUNT"));
  EXPECT_EQ(state_.out.findings[0].severity(), v1::Finding::INFO);
  EXPECT_EQ(state_.annual.rows.size(), 2u);
  EXPECT_EQ(state_.annual.rows[1].line_no, 4);
}

TEST_F(AnnualTableTest, ContinuationSubHeaderAndTotalRow) {
  AnnualRow(state_, {"", "", "", "", "1", "2", "3", "4", ""}, 3);  // sub-header
  AnnualRow(state_, {"1", "โครงการ", "1", "100", "/", "", "", "", ""}, 4);
  AnnualRow(state_, {"", "ต่อบรรทัด", "", "", "", "", "", "", ""}, 5);
  AnnualRow(state_, {"รวมทั้งสิ้น", "", "", "200", "1", "", "", "", ""}, 6);
  ASSERT_EQ(state_.annual.plan->entries_size(), 1);
  EXPECT_EQ(state_.annual.plan->entries(0).title(), "โครงการ ต่อบรรทัด");
  EXPECT_EQ(state_.annual.total_line, 6);
  EXPECT_THAT(state_.annual.declared_budget, Optional(20'000));
  EXPECT_THAT(state_.annual.declared_quarters[0], Optional(1));
  EXPECT_THAT(FindingCodes(state_), IsEmpty());
}

TEST_F(AnnualTableTest, UnreadableCellsAreFindings) {
  AnnualRow(state_, {"1", "โครงการ", "สิบ", "abc", "?", "", "", "", ""}, 3);
  AnnualRow(state_, {"x", "โครงการ", "1", "1", "", "", "", "", ""}, 4);
  EXPECT_THAT(FindingCodes(state_),
              ElementsAre("UNREADABLE_LINE", "UNREADABLE_AMOUNT",
                          "UNREADABLE_LINE", "UNREADABLE_LINE"));
  EXPECT_EQ(state_.out.findings[3].location(), "line 4");
}

TEST(AnnualTableHeaderTest, OnlyTheFirstTableIsRead) {
  ImportState state("");
  BeginAnnualTable(state, {"ลำดับ", "รายการ", "งบประมาณ", "ไตรมาส"}, 1);
  BeginAnnualTable(state, {"ลำดับ", "รายการ", "งบประมาณ", "ไตรมาส"}, 9);
  EXPECT_TRUE(state.annual.ignored);
  EXPECT_EQ(state.annual.first_line, 1);
  // No year above the first table, and the second one: two findings.
  EXPECT_THAT(FindingCodes(state),
              ElementsAre("UNREADABLE_LINE", "UNREADABLE_LINE"));
  EXPECT_EQ(state.out.findings[1].location(), "line 9");
}

TEST(RiskTableTest, ContinuationDropsTextRepeatedFromThePreviousPage) {
  ImportState state("");
  BeginRiskTable(state,
                 {"ลำดับ", "ขั้นตอน", "ประเด็นความเสี่ยง", "Risk Score", "มาตรการ"});
  const std::string page_end = "การจัดซื้อจัดจ้างไม่โปร่งใสตามระเบียบ";
  RiskTableRow(state, {"1", "จัดซื้อ", "1. " + page_end, "สูง", "มาตรการ"}, 3);
  RiskTableRow(state, {"", "", page_end + " ต่อ", "", "ก"}, 4);
  ASSERT_EQ(state.risk.rows.size(), 1u);
  const RiskRow& row = state.risk.rows[0];
  EXPECT_EQ(row.sequence, 1);
  EXPECT_EQ(row.cells[1], "1. " + page_end + " ต่อ");
  EXPECT_EQ(row.cells[3], "มาตรการ ก");
  EXPECT_THAT(FindingCodes(state), ElementsAre("DUPLICATED_TEXT"));
  RiskTableRow(state, {"ข้อ", "x"}, 5);
  EXPECT_THAT(FindingCodes(state),
              ElementsAre("DUPLICATED_TEXT", "UNREADABLE_LINE"));
}

TEST(TargetsTableTest, CaseReductionWithBaseYearAndItaScore) {
  ImportState state("");
  BeginTargetsTable(state, {2566, 2567}, {1, 2});
  TargetsRow(state, {"ลดคดี (คำนวณจากปี ๒๕๖๕)", "ร้อยละ ๑๐", "ร้อยละ 20"}, 2);
  TargetsRow(state, {"คะแนน ITA", "85", "ไม่ทราบ"}, 3);
  EXPECT_EQ(state.targets.base_year, 2565);
  ASSERT_EQ(state.targets.by_year.size(), 2u);
  EXPECT_EQ(state.targets.by_year.at(2566).corruption_case_reduction_percent(),
            10);
  EXPECT_EQ(state.targets.by_year.at(2567).corruption_case_reduction_percent(),
            20);
  EXPECT_EQ(state.targets.by_year.at(2566).ita_score_target(), 85);
  EXPECT_EQ(state.targets.by_year.at(2567).ita_score_target(), 0);
  EXPECT_THAT(FindingCodes(state), ElementsAre("UNREADABLE_LINE"));
}

TEST(FiveYearTableTest, GroupsValueRowsAndTotals) {
  ImportState state("");
  BeginFiveYearTable(state, {"มิติ", "ภารกิจ", "โครงการ", "ปี 2566", "ปี 2567"},
                     {2566, 2567}, {3, 4}, 1);
  FiveYearRow(state, {"", "", "", "งบประมาณ", "งบประมาณ"}, 2);  // sub-header
  FiveYearRow(
      state, {"๑. การสร้างสังคม", "๑.๑ จิตสำนึก", "1) ก 2) ข", "100 -", "0 50"}, 3);
  FiveYearRow(state, {"", "", "", "7", ""}, 4);
  FiveYearRow(state, {"", "", "รวม 2 โครงการ", "100", "50"}, 5);
  const FiveYearTable& table = state.five_year;
  EXPECT_EQ(table.dimension, 1);
  EXPECT_EQ(table.mission, "1.1");
  EXPECT_EQ(state.dimensions.at(1).table, "การสร้างสังคม");
  EXPECT_EQ(state.missions.at("1.1").table_title, "จิตสำนึก");
  ASSERT_EQ(table.groups.size(), 1u);
  const TableGroup& group = table.groups[0];
  ASSERT_EQ(group.items.size(), 2u);
  EXPECT_EQ(group.items[1].text, "ข");
  ASSERT_EQ(group.rows.size(), 2u);
  EXPECT_THAT(group.rows[0].per_year[0],
              ElementsAre(Optional(10'000), std::nullopt));
  EXPECT_THAT(group.rows[0].per_year[1],
              ElementsAre(Optional(0), Optional(5'000)));
  EXPECT_THAT(group.rows[1].flat, ElementsAre(Optional(700)));
  ASSERT_EQ(table.totals.size(), 1u);
  EXPECT_FALSE(table.totals[0].grand);
  EXPECT_EQ(table.totals[0].count, 2);
  EXPECT_THAT(table.totals[0].per_year,
              ElementsAre(Optional(10'000), Optional(5'000)));
  EXPECT_THAT(table.totals[0].groups, ElementsAre(0u));
  EXPECT_THAT(table.block_groups, IsEmpty());
  EXPECT_THAT(FindingCodes(state), IsEmpty());
}

TEST(FiveYearTableTest, UnreadableValuesAndRowsAreFindings) {
  ImportState state("");
  BeginFiveYearTable(state, {"มิติ", "ภารกิจ", "โครงการ", "ปี 2566"}, {2566}, {3},
                     1);
  FiveYearRow(state, {"", "", "", "9"}, 2);  // no project row above
  FiveYearRow(state, {"", "", "1) ก", "abc"}, 3);
  FiveYearRow(state, {"", "", "ข้อความ", "1"}, 4);
  EXPECT_THAT(
      FindingCodes(state),
      ElementsAre("UNREADABLE_LINE", "UNREADABLE_AMOUNT", "UNREADABLE_LINE"));
  // A later header with other years keeps the first ones.
  BeginFiveYearTable(state, {"มิติ", "ปี 2567"}, {2567}, {1}, 9);
  EXPECT_THAT(state.five_year.years, ElementsAre(2566));
  EXPECT_EQ(state.out.findings.back().location(), "line 9");
}

}  // namespace
}  // namespace prongsai::plan::plan_import
