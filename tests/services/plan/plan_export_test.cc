// The published tables of the plan service: seed 002's annual plan and the
// progress report of a round (seeds 003/004), in Markdown and CSV, with
// Arabic and Thai digits. The CSV is read back with an RFC 4180 reader so that
// quoting, line ends and formula neutralisation are checked cell by cell.
#include "services/plan/plan_export.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "tests/services/plan/seed_002_expected.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::kSeed002ProjectsPerQuarter;
using ::prongsai::testing::kSeed002TotalSatang;
using ::prongsai::testing::Seed002AnnualRows;
using ::prongsai::testing::Seed002Row;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

using Records = std::vector<std::vector<std::string>>;

constexpr absl::string_view kBom = "\xEF\xBB\xBF";
constexpr absl::string_view kOrganization = "องค์การบริหารส่วนตำบลอิสานเขต";

// --- Readers of what the renderer writes ------------------------------------

// A strict RFC 4180 reader: records end with CRLF (the last one too), fields
// holding ',', '"', CR or LF are quoted with quotes doubled. Anything else is
// a test failure, so the renderer cannot get away with sloppy CSV.
Records ParseCsv(absl::string_view text) {
  Records records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool was_quoted = false;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          i += 2;
          continue;
        }
        in_quotes = false;
      } else {
        field.push_back(c);
      }
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        if (!field.empty() || was_quoted) {
          ADD_FAILURE() << "quote inside an unquoted field at byte " << i;
        }
        in_quotes = true;
        was_quoted = true;
        ++i;
        break;
      case ',':
        record.push_back(std::move(field));
        field.clear();
        was_quoted = false;
        ++i;
        break;
      case '\r':
        if (i + 1 >= text.size() || text[i + 1] != '\n') {
          ADD_FAILURE() << "bare CR at byte " << i;
        }
        record.push_back(std::move(field));
        records.push_back(std::move(record));
        field.clear();
        record.clear();
        was_quoted = false;
        i += 2;
        break;
      case '\n':
        ADD_FAILURE() << "bare LF outside quotes at byte " << i;
        ++i;
        break;
      default:
        if (was_quoted) ADD_FAILURE() << "text after a closing quote at " << i;
        field.push_back(c);
        ++i;
    }
  }
  if (in_quotes) ADD_FAILURE() << "unterminated quoted field";
  if (!field.empty() || !record.empty() || was_quoted) {
    ADD_FAILURE() << "the last record does not end with CRLF";
  }
  return records;
}

// The CSV's records, after checking the byte-order mark and that every record
// has as many fields as the header.
Records CsvRecords(const RenderedDocument& document) {
  EXPECT_EQ(document.content_type, "text/csv; charset=utf-8");
  EXPECT_THAT(document.content, StartsWith(kBom));
  absl::string_view body = document.content;
  body.remove_prefix(std::min(body.size(), kBom.size()));
  Records records = ParseCsv(body);
  if (!records.empty()) {
    EXPECT_THAT(records, Each(SizeIs(records.front().size())))
        << "every record as wide as the header";
  }
  return records;
}

std::vector<std::string> Lines(const RenderedDocument& document) {
  EXPECT_EQ(document.content_type, "text/markdown; charset=utf-8");
  EXPECT_TRUE(absl::EndsWith(document.content, "\n"));
  EXPECT_THAT(document.content, Not(HasSubstr("\r")));
  std::vector<std::string> lines = absl::StrSplit(document.content, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The number of cells GFM sees in a pipe-table row: splits at every '|' not
// escaped by a backslash (and "\\" is an escaped backslash).
int MarkdownCellCount(absl::string_view row) {
  int pipes = 0;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\') {
      ++i;  // Skips the escaped character.
    } else if (row[i] == '|') {
      ++pipes;
    }
  }
  return pipes - 1;  // Rows start and end with a pipe.
}

// Every pipe table of the document (runs of lines starting with '|') has a
// delimiter row and rows exactly as wide as its header.
void ExpectValidPipeTables(const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!absl::StartsWith(lines[i], "|")) continue;
    const size_t header = i;
    const int width = MarkdownCellCount(lines[header]);
    ASSERT_LT(header + 1, lines.size());
    EXPECT_THAT(lines[header + 1], MatchesRegex("\\|(:?-+:?\\|)+"))
        << "delimiter row after line " << header;
    for (; i < lines.size() && absl::StartsWith(lines[i], "|"); ++i) {
      EXPECT_TRUE(absl::EndsWith(lines[i], "|")) << lines[i];
      EXPECT_EQ(MarkdownCellCount(lines[i]), width) << lines[i];
    }
  }
}

// --- Seed 002: annual plan FY2569 of องค์การบริหารส่วนตำบลอิสานเขต -------------

v1::ActionPlan Seed002Plan() {
  v1::ActionPlan plan;
  plan.set_name("organizations/isankhet/actionPlans/p2566");
  plan.mutable_organization()->set_code("isankhet");
  plan.mutable_organization()->set_name(std::string(kOrganization));
  plan.set_title("แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖ - ๒๕๗๐)");
  // Out of order on purpose: the legend lists dimensions by number.
  const std::vector<std::pair<int, std::string>> dimensions = {
      {2, "การบริหารราชการด้วยความโปร่งใส"},
      {1, "การสร้างวัฒนธรรมสุจริต"},
      {3, "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน"},
      {4, "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น"},
  };
  for (const auto& [number, title] : dimensions) {
    v1::Dimension* dimension = plan.add_dimensions();
    dimension->set_number(number);
    dimension->set_title(title);
  }
  return plan;
}

v1::AnnualPlan Seed002Annual() {
  v1::AnnualPlan annual;
  annual.set_name("organizations/isankhet/actionPlans/p2566/annualPlans/2569");
  annual.set_be_year(2569);
  for (const Seed002Row& row : Seed002AnnualRows()) {
    v1::AnnualPlanEntry* entry = annual.add_entries();
    entry->set_title(std::string(row.title));
    entry->set_dimension(row.dimension);
    entry->mutable_budget()->set_satang(row.satang);
    for (int quarter : row.quarters) entry->add_quarters(quarter);
  }
  annual.mutable_totals()->mutable_budget()->set_satang(kSeed002TotalSatang);
  for (int count : kSeed002ProjectsPerQuarter) {
    annual.mutable_totals()->add_projects_per_quarter(count);
  }
  annual.mutable_totals()->set_projects(15);
  return annual;
}

// The hand count agrees with the rows (the seed's printed totals add up).
TEST(Seed002Test, PrintedTotalsMatchTheRows) {
  int64_t satang = 0;
  int per_quarter[4] = {0, 0, 0, 0};
  for (const Seed002Row& row : Seed002AnnualRows()) {
    satang += row.satang;
    for (int quarter : row.quarters) ++per_quarter[quarter - 1];
  }
  EXPECT_EQ(Seed002AnnualRows().size(), 15u);
  EXPECT_EQ(satang, kSeed002TotalSatang);
  EXPECT_THAT(per_quarter, ElementsAre(10, 8, 11, 8));
}

// --- RenderAnnualPlan
// ---------------------------------------------------------

TEST(RenderAnnualPlanTest, MarkdownIsSeed002sTable) {
  const std::vector<std::string> lines = Lines(RenderAnnualPlan(
      Seed002Plan(), Seed002Annual(), v1::MARKDOWN, v1::ARABIC));
  ASSERT_THAT(lines, SizeIs(27));
  EXPECT_EQ(lines[0],
            "# แผนปฏิบัติการป้องกันการทุจริต พ.ศ. 2569 ของ "
            "องค์การบริหารส่วนตำบลอิสานเขต");
  EXPECT_EQ(lines[1], "");
  EXPECT_EQ(lines[2],
            "| ลำดับ | รายการโครงการ | มิติ | งบประมาณ (บาท) | ไตรมาส 1 | "
            "ไตรมาส 2 | ไตรมาส 3 | ไตรมาส 4 | หมายเหตุ |");
  EXPECT_EQ(lines[3], "|---:|---|:---:|---:|:---:|:---:|:---:|:---:|---|");
  EXPECT_EQ(lines[4],
            "| 1 | โครงการเสริมสร้างค่านิยมต่อต้านการทุจริต | 1 | 0.00 |  | ☑ "
            "|  | ☑ |  |");
  EXPECT_EQ(lines[5],
            "| 2 | โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง | 1 "
            "| 15,000.00 |  | ☑ | ☑ |  |  |");
  EXPECT_EQ(lines[9],
            "| 6 | มาตรการ NO Gift Policy | 2 | 0.00 | ☑ |  |  | ☑ |  |");
  EXPECT_EQ(lines[13],
            "| 10 | โครงการจัดเวทีประชาคม | 3 | 5,000.00 |  | ☑ | ☑ | ☑ |  |");
  EXPECT_EQ(lines[19], "|  | รวมทั้งสิ้น |  | 20,000.00 | 10 | 8 | 11 | 8 |  |");
  EXPECT_EQ(lines[20], "");
  EXPECT_EQ(lines[21], "คำอธิบาย");
  EXPECT_EQ(lines[22], "");
  EXPECT_EQ(lines[23], "- มิติ 1 การสร้างวัฒนธรรมสุจริต");
  EXPECT_EQ(lines[24], "- มิติ 2 การบริหารราชการด้วยความโปร่งใส");
  EXPECT_EQ(lines[25], "- มิติ 3 การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน");
  EXPECT_EQ(lines[26],
            "- มิติ 4 "
            "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น");
  ExpectValidPipeTables(lines);
}

TEST(RenderAnnualPlanTest, MarkdownWithThaiDigits) {
  const std::vector<std::string> lines = Lines(
      RenderAnnualPlan(Seed002Plan(), Seed002Annual(), v1::MARKDOWN, v1::THAI));
  ASSERT_THAT(lines, SizeIs(27));
  EXPECT_EQ(lines[0],
            "# แผนปฏิบัติการป้องกันการทุจริต พ.ศ. ๒๕๖๙ ของ "
            "องค์การบริหารส่วนตำบลอิสานเขต");
  EXPECT_EQ(lines[2],
            "| ลำดับ | รายการโครงการ | มิติ | งบประมาณ (บาท) | ไตรมาส ๑ | "
            "ไตรมาส ๒ | ไตรมาส ๓ | ไตรมาส ๔ | หมายเหตุ |");
  EXPECT_EQ(lines[5],
            "| ๒ | โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง | ๑ "
            "| ๑๕,๐๐๐.๐๐ |  | ☑ | ☑ |  |  |");
  EXPECT_EQ(lines[18],
            "| ๑๕ | "
            "มาตรการจัดให้มีระบบและช่องทางการรับเรื่องร้องเรียนเกี่ยวกับการทุจริตของ"
            "องค์การบริหารส่วนตำบลอิสานเขต | ๔ | ๐.๐๐ | ☑ | ☑ | ☑ | ☑ |  |");
  EXPECT_EQ(lines[19], "|  | รวมทั้งสิ้น |  | ๒๐,๐๐๐.๐๐ | ๑๐ | ๘ | ๑๑ | ๘ |  |");
  EXPECT_EQ(lines[23], "- มิติ ๑ การสร้างวัฒนธรรมสุจริต");
}

TEST(RenderAnnualPlanTest, ThaiDigitsLeaveUserTextAsWritten) {
  v1::ActionPlan plan = Seed002Plan();
  plan.mutable_dimensions(0)->set_title("มิติที่ 2 (ตามแผน 2566)");
  v1::AnnualPlan annual = Seed002Annual();
  annual.mutable_entries(0)->set_title("โครงการ 5 ส. ปี 2569");
  annual.mutable_entries(0)->set_remark("ใช้งบ 0 บาท");
  const std::string content =
      RenderAnnualPlan(plan, annual, v1::MARKDOWN, v1::THAI).content;
  EXPECT_THAT(content,
              HasSubstr("| ๑ | โครงการ 5 ส. ปี 2569 | ๑ | ๐.๐๐ |  | ☑ |  | ☑ "
                        "| ใช้งบ 0 บาท |"));
  EXPECT_THAT(content, HasSubstr("- มิติ ๒ มิติที่ 2 (ตามแผน 2566)\n"));
}

TEST(RenderAnnualPlanTest, UnspecifiedFormatAndDigitsAreMarkdownAndArabic) {
  const RenderedDocument unspecified =
      RenderAnnualPlan(Seed002Plan(), Seed002Annual(),
                       v1::DOCUMENT_FORMAT_UNSPECIFIED, v1::DIGITS_UNSPECIFIED);
  const RenderedDocument explicit_markdown = RenderAnnualPlan(
      Seed002Plan(), Seed002Annual(), v1::MARKDOWN, v1::ARABIC);
  EXPECT_EQ(unspecified.content_type, "text/markdown; charset=utf-8");
  EXPECT_EQ(unspecified.content, explicit_markdown.content);
}

TEST(RenderAnnualPlanTest, CsvIsSeed002sTableCellByCell) {
  const RenderedDocument document =
      RenderAnnualPlan(Seed002Plan(), Seed002Annual(), v1::CSV, v1::ARABIC);
  EXPECT_THAT(document.content,
              StartsWith(absl::StrCat(kBom, "ลำดับ,รายการโครงการ,มิติ,")));
  const Records records = CsvRecords(document);
  // Header, 15 rows, total, blank, "คำอธิบาย", 4 dimensions.
  ASSERT_THAT(records, SizeIs(23));
  EXPECT_THAT(records[0], ElementsAre("ลำดับ", "รายการโครงการ", "มิติ",
                                      "งบประมาณ (บาท)", "ไตรมาส 1", "ไตรมาส 2",
                                      "ไตรมาส 3", "ไตรมาส 4", "หมายเหตุ"));
  EXPECT_THAT(records[1], ElementsAre("1", "โครงการเสริมสร้างค่านิยมต่อต้านการทุจริต",
                                      "1", "0.00", "", "☑", "", "☑", ""));
  EXPECT_THAT(
      records[2],
      ElementsAre("2", "โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง",
                  "1", "15,000.00", "", "☑", "☑", "", ""));
  EXPECT_THAT(records[3], ElementsAre("3", Seed002AnnualRows()[2].title, "1",
                                      "0.00", "☑", "", "☑", "", ""));
  EXPECT_THAT(records[16], ElementsAre("", "รวมทั้งสิ้น", "", "20,000.00", "10",
                                       "8", "11", "8", ""));
  EXPECT_THAT(records[17], Each(""));
  EXPECT_THAT(records[18],
              ElementsAre("คำอธิบาย", "", "", "", "", "", "", "", ""));
  EXPECT_THAT(records[19], ElementsAre("มิติ 1 การสร้างวัฒนธรรมสุจริต", "", "", "",
                                       "", "", "", "", ""));
  for (size_t i = 1; i <= 15; ++i) {
    EXPECT_EQ(records[i][1], Seed002AnnualRows()[i - 1].title) << "row " << i;
    EXPECT_EQ(records[i][0], absl::StrCat(i));
  }
  // The amount with a comma is quoted; the curly quotes of row 3 are not
  // CSV quotes and need none.
  EXPECT_THAT(document.content, HasSubstr(",\"15,000.00\","));
  EXPECT_THAT(document.content, HasSubstr("\r\n3,มาตรการ “ส่งเสริมการปฏิบัติงาน"));
}

TEST(RenderAnnualPlanTest, CsvWithThaiDigits) {
  const Records records = CsvRecords(
      RenderAnnualPlan(Seed002Plan(), Seed002Annual(), v1::CSV, v1::THAI));
  ASSERT_THAT(records, SizeIs(23));
  EXPECT_EQ(records[0][4], "ไตรมาส ๑");
  EXPECT_THAT(
      records[2],
      ElementsAre("๒", "โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง",
                  "๑", "๑๕,๐๐๐.๐๐", "", "☑", "☑", "", ""));
  EXPECT_THAT(records[16], ElementsAre("", "รวมทั้งสิ้น", "", "๒๐,๐๐๐.๐๐", "๑๐",
                                       "๘", "๑๑", "๘", ""));
  EXPECT_EQ(records[22][0],
            "มิติ ๔ "
            "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น");
}

TEST(RenderAnnualPlanTest, CsvQuotesCommasQuotesAndLineBreaks) {
  v1::AnnualPlan annual = Seed002Annual();
  const std::string title = "โครงการ \"โปร่งใส\", ตรวจสอบได้";
  const std::string remark = "บรรทัดแรก\r\nบรรทัดที่สอง\nสาม";
  annual.mutable_entries(1)->set_title(title);
  annual.mutable_entries(1)->set_remark(remark);
  const RenderedDocument document =
      RenderAnnualPlan(Seed002Plan(), annual, v1::CSV, v1::ARABIC);
  EXPECT_THAT(document.content,
              HasSubstr("\r\n2,\"โครงการ \"\"โปร่งใส\"\", ตรวจสอบได้\",1,"));
  const Records records = CsvRecords(document);
  ASSERT_THAT(records, SizeIs(23));
  EXPECT_THAT(records[2], ElementsAre("2", title, "1", "15,000.00", "", "☑",
                                      "☑", "", remark));
}

TEST(RenderAnnualPlanTest, CsvNeutralisesFormulasInUserText) {
  v1::AnnualPlan annual = Seed002Annual();
  const std::vector<std::string> formulas = {
      "=HYPERLINK(\"http://evil.example\",\"คลิก\")",
      "+1+1",
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(A1:A9)",
      "\tแท็บ",
      "\rขึ้นบรรทัด",
      "- จัดทำคู่มือ",
  };
  for (size_t i = 0; i < formulas.size(); ++i) {
    annual.mutable_entries(static_cast<int>(i))->set_title(formulas[i]);
  }
  // A lone "-" (nothing / not scheduled) cannot be a formula: kept.
  annual.mutable_entries(0)->set_remark("-");
  // An unset budget is the renderer's "-": kept, never prefixed.
  annual.mutable_entries(14)->clear_budget();
  const Records records =
      CsvRecords(RenderAnnualPlan(Seed002Plan(), annual, v1::CSV, v1::ARABIC));
  ASSERT_THAT(records, SizeIs(23));
  for (size_t i = 0; i < formulas.size(); ++i) {
    EXPECT_EQ(records[i + 1][1], absl::StrCat("'", formulas[i]));
  }
  EXPECT_EQ(records[1][8], "-");
  EXPECT_EQ(records[15][3], "-");
  // Text that merely contains such characters is left alone.
  EXPECT_EQ(records[8][1], Seed002AnnualRows()[7].title);
}

TEST(RenderAnnualPlanTest, MarkdownDoesNotPrefixFormulasButShowsUnsetBudget) {
  v1::AnnualPlan annual = Seed002Annual();
  annual.mutable_entries(0)->set_title("=1+1");
  annual.mutable_entries(14)->clear_budget();
  const std::vector<std::string> lines =
      Lines(RenderAnnualPlan(Seed002Plan(), annual, v1::MARKDOWN, v1::ARABIC));
  EXPECT_EQ(lines[4], "| 1 | =1+1 | 1 | 0.00 |  | ☑ |  | ☑ |  |");
  EXPECT_THAT(lines[18], HasSubstr(" | 4 | - | ☑ | ☑ | ☑ | ☑ |  |"));
}

TEST(RenderAnnualPlanTest, MarkdownEscapesPipesBackslashesTagsAndLineBreaks) {
  v1::ActionPlan plan = Seed002Plan();
  plan.mutable_organization()->set_name("อบต.\nทดสอบ <b>");
  plan.mutable_dimensions(1)->set_title("สุจริต | โปร่งใส\nบรรทัดสอง");
  v1::AnnualPlan annual = Seed002Annual();
  annual.mutable_entries(0)->set_title("ก | ข \\| ค");
  annual.mutable_entries(0)->set_remark("บรรทัดแรก\r\nบรรทัดสอง\n<script>");
  const std::vector<std::string> lines =
      Lines(RenderAnnualPlan(plan, annual, v1::MARKDOWN, v1::ARABIC));
  ASSERT_THAT(lines, SizeIs(27));
  EXPECT_EQ(lines[0],
            "# แผนปฏิบัติการป้องกันการทุจริต พ.ศ. 2569 ของ อบต. ทดสอบ \\<b>");
  EXPECT_EQ(lines[4],
            "| 1 | ก \\| ข \\\\\\| ค | 1 | 0.00 |  | ☑ |  | ☑ | "
            "บรรทัดแรก<br>บรรทัดสอง<br>\\<script> |");
  EXPECT_EQ(lines[23], "- มิติ 1 สุจริต \\| โปร่งใส บรรทัดสอง");
  ExpectValidPipeTables(lines);
}

TEST(RenderAnnualPlanTest, EmptyPlanStillHasHeaderAndTotal) {
  v1::ActionPlan plan;
  v1::AnnualPlan annual;
  annual.set_be_year(2570);
  const std::vector<std::string> lines =
      Lines(RenderAnnualPlan(plan, annual, v1::MARKDOWN, v1::ARABIC));
  EXPECT_THAT(lines, ElementsAre("# แผนปฏิบัติการป้องกันการทุจริต พ.ศ. 2570", "",
                                 StartsWith("| ลำดับ |"), StartsWith("|---:|"),
                                 "|  | รวมทั้งสิ้น |  | - |  |  |  |  |  |"));
  const Records records =
      CsvRecords(RenderAnnualPlan(plan, annual, v1::CSV, v1::ARABIC));
  ASSERT_THAT(records, SizeIs(2));
  EXPECT_THAT(records[1],
              ElementsAre("", "รวมทั้งสิ้น", "", "-", "", "", "", "", ""));
}

// --- RenderRoundReport
// --------------------------------------------------------

constexpr absl::string_view kProjects =
    "organizations/khaosaming/actionPlans/p2566/projects/";
constexpr absl::string_view kMeasures =
    "organizations/khaosaming/integrityMeasures/";

std::string Project(int id) { return absl::StrCat(kProjects, id); }

v1::ActionPlan KhaoSamingPlan() {
  v1::ActionPlan plan = Seed002Plan();
  plan.mutable_organization()->set_code("khaosaming");
  plan.mutable_organization()->set_name("องค์การบริหารส่วนตำบลเขาสมิง");
  return plan;
}

absl::flat_hash_map<std::string, std::string> Titles() {
  return {
      {Project(2), "โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง"},
      {absl::StrCat(kMeasures, "m1"), "มาตรการตรวจสอบการใช้ดุลพินิจ"},
      {Project(10), "โครงการจัดเวทีประชาคม"},
      {Project(11), "กิจกรรมติดตามประเมินผลการควบคุมภายใน"},
      {Project(13), "โครงการจัดทำแผนการตรวจสอบภายในประจำปี"},
      // Project 6 has no title: the subject stands in.
  };
}

v1::ProgressReport* AddReport(v1::RoundSummary& summary, std::string subject,
                              v1::ProgressReport::Status status) {
  v1::ProgressReport* report = summary.add_latest_reports();
  report->set_subject(std::move(subject));
  report->set_be_year(2564);
  report->set_round(summary.round());
  report->set_status(status);
  return report;
}

void AddDimension(v1::RoundSummary& summary, int dimension, int items, int done,
                  double percent, int64_t approved) {
  v1::DimensionProgress* progress = summary.add_dimensions();
  progress->set_dimension(dimension);
  progress->set_items(items);
  progress->set_done(done);
  progress->set_percent_done(percent);
  progress->mutable_approved()->set_satang(approved);
}

// A six-month round in the style of seed 003, with every status, an
// unreported project and two overdue items.
v1::RoundSummary HalfYearSummary() {
  v1::RoundSummary summary;
  summary.set_annual_plan(
      "organizations/khaosaming/actionPlans/p2566/annualPlans/2564");
  summary.set_be_year(2564);
  summary.set_round(v1::HALF_YEAR);
  v1::ProgressReport* done =
      AddReport(summary, Project(2), v1::ProgressReport::DONE);
  done->set_output("จัดอบรม 1 ครั้ง ผู้เข้าร่วม 50 คน");
  done->set_outcome("ผู้เข้าร่วมนำหลักปรัชญาฯ ไปใช้, ร้อยละ 80");
  done->mutable_spent()->set_satang(1'450'000);
  v1::ProgressReport* in_progress = AddReport(
      summary, absl::StrCat(kMeasures, "m1"), v1::ProgressReport::IN_PROGRESS);
  in_progress->set_output("- จัดทำมาตรการตรวจสอบการใช้ดุลพินิจ\n- เผยแพร่บนเว็บไซต์");
  in_progress->set_outcome("เจ้าหน้าที่ใช้ดุลพินิจตามหลักเกณฑ์");
  AddReport(summary, Project(6), v1::ProgressReport::POSTPONED);
  AddReport(summary, Project(10), v1::ProgressReport::CANCELLED)
      ->mutable_spent()
      ->set_satang(0);
  AddReport(summary, Project(11), v1::ProgressReport::NOT_STARTED);
  summary.add_unreported(Project(13));

  AddDimension(summary, 1, 3, 2, 200.0 / 3, 1'500'000);
  summary.mutable_dimensions(0)->mutable_spent()->set_satang(1'450'000);
  AddDimension(summary, 2, 1, 0, 0, 0);
  AddDimension(summary, 3, 1, 0, 0, 500'000);
  AddDimension(summary, 4, 2, 0, 0, 0);
  AddDimension(summary, 0, 1, 0, 0, 0);  // The integrity measure.
  summary.set_items(8);
  summary.set_done(2);
  summary.set_percent_done(25);
  summary.mutable_approved()->set_satang(2'000'000);
  summary.mutable_spent()->set_satang(1'450'000);

  v1::OverdueItem* never_reported = summary.add_overdue();
  never_reported->set_subject(Project(13));
  never_reported->set_dimension(4);
  never_reported->set_last_quarter(1);
  v1::OverdueItem* postponed = summary.add_overdue();
  postponed->set_subject(Project(6));
  postponed->set_title("มาตรการ NO Gift Policy");
  postponed->set_dimension(2);
  postponed->set_last_quarter(1);
  postponed->set_status(v1::ProgressReport::POSTPONED);
  return summary;
}

TEST(RenderRoundReportTest, MarkdownWithArabicDigits) {
  const std::vector<std::string> lines = Lines(RenderRoundReport(
      KhaoSamingPlan(), HalfYearSummary(), Titles(), v1::MARKDOWN, v1::ARABIC));
  EXPECT_THAT(
      lines,
      ElementsAre(
          "# รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2564 (รอบ 6 เดือน) ของ "
          "องค์การบริหารส่วนตำบลเขาสมิง",
          "", "## ผลการดำเนินงานรายโครงการ/มาตรการ", "",
          "| ลำดับ | โครงการ/มาตรการ | สถานะ | ผลผลิต (Output) | ผลลัพธ์ (Outcome) "
          "| ใช้จ่ายจริง (บาท) |",
          "|---:|---|---|---|---|---:|",
          "| 1 | โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง | "
          "ดำเนินการแล้ว | จัดอบรม 1 ครั้ง ผู้เข้าร่วม 50 คน | "
          "ผู้เข้าร่วมนำหลักปรัชญาฯ ไปใช้, ร้อยละ 80 | 14,500.00 |",
          "| 2 | มาตรการตรวจสอบการใช้ดุลพินิจ | อยู่ระหว่างดำเนินการ | "
          "- จัดทำมาตรการตรวจสอบการใช้ดุลพินิจ<br>- เผยแพร่บนเว็บไซต์ | "
          "เจ้าหน้าที่ใช้ดุลพินิจตามหลักเกณฑ์ | - |",
          absl::StrCat("| 3 | ", Project(6), " | เลื่อน |  |  | - |"),
          "| 4 | โครงการจัดเวทีประชาคม | ยกเลิก |  |  | 0.00 |",
          "| 5 | กิจกรรมติดตามประเมินผลการควบคุมภายใน | ยังไม่ดำเนินการ |  |  | - |",
          "| 6 | โครงการจัดทำแผนการตรวจสอบภายในประจำปี | ยังไม่รายงาน |  |  |  |",
          "", "## สรุปผลการดำเนินงานรายมิติ", "",
          "| มิติ | ชื่อมิติ | จำนวนรายการ | ดำเนินการแล้ว | ร้อยละที่ดำเนินการแล้ว | "
          "งบประมาณที่อนุมัติ (บาท) | ใช้จ่ายจริง (บาท) |",
          "|:---:|---|---:|---:|---:|---:|---:|",
          "| 1 | การสร้างวัฒนธรรมสุจริต | 3 | 2 | 66.7 | 15,000.00 | 14,500.00 |",
          "| 2 | การบริหารราชการด้วยความโปร่งใส | 1 | 0 | 0.0 | 0.00 | - |",
          "| 3 | การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน | 1 | 0 | 0.0 | "
          "5,000.00 | - |",
          "| 4 | "
          "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น | 2 "
          "| 0 | 0.0 | 0.00 | - |",
          "|  | ไม่ระบุมิติ | 1 | 0 | 0.0 | 0.00 | - |",
          "|  | รวมทั้งสิ้น | 8 | 2 | 25.0 | 20,000.00 | 14,500.00 |", "",
          "## รายการที่ล่าช้ากว่าแผน", "",
          "| ลำดับ | โครงการ/มาตรการ | มิติ | ไตรมาสสุดท้ายตามแผน | สถานะล่าสุด |",
          "|---:|---|:---:|:---:|---|",
          "| 1 | โครงการจัดทำแผนการตรวจสอบภายในประจำปี | 4 | 1 | ยังไม่รายงาน |",
          "| 2 | มาตรการ NO Gift Policy | 2 | 1 | เลื่อน |"));
  ExpectValidPipeTables(lines);
}

TEST(RenderRoundReportTest, MarkdownWithThaiDigits) {
  const std::vector<std::string> lines = Lines(RenderRoundReport(
      KhaoSamingPlan(), HalfYearSummary(), Titles(), v1::MARKDOWN, v1::THAI));
  ASSERT_THAT(lines, SizeIs(30));
  EXPECT_EQ(lines[0],
            "# รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ (รอบ ๖ เดือน) ของ "
            "องค์การบริหารส่วนตำบลเขาสมิง");
  // The numbers in user text (output, outcome) stay as written.
  EXPECT_EQ(lines[6],
            "| ๑ | โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง | "
            "ดำเนินการแล้ว | จัดอบรม 1 ครั้ง ผู้เข้าร่วม 50 คน | "
            "ผู้เข้าร่วมนำหลักปรัชญาฯ ไปใช้, ร้อยละ 80 | ๑๔,๕๐๐.๐๐ |");
  // The subject (a resource name) is user-side text: its digits stay.
  EXPECT_EQ(lines[8],
            absl::StrCat("| ๓ | ", Project(6), " | เลื่อน |  |  | - |"));
  EXPECT_EQ(
      lines[17],
      "| ๑ | การสร้างวัฒนธรรมสุจริต | ๓ | ๒ | ๖๖.๗ | ๑๕,๐๐๐.๐๐ | ๑๔,๕๐๐.๐๐ |");
  EXPECT_EQ(lines[22], "|  | รวมทั้งสิ้น | ๘ | ๒ | ๒๕.๐ | ๒๐,๐๐๐.๐๐ | ๑๔,๕๐๐.๐๐ |");
  EXPECT_EQ(lines[28],
            "| ๑ | โครงการจัดทำแผนการตรวจสอบภายในประจำปี | ๔ | ๑ | ยังไม่รายงาน |");
}

TEST(RenderRoundReportTest, CsvCellByCell) {
  for (const v1::Digits digits : {v1::ARABIC, v1::THAI}) {
    SCOPED_TRACE(v1::Digits_Name(digits));
    const bool thai = digits == v1::THAI;
    const Records records = CsvRecords(RenderRoundReport(
        KhaoSamingPlan(), HalfYearSummary(), Titles(), v1::CSV, digits));
    // Items: header + 6; blank, title, header + 6 dimensions;
    // blank, title, header + 2 overdue.
    ASSERT_THAT(records, SizeIs(7 + 9 + 5));
    EXPECT_THAT(records[0], ElementsAre("ลำดับ", "โครงการ/มาตรการ", "สถานะ",
                                        "ผลผลิต (Output)", "ผลลัพธ์ (Outcome)",
                                        "ใช้จ่ายจริง (บาท)", ""));
    EXPECT_THAT(records[1],
                ElementsAre(thai ? "๑" : "1", Titles().at(Project(2)),
                            "ดำเนินการแล้ว", "จัดอบรม 1 ครั้ง ผู้เข้าร่วม 50 คน",
                            "ผู้เข้าร่วมนำหลักปรัชญาฯ ไปใช้, ร้อยละ 80",
                            thai ? "๑๔,๕๐๐.๐๐" : "14,500.00", ""));
    // A bulleted output starts with '-': neutralised for spreadsheets.
    EXPECT_THAT(records[2],
                ElementsAre(thai ? "๒" : "2", "มาตรการตรวจสอบการใช้ดุลพินิจ",
                            "อยู่ระหว่างดำเนินการ",
                            "'- จัดทำมาตรการตรวจสอบการใช้ดุลพินิจ\n- "
                            "เผยแพร่บนเว็บไซต์",
                            "เจ้าหน้าที่ใช้ดุลพินิจตามหลักเกณฑ์", "-", ""));
    EXPECT_THAT(records[6],
                ElementsAre(thai ? "๖" : "6", Titles().at(Project(13)),
                            "ยังไม่รายงาน", "", "", "", ""));
    EXPECT_THAT(records[7], Each(""));
    EXPECT_THAT(records[8],
                ElementsAre("สรุปผลการดำเนินงานรายมิติ", "", "", "", "", "", ""));
    EXPECT_EQ(records[9][4], "ร้อยละที่ดำเนินการแล้ว");
    EXPECT_THAT(records[10], ElementsAre(thai ? "๑" : "1", "การสร้างวัฒนธรรมสุจริต",
                                         thai ? "๓" : "3", thai ? "๒" : "2",
                                         thai ? "๖๖.๗" : "66.7",
                                         thai ? "๑๕,๐๐๐.๐๐" : "15,000.00",
                                         thai ? "๑๔,๕๐๐.๐๐" : "14,500.00"));
    EXPECT_THAT(
        records[15],
        ElementsAre("", "รวมทั้งสิ้น", thai ? "๘" : "8", thai ? "๒" : "2",
                    thai ? "๒๕.๐" : "25.0", thai ? "๒๐,๐๐๐.๐๐" : "20,000.00",
                    thai ? "๑๔,๕๐๐.๐๐" : "14,500.00"));
    EXPECT_THAT(records[17],
                ElementsAre("รายการที่ล่าช้ากว่าแผน", "", "", "", "", "", ""));
    EXPECT_THAT(
        records[20],
        ElementsAre(thai ? "๒" : "2", "มาตรการ NO Gift Policy",
                    thai ? "๒" : "2", thai ? "๑" : "1", "เลื่อน", "", ""));
  }
}

TEST(RenderRoundReportTest, RoundNamesFollowTheDigits) {
  const std::vector<std::pair<v1::Round, std::pair<std::string, std::string>>>
      rounds = {
          {v1::QUARTER_1, {"(ไตรมาสที่ 1)", "(ไตรมาสที่ ๑)"}},
          {v1::HALF_YEAR, {"(รอบ 6 เดือน)", "(รอบ ๖ เดือน)"}},
          {v1::QUARTER_3, {"(ไตรมาสที่ 3)", "(ไตรมาสที่ ๓)"}},
          {v1::FULL_YEAR, {"(รอบ 12 เดือน)", "(รอบ ๑๒ เดือน)"}},
      };
  for (const auto& [round, names] : rounds) {
    v1::RoundSummary summary;
    summary.set_be_year(2569);
    summary.set_round(round);
    EXPECT_EQ(Lines(RenderRoundReport(KhaoSamingPlan(), summary, {},
                                      v1::MARKDOWN, v1::ARABIC))[0],
              absl::StrCat("# รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2569 ",
                           names.first, " ของ องค์การบริหารส่วนตำบลเขาสมิง"));
    EXPECT_EQ(Lines(RenderRoundReport(KhaoSamingPlan(), summary, {},
                                      v1::MARKDOWN, v1::THAI))[0],
              absl::StrCat("# รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ ",
                           names.second, " ของ องค์การบริหารส่วนตำบลเขาสมิง"));
  }
}

TEST(RenderRoundReportTest, EmptyRoundSaysSoInMarkdownAndKeepsCsvHeaders) {
  v1::RoundSummary summary;
  summary.set_be_year(2569);
  summary.set_round(v1::QUARTER_1);
  const std::vector<std::string> lines = Lines(RenderRoundReport(
      KhaoSamingPlan(), summary, {}, v1::MARKDOWN, v1::ARABIC));
  EXPECT_THAT(lines, Contains("ไม่มีรายการ"));
  EXPECT_THAT(lines, Contains("ไม่มีรายการที่ล่าช้ากว่าแผน"));
  EXPECT_THAT(lines, Contains("|  | รวมทั้งสิ้น | 0 | 0 | 0.0 | - | - |"));
  ExpectValidPipeTables(lines);
  const Records records = CsvRecords(
      RenderRoundReport(KhaoSamingPlan(), summary, {}, v1::CSV, v1::ARABIC));
  ASSERT_THAT(records, SizeIs(1 + 4 + 3));
  EXPECT_EQ(records[0][0], "ลำดับ");
  EXPECT_THAT(records[4],
              ElementsAre("", "รวมทั้งสิ้น", "0", "0", "0.0", "-", "-"));
  EXPECT_EQ(records[7][0], "ลำดับ");
}

TEST(RenderRoundReportTest, CsvNeutralisesFormulasInTitlesAndResults) {
  v1::RoundSummary summary = HalfYearSummary();
  summary.mutable_latest_reports(4)->set_outcome("=1+2");
  summary.mutable_latest_reports(4)->set_output("-");
  absl::flat_hash_map<std::string, std::string> titles = Titles();
  titles[Project(13)] = "@cmd";
  const Records records = CsvRecords(RenderRoundReport(
      KhaoSamingPlan(), summary, titles, v1::CSV, v1::ARABIC));
  ASSERT_THAT(records, SizeIs(21));
  EXPECT_EQ(records[5][3], "-");
  EXPECT_EQ(records[5][4], "'=1+2");
  EXPECT_EQ(records[6][1], "'@cmd");
  EXPECT_EQ(records[19][1], "'@cmd");  // The overdue list looks it up too.
}

}  // namespace
}  // namespace prongsai::plan
