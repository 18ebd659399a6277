// The plan importer's project sheets (services/plan/plan_import/sheets.h):
// headings, ๗. budgets and the reading of a sheet into a project draft.
#include "services/plan/plan_import/sheets.h"

#include <optional>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_import/import_state.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ParseSequenceLineTest, NumberAloneOrNothing) {
  std::optional<int> sequence;
  ASSERT_TRUE(ParseSequenceLine("ลำดับที่ ๑๒", &sequence));
  EXPECT_EQ(sequence, 12);
  ASSERT_TRUE(ParseSequenceLine("ลำดับที่", &sequence));
  EXPECT_EQ(sequence, std::nullopt);
  EXPECT_FALSE(ParseSequenceLine("ลำดับที่ 3 ของแผน", &sequence));
  EXPECT_FALSE(ParseSequenceLine("ลำดับที่ติดต่อกัน", &sequence));
}

TEST(ParseFieldHeadingTest, NumberedAndUnnumberedHeadings) {
  const std::optional<FieldHeading> title =
      ParseFieldHeading("๑. ชื่อโครงการ/กิจกรรม/มาตรการ อบรมคุณธรรม", 0);
  ASSERT_TRUE(title.has_value());
  EXPECT_EQ(title->field, 1);
  EXPECT_TRUE(title->numbered);
  EXPECT_EQ(title->rest, "อบรมคุณธรรม");
  const std::optional<FieldHeading> budget =
      ParseFieldHeading("- ๗.งบประมาณ : 5,000 บาท", 6);
  ASSERT_TRUE(budget.has_value());
  EXPECT_EQ(budget->field, 7);
  EXPECT_EQ(budget->rest, "5,000 บาท");
  // The number lost: only the field right after the current one.
  const std::optional<FieldHeading> unnumbered =
      ParseFieldHeading("ระยะเวลาดำเนินการ", 5);
  ASSERT_TRUE(unnumbered.has_value());
  EXPECT_EQ(unnumbered->field, 6);
  EXPECT_FALSE(unnumbered->numbered);
  EXPECT_FALSE(ParseFieldHeading("ระยะเวลาดำเนินการ", 3).has_value());
  // Back to an earlier field, a sub-item, an unknown keyword.
  EXPECT_FALSE(ParseFieldHeading("๓. วัตถุประสงค์", 5).has_value());
  EXPECT_FALSE(ParseFieldHeading("๒.๑ หลักการ", 1).has_value());
  EXPECT_FALSE(ParseFieldHeading("๔. อื่น ๆ", 3).has_value());
}

TEST(ParseSheetBudgetTest, NoneOneAmountAndAmountsPerYear) {
  ImportState state("");
  EXPECT_EQ(ParseSheetBudget(state, "ไม่ใช้งบประมาณ", 5, 1).all_years, 0);
  EXPECT_EQ(ParseSheetBudget(state, "๒๐,๐๐๐ บาท", 5, 1).all_years, 2'000'000);
  const SheetBudget per_year = ParseSheetBudget(
      state, "ปี 2566 จำนวน 10,000 บาท ปี 2567 จำนวน 5,000.- และ 2,500 บาท", 5,
      1);
  EXPECT_FALSE(per_year.unreadable);
  EXPECT_EQ(per_year.all_years, std::nullopt);
  EXPECT_THAT(per_year.per_year,
              ElementsAre(Pair(2566, 1'000'000), Pair(2567, 750'000)));
  EXPECT_THAT(state.out.findings, IsEmpty());
}

TEST(ParseSheetBudgetTest, UnreadableBudgetsAreFindings) {
  ImportState state("");
  EXPECT_TRUE(ParseSheetBudget(state, "ตามที่ได้รับจัดสรร", 7, 3).unreadable);
  EXPECT_TRUE(
      ParseSheetBudget(state, "10,000 บาท และ 5,000 บาท", 8, 3).unreadable);
  ASSERT_EQ(state.out.findings.size(), 2u);
  EXPECT_EQ(state.out.findings[0].code(), "UNREADABLE_AMOUNT");
  EXPECT_EQ(state.out.findings[0].location(), "line 7");
  EXPECT_THAT(state.out.findings[1].message(),
              ::testing::HasSubstr("2 amounts"));
}

TEST(DraftFromSheetTest, FieldsKindYearsBudgetAndLayoutFindings) {
  ImportState state("");
  state.current_mission = "2.1";
  StartSheet(state, 10, 4);
  SheetLine(state, 11, "ข้อความก่อนชื่อ");
  SheetLine(state, 12, "๑. ชื่อโครงการ “โครงการ");
  SheetLine(state, 13, "ส่งเสริมคุณธรรม”");
  SheetLine(state, 14, "๓. วัตถุประสงค์");
  SheetLine(state, 15, "1) เพื่อหนึ่ง");
  SheetLine(state, 16, "2) เพื่อสอง");
  SheetLine(state, 17, "กลุ่มเป้าหมาย : ประชาชน");
  SheetLine(state, 18, "๖. ระยะเวลา : ปี ๒๕๖๗ - ๒๕๖๘");
  SheetLine(state, 19, "๗. งบประมาณ : 3,000 บาท");
  SheetLine(state, 20, "๙. ผลผลิต/ผลลัพธ์");
  SheetLine(state, 21, "ผลผลิต : คู่มือ");
  SheetLine(state, 22, "ผลลัพธ์");
  SheetLine(state, 23, "ประชาชนเข้าใจ");
  FinishSheet(state);
  ASSERT_EQ(state.sheets.size(), 1u);
  const Draft draft = DraftFromSheet(state, state.sheets[0]);
  const v1::Project& project = draft.project;
  EXPECT_TRUE(draft.has_title);
  EXPECT_EQ(project.title(), "“โครงการ ส่งเสริมคุณธรรม”");
  EXPECT_EQ(project.kind(), v1::Project::PROJECT);
  EXPECT_EQ(project.sequence(), 4);
  EXPECT_EQ(project.mission_code(), "2.1");
  EXPECT_EQ(project.dimension(), 2);
  EXPECT_THAT(project.objectives(), ElementsAre("เพื่อหนึ่ง", "เพื่อสอง"));
  EXPECT_EQ(project.target_group(), "ประชาชน");
  EXPECT_THAT(project.outputs(), ElementsAre("คู่มือ"));
  EXPECT_THAT(project.outcomes(), ElementsAre("ประชาชนเข้าใจ"));
  EXPECT_THAT(draft.years, ElementsAre(2567, 2568));
  EXPECT_EQ(draft.years_line, 18);
  EXPECT_TRUE(draft.has_budget_field);
  EXPECT_EQ(draft.budget.all_years, 300'000);
  // Text before ๑. and ๔. written without its number.
  ASSERT_EQ(state.out.findings.size(), 2u);
  EXPECT_EQ(state.out.findings[0].code(), "UNREADABLE_LINE");
  EXPECT_EQ(state.out.findings[0].location(), "line 11");
  EXPECT_EQ(state.out.findings[1].code(), "UNNUMBERED_HEADING");
  EXPECT_EQ(state.out.findings[1].location(), "line 17");
}

}  // namespace
}  // namespace prongsai::plan::plan_import
