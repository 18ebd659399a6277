#include "common/render/html.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::render {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(HtmlEscape, EveryMarkupCharacterIsAnEntity) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("a\nb\r\nc"), "a<br>b<br>c");
  // Markdown's specials mean nothing to HTML.
  EXPECT_EQ(HtmlEscape("| [x] *y* _z_ `w`"), "| [x] *y* _z_ `w`");
  EXPECT_EQ(HtmlEscape("จังหวัดเชียงใหม่"), "จังหวัดเชียงใหม่");
}

TEST(RenderHtml, IsACompleteThaiDocumentWithEscapedData) {
  Document doc;
  doc.title = "รายงาน <b>";
  doc.Heading(1, "สรุป & ผล");
  doc.Paragraph("<script>alert(1)</script>");
  doc.List(std::vector<std::string>{"หนึ่ง"});
  doc.Table({{.heading = "ลำดับ", .align = Align::kRight}, {.heading = "ชื่อ"}},
            {{Made("1"), User("<i>x</i>")}, {Made("2")}});
  const std::string html = RenderHtml(doc);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"th\">\n"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>รายงาน &lt;b&gt;</title>"));
  EXPECT_THAT(html,
              HasSubstr("<h1>รายงาน &lt;b&gt;</h1>\n<h2>สรุป &amp; ผล</h2>"));
  EXPECT_THAT(html, HasSubstr("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"));
  EXPECT_THAT(html, HasSubstr("<ul>\n<li>หนึ่ง</li>\n</ul>"));
  EXPECT_THAT(html, HasSubstr("<thead><tr><th style=\"text-align:right\">"
                              "ลำดับ</th><th>ชื่อ</th></tr></thead>"));
  EXPECT_THAT(html, HasSubstr("<tr><td style=\"text-align:right\">1</td>"
                              "<td>&lt;i&gt;x&lt;/i&gt;</td></tr>"));
  // A short row is padded to the columns.
  EXPECT_THAT(html, HasSubstr("<tr><td style=\"text-align:right\">2</td>"
                              "<td></td></tr>"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<i>")));
  EXPECT_THAT(html, ::testing::EndsWith("</body>\n</html>\n"));
}

TEST(RenderHtml, AnEmptyTableIsItsEmptyText) {
  Document doc;
  doc.title = "t";
  doc.Table({{.heading = "a"}}, {}, "ไม่มี <รายการ>");
  const std::string html = RenderHtml(doc);
  EXPECT_THAT(html, HasSubstr("<p>ไม่มี &lt;รายการ&gt;</p>"));
  EXPECT_THAT(html, Not(HasSubstr("<table>")));
}

}  // namespace
}  // namespace prongsai::render
