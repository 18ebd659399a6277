// The integrity-measures importer (measures_import.h) on its own: our
// fixture in tests/testdata/plan (Thai and Arabic digits, a cell broken over
// two lines, a damaged row, a duplicate) and seeds 000 and 004 when they are
// beside the repository.
#include "services/plan/plan_import/measures_import.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/seeds.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Testdata(absl::string_view name) {
  std::string text = ReadFile(absl::StrCat(PRONGSAI_PLAN_TESTDATA, "/", name));
  EXPECT_FALSE(text.empty()) << name;
  return text;
}

std::vector<std::string> Codes(const ImportedMeasures& got) {
  std::vector<std::string> codes;
  for (const v1::Finding& f : got.findings) {
    codes.push_back(absl::StrCat(f.code(), "@", f.location()));
  }
  return codes;
}

std::vector<std::string> Titles(const ImportedMeasures& got) {
  std::vector<std::string> titles;
  for (const v1::IntegrityMeasure& m : got.measures)
    titles.push_back(m.title());
  return titles;
}

TEST(MeasuresImportTest, FixtureRowsBecomeMeasures) {
  const ImportedMeasures got =
      ParseIntegrityMeasures(Testdata("measures_2568.txt"), 2568);
  // The damaged row (line 10) and the duplicate (line 12) are not measures.
  EXPECT_THAT(
      Titles(got),
      ElementsAre("มาตรการเผยแพร่ข้อมูล ต่อสาธารณะ", "มาตรการตรวจสอบการใช้ดุลพินิจ",
                  "มาตรการป้องกันการรับสินบน", "มาตรการจัดการเรื่องร้องเรียน"));
  EXPECT_THAT(Codes(got),
              ElementsAre("UNREADABLE_ROW@line 10", "DUPLICATE_MEASURE@line 12",
                          "PERIOD_UNREADABLE@line 13"));
  EXPECT_TRUE(got.HasErrors());
  for (const v1::IntegrityMeasure& m : got.measures) {
    EXPECT_EQ(m.be_year(), 2568);
  }
}

TEST(MeasuresImportTest, ThaiDigitsStepsQuartersAndIssue) {
  const ImportedMeasures got =
      ParseIntegrityMeasures(Testdata("measures_2568.txt"), 2568);
  ASSERT_EQ(got.measures.size(), 4);
  const v1::IntegrityMeasure& first = got.measures[0];
  EXPECT_THAT(first.steps(),
              ElementsAre("จัดทำรายการข้อมูล", "เผยแพร่บนเว็บไซต์", "ตรวจสอบทุกเดือน"));
  EXPECT_THAT(first.quarters(), ElementsAre(1, 2, 3, 4));  // "ไตรมาส ๑-๔"
  EXPECT_EQ(first.owner(), "สำนักปลัด");
  EXPECT_EQ(first.ita_issue(), "ประเด็นที่ ๑ การเปิดเผยข้อมูล");
  EXPECT_THAT(first.ita_indicators(), ElementsAre("o1", "o2"));
  const v1::IntegrityMeasure& bribes = got.measures[2];
  EXPECT_THAT(bribes.steps(), ElementsAre("ประกาศ", "อบรมพนักงาน"));  // "1) 2)"
  EXPECT_THAT(bribes.quarters(), ElementsAre(1, 2, 3, 4));  // "ตลอดปี..."
  EXPECT_EQ(bribes.ita_issue(), "ประเด็นที่ ๒ การป้องกันการทุจริต");
  EXPECT_THAT(got.measures[3].quarters(), IsEmpty());
  EXPECT_THAT(got.measures[3].ita_indicators(), ElementsAre("e8"));
}

TEST(MeasuresImportTest, BrokenLineContinuesTheRowBefore) {
  const ImportedMeasures got =
      ParseIntegrityMeasures(Testdata("measures_2568.txt"), 2568);
  ASSERT_EQ(got.measures.size(), 4);
  const v1::IntegrityMeasure& m = got.measures[1];
  EXPECT_EQ(m.guideline(), "จัดทำคู่มือการปฏิบัติงาน และกำหนดบทบาทผู้บริหาร");
  EXPECT_THAT(m.steps(), ElementsAre("จัดทำคู่มือ", "ประกาศ", "เผยแพร่มาตรการ"));
  EXPECT_EQ(m.follow_up(), "รายงานในการประชุมประจำเดือน เมษายน ๒๕๖๘");
  EXPECT_THAT(m.quarters(), ElementsAre(2));  // "ม.ค.-มี.ค. 68"
  EXPECT_EQ(m.period_text(), "ม.ค.-มี.ค. 68");
}

TEST(MeasuresImportTest, NoTableIsAnError) {
  const ImportedMeasures got =
      ParseIntegrityMeasures("รายงาน\nไม่มีตาราง\tเลย\n", 2568);
  EXPECT_THAT(got.measures, IsEmpty());
  EXPECT_THAT(Codes(got), ElementsAre("NO_MEASURES_TABLE@line 1"));
  EXPECT_TRUE(got.HasErrors());
}

TEST(MeasuresImportTest, LongTitleAndExtraCellsAreErrors) {
  std::string long_title = "มาตรการ";
  for (int i = 0; i < 500; ++i) long_title += "ก";  // 507 code points
  const ImportedMeasures got = ParseIntegrityMeasures(
      absl::StrCat("มาตรการ\tขั้นตอน\tผู้รับผิดชอบ\n", long_title,
                   "\t1. ทำ\tกองช่าง\n", "มาตรการ ข\t1. ทำ\tกองช่าง\tเกิน\n"),
      2567);
  EXPECT_THAT(got.measures, IsEmpty());
  EXPECT_THAT(Codes(got),
              ElementsAre("TITLE_TOO_LONG@line 2", "UNREADABLE_ROW@line 3"));
}

TEST(MeasuresImportTest, MarkupInCellsIsRemoved) {
  const ImportedMeasures got = ParseIntegrityMeasures(
      "มาตรการ\tขั้นตอน\tผู้รับผิดชอบ\n"
      "<b>มาตรการ ก</b>\t<ul><li>1. หนึ่ง</li><li>2. สอง</li></ul>\tกองช่าง\n",
      2567);
  ASSERT_EQ(got.measures.size(), 1);
  EXPECT_EQ(got.measures[0].title(), "มาตรการ ก");
  EXPECT_THAT(got.measures[0].steps(), ElementsAre("หนึ่ง", "สอง"));
}

TEST(MeasuresImportTest, TitleKeyIgnoresSpacesDigitsAndCase) {
  EXPECT_EQ(MeasureTitleKey("มาตรการ ๑  ก\tITA"),
            MeasureTitleKey("มาตรการ1กita"));
  EXPECT_NE(MeasureTitleKey("มาตรการ ๑"), MeasureTitleKey("มาตรการ ๒"));
}

TEST(MeasuresImportTest, QuartersOfPeriods) {
  EXPECT_THAT(QuartersOfPeriod("ไตรมาส 2, 3"), ElementsAre(2, 3));
  EXPECT_THAT(QuartersOfPeriod("ไตรมาสที่ ๔"), ElementsAre(4));
  EXPECT_THAT(QuartersOfPeriod("ต.ค. 67 - มี.ค. 68"), ElementsAre(1, 2));
  EXPECT_THAT(QuartersOfPeriod("ก.ค."), ElementsAre(4));
  EXPECT_THAT(QuartersOfPeriod("ตามความเหมาะสม"), IsEmpty());
}

constexpr absl::string_view kSeed000 = "000_5a540f8e70535f9d.txt";
constexpr absl::string_view kSeed004 = "004_0427c4c964be47f8.txt";

TEST(MeasuresImportSeedTest, Seed000) {
  PRONGSAI_REQUIRE_SEED(PRONGSAI_SEEDS_DIR, kSeed000);
  const ImportedMeasures got = ParseIntegrityMeasures(
      ReadFile(absl::StrCat(PRONGSAI_SEEDS_DIR, "/", kSeed000)), 2565);
  // Seed 000's table (its lines 78-81) has three measures, all "ม.ค.-มี.ค.
  // 65" by สำนักปลัด, the first two with 3 and 2 numbered steps. The third
  // title is cut by a page break (its rest, after a blank line, is not read
  // as a row: a blank line ends the table).
  EXPECT_THAT(Titles(got), ElementsAre("มาตรการตรวจสอบการใช้ดุลพินิจ",
                                       "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
                                       "ประกาศเจตจำนงการบริหารงานด้วยความ"));
  EXPECT_FALSE(got.HasErrors()) << ::testing::PrintToString(Codes(got));
  ASSERT_EQ(got.measures.size(), 3);
  EXPECT_EQ(got.measures[0].steps_size(), 3);
  EXPECT_EQ(got.measures[1].steps_size(), 2);
  for (const v1::IntegrityMeasure& m : got.measures) {
    EXPECT_THAT(m.quarters(), ElementsAre(2));
    EXPECT_EQ(m.owner(), "สำนักปลัด");
  }
}

TEST(MeasuresImportSeedTest, Seed004) {
  PRONGSAI_REQUIRE_SEED(PRONGSAI_SEEDS_DIR, kSeed004);
  const ImportedMeasures got = ParseIntegrityMeasures(
      ReadFile(absl::StrCat(PRONGSAI_SEEDS_DIR, "/", kSeed004)), 2568);
  EXPECT_FALSE(got.HasErrors()) << ::testing::PrintToString(Codes(got));
  // One measure under each of the 7 issues (ประเด็นที่ ๑-๗).
  ASSERT_EQ(got.measures.size(), 7) << ::testing::PrintToString(Titles(got));
  EXPECT_EQ(got.measures[0].title(), "มาตรการส่งเสริมคุณภาพการ ดำเนินงาน");
  EXPECT_THAT(got.measures[0].quarters(), ElementsAre(1, 2, 3, 4));
  EXPECT_TRUE(got.measures[0].ita_issue().rfind("ประเด็นที่ ๑", 0) == 0);
  EXPECT_TRUE(got.measures[6].ita_issue().rfind("ประเด็นที่ ๗", 0) == 0);
  EXPECT_EQ(got.measures[4].title(),
            "มาตรการการจัดซื้อจัดจ้างเพื่อ ป้องกันการเอื้ออำนวยให้ "
            "ผู้ประกอบการรายใดรายหนึ่ง");
}

}  // namespace
}  // namespace prongsai::plan::plan_import
