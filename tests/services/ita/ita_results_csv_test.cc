// The CSV reader of ImportPublishedResults on files the project writes
// itself (tests/testdata/ita): Thai and English headers, Thai and Arabic
// digits, a byte-order mark and CRLF, quoted names holding commas and
// quotes, and the rows it must refuse (a damaged row, a score out of range,
// a score that is not a number, an unclosed quote) or the files it must
// refuse whole (an unknown column). The reader is pure; only the test reads
// files.
#include "services/ita/ita_results_csv.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::ita {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(absl::StrCat(PRONGSAI_ITA_TESTDATA, "/", name),
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  EXPECT_FALSE(out.str().empty()) << name;
  return out.str();
}

double ScoreOf(const v1::ScoreSet& set, const std::string& code) {
  for (const auto* list : {&set.tools(), &set.indicators()}) {
    for (const v1::Score& score : *list) {
      if (score.code() == code) return score.score();
    }
  }
  ADD_FAILURE() << "no score " << code;
  return -1;
}

std::string ErrorOf(absl::string_view csv) {
  return std::string(ParseResultsCsv(csv).status().message());
}

TEST(SplitCsvTest, QuotesCommasLineEndsAndBom) {
  std::vector<CsvRecord> records = SplitCsv(
      "\xEF\xBB\xBF"
      "a,\"b, \"\"c\"\"\"\r\nd,\"e\r\nf\"\n,\r");
  ASSERT_THAT(records, SizeIs(3));
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b, \"c\""));
  // A line break inside quotes stays in the field.
  EXPECT_THAT(records[1].fields, ElementsAre("d", "e\r\nf"));
  EXPECT_THAT(records[2].fields, ElementsAre("", ""));
  EXPECT_EQ(records[2].number, 3);
  for (const CsvRecord& record : records) EXPECT_EQ(record.damage, "");
}

TEST(SplitCsvTest, DamagedQuoting) {
  std::vector<CsvRecord> records = SplitCsv("\"a\"b,c\n\"open");
  ASSERT_THAT(records, SizeIs(2));
  EXPECT_EQ(records[0].damage, "text follows a closing quote");
  EXPECT_EQ(records[1].damage, "a quoted field is not closed");
}

TEST(ParseResultsCsvTest, ThaiFile) {
  absl::StatusOr<ParsedResults> parsed =
      ParseResultsCsv(ReadTestdata("results_thai.csv"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->indicator_columns,
              ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  // Records 2, 3 and 6 are read; 4, 5 and 8 refused; 7 is empty.
  ASSERT_THAT(parsed->rows, SizeIs(3));
  const ResultRow& first = parsed->rows[0];
  EXPECT_EQ(first.row, 2);
  EXPECT_EQ(first.organization.code(), "6340101");
  EXPECT_EQ(first.organization.name(), "องค์การบริหารส่วนตำบลโพนสูง");
  EXPECT_EQ(first.organization.province(), "สกลนคร");
  EXPECT_EQ(first.organization.kind(),
            common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_EQ(first.published.overall().score(), 85.0);
  EXPECT_EQ(first.published.grade(), "ผ่าน");
  EXPECT_EQ(ScoreOf(first.published, "IIT"), 90);
  EXPECT_EQ(ScoreOf(first.published, "EIT"), 80);
  EXPECT_EQ(ScoreOf(first.published, "10"), 85);
  EXPECT_EQ(first.published.indicators_size(), 10);

  // Thai digits in the code and the scores; a quoted name with commas and
  // doubled quotes.
  const ResultRow& thai = parsed->rows[1];
  EXPECT_EQ(thai.row, 3);
  EXPECT_EQ(thai.organization.code(), "6340102");
  EXPECT_EQ(thai.organization.name(), "เทศบาลตำบล \"บ้านดุง\", สาขา 1, 2");
  EXPECT_EQ(thai.organization.kind(), common::v1::MUNICIPALITY);
  EXPECT_EQ(thai.published.overall().score(), 85.0);
  EXPECT_EQ(ScoreOf(thai.published, "OIT"), 85);
  EXPECT_EQ(ScoreOf(thai.published, "6"), 80);
  EXPECT_EQ(parsed->rows[2].row, 6);
  EXPECT_EQ(parsed->rows[2].published.overall().score(), 99.78);

  ASSERT_THAT(parsed->refused, SizeIs(3));
  EXPECT_EQ(parsed->refused[0].row, 4);
  EXPECT_EQ(parsed->refused[0].column, "");
  EXPECT_EQ(parsed->refused[0].message, "has 5 fields where the header has 19");
  EXPECT_EQ(parsed->refused[1].row, 5);
  EXPECT_EQ(parsed->refused[1].column, "คะแนน EIT");
  EXPECT_EQ(parsed->refused[1].message, "180 is outside 0-100");
  EXPECT_EQ(parsed->refused[1].organization_code, "6340104");
  EXPECT_EQ(parsed->refused[2].row, 8);
  EXPECT_EQ(parsed->refused[2].column, "คะแนนรวม");
  EXPECT_THAT(parsed->refused[2].message, HasSubstr("is not a number"));
}

TEST(ParseResultsCsvTest, EnglishFileWithLfAndKinds) {
  absl::StatusOr<ParsedResults> parsed =
      ParseResultsCsv(ReadTestdata("results_english.csv"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_THAT(parsed->rows, SizeIs(2));
  EXPECT_TRUE(parsed->refused.empty());
  EXPECT_EQ(parsed->rows[0].organization.kind(), common::v1::MUNICIPALITY);
  EXPECT_EQ(parsed->rows[1].organization.kind(),
            common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_EQ(parsed->rows[1].columns.at("published.indicators[9]"),
            "indicator_10");
}

TEST(ParseResultsCsvTest, UnknownColumnRefusesTheFile) {
  absl::StatusOr<ParsedResults> parsed =
      ParseResultsCsv(ReadTestdata("results_unknown_column.csv"));
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldPathOf(parsed.status()), "content");
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("column 3 \"budget\": unknown column"));
}

TEST(ParseResultsCsvTest, UnclosedQuoteRefusesTheRestAsOneRow) {
  absl::StatusOr<ParsedResults> parsed =
      ParseResultsCsv(ReadTestdata("results_unclosed_quote.csv"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_THAT(parsed->rows, SizeIs(1));
  EXPECT_EQ(parsed->rows[0].organization.code(), "6340101");
  ASSERT_THAT(parsed->refused, SizeIs(1));
  EXPECT_EQ(parsed->refused[0].row, 3);
  EXPECT_EQ(parsed->refused[0].message, "a quoted field is not closed");
}

TEST(ParseResultsCsvTest, HeaderAndRowRules) {
  EXPECT_THAT(ErrorOf(""), StartsWith("content:"));
  EXPECT_THAT(ErrorOf("organization_code,overall,OVERALL\n"),
              HasSubstr("names a column given before"));
  EXPECT_THAT(ErrorOf("organization_code,grade\n"), HasSubstr("no overall"));
  EXPECT_THAT(ErrorOf("organization_code,overall\n\xff,1\n"),
              HasSubstr("UTF-8"));
  absl::StatusOr<ParsedResults> parsed = ParseResultsCsv(
      "organization_code,overall,kind\n"
      "a b,85,\n"   // bad code
      "x1,85,\n"    // fine
      "x1,86,\n"    // repeats x1
      "x2,-1,\n"    // not a plain number
      "x3,85,อื่น\n"  // unknown kind
      "x4,,\n");    // no overall
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_THAT(parsed->rows, SizeIs(1));
  ASSERT_THAT(parsed->refused, SizeIs(5));
  EXPECT_EQ(parsed->refused[0].column, "organization_code");
  EXPECT_EQ(parsed->refused[1].row, 4);
  EXPECT_EQ(parsed->refused[1].message, "repeats the organization of row 3");
  EXPECT_EQ(parsed->refused[2].column, "overall");
  EXPECT_EQ(parsed->refused[3].column, "kind");
  EXPECT_EQ(parsed->refused[4].column, "overall");
  EXPECT_EQ(parsed->refused[4].message, "is required");
}

TEST(RefusalOfTest, MapsFieldPathToColumn) {
  ResultRow row;
  row.row = 7;
  row.organization.set_code("x");
  row.columns["published.indicators[1]"] = "ตัวชี้วัดที่ 2";
  row.columns["published.indicators[10]"] = "ตัวชี้วัดที่ 11";
  RowRefusal refusal = RefusalOf(
      row, InvalidField("published.indicators[10].code", "is not known"));
  EXPECT_EQ(refusal.column, "ตัวชี้วัดที่ 11");
  EXPECT_EQ(refusal.message, "is not known");
  EXPECT_EQ(refusal.row, 7);
  EXPECT_EQ(refusal.organization_code, "x");
}

}  // namespace
}  // namespace prongsai::ita
