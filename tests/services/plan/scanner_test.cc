// The plan importer's scanner (services/plan/plan_import/scanner.h): which
// table a header line starts, and how lines are handed to sheets and tables.
#include "services/plan/plan_import/scanner.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ClassifyTableHeaderTest, EachTableOfTheTemplate) {
  const TableHeader targets =
      ClassifyTableHeader({"ค่าเป้าหมาย", "ปี ๒๕๖๖", "ปี 2567"});
  EXPECT_EQ(targets.kind, TableKind::kTargets);
  EXPECT_THAT(targets.years, ElementsAre(2566, 2567));
  EXPECT_THAT(targets.year_columns, ElementsAre(1, 2));

  const TableHeader five_year = ClassifyTableHeader(
      {"มิติ", "ภารกิจตามมิติ", "โครงการ", "", "ปี 2566", "", "ปี 2567"});
  EXPECT_EQ(five_year.kind, TableKind::kFiveYear);
  EXPECT_THAT(five_year.year_columns, ElementsAre(4, 6));

  EXPECT_EQ(
      ClassifyTableHeader({"ลำดับ", "รายการโครงการ", "มิติ", "งบประมาณ", "ไตรมาส"})
          .kind,
      TableKind::kAnnual);
  EXPECT_EQ(ClassifyTableHeader(
                {"ลำดับ", "ขั้นตอนการดำเนินงาน", "ประเด็นความเสี่ยง", "Risk Score"})
                .kind,
            TableKind::kRisk);
}

TEST(ClassifyTableHeaderTest, RowsThatStartNoTable) {
  // Years without มิติ/ภารกิจ/ค่าเป้าหมาย, and words without years.
  EXPECT_EQ(ClassifyTableHeader({"รายการ", "ปี 2566"}).kind, TableKind::kNone);
  EXPECT_EQ(ClassifyTableHeader({"มิติ", "ภารกิจ"}).kind, TableKind::kNone);
  EXPECT_EQ(ClassifyTableHeader({"1", "โครงการ", "20,000"}).kind,
            TableKind::kNone);
  // "ปี 2026" is a C.E. year: not a year column.
  EXPECT_EQ(ClassifyTableHeader({"ค่าเป้าหมาย", "ปี 2026"}).kind,
            TableKind::kNone);
}

TEST(YearCellTest, BuddhistEraYearsAfterปี) {
  EXPECT_EQ(YearCell("ปี ๒๕๖๙"), 2569);
  EXPECT_EQ(YearCell("ปี2570"), 2570);
  EXPECT_EQ(YearCell("2570"), std::nullopt);
  EXPECT_EQ(YearCell("ปี 25701"), std::nullopt);
}

TEST(DimensionHeadingTest, TheWordAndItsTypos) {
  int dimension = 0;
  std::string title;
  ASSERT_TRUE(DimensionHeading("มิติที่ ๓ การส่งเสริมบทบาท", &dimension, &title));
  EXPECT_EQ(dimension, 3);
  EXPECT_EQ(title, "การส่งเสริมบทบาท");
  ASSERT_TRUE(DimensionHeading("มติที่ 2", &dimension, &title));
  EXPECT_EQ(dimension, 2);
  EXPECT_EQ(title, "");
  EXPECT_FALSE(DimensionHeading("มิติที่ 10 ไม่ใช่", &dimension, &title));
  EXPECT_FALSE(DimensionHeading("มิติที่ ๑x", &dimension, &title));
}

TEST(ScanTest, HeadingsSheetsAndTablesGoWhereTheyBelong) {
  ImportState state(
      CleanText("แผนปฏิบัติการป้องกันการทุจริต\n"
                "เพื่อยกระดับคุณธรรม พ.ศ. ๒๕๖๖ - ๒๕๗๐\n"
                "แผนปฏิบัติการประจำปี ๒๕๖๙\n"
                "ลำดับ\tรายการ\tมิติ\tงบประมาณ\tไตรมาส\n"
                "1\tโครงการอบรม\t1\t5,000\t/\n"
                "** หมายเหตุท้ายตาราง\n"
                "มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต จำนวน ๒ โครงการ\n"
                "๑.๑ การสร้างจิตสำนึก\n"
                "ลำดับที่ ๑\n"
                "๑. ชื่อโครงการ : โครงการอบรม\n"
                "๖. ระยะเวลาดำเนินการ ปี ๒๕๖๗\n"
                "ลำดับที่ ๒\n"
                "ชื่อโครงการ ไม่มีเลข\n"));
  Scan(state);
  // The cover's two lines make the title.
  EXPECT_EQ(state.title,
            "แผนปฏิบัติการป้องกันการทุจริตเพื่อยกระดับคุณธรรม พ.ศ. ๒๕๖๖ - ๒๕๗๐");
  ASSERT_EQ(state.spans.count({2566, 2570}), 1u);
  EXPECT_EQ(state.spans.at({2566, 2570}).first_line, 2);
  // The annual-plan table: its year from the line above, its note below.
  ASSERT_TRUE(state.annual.plan.has_value());
  EXPECT_EQ(state.annual.plan->be_year(), 2569);
  ASSERT_EQ(state.annual.plan->entries_size(), 1);
  EXPECT_EQ(state.annual.plan->entries(0).budget().satang(), 500'000);
  EXPECT_THAT(state.annual.plan->entries(0).quarters(), ElementsAre(1));
  EXPECT_EQ(state.annual.plan->note(), "หมายเหตุท้ายตาราง");
  // The headings.
  ASSERT_EQ(state.declared_dimension_counts.count(1), 1u);
  EXPECT_EQ(state.declared_dimension_counts.at(1).count, 2);
  EXPECT_EQ(state.declared_dimension_counts.at(1).line_no, 7);
  EXPECT_EQ(state.dimensions.at(1).heading, "การสร้างสังคมที่ไม่ทนต่อการทุจริต");
  EXPECT_EQ(state.missions.at("1.1").heading_title, "การสร้างจิตสำนึก");
  // Two sheets under mission 1.1.
  ASSERT_EQ(state.sheets.size(), 2u);
  EXPECT_EQ(state.sheets[0].sequence, 1);
  EXPECT_EQ(state.sheets[0].mission_code, "1.1");
  EXPECT_EQ(state.sheets[0].inline_text[1], "โครงการอบรม");
  EXPECT_EQ(state.sheets[0].heading_line[6], 11);
  // Only ๒.-๙. may lose their number: the second sheet's "ชื่อโครงการ"
  // stays text before ๑.
  EXPECT_EQ(state.sheets[1].sequence, 2);
  EXPECT_EQ(state.sheets[1].heading_line[1], 0);
  ASSERT_EQ(state.sheets[1].body[0].size(), 1u);
  EXPECT_EQ(state.sheets[1].body[0][0].line_no, 13);
  EXPECT_THAT(state.out.findings, IsEmpty());
}

TEST(ScanTest, ASecondTitleOpensASheetWithoutSequence) {
  ImportState state(
      CleanText("ลำดับที่ ๑\n"
                "๑. ชื่อโครงการ : ก\n"
                "๒. หลักการและเหตุผล\n"
                "๑. ชื่อโครงการ : ข\n"));
  Scan(state);
  ASSERT_EQ(state.sheets.size(), 2u);
  EXPECT_EQ(state.sheets[1].sequence, std::nullopt);
  EXPECT_EQ(state.sheets[1].inline_text[1], "ข");
  ASSERT_EQ(state.out.findings.size(), 1u);
  EXPECT_EQ(state.out.findings[0].code(), "SHEET_WITHOUT_SEQUENCE");
  EXPECT_EQ(state.out.findings[0].location(), "line 4");
}

}  // namespace
}  // namespace prongsai::plan::plan_import
