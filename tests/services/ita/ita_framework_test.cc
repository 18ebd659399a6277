// ITA frameworks: the shipped defaults (2562-2569), every validation rule
// with the exact field path it names, the text format, grade bands at their
// edges, and method breaks between years.
#include "services/ita/ita_framework.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::ita {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Two tools, two indicators, two items, two bands: the smallest framework
// that exercises every rule. Broken variants replace one fragment.
constexpr char kSmall[] = R"pb(
  be_year: 2566
  tools { code: "IIT" kind: SURVEY weight: 60 }
  tools { code: "OIT" kind: CHECKLIST weight: 40 }
  indicators { number: 1 tool: "IIT" }
  indicators {
    number: 9
    tool: "OIT"
    sub_indicators { code: "9.1" }
  }
  items { code: "i1" indicator: 1 scale: FOUR_LEVEL }
  items { code: "o1" indicator: 9 sub_indicator: "9.1" scale: YES_NO }
  grade_bands { label: "ผ่าน" min_score: 85 passed: true }
  grade_bands { label: "ต้องปรับปรุง" min_score: 0 }
  min_respondents: 30
)pb";

v1::Framework Parse(absl::string_view text) {
  absl::StatusOr<v1::Framework> framework = ParseFrameworkText(text);
  EXPECT_TRUE(framework.ok()) << framework.status();
  return framework.value_or(v1::Framework());
}

// The field path of the error ValidateFramework returns for `text`.
std::string ErrorPath(absl::string_view text) {
  const absl::Status status = ValidateFramework("framework", Parse(text));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return FieldPathOf(status).value_or("<none: " + status.ToString() + ">");
}

std::string Replace(absl::string_view from, absl::string_view to) {
  std::string text(kSmall);
  EXPECT_THAT(text, HasSubstr(std::string(from)));
  return absl::StrReplaceAll(text, {{from, to}});
}

const v1::Framework& Year(const std::vector<v1::Framework>& frameworks,
                          int be_year) {
  for (const v1::Framework& framework : frameworks) {
    if (framework.be_year() == be_year) return framework;
  }
  ADD_FAILURE() << "no framework for " << be_year;
  return v1::Framework::default_instance();
}

std::vector<v1::Framework> Defaults() {
  absl::StatusOr<std::vector<v1::Framework>> frameworks = DefaultFrameworks();
  EXPECT_TRUE(frameworks.ok()) << frameworks.status();
  return frameworks.value_or(std::vector<v1::Framework>());
}

const v1::Item* FindItem(const v1::Framework& framework,
                         absl::string_view code) {
  for (const v1::Item& item : framework.items()) {
    if (item.code() == code) return &item;
  }
  return nullptr;
}

TEST(ItaFrameworkTest, SmallFrameworkIsValid) {
  EXPECT_TRUE(ValidateFramework("framework", Parse(kSmall)).ok());
}

TEST(ItaFrameworkTest, DefaultsCoverEveryYearAndValidate) {
  const std::vector<v1::Framework> frameworks = Defaults();
  // One file a year, 2562-2569 (services/ita/frameworks/25xx.textproto).
  ASSERT_EQ(frameworks.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    const v1::Framework& framework = frameworks[i];
    SCOPED_TRACE(framework.be_year());
    EXPECT_EQ(framework.be_year(), 2562 + i);
    EXPECT_TRUE(ValidateFramework("framework", framework).ok());
    // Every shipped file is revision 2 (corrected from the public evidence
    // of 2026-12; 2569 first shipped as revision 2).
    EXPECT_EQ(framework.revision(), 2);
    ASSERT_EQ(framework.tools_size(), 3);
    EXPECT_EQ(framework.tools(0).code(), "IIT");
    EXPECT_EQ(framework.tools(0).weight(), 30);
    EXPECT_EQ(framework.tools(1).code(), "EIT");
    EXPECT_EQ(framework.tools(1).weight(), 30);
    EXPECT_EQ(framework.tools(2).code(), "OIT");
    EXPECT_EQ(framework.tools(2).kind(), v1::Tool::CHECKLIST);
    EXPECT_EQ(framework.tools(2).weight(), 40);
    EXPECT_EQ(framework.tools(2).provenance().confidence(),
              v1::SECONDARY_SOURCE);
    ASSERT_EQ(framework.indicators_size(), 10);
    EXPECT_EQ(framework.indicators(3).name(), "การใช้ทรัพย์สินของราชการ");
    EXPECT_EQ(framework.indicators(8).name(), "การเปิดเผยข้อมูล");
    EXPECT_EQ(framework.indicators(9).tool(), "OIT");
    EXPECT_EQ(framework.min_respondents(), 30);
    EXPECT_FALSE(framework.provenance().source().empty());
    // Every IIT/EIT question and OIT item has its text.
    for (const v1::Item& item : framework.items()) {
      EXPECT_FALSE(item.text().empty()) << item.code();
    }
    // IIT: i1-i30, six per indicator 1-5, up to 2565 (the FY2564 IIT form,
    // 25xx.textproto "IIT, FOUR_LEVEL, i1-i30"); i1-i15, three per
    // indicator, from 2566. EIT: e1-e15 every year.
    const int iit = framework.be_year() <= 2565 ? 30 : 15;
    for (int k = 1; k <= iit; ++k) {
      const v1::Item* item = FindItem(framework, absl::StrCat("i", k));
      ASSERT_NE(item, nullptr) << k;
      EXPECT_EQ(item->indicator(), 1 + (k - 1) / (iit / 5)) << k;
    }
    EXPECT_EQ(FindItem(framework, absl::StrCat("i", iit + 1)), nullptr);
    for (int k = 1; k <= 15; ++k) {
      EXPECT_NE(FindItem(framework, absl::StrCat("e", k)), nullptr) << k;
    }
    EXPECT_EQ(FindItem(framework, "e16"), nullptr);
  }
}

TEST(ItaFrameworkTest, DefaultBands) {
  const std::vector<v1::Framework> frameworks = Defaults();
  for (int year = 2562; year <= 2565; ++year) {
    const v1::Framework& framework = Year(frameworks, year);
    ASSERT_EQ(framework.grade_bands_size(), 7) << year;
    const char* labels[] = {"AA", "A", "B", "C", "D", "E", "F"};
    const double mins[] = {95, 85, 75, 65, 55, 50, 0};
    for (int i = 0; i < 7; ++i) {
      EXPECT_EQ(framework.grade_bands(i).label(), labels[i]);
      EXPECT_EQ(framework.grade_bands(i).min_score(), mins[i]);
      // Passing = the national line of 85.
      EXPECT_EQ(framework.grade_bands(i).passed(), i < 2);
    }
  }
  for (int year = 2566; year <= 2568; ++year) {
    const v1::Framework& framework = Year(frameworks, year);
    ASSERT_EQ(framework.grade_bands_size(), 3) << year;
    EXPECT_EQ(framework.grade_bands(0).label(), "ผ่านดีเยี่ยม");
    EXPECT_EQ(framework.grade_bands(0).min_score(), 95);
    EXPECT_TRUE(framework.grade_bands(0).passed());
    EXPECT_EQ(framework.grade_bands(1).label(), "ผ่าน");
    EXPECT_EQ(framework.grade_bands(1).min_score(), 85);
    EXPECT_TRUE(framework.grade_bands(1).passed());
    EXPECT_EQ(framework.grade_bands(2).label(), "ต้องปรับปรุง");
    EXPECT_EQ(framework.grade_bands(2).min_score(), 0);
    EXPECT_FALSE(framework.grade_bands(2).passed());
  }
}

TEST(ItaFrameworkTest, DefaultOitItems) {
  const std::vector<v1::Framework> frameworks = Defaults();
  const v1::Framework& fy2565 = Year(frameworks, 2565);
  // 9.1 o1-o9, 9.2 o10-o17, 9.3 o18-o24, 9.4 o25-o28, 9.5 o29-o33,
  // 10.1 o34-o41, 10.2 o42-o43.
  const struct {
    int first, last;
    const char* sub;
  } ranges[] = {{1, 9, "9.1"},   {10, 17, "9.2"}, {18, 24, "9.3"},
                {25, 28, "9.4"}, {29, 33, "9.5"}, {34, 41, "10.1"},
                {42, 43, "10.2"}};
  for (const auto& range : ranges) {
    for (int k = range.first; k <= range.last; ++k) {
      const v1::Item* item = FindItem(fy2565, absl::StrCat("o", k));
      ASSERT_NE(item, nullptr) << k;
      EXPECT_EQ(item->sub_indicator(), range.sub) << k;
      EXPECT_EQ(item->scale(), v1::YES_NO);
    }
  }
  EXPECT_EQ(FindItem(fy2565, "o44"), nullptr);

  // The OIT lists changed from 2566 (2566.textproto - 2569.textproto):
  // 2566 o1-o43 (o1-o30 -> 9, o31-o43 -> 10), 2567 o1-o33 (o1-o24 -> 9,
  // o25-o33 -> 10), 2568 and 2569 o1-o26 without sub-indicators.
  const struct {
    int be_year, items, last_of_9;
  } lists[] = {{2566, 43, 30}, {2567, 33, 24}, {2568, 26, 20}, {2569, 26, 19}};
  for (const auto& list : lists) {
    SCOPED_TRACE(list.be_year);
    const v1::Framework& framework = Year(frameworks, list.be_year);
    int oit = 0;
    for (const v1::Item& item : framework.items()) oit += item.code()[0] == 'o';
    EXPECT_EQ(oit, list.items);
    for (int k = 1; k <= list.items; ++k) {
      const v1::Item* item = FindItem(framework, absl::StrCat("o", k));
      ASSERT_NE(item, nullptr) << k;
      EXPECT_EQ(item->indicator(), k <= list.last_of_9 ? 9 : 10) << k;
      EXPECT_EQ(item->scale(), v1::YES_NO);
    }
    EXPECT_EQ(FindItem(framework, absl::StrCat("o", list.items + 1)), nullptr);
  }

  // 2568 (an agency's 2568 list, S12) ends with the prevention plan and its
  // report; 2569 with using the ITA results and the integrity-measures
  // report (revision 1 had put these two in 2568).
  const v1::Framework& fy2568 = Year(frameworks, 2568);
  ASSERT_NE(FindItem(fy2568, "o25"), nullptr);
  EXPECT_THAT(FindItem(fy2568, "o25")->text(),
              HasSubstr("แผนปฏิบัติการป้องกันการทุจริต"));
  ASSERT_NE(FindItem(fy2568, "o26"), nullptr);
  EXPECT_THAT(FindItem(fy2568, "o26")->text(),
              HasSubstr("แผนปฏิบัติการป้องกันการทุจริต"));
  EXPECT_THAT(FindItem(fy2568, "o26")->text(), HasSubstr("รายงานผล"));
  EXPECT_TRUE(FindItem(fy2568, "o25")->sub_indicator().empty());
  const v1::Framework& fy2569 = Year(frameworks, 2569);
  ASSERT_NE(FindItem(fy2569, "o25"), nullptr);
  EXPECT_THAT(FindItem(fy2569, "o25")->text(), HasSubstr("ITA"));
  ASSERT_NE(FindItem(fy2569, "o26"), nullptr);
  EXPECT_THAT(FindItem(fy2569, "o26")->text(),
              HasSubstr("ส่งเสริมคุณธรรมและความโปร่งใส"));
}

TEST(ItaFrameworkTest, DefaultSurveyItemsFollowTheSeeds) {
  const std::vector<v1::Framework> frameworks = Defaults();
  // Seed 000 (FY2565) quotes the use-of-state-property questions: i19-i21
  // of indicator 4 in the FY2564 IIT form the 2565 file follows (revision 1
  // had them at i10-i12, now their renamed_from).
  const v1::Framework& fy2565 = Year(frameworks, 2565);
  for (int k = 19; k <= 21; ++k) {
    const v1::Item* item = FindItem(fy2565, absl::StrCat("i", k));
    ASSERT_NE(item, nullptr) << k;
    EXPECT_EQ(item->indicator(), 4) << k;
    EXPECT_THAT(item->text(), HasSubstr("ทรัพย์สินของราชการ")) << k;
    EXPECT_THAT(item->renamed_from(), ElementsAre(absl::StrCat("i", k - 9)))
        << k;
  }
  // Seed 000 §4.1's first question, word for word.
  EXPECT_THAT(FindItem(fy2565, "i19")->text(),
              HasSubstr("มีการเอาทรัพย์สินของราชการ ไปเป็นของส่วนตัว"));
  // i10 of 2565 is now a budget question (indicator 2).
  ASSERT_NE(FindItem(fy2565, "i10"), nullptr);
  EXPECT_EQ(FindItem(fy2565, "i10")->indicator(), 2);
  EXPECT_TRUE(FindItem(fy2565, "i10")->new_in_version());
  // Seed 001 (FY2567): i10-i12 state property, i4-i6 budget, e4-e9 are
  // publicity channels (communication).
  const v1::Framework& fy2567 = Year(frameworks, 2567);
  EXPECT_EQ(FindItem(fy2567, "i4")->indicator(), 2);
  EXPECT_EQ(FindItem(fy2567, "i12")->indicator(), 4);
  EXPECT_EQ(FindItem(fy2567, "e4")->indicator(), 7);
  EXPECT_EQ(FindItem(fy2567, "e9")->indicator(), 7);
  EXPECT_EQ(FindItem(fy2567, "e1")->scale(), v1::FOUR_LEVEL);
}

TEST(ItaFrameworkTest, EmbeddedFilesAreNamedByYear) {
  const auto files = EmbeddedFrameworkFiles();
  // services/ita/frameworks/2562.textproto - 2569.textproto.
  ASSERT_EQ(files.size(), 8u);
  EXPECT_EQ(files.front().first, "2562.textproto");
  EXPECT_EQ(files.back().first, "2569.textproto");
  // Comments survive embedding (the text is the file, byte for byte).
  EXPECT_THAT(files.back().second, HasSubstr("# ITA framework"));
}

TEST(ItaFrameworkTest, FileErrorsNameTheFile) {
  using Files = std::vector<std::pair<std::string, std::string>>;
  const std::string valid = Replace("be_year: 2566", "be_year: 2570");
  absl::StatusOr<std::vector<v1::Framework>> frameworks =
      FrameworksFromFiles(Files{{"2570.textproto", valid}});
  ASSERT_TRUE(frameworks.ok()) << frameworks.status();
  EXPECT_EQ(frameworks->size(), 1u);

  frameworks = FrameworksFromFiles(
      Files{{"2570.textproto", valid}, {"2566.textproto", "be_year: {"}});
  EXPECT_EQ(frameworks.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(frameworks.status().message(),
              HasSubstr("2566.textproto: line 1"));

  frameworks = FrameworksFromFiles(Files{{"2571.textproto", valid}});
  EXPECT_THAT(frameworks.status().message(),
              HasSubstr("2571.textproto: framework.be_year"));

  frameworks = FrameworksFromFiles(
      Files{{"2570.textproto", valid}, {"2570.textproto", valid}});
  EXPECT_THAT(frameworks.status().message(),
              HasSubstr("2570.textproto: framework.be_year: repeats"));

  frameworks = FrameworksFromFiles(
      Files{{"2570.textproto",
             absl::StrReplaceAll(valid, {{"weight: 40", "weight: 41"}})}});
  EXPECT_THAT(frameworks.status().message(),
              HasSubstr("2570.textproto: framework.tools: weights must sum"));
  // The field path survives the prefix.
  EXPECT_EQ(FieldPathOf(frameworks.status()), "framework.tools");

  frameworks = FrameworksFromFiles(Files{{"latest.textproto", valid}});
  EXPECT_THAT(frameworks.status().message(), HasSubstr("latest.textproto"));
}

TEST(ItaFrameworkTest, ParseErrorsNameTheLine) {
  absl::StatusOr<v1::Framework> parsed =
      ParseFrameworkText("be_year: 2566\ntools {\n  weight: heavy\n}\n");
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 3"));

  parsed = ParseFrameworkText("# comment\nbe_year: 2566\ncolour: 3\n");
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 3"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("colour"));
}

TEST(ItaFrameworkTest, EveryRuleNamesItsField) {
  const struct {
    std::string text;
    std::string path;
  } cases[] = {
      {Replace("be_year: 2566", "be_year: 2499"), "framework.be_year"},
      {Replace("be_year: 2566", "be_year: 2701"), "framework.be_year"},
      {Replace("code: \"IIT\" kind", "code: \"\" kind"),
       "framework.tools[0].code"},
      {Replace("code: \"IIT\" kind", "code: \"iit\" kind"),
       "framework.tools[0].code"},
      {Replace("code: \"OIT\" kind", "code: \"IIT\" kind"),
       "framework.tools[1].code"},
      {Replace("kind: CHECKLIST ", ""), "framework.tools[1].kind"},
      {Replace("weight: 40", "weight: -40"), "framework.tools[1].weight"},
      {Replace("weight: 40", "weight: nan"), "framework.tools[1].weight"},
      {Replace("weight: 40", "weight: inf"), "framework.tools[1].weight"},
      {Replace("weight: 40", "weight: 30"), "framework.tools"},
      {Replace("number: 9", "number: 100"), "framework.indicators[1].number"},
      {Replace("number: 9", "number: 0"), "framework.indicators[1].number"},
      {Replace("number: 9", "number: 1"), "framework.indicators[1].number"},
      {Replace("tool: \"OIT\"", "tool: \"XIT\""),
       "framework.indicators[1].tool"},
      {Replace("number: 1 tool: \"IIT\"", "number: 1 tool: \"IIT\" weight: -1"),
       "framework.indicators[0].weight"},
      {Replace("sub_indicators { code: \"9.1\" }",
               "sub_indicators { code: \"8.1\" }"),
       "framework.indicators[1].sub_indicators[0].code"},
      {Replace("sub_indicators { code: \"9.1\" }",
               "sub_indicators { code: \"9.01\" }"),
       "framework.indicators[1].sub_indicators[0].code"},
      {Replace("sub_indicators { code: \"9.1\" }",
               "sub_indicators { code: \"9.1\" } sub_indicators { code: "
               "\"9.1\" }"),
       "framework.indicators[1].sub_indicators[1].code"},
      {Replace("code: \"i1\"", "code: \"I1\""), "framework.items[0].code"},
      {Replace("code: \"i1\"", "code: \"i\""), "framework.items[0].code"},
      {Replace("code: \"i1\"", "code: \"ix1\""), "framework.items[0].code"},
      {Replace("code: \"o1\"", "code: \"i1\""), "framework.items[1].code"},
      {Replace("indicator: 1 scale", "indicator: 2 scale"),
       "framework.items[0].indicator"},
      {Replace("sub_indicator: \"9.1\"", "sub_indicator: \"9.2\""),
       "framework.items[1].sub_indicator"},
      {Replace("scale: FOUR_LEVEL", ""), "framework.items[0].scale"},
      {Replace("scale: YES_NO", "scale: FOUR_LEVEL"),
       "framework.items[1].scale"},
      {Replace("indicators { number: 1 tool: \"IIT\" }",
               "indicators { number: 1 tool: \"IIT\" } indicators { number: 2 "
               "tool: \"IIT\" }"),
       "framework.indicators[1]"},
      {Replace("tools { code: \"OIT\"",
               "tools { code: \"EIT\" kind: SURVEY weight: 0 } tools { code: "
               "\"OIT\""),
       "framework.tools[1]"},
      {Replace("grade_bands { label: \"ผ่าน\" min_score: 85 passed: true }\n"
               "  grade_bands { label: \"ต้องปรับปรุง\" min_score: 0 }",
               ""),
       "framework.grade_bands"},
      {Replace("label: \"ผ่าน\"", "label: \"\""),
       "framework.grade_bands[0].label"},
      {Replace("label: \"ต้องปรับปรุง\"", "label: \"ผ่าน\""),
       "framework.grade_bands[1].label"},
      {Replace("min_score: 85", "min_score: 100.5"),
       "framework.grade_bands[0].min_score"},
      {Replace("min_score: 85", "min_score: nan"),
       "framework.grade_bands[0].min_score"},
      // Equal minimums: the upper band would be empty (overlap).
      {Replace("min_score: 85", "min_score: 0"),
       "framework.grade_bands[1].min_score"},
      // Ascending order.
      {Replace("min_score: 0", "min_score: 90"),
       "framework.grade_bands[1].min_score"},
      // A gap below the last band.
      {Replace("min_score: 0", "min_score: 10"),
       "framework.grade_bands[1].min_score"},
      {Replace("min_respondents: 30", "min_respondents: -1"),
       "framework.min_respondents"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ErrorPath(c.text), c.path);
  }
}

TEST(ItaFrameworkTest, PathsAreRelative) {
  v1::Framework framework = Parse(kSmall);
  framework.set_be_year(1);
  EXPECT_EQ(FieldPathOf(ValidateFramework("", framework)), "be_year");
  EXPECT_EQ(FieldPathOf(ValidateFramework("request.framework", framework)),
            "request.framework.be_year");
}

TEST(ItaFrameworkTest, BandOfAtTheEdges) {
  const std::vector<v1::Framework> frameworks = Defaults();
  const v1::Framework& fy2565 = Year(frameworks, 2565);
  EXPECT_EQ(BandOf(fy2565, 84.99).label(), "B");
  EXPECT_EQ(BandOf(fy2565, 85).label(), "A");
  EXPECT_TRUE(BandOf(fy2565, 85).passed());
  EXPECT_FALSE(BandOf(fy2565, 84.99).passed());
  EXPECT_EQ(BandOf(fy2565, 94.99).label(), "A");
  EXPECT_EQ(BandOf(fy2565, 95).label(), "AA");
  EXPECT_EQ(BandOf(fy2565, 100).label(), "AA");
  EXPECT_EQ(BandOf(fy2565, 89.20).label(), "A");  // seed 000
  EXPECT_EQ(BandOf(fy2565, 50).label(), "E");
  EXPECT_EQ(BandOf(fy2565, 49.99).label(), "F");
  EXPECT_EQ(BandOf(fy2565, 0).label(), "F");
  // Clamped.
  EXPECT_EQ(BandOf(fy2565, -3).label(), "F");
  EXPECT_EQ(BandOf(fy2565, 130).label(), "AA");
  EXPECT_EQ(BandOf(fy2565, std::numeric_limits<double>::quiet_NaN()).label(),
            "F");

  const v1::Framework& fy2567 = Year(frameworks, 2567);
  EXPECT_EQ(BandOf(fy2567, 84.99).label(), "ต้องปรับปรุง");
  EXPECT_FALSE(BandOf(fy2567, 84.99).passed());
  EXPECT_EQ(BandOf(fy2567, 85).label(), "ผ่าน");
  EXPECT_EQ(BandOf(fy2567, 94.99).label(), "ผ่าน");
  EXPECT_EQ(BandOf(fy2567, 95).label(), "ผ่านดีเยี่ยม");
  EXPECT_EQ(BandOf(fy2567, 99.78).label(), "ผ่านดีเยี่ยม");  // seed 001
  EXPECT_EQ(BandOf(fy2567, 100).label(), "ผ่านดีเยี่ยม");
  EXPECT_EQ(BandOf(fy2567, 0).label(), "ต้องปรับปรุง");

  EXPECT_EQ(BandOf(v1::Framework(), 50).label(), "");
}

TEST(ItaFrameworkTest, MethodDifference) {
  const std::vector<v1::Framework> frameworks = Defaults();
  EXPECT_EQ(MethodDifference(Year(frameworks, 2563), Year(frameworks, 2564)),
            std::nullopt);
  EXPECT_EQ(MethodDifference(Year(frameworks, 2566), Year(frameworks, 2566)),
            std::nullopt);

  std::optional<std::string> difference =
      MethodDifference(Year(frameworks, 2565), Year(frameworks, 2566));
  ASSERT_TRUE(difference.has_value());
  EXPECT_THAT(*difference, HasSubstr("grade bands: AA>=95 pass"));
  EXPECT_THAT(*difference, HasSubstr("ผ่านดีเยี่ยม>=95 pass"));
  EXPECT_THAT(*difference, HasSubstr("items moved: e4 6->7"));
  EXPECT_THAT(*difference, Not(HasSubstr("tools")));

  difference = MethodDifference(Year(frameworks, 2567), Year(frameworks, 2568));
  ASSERT_TRUE(difference.has_value());
  EXPECT_THAT(*difference, HasSubstr("items removed: o27"));
  EXPECT_THAT(*difference, Not(HasSubstr("grade bands")));

  // Labels, names and texts are not method.
  v1::Framework relabelled = Parse(kSmall);
  relabelled.mutable_grade_bands(0)->set_label("pass");
  relabelled.mutable_items(0)->set_text("another wording");
  relabelled.mutable_tools(0)->set_name("another name");
  EXPECT_EQ(MethodDifference(Parse(kSmall), relabelled), std::nullopt);

  v1::Framework reweighted = Parse(kSmall);
  reweighted.mutable_tools(0)->set_weight(50);
  reweighted.mutable_tools(1)->set_weight(50);
  reweighted.mutable_indicators(1)->set_weight(2);
  difference = MethodDifference(Parse(kSmall), reweighted);
  ASSERT_TRUE(difference.has_value());
  EXPECT_THAT(*difference,
              HasSubstr("tools: IIT SURVEY 60, OIT CHECKLIST 40 -> IIT SURVEY "
                        "50, OIT CHECKLIST 50"));
  EXPECT_THAT(*difference, HasSubstr("indicators changed: 9 (OIT 0 -> OIT 2)"));
}

}  // namespace
}  // namespace prongsai::ita
