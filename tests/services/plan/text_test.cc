// The plan importer's text helpers (services/plan/plan_import/text.h) on
// the shapes PDF-extracted NACC documents give them.
#include "services/plan/plan_import/text.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::plan::plan_import {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CleanTextTest, LineEndsSpacesTagsAndControls) {
  EXPECT_EQ(CleanText("a\r\nb\rc"), "a\nb\nc");
  EXPECT_EQ(CleanText("a<br />b</p>c"), "a b c");
  EXPECT_EQ(CleanText("a\xC2\xA0"
                      "b\xE2\x80\x8B"
                      "c"),
            "a bc");  // NBSP, ZWSP
  EXPECT_EQ(CleanText("a\x01\tb\x7F"), "a \tb ");
  EXPECT_EQ(CleanText("a\xE2\x80\xA8"
                      "b"),
            "a\nb");  // U+2028
  EXPECT_EQ(CleanText("<q>"), "<q>");
}

TEST(CleanTextTest, InvalidUtf8BecomesOneQuestionMarkPerByte) {
  EXPECT_EQ(CleanText("ก\xFF"
                      "ข"),
            "ก?ข");
  EXPECT_EQ(CleanText("\xE0\xB8"), "??");       // truncated ก
  EXPECT_EQ(CleanText("\xED\xA0\x80"), "???");  // a surrogate
  EXPECT_EQ(CleanText("\xE0\x99\xA5"), "???");  // an overlong form
}

TEST(FindYearsTest, RangesExpandAndOtherNumbersDoNot) {
  EXPECT_THAT(FindYears("พ.ศ. ๒๕๖๖ - ๒๕๖๘"), ElementsAre(2566, 2567, 2568));
  EXPECT_THAT(FindYears("2566 ถึง 2568 และ 2570"),
              ElementsAre(2566, 2567, 2568, 2570));
  // Five digits, a year out of 2500..2700, and a range of more than 20 years.
  EXPECT_THAT(FindYears("25660 2499 2566-2590"), ElementsAre(2566, 2590));
  EXPECT_EQ(FirstYear("ปีงบประมาณ ๒๕๖๙ (2026)"), 2569);
  EXPECT_EQ(FirstYear("ไม่มีปี"), std::nullopt);
}

TEST(FirstNumberTest, ThaiDigitsSeparatorsAndDecimals) {
  EXPECT_EQ(FirstNumber("ร้อยละ ๑๐"), 10.0);
  EXPECT_EQ(FirstNumber("คะแนน 1,234.5 คะแนน"), 1234.5);
  EXPECT_EQ(FirstNumber("3. ข้อ"), 3.0);
  EXPECT_EQ(FirstNumber("ไม่มี"), std::nullopt);
}

TEST(FirstAmountTest, AmountsAsSatang) {
  EXPECT_EQ(FirstAmount("งบ ๑๕,๐๐๐ บาท"), 1'500'000);
  EXPECT_EQ(FirstAmount("20,000.-"), 2'000'000);
  EXPECT_EQ(FirstAmount("-"), std::nullopt);
  EXPECT_EQ(FirstAmount("1,2,3"), std::nullopt);  // not grouped by three
}

TEST(ReadIntTest, StopsAtMaxDigitsAndLeavesPosition) {
  size_t pos = 0;
  EXPECT_EQ(ReadInt("๑๒x", &pos), 12);
  EXPECT_EQ(pos, 6u);
  pos = 0;
  EXPECT_EQ(ReadInt("12345", &pos, 4), std::nullopt);
  EXPECT_EQ(pos, 0u);
}

TEST(LeadingItemMarkerTest, MarkersAndSubItems) {
  int number = 0;
  absl::string_view rest;
  ASSERT_TRUE(LeadingItemMarker("(๒) สอง", &number, &rest));
  EXPECT_EQ(number, 2);
  EXPECT_EQ(rest, "สอง");
  ASSERT_TRUE(LeadingItemMarker("3. สาม", &number, &rest));
  EXPECT_EQ(number, 3);
  EXPECT_FALSE(LeadingItemMarker("2.1) ย่อย", &number, &rest));
  EXPECT_FALSE(LeadingItemMarker("(2 ไม่ปิด", &number, &rest));
}

TEST(SplitNumberedTest, CountsUpwardsWithSmallGaps) {
  std::string leading;
  const std::vector<NumberedItem> items =
      SplitNumbered("นำ 1) หนึ่ง 2) สอง 5) ห้า 20) ไม่ใช่", ')', &leading);
  EXPECT_EQ(leading, "นำ");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].number, 1);
  EXPECT_EQ(items[1].text, "สอง");
  // 20 is too far from 5 to be the next item: it stays in item 5's text.
  EXPECT_EQ(items[2].number, 5);
  EXPECT_EQ(items[2].text, "ห้า 20) ไม่ใช่");
  EXPECT_THAT(SplitNumbered("ไม่มีเลข", ')', nullptr), IsEmpty());
}

TEST(LineItemsTest, UnnumberedLinesContinueTheItemAbove) {
  EXPECT_THAT(LineItems({"1) แรก", "ต่อ", "- 2) สอง", "2.1) ย่อย"}),
              ElementsAre("แรก ต่อ", "สอง 2.1) ย่อย"));
  // Without any number each line is an item, bullets stripped.
  EXPECT_THAT(LineItems({"- ก", "* ข", ""}), ElementsAre("ก", "ข"));
}

TEST(MissionCodeTest, CodesButNotItems) {
  std::string code, title;
  ASSERT_TRUE(MissionCode("๑.๑.๒ สร้างจิตสำนึก", &code, &title));
  EXPECT_EQ(code, "1.1.2");
  EXPECT_EQ(title, "สร้างจิตสำนึก");
  EXPECT_FALSE(MissionCode("๒.๑) ข้อย่อย", &code, &title));
  EXPECT_FALSE(MissionCode("1 ข้อ", &code, &title));
  EXPECT_FALSE(MissionCode("10.1 ไม่ใช่มิติ", &code, &title));
}

TEST(NameAfterTest, StopsAtPunctuationAndRejectsRunningText) {
  EXPECT_EQ(NameAfter("  อีสานเขต อำเภอ", 0), "อีสานเขต");
  EXPECT_EQ(NameAfter("อีสานเขต.", 0), "อีสานเขต");
  EXPECT_EQ(NameAfter("“อีสานเขต”", 0), "");
  EXPECT_EQ(NameAfter(std::string(31, 'a'), 0), "");
}

TEST(QuoteTest, LongTextIsCutAtACodePoint) {
  EXPECT_EQ(Quote("สั้น"), "\"สั้น\"");
  const std::string long_text(100, 'x');
  const std::string thai = long_text + std::string("กขค") + long_text +
                           std::string(20, 'y') + "กขคงจ";
  // 244 bytes: cut after "กขค" of the tail (238 bytes), since "ง" would
  // end past 240; never inside a Thai letter.
  EXPECT_EQ(Quote(thai), "\"" + thai.substr(0, 238) + "…\"");
}

TEST(LevenshteinTest, EditDistanceOfCodePoints) {
  EXPECT_EQ(Levenshtein({U'a', U'b', U'c'}, {U'a', U'c'}), 1);
  EXPECT_EQ(Levenshtein({}, {U'x', U'y'}), 2);
  EXPECT_EQ(Levenshtein({U'ก'}, {U'ก'}), 0);
}

}  // namespace
}  // namespace prongsai::plan::plan_import
