// The ITA analytics (ita_analysis.h, ita_recommend.h, ita_peer_stats.h,
// ita_report.h) on seed 000's figures
// (Phon Sung SAO, FY2565: 89.20, grade A, strengths 1 5 6 10, urgent
// weakness 9), the measure catalogue, peer analytics on a generated national
// data set checked against a brute-force computation, trends across a
// method change, and the rendered Thai report. Expectations are worked out
// by hand or by the brute force here, never by the code under test.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ita/ita_analysis.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_peer_stats.h"
#include "services/ita/ita_recommend.h"
#include "services/ita/ita_report.h"
#include "tests/support/test_env.h"

namespace prongsai::ita {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// --- Builders ---------------------------------------------------------------

void AddIndicator(v1::Framework& framework, int number, const char* name,
                  const char* tool) {
  v1::Indicator* indicator = framework.add_indicators();
  indicator->set_number(number);
  indicator->set_name(name);
  indicator->set_tool(tool);
}

void AddItem(v1::Framework& framework, const std::string& code,
             const std::string& text, int indicator) {
  v1::Item* item = framework.add_items();
  item->set_code(code);
  item->set_text(text);
  item->set_indicator(indicator);
}

void AddBand(v1::Framework& framework, const char* label, double min_score,
             bool passed) {
  v1::GradeBand* band = framework.add_grade_bands();
  band->set_label(label);
  band->set_min_score(min_score);
  band->set_passed(passed);
}

// Seed 000's questions for indicator 4 (§4.1) and indicator 8 (§4.2).
constexpr char kI10[] =
    "บุคลากรในหน่วยงานของท่าน มีการเอาทรัพย์สินของราชการ ไปเป็นของส่วนตัว "
    "หรือนำไปให้กลุ่มหรือพวกพ้อง มากน้อยเพียงใด";
constexpr char kI11[] =
    "ขั้นตอนการขออนุญาตเพื่อยืมทรัพย์สินของราชการ ไปใช้ปฏิบัติงานในหน่วยงาน"
    "ของท่าน มีความสะดวก มากน้อยเพียงใด";
constexpr char kE11[] =
    "เจ้าหน้าที่ของหน่วยงานที่ท่านติดต่อมีการปรับปรุงคุณภาพการปฏิบัติงาน/"
    "การให้บริการ ให้ดีขึ้น มากน้อยเพียงใด";
constexpr char kE12[] =
    "หน่วยงานที่ท่านติดต่อ มีการปรับปรุงวิธีการและขั้นตอนการดำเนินงาน/"
    "การให้บริการให้ดีขึ้น มากน้อยเพียงใด";
constexpr char kE13[] =
    "หน่วยงานที่ท่านติดต่อ มีการนำเทคโนโลยีมาใช้ในการดำเนินงาน/การให้บริการ"
    "ให้เกิดความสะดวก รวดเร็วมากขึ้น";

// The FY2565 framework as domain.md and seed 000 describe it: IIT i1-i15
// (three per indicator 1-5), EIT e1-e15 (five per indicator 6-8), a few OIT
// items, and the AA-F grades.
v1::Framework Framework2565() {
  v1::Framework framework;
  framework.set_be_year(2565);
  for (const auto& [code, weight] : std::vector<std::pair<const char*, double>>{
           {"IIT", 30}, {"EIT", 30}, {"OIT", 40}}) {
    v1::Tool* tool = framework.add_tools();
    tool->set_code(code);
    tool->set_weight(weight);
  }
  AddIndicator(framework, 1, "การปฏิบัติหน้าที่", "IIT");
  AddIndicator(framework, 2, "การใช้งบประมาณ", "IIT");
  AddIndicator(framework, 3, "การใช้อำนาจ", "IIT");
  AddIndicator(framework, 4, "การใช้ทรัพย์สินของราชการ", "IIT");
  AddIndicator(framework, 5, "การแก้ไขปัญหาการทุจริต", "IIT");
  AddIndicator(framework, 6, "คุณภาพการดำเนินงาน", "EIT");
  AddIndicator(framework, 7, "ประสิทธิภาพการสื่อสาร", "EIT");
  AddIndicator(framework, 8, "การปรับปรุงระบบการทำงาน", "EIT");
  AddIndicator(framework, 9, "การเปิดเผยข้อมูล", "OIT");
  AddIndicator(framework, 10, "การป้องกันการทุจริต", "OIT");
  for (int i = 1; i <= 15; ++i) {
    const std::string code = absl::StrCat("i", i);
    const std::string text = i == 10   ? kI10
                             : i == 11 ? kI11
                                       : absl::StrCat("คำถาม ", code);
    AddItem(framework, code, text, (i - 1) / 3 + 1);
  }
  for (int i = 1; i <= 15; ++i) {
    const std::string code = absl::StrCat("e", i);
    const std::string text = i == 11   ? kE11
                             : i == 12 ? kE12
                             : i == 13 ? kE13
                                       : absl::StrCat("คำถาม ", code);
    AddItem(framework, code, text, (i - 1) / 5 + 6);
  }
  AddItem(framework, "o1", "โครงสร้าง", 9);
  AddItem(framework, "o2", "ข้อมูลผู้บริหาร", 9);
  AddItem(framework, "o3", "อำนาจหน้าที่", 9);
  AddItem(framework, "o4", "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน", 9);
  AddItem(framework, "o5", "ข้อมูลการติดต่อ", 9);
  AddItem(framework, "o34", "เจตจำนงสุจริตของผู้บริหาร", 10);
  AddItem(framework, "o35", "การมีส่วนร่วมของผู้บริหาร", 10);
  AddBand(framework, "AA", 95, true);
  AddBand(framework, "A", 85, true);
  AddBand(framework, "B", 75, false);
  AddBand(framework, "C", 65, false);
  AddBand(framework, "D", 55, false);
  AddBand(framework, "E", 50, false);
  AddBand(framework, "F", 0, false);
  return framework;
}

// FY2566 on: pass at 85, excellent at 95.
v1::Framework Framework2566() {
  v1::Framework framework = Framework2565();
  framework.set_be_year(2566);
  framework.clear_grade_bands();
  AddBand(framework, "ผ่านดีเยี่ยม", 95, true);
  AddBand(framework, "ผ่าน", 85, true);
  AddBand(framework, "ต้องปรับปรุง", 0, false);
  return framework;
}

void AddScore(google::protobuf::RepeatedPtrField<v1::Score>* scores,
              const std::string& code, double value) {
  v1::Score* score = scores->Add();
  score->set_code(code);
  score->set_score(value);
}

v1::Assessment NewAssessment(int be_year) {
  v1::Assessment assessment;
  assessment.set_name(
      absl::StrCat("organizations/6340101/assessments/", be_year));
  assessment.mutable_organization()->set_code("6340101");
  assessment.mutable_organization()->set_name("องค์การบริหารส่วนตำบลโพนสูง");
  assessment.mutable_organization()->set_district("สว่างแดนดิน");
  assessment.mutable_organization()->set_province("สกลนคร");
  assessment.mutable_fiscal_year()->set_be_year(be_year);
  return assessment;
}

// Seed 000 §2-3: 89.20, A; 10 = 100 the highest, 1 = 99.77 next, 9 the
// lowest; strengths (> 90) 1, 5, 6, 10. The other figures are plausible
// choices: 2, 3, 7 in the high 80s; 4 and 8 just under 85.
v1::Assessment Seed000Assessment() {
  v1::Assessment assessment = NewAssessment(2565);
  v1::ScoreSet& published = *assessment.mutable_published();
  published.mutable_overall()->set_code("overall");
  published.mutable_overall()->set_score(89.20);
  published.set_grade("A");
  AddScore(published.mutable_tools(), "IIT", 92.80);
  AddScore(published.mutable_tools(), "EIT", 87.96);
  AddScore(published.mutable_tools(), "OIT", 87.18);
  const std::vector<std::pair<int, double>> indicators = {
      {1, 99.77}, {2, 88.52}, {3, 86.40}, {4, 84.21}, {5, 95.10},
      {6, 92.30}, {7, 87.64}, {8, 83.95}, {9, 72.50}, {10, 100.00}};
  for (const auto& [number, score] : indicators) {
    AddScore(published.mutable_indicators(), absl::StrCat(number), score);
  }
  const std::vector<std::pair<const char*, double>> items = {
      {"i1", 100},   {"i2", 99.5},  {"i3", 99.8}, {"i4", 90},    {"i5", 88},
      {"i6", 87.5},  {"i7", 86},    {"i8", 87},   {"i9", 86.2},  {"i10", 78.5},
      {"i11", 84},   {"i12", 90.1}, {"i13", 95},  {"i14", 96},   {"i15", 94.3},
      {"e1", 92},    {"e2", 93},    {"e3", 91},   {"e4", 92.5},  {"e5", 93},
      {"e6", 87},    {"e7", 88},    {"e8", 87.5}, {"e9", 88.1},  {"e10", 87.6},
      {"e11", 80.1}, {"e12", 84.5}, {"e13", 82},  {"e14", 85.2}, {"e15", 88},
      {"o1", 100},   {"o2", 0},     {"o3", 100},  {"o4", 0},     {"o5", 100},
      {"o34", 100},  {"o35", 100}};
  for (const auto& [code, score] : items) {
    AddScore(published.mutable_items(), code, score);
  }
  return assessment;
}

std::vector<int> Numbers(
    const google::protobuf::RepeatedPtrField<v1::IndicatorResult>& results) {
  std::vector<int> numbers;
  for (const v1::IndicatorResult& result : results) {
    numbers.push_back(result.number());
  }
  return numbers;
}

// --- EffectiveScores
// ----------------------------------------------------------

TEST(EffectiveScoresTest, ComputedWhenItHasAnOverallElsePublished) {
  v1::Assessment assessment = Seed000Assessment();
  std::string basis;
  EXPECT_EQ(&EffectiveScores(assessment, &basis), &assessment.published());
  EXPECT_EQ(basis, "published");

  // Computed figures without an overall (nothing ingested yet) do not count.
  AddScore(assessment.mutable_computed()->mutable_indicators(), "9", 50);
  EXPECT_EQ(&EffectiveScores(assessment, &basis), &assessment.published());
  EXPECT_EQ(basis, "published");

  assessment.mutable_computed()->mutable_overall()->set_score(91);
  EXPECT_EQ(&EffectiveScores(assessment, &basis), &assessment.computed());
  EXPECT_EQ(basis, "computed");
  EXPECT_EQ(&EffectiveScores(assessment, nullptr), &assessment.computed());
}

// --- Analyze
// ------------------------------------------------------------------

TEST(AnalyzeTest, Seed000ResultGradeStrengthsAndWeaknesses) {
  const v1::AgencyAnalysis analysis =
      Analyze(Framework2565(), Seed000Assessment(), nullptr, 90, 3);
  EXPECT_EQ(analysis.assessment(), "organizations/6340101/assessments/2565");
  EXPECT_EQ(analysis.be_year(), 2565);
  EXPECT_EQ(analysis.basis(), "published");
  EXPECT_DOUBLE_EQ(analysis.overall(), 89.20);
  EXPECT_EQ(analysis.grade(), "A");
  EXPECT_TRUE(analysis.passed());
  EXPECT_DOUBLE_EQ(analysis.strength_threshold(), 90);

  // Seed 000 §3.1, best first: 10 (100), 1 (99.77), 5 (95.10), 6 (92.30).
  EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(10, 1, 5, 6));
  EXPECT_EQ(analysis.strengths(0).name(), "การป้องกันการทุจริต");
  EXPECT_EQ(analysis.strengths(0).tool(), "OIT");
  EXPECT_DOUBLE_EQ(analysis.strengths(1).score(), 99.77);

  // Seed 000 §3.2: 9 (72.50) the lowest first; then 8 (83.95) and 4
  // (84.21), the others under 85.
  EXPECT_THAT(Numbers(analysis.weaknesses()), ElementsAre(9, 8, 4));
  EXPECT_EQ(analysis.weaknesses(0).name(), "การเปิดเผยข้อมูล");
  EXPECT_DOUBLE_EQ(analysis.weaknesses(0).score(), 72.50);
  EXPECT_EQ(analysis.weaknesses(2).name(), "การใช้ทรัพย์สินของราชการ");

  EXPECT_THAT(analysis.changes(), IsEmpty());
  EXPECT_EQ(analysis.previous_be_year(), 0);
  EXPECT_FALSE(analysis.has_plan_target());
  EXPECT_THAT(analysis.missing(), IsEmpty());
}

TEST(AnalyzeTest, ItemsToImprovePerToolWithQuestionTexts) {
  const v1::AgencyAnalysis analysis =
      Analyze(Framework2565(), Seed000Assessment(), nullptr, 90, 3);
  std::vector<std::string> codes;
  for (const v1::ItemToImprove& item : analysis.items_to_improve()) {
    codes.push_back(absl::StrCat(item.tool(), ":", item.code()));
  }
  // IIT: i10 78.5, i11 84, i7 86. EIT: e11 80.1, e13 82, e12 84.5. OIT: only
  // o2 and o4 score under 100 (both 0: framework order).
  EXPECT_THAT(codes, ElementsAre("IIT:i10", "IIT:i11", "IIT:i7", "EIT:e11",
                                 "EIT:e13", "EIT:e12", "OIT:o2", "OIT:o4"));
  EXPECT_EQ(analysis.items_to_improve(0).text(), kI10);
  EXPECT_EQ(analysis.items_to_improve(0).indicator(), 4);
  EXPECT_DOUBLE_EQ(analysis.items_to_improve(0).score(), 78.5);
  EXPECT_EQ(analysis.items_to_improve(1).text(), kI11);
  EXPECT_EQ(analysis.items_to_improve(3).text(), kE11);
  EXPECT_EQ(analysis.items_to_improve(4).text(), kE13);
  EXPECT_EQ(analysis.items_to_improve(4).indicator(), 8);
  EXPECT_EQ(analysis.items_to_improve(6).text(), "ข้อมูลผู้บริหาร");

  // One per tool; 0 means the default of 3.
  const v1::AgencyAnalysis one =
      Analyze(Framework2565(), Seed000Assessment(), nullptr, 90, 1);
  codes.clear();
  for (const v1::ItemToImprove& item : one.items_to_improve()) {
    codes.push_back(item.code());
  }
  EXPECT_THAT(codes, ElementsAre("i10", "e11", "o2"));
  EXPECT_EQ(Analyze(Framework2565(), Seed000Assessment(), nullptr, 90, 0)
                .items_to_improve_size(),
            8);
}

TEST(AnalyzeTest, ChangesAgainstThePreviousYear) {
  v1::Assessment previous = NewAssessment(2564);
  previous.mutable_published()->mutable_overall()->set_score(86.10);
  AddScore(previous.mutable_published()->mutable_indicators(), "10", 98.50);
  AddScore(previous.mutable_published()->mutable_indicators(), "1", 95.00);
  AddScore(previous.mutable_published()->mutable_indicators(), "9", 65.00);
  AddScore(previous.mutable_published()->mutable_indicators(), "2", 90.00);
  // Not in this year's framework: ignored.
  AddScore(previous.mutable_published()->mutable_indicators(), "11", 50.00);

  const v1::AgencyAnalysis analysis =
      Analyze(Framework2565(), Seed000Assessment(), &previous, 90, 3);
  EXPECT_EQ(analysis.previous_be_year(), 2564);
  ASSERT_EQ(analysis.changes_size(), 4);
  // By indicator number.
  EXPECT_EQ(analysis.changes(0).indicator(), 1);
  EXPECT_EQ(analysis.changes(0).name(), "การปฏิบัติหน้าที่");
  EXPECT_DOUBLE_EQ(analysis.changes(0).previous(), 95.00);
  EXPECT_DOUBLE_EQ(analysis.changes(0).current(), 99.77);
  EXPECT_NEAR(analysis.changes(0).change(), 4.77, 1e-9);
  EXPECT_EQ(analysis.changes(1).indicator(), 2);
  EXPECT_NEAR(analysis.changes(1).change(), -1.48, 1e-9);
  EXPECT_EQ(analysis.changes(2).indicator(), 9);
  EXPECT_NEAR(analysis.changes(2).change(), 7.50, 1e-9);
  EXPECT_EQ(analysis.changes(3).indicator(), 10);
  EXPECT_NEAR(analysis.changes(3).change(), 1.50, 1e-9);
}

TEST(AnalyzeTest, TiedLowestAreAllWeaknessesAndStrengthIsStrictlyAbove) {
  v1::Assessment assessment = NewAssessment(2566);
  assessment.mutable_published()->mutable_overall()->set_score(91);
  const std::vector<std::pair<int, double>> indicators = {
      {1, 90.00}, {2, 95}, {3, 86},    {4, 97}, {5, 98},
      {6, 99},    {7, 86}, {8, 90.01}, {9, 88}, {10, 93}};
  for (const auto& [number, score] : indicators) {
    AddScore(assessment.mutable_published()->mutable_indicators(),
             absl::StrCat(number), score);
  }
  const v1::AgencyAnalysis analysis =
      Analyze(Framework2566(), assessment, nullptr, 90, 3);
  // 3 and 7 share the lowest (86); nothing is under 85; 9 (88) is neither.
  EXPECT_THAT(Numbers(analysis.weaknesses()), ElementsAre(3, 7));
  // 90.00 is not "more than 90"; 90.01 is.
  EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(6, 5, 4, 2, 10, 8));
  // No label published: the band of 91.
  EXPECT_EQ(analysis.grade(), "ผ่าน");
  EXPECT_TRUE(analysis.passed());
}

TEST(AnalyzeTest, PublishedLabelIsKeptButPassedFollowsTheBands) {
  // Seed 001: 99.78 labelled "ต้องปรับปรุง".
  v1::Assessment assessment = NewAssessment(2567);
  assessment.mutable_published()->mutable_overall()->set_score(99.78);
  assessment.mutable_published()->set_grade("ต้องปรับปรุง");
  const v1::AgencyAnalysis analysis =
      Analyze(Framework2566(), assessment, nullptr, 90, 3);
  EXPECT_EQ(analysis.grade(), "ต้องปรับปรุง");
  EXPECT_TRUE(analysis.passed());
  EXPECT_THAT(analysis.weaknesses(), IsEmpty());
  EXPECT_THAT(analysis.items_to_improve(), IsEmpty());
}

TEST(AnalyzeTest, ComputedFiguresWinAndTheOverallFallsBackToThePublishedOne) {
  v1::Assessment assessment = Seed000Assessment();
  v1::ScoreSet& computed = *assessment.mutable_computed();
  computed.mutable_overall()->set_score(80.00);
  AddScore(computed.mutable_indicators(), "9", 95);
  AddScore(computed.mutable_indicators(), "3", 70);
  v1::AgencyAnalysis analysis =
      Analyze(Framework2565(), assessment, nullptr, 90, 3);
  EXPECT_EQ(analysis.basis(), "computed");
  EXPECT_DOUBLE_EQ(analysis.overall(), 80);
  EXPECT_EQ(analysis.grade(), "B");  // From the bands: no computed label.
  EXPECT_FALSE(analysis.passed());
  EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(9));
  EXPECT_THAT(Numbers(analysis.weaknesses()), ElementsAre(3));

  v1::Assessment bare = NewAssessment(2565);
  bare.set_published_overall_score(96.5);
  analysis = Analyze(Framework2565(), bare, nullptr, 90, 3);
  EXPECT_EQ(analysis.basis(), "published");
  EXPECT_DOUBLE_EQ(analysis.overall(), 96.5);
  EXPECT_EQ(analysis.grade(), "AA");
  EXPECT_TRUE(analysis.passed());
}

// --- The catalogue and Recommend
// ----------------------------------------------

TEST(MeasureCatalogueTest, ParsesAndCoversEveryIndicator) {
  absl::StatusOr<const v1::RecommendMeasuresResponse*> catalogue =
      MeasureCatalogue();
  ASSERT_THAT(catalogue, IsOk());
  std::map<std::string, int> per_key;
  for (const v1::RecommendedMeasure& entry : (*catalogue)->measures()) {
    ++per_key[entry.answers()];
    EXPECT_THAT(entry.measure().title(), Not(IsEmpty()));
    EXPECT_THAT(entry.measure().steps(), Not(IsEmpty()))
        << entry.measure().title();
    EXPECT_THAT(entry.measure().owner(), Not(IsEmpty()))
        << entry.measure().title();
  }
  for (int number = 1; number <= 10; ++number) {
    EXPECT_GE(per_key[absl::StrCat(number)], 1) << "indicator " << number;
  }
}

TEST(MeasureCatalogueTest, BadCataloguesAreRejectedWithWhere) {
  absl::StatusOr<v1::RecommendMeasuresResponse> parsed =
      ParseMeasureCatalogue("measures {\n  answers: \"9\"\n  nonsense: 1\n}\n");
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 3"));

  parsed = ParseMeasureCatalogue(
      "measures { answers: \"9\" measure { title: \"ก\" } }\n"
      "measures { answers: \"9\" measure { title: \"ก\" } }\n");
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(parsed.status().message(), HasSubstr("measures[1]"));

  parsed = ParseMeasureCatalogue(
      "measures { answers: \"ตัวชี้วัด 9\" measure { title: \"ก\" } }");
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInternal));
  parsed = ParseMeasureCatalogue(
      "measures { answers: \"9\" measure { title: \"ก\" "
      "ita_indicators: \"I10\" } }");
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInternal));
  parsed = ParseMeasureCatalogue("measures { answers: \"9\" }");
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInternal));

  parsed = ParseMeasureCatalogue(
      "# a comment\n"
      "measures { answers: \"9\" measure { title: \"ก\" "
      "ita_indicators: [\"o12\", \"o13\"] } }");
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->measures_size(), 1);
}

std::vector<std::string> Titles(
    const std::vector<v1::RecommendedMeasure>& measures) {
  std::vector<std::string> titles;
  titles.reserve(measures.size());
  for (const v1::RecommendedMeasure& measure : measures) {
    titles.push_back(measure.measure().title());
  }
  return titles;
}

TEST(RecommendTest, Seed000WeaknessesGetNextYearsMeasures) {
  const v1::AgencyAnalysis analysis =
      Analyze(Framework2565(), Seed000Assessment(), nullptr, 90, 3);
  absl::StatusOr<std::vector<v1::RecommendedMeasure>> measures =
      Recommend(analysis);
  ASSERT_THAT(measures, IsOk());
  ASSERT_FALSE(measures->empty());

  // Weakness 9 first: seed 000's disclosure measure, for FY2566.
  const v1::RecommendedMeasure& first = measures->front();
  EXPECT_EQ(first.answers(), "9");
  EXPECT_EQ(first.measure().title(), "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ");
  EXPECT_EQ(first.measure().be_year(), 2566);
  EXPECT_THAT(first.measure().ita_indicators(), ElementsAre("9"));
  EXPECT_EQ(first.measure().source(), "organizations/6340101/assessments/2565");
  EXPECT_EQ(first.measure().owner(), "สำนักปลัด");
  EXPECT_THAT(first.measure().quarters(), ElementsAre(2));
  EXPECT_EQ(first.measure().period_text(), "ม.ค.-มี.ค. 2566");
  EXPECT_THAT(first.measure().guideline(), HasSubstr("มาตรา 9"));
  EXPECT_EQ(first.measure().steps_size(), 2);

  // Then 8 (service improvement / e-service) and 4 (state property), every
  // measure once, none left with the placeholder.
  std::vector<std::string> answers;
  bool borrowing = false;
  for (const v1::RecommendedMeasure& measure : *measures) {
    answers.push_back(measure.answers());
    EXPECT_EQ(measure.measure().be_year(), 2566);
    EXPECT_THAT(measure.measure().ita_indicators(),
                ElementsAre(measure.answers()));
    EXPECT_THAT(measure.measure().DebugString(), Not(HasSubstr("{be_year}")));
    if (measure.answers() == "4" &&
        absl::StrContains(measure.measure().title(), "ยืม")) {
      borrowing = true;
    }
  }
  EXPECT_THAT(answers, ElementsAre("9", "8", "8", "4", "4"));
  EXPECT_TRUE(borrowing);
  EXPECT_THAT(Titles(*measures)[1], HasSubstr("E-Service"));
  std::vector<std::string> titles = Titles(*measures);
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(std::unique(titles.begin(), titles.end()), titles.end());
}

v1::AgencyAnalysis WeakIn(const std::vector<int>& numbers, int be_year = 2566) {
  v1::AgencyAnalysis analysis;
  analysis.set_assessment(
      absl::StrCat("organizations/x/assessments/", be_year));
  analysis.set_be_year(be_year);
  for (int number : numbers) {
    analysis.add_weaknesses()->set_number(number);
  }
  return analysis;
}

TEST(RecommendTest, EachIndicatorGetsTheMeasureTheSeedsAdoptedForIt) {
  struct Case {
    int indicator;
    const char* title_part;
  };
  const std::vector<Case> cases = {
      {1, "คู่มือหรือมาตรฐานการปฏิบัติงาน"},
      {2, "การจัดซื้อจัดจ้าง"},
      {3, "มาตรการตรวจสอบการใช้ดุลพินิจ"},
      {4, "ทรัพย์สินของราชการ"},
      {5, "เรื่องร้องเรียนการทุจริต"},
      {6, "คุณภาพการดำเนินงาน"},
      {7, "การสื่อสาร"},
      {8, "E-Service"},
      {9, "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ"},
      {10, "ประกาศเจตจำนง"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::vector<v1::RecommendedMeasure>> measures =
        Recommend(WeakIn({c.indicator}));
    ASSERT_THAT(measures, IsOk());
    ASSERT_FALSE(measures->empty()) << c.indicator;
    EXPECT_THAT(measures->front().measure().title(), HasSubstr(c.title_part))
        << c.indicator;
    for (const v1::RecommendedMeasure& measure : *measures) {
      EXPECT_EQ(measure.answers(), absl::StrCat(c.indicator));
      EXPECT_EQ(measure.measure().be_year(), 2567);
    }
  }
  // Seed 000's declaration of intent, for the year recommended.
  absl::StatusOr<std::vector<v1::RecommendedMeasure>> measures =
      Recommend(WeakIn({10}));
  ASSERT_THAT(measures, IsOk());
  EXPECT_THAT(measures->front().measure().steps(0), HasSubstr("ประจำปี 2567"));
}

TEST(RecommendTest, ItemsFallBackToTheirCodeAndMeasuresAreNotRepeated) {
  v1::AgencyAnalysis analysis = WeakIn({});
  // An indicator the catalogue does not know (a renumbered framework) and
  // two items seed 001 cites for state property.
  for (const char* code : {"i10", "i11", "o99"}) {
    v1::ItemToImprove* item = analysis.add_items_to_improve();
    item->set_tool("IIT");
    item->set_code(code);
    item->set_indicator(42);
  }
  // Indicator 9 is in the catalogue: its item does not add anything.
  v1::ItemToImprove* known = analysis.add_items_to_improve();
  known->set_tool("OIT");
  known->set_code("i12");
  known->set_indicator(9);

  absl::StatusOr<std::vector<v1::RecommendedMeasure>> measures =
      Recommend(analysis);
  ASSERT_THAT(measures, IsOk());
  ASSERT_EQ(measures->size(), 1u);
  EXPECT_EQ(measures->front().answers(), "i10");
  EXPECT_THAT(measures->front().measure().title(), HasSubstr("ยืม"));
  EXPECT_THAT(measures->front().measure().ita_indicators(),
              ElementsAre("i10", "i11"));

  // The same indicator twice gives its measures once.
  measures = Recommend(WeakIn({3, 3}));
  ASSERT_THAT(measures, IsOk());
  std::vector<std::string> titles = Titles(*measures);
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(std::unique(titles.begin(), titles.end()), titles.end());

  measures = Recommend(WeakIn({}));
  ASSERT_THAT(measures, IsOk());
  EXPECT_THAT(*measures, IsEmpty());
}

// --- Peer analytics
// -------------------------------------------------------------

// A deterministic generator (64-bit LCG, Knuth's constants): the same data
// on every platform, unlike std:: distributions.
class Generator {
 public:
  explicit Generator(uint64_t seed) : state_(seed) {}
  uint32_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state_ >> 33);
  }
  uint32_t Below(uint32_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

const common::v1::OrganizationKind kKinds[] = {
    common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION,
    common::v1::MUNICIPALITY,
    common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION};

// 8,300 agencies in 77 provinces and 3 kinds. Overall scores have one
// decimal between 60 and 100 so that many tie; a few sit on edges (0, 100,
// 85, 90). Every 10th has no grade label (the band counts); every 5th lacks
// indicator 7.
std::vector<PeerRow> NationalDataSet() {
  Generator generator(20240577);
  std::vector<PeerRow> rows;
  rows.reserve(8300);
  for (int i = 0; i < 8300; ++i) {
    PeerRow row;
    row.organization = absl::StrFormat("org%05d", i);
    row.province = absl::StrCat("จังหวัด", generator.Below(77) + 1);
    row.kind = kKinds[generator.Below(3)];
    row.overall = 60 + generator.Below(401) / 10.0;
    if (i == 0) row.overall = 100;
    if (i == 1) row.overall = 0;
    if (i == 2) row.overall = 85;
    if (i == 3) row.overall = 90;
    row.passed = row.overall >= 85;
    if (i % 10 != 0) {
      row.grade = row.overall >= 95   ? "ผ่านดีเยี่ยม"
                  : row.overall >= 85 ? "ผ่าน"
                                      : "ต้องปรับปรุง";
    }
    for (int number = 1; number <= 10; ++number) {
      if (number == 7 && i % 5 == 0) continue;
      row.indicators[number] = 50 + generator.Below(501) / 10.0;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

double BruteMedian(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

bool InGroup(const PeerRow& row, const PeerRow& own, v1::PeerGroup group) {
  if (group == v1::SAME_PROVINCE) return row.province == own.province;
  if (group == v1::SAME_KIND) return row.kind == own.kind;
  return true;
}

// The same figures by another route: sort and search instead of counting.
void ExpectMatchesBruteForce(const std::vector<PeerRow>& rows, int own_index,
                             v1::PeerGroup group, double what_if) {
  const PeerRow& own = rows[own_index];
  SCOPED_TRACE(absl::StrCat(own.organization, " group ", group));
  std::vector<const PeerRow*> peers;
  for (const PeerRow& row : rows) {
    if (InGroup(row, own, group)) peers.push_back(&row);
  }
  std::vector<double> overall;
  double sum = 0;
  int passed = 0;
  int what_if_passed = 0;
  std::map<std::string, int> grades;
  for (const PeerRow* peer : peers) {
    overall.push_back(peer->overall);
    sum += peer->overall;
    passed += peer->passed ? 1 : 0;
    what_if_passed += peer->overall >= what_if ? 1 : 0;
    grades[peer->grade.empty() ? (peer->overall >= 95 ? "ผ่านดีเยี่ยม"
                                  : peer->overall >= 85 ? "ผ่าน"
                                                        : "ต้องปรับปรุง")
                               : peer->grade]++;
  }
  std::vector<double> descending = overall;
  std::sort(descending.begin(), descending.end(), std::greater<double>());
  const int rank = static_cast<int>(
      std::find(descending.begin(), descending.end(), own.overall) -
      descending.begin() + 1);
  // Position after the last score <= own in ascending order.
  std::vector<double> ascending = overall;
  std::sort(ascending.begin(), ascending.end());
  const double at_or_below = static_cast<double>(
      std::upper_bound(ascending.begin(), ascending.end(), own.overall) -
      ascending.begin());
  const double n = static_cast<double>(peers.size());

  absl::StatusOr<v1::PeerAnalytics> result = ComputePeerAnalytics(
      rows, own.organization, group, Framework2566(), what_if);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(
      result->assessment(),
      absl::StrCat("organizations/", own.organization, "/assessments/2566"));
  EXPECT_EQ(result->group(), group);
  EXPECT_EQ(result->peers(), static_cast<int>(peers.size()));
  EXPECT_EQ(result->rank(), rank);
  EXPECT_NEAR(result->percentile(), 100 * at_or_below / n, 1e-9);
  EXPECT_DOUBLE_EQ(result->overall(), own.overall);
  EXPECT_NEAR(result->mean(), sum / n, 1e-9);
  EXPECT_NEAR(result->median(), BruteMedian(overall), 1e-9);
  EXPECT_NEAR(result->pass_rate(), 100.0 * passed / n, 1e-9);
  EXPECT_DOUBLE_EQ(result->what_if_threshold(), what_if);
  EXPECT_NEAR(result->what_if_pass_rate(), 100.0 * what_if_passed / n, 1e-9);

  ASSERT_EQ(result->histogram_size(), 10);
  int total = 0;
  for (int bin = 0; bin < 10; ++bin) {
    const double low = 10.0 * bin;
    const double high = 10.0 * (bin + 1);
    int expected = 0;
    for (double score : overall) {
      if (score >= low && (score < high || (bin == 9 && score <= 100))) {
        ++expected;
      }
    }
    EXPECT_DOUBLE_EQ(result->histogram(bin).low(), low);
    EXPECT_DOUBLE_EQ(result->histogram(bin).high(), high);
    EXPECT_EQ(result->histogram(bin).count(), expected) << "bin " << bin;
    total += result->histogram(bin).count();
  }
  EXPECT_EQ(total, static_cast<int>(peers.size()));

  std::map<std::string, int> counted(result->grade_counts().begin(),
                                     result->grade_counts().end());
  EXPECT_EQ(counted, grades);

  ASSERT_EQ(result->indicators_size(), 10);
  for (const v1::PeerIndicator& indicator : result->indicators()) {
    std::vector<double> values;
    double indicator_sum = 0;
    for (const PeerRow* peer : peers) {
      auto it = peer->indicators.find(indicator.number());
      if (it == peer->indicators.end()) continue;
      values.push_back(it->second);
      indicator_sum += it->second;
    }
    auto own_it = own.indicators.find(indicator.number());
    EXPECT_DOUBLE_EQ(indicator.own(),
                     own_it == own.indicators.end() ? 0 : own_it->second);
    EXPECT_NEAR(indicator.mean(), indicator_sum / values.size(), 1e-9)
        << "indicator " << indicator.number();
    EXPECT_NEAR(indicator.median(), BruteMedian(values), 1e-9)
        << "indicator " << indicator.number();
  }
}

TEST(PeerAnalyticsTest, NationalProvinceAndKindMatchBruteForce) {
  const std::vector<PeerRow> rows = NationalDataSet();
  // The edges (100, 0, 85, 90), indicator 7 missing (0, 5, 1235), and
  // ordinary agencies.
  for (int own : {0, 1, 2, 3, 5, 1234, 1235, 4242, 8299}) {
    for (v1::PeerGroup group :
         {v1::NATIONAL, v1::SAME_PROVINCE, v1::SAME_KIND}) {
      ExpectMatchesBruteForce(rows, own, group, 80);
    }
  }
  ExpectMatchesBruteForce(rows, 4242, v1::NATIONAL, 90);
}

TEST(PeerAnalyticsTest, EdgesAndGroupSizes) {
  const std::vector<PeerRow> rows = NationalDataSet();
  absl::StatusOr<v1::PeerAnalytics> best = ComputePeerAnalytics(
      rows, "org00000", v1::PEER_GROUP_UNSPECIFIED, Framework2566(), 85);
  ASSERT_THAT(best, IsOk());
  EXPECT_EQ(best->group(), v1::NATIONAL);  // Unspecified is national.
  EXPECT_EQ(best->peers(), 8300);
  EXPECT_EQ(best->rank(), 1);
  EXPECT_DOUBLE_EQ(best->percentile(), 100);
  // 85 is the pass mark: the what-if at 85 equals the pass rate.
  EXPECT_DOUBLE_EQ(best->what_if_pass_rate(), best->pass_rate());

  absl::StatusOr<v1::PeerAnalytics> worst =
      ComputePeerAnalytics(rows, "org00001", v1::NATIONAL, Framework2566(), 85);
  ASSERT_THAT(worst, IsOk());
  EXPECT_EQ(worst->rank(), 8300);
  EXPECT_DOUBLE_EQ(worst->percentile(), 100.0 / 8300);
  EXPECT_EQ(worst->histogram(0).count(), 1);

  // Every province's and kind's groups partition the nation.
  std::map<std::string, int> provinces;
  std::map<int, int> kinds;
  for (const PeerRow& row : rows) {
    ++provinces[row.province];
    ++kinds[row.kind];
  }
  EXPECT_EQ(provinces.size(), 77u);
  EXPECT_EQ(kinds.size(), 3u);
  absl::StatusOr<v1::PeerAnalytics> province = ComputePeerAnalytics(
      rows, "org01234", v1::SAME_PROVINCE, Framework2566(), 85);
  ASSERT_THAT(province, IsOk());
  EXPECT_EQ(province->peers(), provinces[rows[1234].province]);
  absl::StatusOr<v1::PeerAnalytics> kind = ComputePeerAnalytics(
      rows, "org01234", v1::SAME_KIND, Framework2566(), 85);
  ASSERT_THAT(kind, IsOk());
  EXPECT_EQ(kind->peers(), kinds[rows[1234].kind]);
}

TEST(PeerAnalyticsTest, TiesShareTheBetterRank) {
  std::vector<PeerRow> rows(5);
  const double scores[] = {90, 95, 95, 80, 95};
  for (int i = 0; i < 5; ++i) {
    rows[i].organization = absl::StrCat("o", i);
    rows[i].overall = scores[i];
  }
  auto rank_of = [&](const char* own) {
    return ComputePeerAnalytics(rows, own, v1::NATIONAL, Framework2566(), 85)
        ->rank();
  };
  EXPECT_EQ(rank_of("o1"), 1);
  EXPECT_EQ(rank_of("o2"), 1);
  EXPECT_EQ(rank_of("o4"), 1);
  EXPECT_EQ(rank_of("o0"), 4);
  EXPECT_EQ(rank_of("o3"), 5);
  absl::StatusOr<v1::PeerAnalytics> tied =
      ComputePeerAnalytics(rows, "o2", v1::NATIONAL, Framework2566(), 85);
  ASSERT_THAT(tied, IsOk());
  EXPECT_DOUBLE_EQ(tied->percentile(), 100);
  EXPECT_DOUBLE_EQ(tied->median(), 95);
  EXPECT_DOUBLE_EQ(tied->mean(), 91);
  // Labels left empty: counted by the framework's bands.
  EXPECT_EQ(tied->grade_counts().at("ผ่านดีเยี่ยม"), 3);
  EXPECT_EQ(tied->grade_counts().at("ผ่าน"), 1);
  EXPECT_EQ(tied->grade_counts().at("ต้องปรับปรุง"), 1);
  absl::StatusOr<v1::PeerAnalytics> middle =
      ComputePeerAnalytics(rows, "o0", v1::NATIONAL, Framework2566(), 85);
  ASSERT_THAT(middle, IsOk());
  EXPECT_DOUBLE_EQ(middle->percentile(), 40);
}

TEST(PeerAnalyticsTest, UnknownOwnAndMissingGroupKey) {
  const std::vector<PeerRow> rows = NationalDataSet();
  EXPECT_THAT(
      ComputePeerAnalytics(rows, "nobody", v1::NATIONAL, Framework2566(), 85),
      StatusIs(absl::StatusCode::kNotFound));
  std::vector<PeerRow> bare(1);
  bare[0].organization = "lonely";
  EXPECT_THAT(ComputePeerAnalytics(bare, "lonely", v1::SAME_PROVINCE,
                                   Framework2566(), 85),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      ComputePeerAnalytics(bare, "lonely", v1::SAME_KIND, Framework2566(), 85),
      StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      ComputePeerAnalytics(bare, "lonely", v1::NATIONAL, Framework2566(), 85),
      IsOk());
}

// --- Trends
// -----------------------------------------------------------------------

PeerRow Row(double overall, bool passed,
            const std::vector<std::pair<int, double>>& indicators) {
  PeerRow row;
  row.organization = "x";
  row.overall = overall;
  row.passed = passed;
  for (const auto& [number, score] : indicators) {
    row.indicators[number] = score;
  }
  return row;
}

TEST(TrendTest, GroupMeansAndTheMethodBreakOf2566) {
  std::vector<TrendYear> years(3);
  years[0].be_year = 2564;
  years[0].rows = {Row(80, false, {{1, 80}, {9, 70}}),
                   Row(90, true, {{1, 90}})};
  // A difference on the first year has nothing shown to compare with.
  years[0].method_difference = "ไม่ทราบ";
  years[1].be_year = 2565;
  years[1].rows = {Row(85, true, {{1, 85}}), Row(95, true, {{1, 95}})};
  years[2].be_year = 2566;
  years[2].rows = {Row(88, true, {{1, 88}})};
  years[2].method_difference = "เกณฑ์ใหม่: ผ่าน 85 คะแนนขึ้นไป แทนระดับ AA-F";

  // The arithmetic, without a minimum group size (1).
  const v1::Trend trend = ComputeTrend(years, 1);
  ASSERT_EQ(trend.points_size(), 3);
  const v1::TrendPoint& p2564 = trend.points(0);
  EXPECT_EQ(p2564.be_year(), 2564);
  EXPECT_DOUBLE_EQ(p2564.overall(), 85);
  EXPECT_EQ(p2564.count(), 2);
  EXPECT_DOUBLE_EQ(p2564.pass_rate(), 50);
  EXPECT_DOUBLE_EQ(p2564.indicators().at(1), 85);
  EXPECT_DOUBLE_EQ(p2564.indicators().at(9), 70);  // Over the one that has it.
  EXPECT_FALSE(p2564.method_break());

  const v1::TrendPoint& p2565 = trend.points(1);
  EXPECT_DOUBLE_EQ(p2565.overall(), 90);
  EXPECT_DOUBLE_EQ(p2565.pass_rate(), 100);
  EXPECT_FALSE(p2565.method_break());
  EXPECT_EQ(p2565.method_note(), "");

  const v1::TrendPoint& p2566 = trend.points(2);
  EXPECT_EQ(p2566.be_year(), 2566);
  EXPECT_DOUBLE_EQ(p2566.overall(), 88);
  EXPECT_EQ(p2566.count(), 1);
  EXPECT_TRUE(p2566.method_break());
  EXPECT_EQ(p2566.method_note(), "เกณฑ์ใหม่: ผ่าน 85 คะแนนขึ้นไป แทนระดับ AA-F");

  // With a minimum of 2: 2566's one row shows only its count, and 2564's
  // indicator 9, which one row has, is left out.
  const v1::Trend hidden = ComputeTrend(years, 2);
  ASSERT_EQ(hidden.points_size(), 3);
  EXPECT_EQ(hidden.minimum_group_size(), 2);
  EXPECT_FALSE(hidden.points(0).suppressed());
  EXPECT_DOUBLE_EQ(hidden.points(0).indicators().at(1), 85);
  EXPECT_FALSE(hidden.points(0).indicators().contains(9));
  EXPECT_TRUE(hidden.points(2).suppressed());
  EXPECT_EQ(hidden.points(2).count(), 1);
  EXPECT_FALSE(hidden.points(2).has_overall());
  EXPECT_FALSE(hidden.points(2).has_pass_rate());
  EXPECT_TRUE(hidden.points(2).method_break());
}

TEST(TrendTest, ABreakInAYearWithoutDataCarriesToTheNextPoint) {
  std::vector<TrendYear> years(3);
  years[0].be_year = 2566;
  years[0].rows = {Row(90, true, {})};
  years[1].be_year = 2567;  // No assessment that year.
  years[1].method_difference = "ข้อคำถามใหม่";
  years[2].be_year = 2568;
  years[2].rows = {Row(92, true, {})};
  const v1::Trend trend = ComputeTrend(years);
  ASSERT_EQ(trend.points_size(), 2);
  EXPECT_EQ(trend.points(1).be_year(), 2568);
  EXPECT_TRUE(trend.points(1).method_break());
  EXPECT_EQ(trend.points(1).method_note(), "พ.ศ. 2567: ข้อคำถามใหม่");

  EXPECT_EQ(ComputeTrend({}).points_size(), 0);
}

// --- RenderReport
// -------------------------------------------------------------------

struct Seed000Report {
  v1::Assessment assessment;
  v1::AgencyAnalysis analysis;
  std::vector<v1::RecommendedMeasure> measures;
};

Seed000Report MakeSeed000Report() {
  Seed000Report report;
  report.assessment = Seed000Assessment();
  v1::Assessment previous = NewAssessment(2564);
  AddScore(previous.mutable_published()->mutable_indicators(), "9", 65);
  report.analysis =
      Analyze(Framework2565(), report.assessment, &previous, 90, 3);
  report.analysis.set_plan_target(87);
  report.analysis.add_missing("plan service unreachable: no peer ranking");
  absl::StatusOr<std::vector<v1::RecommendedMeasure>> measures =
      Recommend(report.analysis);
  EXPECT_THAT(measures, IsOk());
  if (measures.ok()) report.measures = *measures;
  return report;
}

TEST(RenderReportTest, MarkdownHasTheSectionsAndFiguresOfSeed000) {
  const Seed000Report input = MakeSeed000Report();
  const v1::RenderedReport report = RenderReport(
      input.assessment, input.analysis, input.measures, v1::MARKDOWN);
  EXPECT_EQ(report.content_type(), "text/markdown; charset=utf-8");
  const std::string& md = report.content();
  EXPECT_TRUE(
      absl::StartsWith(md, "# รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส"))
      << md;
  EXPECT_THAT(md, HasSubstr("ขององค์การบริหารส่วนตำบลโพนสูง อำเภอสว่างแดนดิน "
                            "จังหวัดสกลนคร ประจำปี พ.ศ. 2565\n"));
  EXPECT_THAT(md, HasSubstr("ระบบ ITAS"));
  EXPECT_THAT(md, HasSubstr("## 2. ผลการประเมินคุณธรรมและความโปร่งใส"));
  EXPECT_THAT(md, HasSubstr("มีค่าคะแนนเท่ากับ 89.20 คะแนน อยู่ในระดับ A"));
  EXPECT_THAT(md, HasSubstr("| แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน "
                            "(Internal Integrity and Transparency Assessment: "
                            "IIT) | 92.80 |"));
  EXPECT_THAT(md, HasSubstr("| ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล | 72.50 |"));
  // Neither a strength nor a weakness, still named from the framework.
  EXPECT_THAT(md, HasSubstr("| ตัวชี้วัดที่ 2 การใช้งบประมาณ |"));
  EXPECT_THAT(md, HasSubstr("ตัวชี้วัดที่ 10 การป้องกันการทุจริต ได้คะแนนเท่ากับ "
                            "100.00 คะแนน ซึ่งเป็นคะแนนที่สูงที่สุด"));
  EXPECT_THAT(md, HasSubstr("ค่าเป้าหมาย 2.20 คะแนน"));
  EXPECT_THAT(md, HasSubstr("### เปรียบเทียบกับปี พ.ศ. 2564"));
  EXPECT_THAT(md, HasSubstr("| ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล | 65.00 | 72.50 "
                            "| +7.50 |"));
  EXPECT_THAT(md, HasSubstr("## 3. การวิเคราะห์ข้อมูล"));
  EXPECT_THAT(md, HasSubstr("### 3.1 ประเด็นจุดแข็ง (ตัวชี้วัดที่ได้คะแนนมากกว่า 90)\n"
                            "\n"
                            "- ตัวชี้วัดที่ 10 การป้องกันการทุจริต (100.00 คะแนน)\n"
                            "- ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (99.77 คะแนน)\n"
                            "- ตัวชี้วัดที่ 5 การแก้ไขปัญหาการทุจริต (95.10 คะแนน)\n"
                            "- ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน (92.30 คะแนน)\n"));
  EXPECT_THAT(md, HasSubstr("### 3.2 ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไข"
                            "โดยเร่งด่วน"));
  EXPECT_THAT(md, HasSubstr("- ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (72.50 คะแนน)\n"
                            "- ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน (83.95 "
                            "คะแนน)\n"));
  EXPECT_THAT(md, HasSubstr("## 4. ประเด็นที่ต้องพัฒนาให้ดีขึ้น"));
  EXPECT_THAT(md, HasSubstr("### 4.1 การประเมินตามแบบวัดการรับรู้ของผู้มีส่วนได้"
                            "ส่วนเสียภายใน"));
  EXPECT_THAT(md, HasSubstr("### 4.3 การประเมินตามแบบตรวจการเปิดเผยข้อมูล"
                            "สาธารณะ"));
  EXPECT_THAT(md, HasSubstr("| ตัวชี้วัด | ข้อ | ประเด็นการประเมิน | คะแนน |"));
  EXPECT_THAT(md,
              HasSubstr(absl::StrCat("| ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ | i11 | ",
                                     kI11, " | 84.00 |")));
  EXPECT_THAT(md, HasSubstr("## 5. ข้อเสนอแนะในการจัดทำมาตรการ"));
  EXPECT_THAT(md, HasSubstr("| มาตรการ | แนวทางการปฏิบัติ | ขั้นตอน/วิธีการปฏิบัติ "
                            "| ผู้รับผิดชอบ | ระยะเวลาดำเนินการ | การติดตามผล |"));
  EXPECT_THAT(md, HasSubstr("| มาตรการเผยแพร่ข้อมูลต่อสาธารณะ | "));
  EXPECT_THAT(md, HasSubstr("<br>2. ติดตามและตรวจสอบสถานะของข้อมูลข่าวสาร"
                            "ให้เป็นปัจจุบัน | สำนักปลัด | ม.ค.-มี.ค. 2566 |"));
  EXPECT_THAT(md, HasSubstr("- plan service unreachable: no peer ranking\n"));
  // Sections in the document's order.
  EXPECT_LT(md.find("## 2."), md.find("## 3."));
  EXPECT_LT(md.find("## 3."), md.find("## 4."));
  EXPECT_LT(md.find("## 4."), md.find("## 5."));

  // Unspecified is Markdown.
  EXPECT_EQ(RenderReport(input.assessment, input.analysis, input.measures,
                         v1::REPORT_FORMAT_UNSPECIFIED)
                .content(),
            md);
}

TEST(RenderReportTest, MarkdownEscapesDataInCells) {
  Seed000Report input = MakeSeed000Report();
  v1::ItemToImprove* item = input.analysis.mutable_items_to_improve(0);
  item->set_text("ดี|ไม่ดี\nบรรทัดใหม่ [ลิงก์](x) <b>");
  input.assessment.mutable_organization()->set_name("อบต.|ทดสอบ");
  const std::string md = RenderReport(input.assessment, input.analysis,
                                      input.measures, v1::MARKDOWN)
                             .content();
  EXPECT_THAT(md, HasSubstr("| ดี\\|ไม่ดี<br>บรรทัดใหม่ \\[ลิงก์\\](x) \\<b> |"));
  EXPECT_THAT(md, HasSubstr("ของอบต.\\|ทดสอบ"));
  EXPECT_THAT(md, Not(HasSubstr(" <b>")));
}

TEST(RenderReportTest, HtmlIsACompleteDocumentWithEveryTextEscaped) {
  Seed000Report input = MakeSeed000Report();
  input.assessment.mutable_organization()->set_name(
      "อบต.<script>alert('x')</script> & \"เพื่อน\"");
  input.analysis.mutable_items_to_improve(0)->set_text("ข้อ <b>หนึ่ง</b>\nสอง");
  input.analysis.add_missing("<img src=x onerror=alert(1)>");
  const v1::RenderedReport report =
      RenderReport(input.assessment, input.analysis, input.measures, v1::HTML);
  EXPECT_EQ(report.content_type(), "text/html; charset=utf-8");
  const std::string& html = report.content();
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>")) << html;
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html,
              HasSubstr("อบต.&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
                        " &amp; &quot;เพื่อน&quot;"));
  EXPECT_THAT(html, HasSubstr("<td>ข้อ &lt;b&gt;หนึ่ง&lt;/b&gt;<br>สอง</td>"));
  EXPECT_THAT(html, HasSubstr("<li>&lt;img src=x onerror=alert(1)&gt;</li>"));
  EXPECT_THAT(html, HasSubstr("89.20"));
  EXPECT_THAT(html, HasSubstr("<th>ขั้นตอน/วิธีการปฏิบัติ</th>"));
  EXPECT_THAT(html, HasSubstr("<td>มาตรการเผยแพร่ข้อมูลต่อสาธารณะ</td>"));
  // The title in <title> and <h1>, escaped in both.
  EXPECT_THAT(html, HasSubstr("<title>รายงานการวิเคราะห์"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(RenderReportTest, EmptyAnalysisStillRendersEverySection) {
  v1::Assessment assessment = NewAssessment(2566);
  assessment.mutable_organization()->clear_name();
  v1::AgencyAnalysis analysis;
  analysis.set_be_year(2566);
  analysis.set_strength_threshold(90);
  const std::string md =
      RenderReport(assessment, analysis, {}, v1::MARKDOWN).content();
  EXPECT_THAT(md, HasSubstr("ของหน่วยงานรหัส 6340101"));
  // Nothing was loaded: absent, not "none above 90" or "none below 100"
  // (Issue 17 item 18).
  EXPECT_THAT(md, HasSubstr("ไม่มีข้อมูลคะแนนรายตัวชี้วัด"));
  EXPECT_THAT(md, HasSubstr("ไม่มีข้อมูลคะแนนรายข้อคำถาม"));
  EXPECT_THAT(md, Not(HasSubstr("ไม่มีตัวชี้วัดที่ได้คะแนนมากกว่า 90 คะแนน")));
  EXPECT_THAT(md, Not(HasSubstr("ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า 100 คะแนน")));
  EXPECT_THAT(md, HasSubstr("ไม่มีมาตรการที่เสนอ"));
  EXPECT_THAT(md, HasSubstr("(ไม่ผ่านเกณฑ์การประเมิน)"));
}

}  // namespace
}  // namespace prongsai::ita
