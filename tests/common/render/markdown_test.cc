#include "common/render/markdown.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::render {
namespace {

TEST(MarkdownEscape, EscapesWhatCouldBreakCellsOrBecomeLinksOrTags) {
  EXPECT_EQ(MarkdownEscape("a|b", " "), "a\\|b");
  EXPECT_EQ(MarkdownEscape("a\\|b", " "), "a\\\\\\|b");
  EXPECT_EQ(MarkdownEscape("[click](http://x)", " "), "\\[click\\](http://x)");
  EXPECT_EQ(MarkdownEscape("<script>", " "), "\\<script>");
}

TEST(MarkdownEscape, KeepsStylingCharactersAndEntities) {
  // They style text inside its block; they cannot end a cell or a block.
  EXPECT_EQ(MarkdownEscape("*bold* _it_ `code` > &amp;", " "),
            "*bold* _it_ `code` > &amp;");
}

TEST(MarkdownEscape, LineBreaksBecomeTheGivenBreak) {
  EXPECT_EQ(MarkdownEscape("a\nb\r\nc\rd", "<br>"), "a<br>b<br>c<br>d");
  EXPECT_EQ(MarkdownEscape("a\nb", " "), "a b");
}

TEST(MarkdownEscape, LeavesThaiTextAsWritten) {
  EXPECT_EQ(MarkdownEscape("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", " "),
            "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล");
}

TEST(RenderMarkdown, WritesTitleBlocksAndAlignedTables) {
  Document doc;
  doc.title = "รายงาน [1]";
  doc.Heading(1, "สรุป");
  doc.Paragraph("บรรทัดแรก\nบรรทัดสอง");
  doc.List(std::vector<std::string>{"หนึ่ง", "a\nb"});
  doc.Table({{.heading = "ลำดับ", .align = Align::kRight},
             {.heading = "มิติ", .align = Align::kCenter},
             {.heading = "ชื่อ|เรื่อง"}},
            {{Made("1"), Made("2"), User("x|y\nz")}, {Made("2")}});
  EXPECT_EQ(RenderMarkdown(doc),
            "# รายงาน \\[1\\]\n"
            "\n"
            "## สรุป\n"
            "\n"
            "บรรทัดแรก  \nบรรทัดสอง\n"
            "\n"
            "- หนึ่ง\n"
            "- a b\n"
            "\n"
            "| ลำดับ | มิติ | ชื่อ\\|เรื่อง |\n"
            "|---:|:---:|---|\n"
            "| 1 | 2 | x\\|y<br>z |\n"
            "| 2 |  |  |\n");
}

TEST(RenderMarkdown, AnEmptyTableIsItsEmptyText) {
  Document doc;
  doc.title = "t";
  doc.Table({{.heading = "a"}}, {}, "ไม่มีรายการ");
  EXPECT_EQ(RenderMarkdown(doc), "# t\n\nไม่มีรายการ\n");
  Document without_text;
  without_text.title = "t";
  without_text.Table({{.heading = "a"}}, std::vector<std::vector<Cell>>{});
  EXPECT_EQ(RenderMarkdown(without_text), "# t\n\n| a |\n|---|\n");
}

TEST(RenderMarkdown, DeeperHeadingsGetMoreHashes) {
  Document doc;
  doc.title = "t";
  doc.Heading(2, "3.1 จุดแข็ง");
  EXPECT_EQ(RenderMarkdown(doc), "# t\n\n### 3.1 จุดแข็ง\n");
}

}  // namespace
}  // namespace prongsai::render
