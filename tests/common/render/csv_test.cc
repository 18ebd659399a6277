#include "common/render/csv.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::render {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

TEST(CsvField, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvField(User("plain")), "plain");
  EXPECT_EQ(CsvField(User("a,b")), "\"a,b\"");
  EXPECT_EQ(CsvField(User("say \"hi\"")), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField(User("a\r\nb")), "\"a\r\nb\"");
  EXPECT_EQ(CsvField(User("โครงการ ก, ข")), "\"โครงการ ก, ข\"");
  // Markup characters mean nothing to CSV.
  EXPECT_EQ(CsvField(User("<b>|[x]*_`&")), "<b>|[x]*_`&");
}

TEST(CsvField, NeutralisesUserFormulas) {
  EXPECT_EQ(CsvField(User("=HYPERLINK(\"x\")")), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField(User("+1")), "'+1");
  EXPECT_EQ(CsvField(User("-2+3+cmd|' /C calc'!A0")),
            "'-2+3+cmd|' /C calc'!A0");
  EXPECT_EQ(CsvField(User("@SUM(A1)")), "'@SUM(A1)");
  EXPECT_EQ(CsvField(User("\t=1")), "'\t=1");
  // "Nothing" in the seeds' tables is not a formula.
  EXPECT_EQ(CsvField(User("-")), "-");
  // What the renderer made is never touched.
  EXPECT_EQ(CsvField(Made("-1,500.00")), "\"-1,500.00\"");
  EXPECT_EQ(CsvField(Made("=")), "=");
}

TEST(RenderCsv, IsARectangleStartingWithTheFirstHeader) {
  Document doc;
  doc.title = "left out";
  doc.Heading(1, "also left out: the header is the first record");
  doc.Table({{.heading = "ลำดับ"}, {.heading = "โครงการ"}, {.heading = "งบ"}},
            {{Made("1"), User("=cmd"), Made("1,000.00")}, {Made("2")}});
  doc.Heading(1, "ตารางที่สอง");
  doc.Table({{.heading = "a"}}, {{User("b")}}, "not in CSV");
  doc.Heading(1, "ว่าง");
  doc.Table({{.heading = "c"}}, {}, "not in CSV either");
  doc.Paragraph("คำอธิบาย");
  doc.List({Made("มิติ 1 x"), User("-y")});
  EXPECT_EQ(RenderCsv(doc), std::string(kBom) +
                                "ลำดับ,โครงการ,งบ\r\n"
                                "1,'=cmd,\"1,000.00\"\r\n"
                                "2,,\r\n"
                                ",,\r\n"
                                "ตารางที่สอง,,\r\n"
                                "a,,\r\n"
                                "b,,\r\n"
                                ",,\r\n"
                                "ว่าง,,\r\n"
                                "c,,\r\n"
                                ",,\r\n"
                                "คำอธิบาย,,\r\n"
                                "มิติ 1 x,,\r\n"
                                "'-y,,\r\n");
}

TEST(RenderCsv, ADocumentWithoutTablesIsWrittenFromItsFirstBlock) {
  Document doc;
  doc.title = "t";
  doc.Paragraph("a");
  doc.List(std::vector<std::string>{"b"});
  EXPECT_EQ(RenderCsv(doc), std::string(kBom) + "a\r\nb\r\n");
}

}  // namespace
}  // namespace prongsai::render
