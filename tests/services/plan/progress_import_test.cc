// The progress-report importer (progress_import.h) on its own: our fixture
// in tests/testdata/plan (a two-line header, a broken cell, rows matching
// nothing, two measures or the same measure twice) and seeds 003 and 004
// when they are beside the repository, matched against the measures the
// measures importer reads from the same seeds.
#include "services/plan/plan_import/progress_import.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_import/measures_import.h"
#include "tests/support/seeds.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Codes(const ImportedProgress& got) {
  std::vector<std::string> codes;
  for (const v1::Finding& f : got.findings) {
    codes.push_back(absl::StrCat(f.code(), "@", f.location()));
  }
  return codes;
}

// The measures of the fixture's organization: one title written with a
// space the report leaves out, and two titles alike but for spacing.
const std::vector<MeasureRef>& FixtureMeasures() {
  static const auto* const kMeasures = new std::vector<MeasureRef>{
      {"organizations/o/integrityMeasures/publish",
       "มาตรการเผยแพร่ข้อมูล ต่อสาธารณะ"},
      {"organizations/o/integrityMeasures/discretion",
       "มาตรการตรวจสอบการใช้ดุลพินิจ"},
      {"organizations/o/integrityMeasures/bribes", "มาตรการป้องกันการรับสินบน"},
      {"organizations/o/integrityMeasures/twin-a", "มาตรการซ้ำ 2"},
      {"organizations/o/integrityMeasures/twin-b", "มาตรการ ซ้ำ๒"},
      {"organizations/o/integrityMeasures/unreported", "มาตรการอื่น"},
  };
  return *kMeasures;
}

ImportedProgress Fixture(v1::Round round = v1::ROUND_UNSPECIFIED) {
  return ParseProgressReport(
      ReadFile(absl::StrCat(PRONGSAI_PLAN_TESTDATA, "/progress_2568_full.txt")),
      2568, round, FixtureMeasures());
}

TEST(ProgressImportTest, RowsMatchedUnmatchedAmbiguousAndTwice) {
  const ImportedProgress got = Fixture();
  EXPECT_EQ(got.round, v1::FULL_YEAR);  // "(รอบ ๑๒ เดือน)"
  EXPECT_THAT(Codes(got),
              ElementsAre("UNKNOWN_MEASURE@line 9", "AMBIGUOUS_MEASURE@line 10",
                          "DUPLICATE_ROW@line 11"));
  EXPECT_TRUE(got.HasErrors());
  std::vector<std::string> subjects;
  for (const v1::ProgressReport& r : got.reports) {
    subjects.push_back(r.subject());
    EXPECT_EQ(r.be_year(), 2568);
    EXPECT_EQ(r.round(), v1::FULL_YEAR);
  }
  EXPECT_THAT(subjects,
              ElementsAre("organizations/o/integrityMeasures/publish",
                          "organizations/o/integrityMeasures/discretion",
                          "organizations/o/integrityMeasures/bribes"));
}

TEST(ProgressImportTest, OutputOutcomeEvidenceAndStatus) {
  const ImportedProgress got = Fixture();
  ASSERT_EQ(got.reports.size(), 3);
  const v1::ProgressReport& publish = got.reports[0];
  // The second header line put ผลผลิต and ผลลัพธ์ in columns 4 and 5; the
  // broken line after the row continues its output.
  EXPECT_EQ(publish.output(), "ข้อมูลครบ ๓๓ ข้อ และเผยแพร่บน Facebook");
  EXPECT_EQ(publish.outcome(), "ประชาชนเข้าถึงข้อมูล");
  EXPECT_THAT(publish.evidence_uris(),
              ElementsAre("https://example.go.th/oit"));
  EXPECT_EQ(publish.status(), v1::ProgressReport::DONE);
  // No output cell: the details say what was done.
  EXPECT_EQ(got.reports[1].output(), "จัดทำคู่มือ");
  EXPECT_EQ(got.reports[2].status(), v1::ProgressReport::NOT_STARTED);
}

TEST(ProgressImportTest, RoundGivenOverridesTheDocument) {
  const ImportedProgress got = Fixture(v1::HALF_YEAR);
  EXPECT_EQ(got.round, v1::HALF_YEAR);
  ASSERT_EQ(got.reports.size(), 3);
  EXPECT_EQ(got.reports[0].status(), v1::ProgressReport::IN_PROGRESS);
  // The fixture says "(รอบ ๑๒ เดือน)" on its second line.
  EXPECT_THAT(Codes(got), Contains("ROUND_DIFFERS@line 2"));
  // The round the document names, given again, is no difference.
  EXPECT_THAT(Codes(Fixture(v1::FULL_YEAR)),
              Not(Contains(StartsWith("ROUND_DIFFERS"))));
}

TEST(ProgressImportTest, NoRoundNoTable) {
  const ImportedProgress got =
      ParseProgressReport("รายงาน\n", 2568, v1::ROUND_UNSPECIFIED, {});
  EXPECT_THAT(Codes(got),
              ElementsAre("ROUND_UNKNOWN@line 1", "NO_PROGRESS_TABLE@line 1"));
  EXPECT_THAT(got.reports, IsEmpty());
}

TEST(ProgressImportTest, IssueHeadingIsNotARowAndDigitsMatch) {
  const ImportedProgress got = ParseProgressReport(
      "มาตรการ\tผลการดำเนินการ (Output)\tผลลัพธ์ (Outcome)\n"
      "ประเด็นที่ ๑ ความโปร่งใส\t\t\n"
      "มาตรการที่ ๓\tประกาศแล้ว\tเข้าถึงได้\n",
      2568, v1::HALF_YEAR,
      {{"organizations/o/integrityMeasures/m3", "มาตรการที่ 3"}});
  EXPECT_THAT(Codes(got), IsEmpty());
  ASSERT_EQ(got.reports.size(), 1);
  EXPECT_EQ(got.reports[0].subject(), "organizations/o/integrityMeasures/m3");
  EXPECT_EQ(got.reports[0].output(), "ประกาศแล้ว");
  EXPECT_EQ(got.reports[0].outcome(), "เข้าถึงได้");
}

TEST(ProgressImportTest, RoundOfDocument) {
  EXPECT_EQ(RoundOfDocument("พ.ศ. ๒๕๖๔ (รอบ ๖ เดือนแรก)"), v1::HALF_YEAR);
  EXPECT_EQ(RoundOfDocument("รอบ 12 เดือน"), v1::FULL_YEAR);
  EXPECT_EQ(RoundOfDocument("ประจำปีงบประมาณ"), v1::ROUND_UNSPECIFIED);
}

std::vector<MeasureRef> MeasuresOf(const std::string& text, int be_year) {
  std::vector<MeasureRef> refs;
  int n = 0;
  for (const v1::IntegrityMeasure& m :
       ParseIntegrityMeasures(text, be_year).measures) {
    refs.push_back(
        {absl::StrCat("organizations/o/integrityMeasures/m", ++n), m.title()});
  }
  return refs;
}

constexpr absl::string_view kSeed003 = "003_69314635c3a2f765.txt";
constexpr absl::string_view kSeed004 = "004_0427c4c964be47f8.txt";

TEST(ProgressImportSeedTest, Seed003HalfYear) {
  PRONGSAI_REQUIRE_SEED(PRONGSAI_SEEDS_DIR, kSeed003);
  const std::string text =
      ReadFile(absl::StrCat(PRONGSAI_SEEDS_DIR, "/", kSeed003));
  const std::vector<MeasureRef> measures = MeasuresOf(text, 2564);
  // Its measures table: ดุลพินิจ, เผยแพร่ข้อมูล, ประกาศเจตจำนง.
  ASSERT_EQ(measures.size(), 3);
  const ImportedProgress got =
      ParseProgressReport(text, 2564, v1::ROUND_UNSPECIFIED, measures);
  EXPECT_EQ(got.round, v1::HALF_YEAR);  // "(รอบ ๖ เดือนแรก)"
  EXPECT_FALSE(got.HasErrors()) << ::testing::PrintToString(Codes(got));
  // Its progress table reports on each of the three.
  ASSERT_EQ(got.reports.size(), 3);
  for (const v1::ProgressReport& r : got.reports) {
    EXPECT_FALSE(r.output().empty()) << r.subject();
  }
}

TEST(ProgressImportSeedTest, Seed004FullYear) {
  PRONGSAI_REQUIRE_SEED(PRONGSAI_SEEDS_DIR, kSeed004);
  const std::string text =
      ReadFile(absl::StrCat(PRONGSAI_SEEDS_DIR, "/", kSeed004));
  const std::vector<MeasureRef> measures = MeasuresOf(text, 2568);
  ASSERT_EQ(measures.size(), 7);
  // The document names no round: the caller says it is the year's report.
  const ImportedProgress got =
      ParseProgressReport(text, 2568, v1::FULL_YEAR, measures);
  EXPECT_FALSE(got.HasErrors()) << ::testing::PrintToString(Codes(got));
  ASSERT_EQ(got.reports.size(), 7);
  for (const v1::ProgressReport& r : got.reports) {
    EXPECT_FALSE(r.outcome().empty()) << r.subject();
    EXPECT_EQ(r.status(), v1::ProgressReport::DONE);
  }
}

}  // namespace
}  // namespace prongsai::plan::plan_import
