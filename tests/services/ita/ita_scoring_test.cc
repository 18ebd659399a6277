// ITA scoring: scores from raw answers against hand-computed figures,
// validation of raw answers and of published summaries, and the consistency
// findings on the seeds' published results.
#include "services/ita/ita_scoring.h"

#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ita/ita_framework.h"

namespace prongsai::ita {
namespace {

using ::testing::HasSubstr;

constexpr double kTolerance = 1e-3;

// Small enough to compute by hand: indicator 1 has i1, i2; indicator 2 has
// i3; EIT has e1 (4 levels) and e2 (yes/no); OIT has o1-o3 (indicator 9)
// and o4 (indicator 10). Indicators are listed out of order on purpose.
constexpr char kFramework[] = R"pb(
  be_year: 2566
  min_respondents: 3
  tools { code: "IIT" kind: SURVEY weight: 30 }
  tools { code: "EIT" kind: SURVEY weight: 30 }
  tools { code: "OIT" kind: CHECKLIST weight: 40 }
  indicators { number: 10 tool: "OIT" }
  indicators { number: 2 tool: "IIT" }
  indicators { number: 1 tool: "IIT" }
  indicators { number: 6 tool: "EIT" }
  indicators { number: 9 tool: "OIT" }
  items { code: "i1" indicator: 1 scale: FOUR_LEVEL }
  items { code: "i2" indicator: 1 scale: FOUR_LEVEL }
  items { code: "i3" indicator: 2 scale: FOUR_LEVEL }
  items { code: "e1" indicator: 6 scale: FOUR_LEVEL }
  items { code: "e2" indicator: 6 scale: YES_NO }
  items { code: "o1" indicator: 9 scale: YES_NO }
  items { code: "o2" indicator: 9 scale: YES_NO }
  items { code: "o3" indicator: 9 scale: YES_NO }
  items { code: "o4" indicator: 10 scale: YES_NO }
  grade_bands { label: "ผ่านดีเยี่ยม" min_score: 95 passed: true }
  grade_bands { label: "ผ่าน" min_score: 85 passed: true }
  grade_bands { label: "ต้องปรับปรุง" min_score: 0 }
)pb";

v1::Framework Small() {
  absl::StatusOr<v1::Framework> framework = ParseFrameworkText(kFramework);
  EXPECT_TRUE(framework.ok()) << framework.status();
  EXPECT_TRUE(ValidateFramework("framework", *framework).ok());
  return framework.value_or(v1::Framework());
}

v1::Framework Default(int be_year) {
  absl::StatusOr<std::vector<v1::Framework>> frameworks = DefaultFrameworks();
  EXPECT_TRUE(frameworks.ok()) << frameworks.status();
  for (const v1::Framework& framework :
       frameworks.value_or(std::vector<v1::Framework>())) {
    if (framework.be_year() == be_year) return framework;
  }
  ADD_FAILURE() << "no framework for " << be_year;
  return v1::Framework();
}

v1::Respondent Respondent(
    absl::string_view tool,
    std::initializer_list<std::pair<const char*, int>> answers) {
  v1::Respondent respondent;
  respondent.set_tool(std::string(tool));
  for (const auto& [code, answer] : answers) {
    (*respondent.mutable_answers())[code] = answer;
  }
  return respondent;
}

const v1::Score* Find(
    const google::protobuf::RepeatedPtrField<v1::Score>& scores,
    absl::string_view code) {
  for (const v1::Score& score : scores) {
    if (score.code() == code) return &score;
  }
  return nullptr;
}

std::vector<std::string> Codes(
    const google::protobuf::RepeatedPtrField<v1::Score>& scores) {
  std::vector<std::string> codes;
  for (const v1::Score& score : scores) codes.push_back(score.code());
  return codes;
}

// Three IIT respondents, two EIT respondents, four OIT checks.
RawAnswers Sample() {
  RawAnswers answers;
  answers.respondents = {
      Respondent("IIT", {{"i1", 3}, {"i2", 3}, {"i3", 2}}),
      Respondent("IIT", {{"i1", 2}, {"i2", 1}, {"i3", 3}}),
      Respondent("IIT", {{"i1", 1}, {"i3", 0}}),  // skipped i2
      Respondent("EIT", {{"e1", 3}}),
      Respondent("EIT", {{"e1", 2}}),
  };
  answers.oit_checks = {
      {"o1", true}, {"o2", true}, {"o3", false}, {"o4", true}};
  return answers;
}

TEST(ItaScoringTest, ItemsFromRawAnswers) {
  const v1::ScoreSet scores = ComputeScores(Small(), Sample());
  // i1: answers 3, 2, 1 -> 100, 67, 33. Mean 200/3 = 66.667.
  // Deviations 33.333, 0.333, -33.667; squares sum 2244.667; / (n-1) = 2
  // -> variance 1122.333, sd 33.501; SE = 33.501 / sqrt(3) = 19.342.
  // 95 % CI = 66.667 -/+ 1.96 * 19.342 = 28.756 .. 104.577 -> clipped 100.
  const v1::Score* i1 = Find(scores.items(), "i1");
  ASSERT_NE(i1, nullptr);
  EXPECT_NEAR(i1->score(), 66.667, kTolerance);
  EXPECT_EQ(i1->respondents(), 3);
  EXPECT_NEAR(i1->standard_error(), 19.342, kTolerance);
  EXPECT_NEAR(i1->ci_low(), 28.756, kTolerance);
  EXPECT_EQ(i1->ci_high(), 100);
  EXPECT_FALSE(i1->low_confidence());  // 3 >= min_respondents 3
  // i2: 100, 33 (one respondent skipped it) -> 66.5; sd = 47.376,
  // SE = 47.376 / sqrt(2) = 33.5; only 2 respondents: low confidence.
  const v1::Score* i2 = Find(scores.items(), "i2");
  ASSERT_NE(i2, nullptr);
  EXPECT_NEAR(i2->score(), 66.5, kTolerance);
  EXPECT_EQ(i2->respondents(), 2);
  EXPECT_NEAR(i2->standard_error(), 33.5, kTolerance);
  EXPECT_TRUE(i2->low_confidence());
  // i3: 67, 100, 0 -> 55.667.
  EXPECT_NEAR(Find(scores.items(), "i3")->score(), 55.667, kTolerance);
  // e1: 100, 67 -> 83.5, SE = sd 23.335 / sqrt(2) = 16.5.
  EXPECT_NEAR(Find(scores.items(), "e1")->score(), 83.5, kTolerance);
  EXPECT_NEAR(Find(scores.items(), "e1")->standard_error(), 16.5, kTolerance);
  // Nobody answered e2: no figure.
  EXPECT_EQ(Find(scores.items(), "e2"), nullptr);
  // OIT items: 100 / 0, one check each, no SE.
  const v1::Score* o3 = Find(scores.items(), "o3");
  ASSERT_NE(o3, nullptr);
  EXPECT_EQ(o3->score(), 0);
  EXPECT_EQ(o3->respondents(), 1);
  EXPECT_FALSE(o3->has_standard_error());
  EXPECT_EQ(Find(scores.items(), "o1")->score(), 100);
  // Items in framework order.
  EXPECT_EQ(Codes(scores.items()),
            (std::vector<std::string>{"i1", "i2", "i3", "e1", "o1", "o2", "o3",
                                      "o4"}));
}

TEST(ItaScoringTest, IndicatorsToolsAndOverall) {
  const v1::ScoreSet scores = ComputeScores(Small(), Sample());
  // Indicator 1 = mean of i1, i2 = (66.667 + 66.5) / 2 = 66.583. Its SE is
  // over the respondents' own indicator means 100, 50, 33: sd 34.828,
  // SE 20.108.
  const v1::Score* indicator1 = Find(scores.indicators(), "1");
  ASSERT_NE(indicator1, nullptr);
  EXPECT_NEAR(indicator1->score(), 66.583, kTolerance);
  EXPECT_EQ(indicator1->respondents(), 3);
  EXPECT_NEAR(indicator1->standard_error(), 20.108, kTolerance);
  EXPECT_NEAR(Find(scores.indicators(), "2")->score(), 55.667, kTolerance);
  // Indicator 9 = o1, o2, o3 = 100, 100, 0 -> 66.667 over 3 checks.
  const v1::Score* indicator9 = Find(scores.indicators(), "9");
  EXPECT_NEAR(indicator9->score(), 66.667, kTolerance);
  EXPECT_EQ(indicator9->respondents(), 3);
  EXPECT_EQ(Find(scores.indicators(), "10")->score(), 100);
  // Indicators by number although the framework lists them out of order.
  EXPECT_EQ(Codes(scores.indicators()),
            (std::vector<std::string>{"1", "2", "6", "9", "10"}));

  // IIT: indicator weights 0 = their item counts (2 and 1):
  // (2 * 66.583 + 1 * 55.667) / 3 = 62.944. Per respondent (same weights):
  // (2*100 + 67)/3 = 89, (2*50 + 100)/3 = 66.667, (2*33 + 0)/3 = 22 ->
  // sd 34.115, SE 19.696.
  const v1::Score* iit = Find(scores.tools(), "IIT");
  ASSERT_NE(iit, nullptr);
  EXPECT_NEAR(iit->score(), 62.944, kTolerance);
  EXPECT_EQ(iit->respondents(), 3);
  EXPECT_NEAR(iit->standard_error(), 19.696, kTolerance);
  EXPECT_FALSE(iit->low_confidence());
  // EIT: 83.5 from 2 respondents < 3: low confidence.
  const v1::Score* eit = Find(scores.tools(), "EIT");
  EXPECT_NEAR(eit->score(), 83.5, kTolerance);
  EXPECT_EQ(eit->respondents(), 2);
  EXPECT_TRUE(eit->low_confidence());
  // OIT: (3 * 66.667 + 1 * 100) / 4 = 75, 4 checks.
  const v1::Score* oit = Find(scores.tools(), "OIT");
  EXPECT_NEAR(oit->score(), 75, kTolerance);
  EXPECT_EQ(oit->respondents(), 4);
  EXPECT_FALSE(oit->has_standard_error());
  EXPECT_EQ(Codes(scores.tools()),
            (std::vector<std::string>{"IIT", "EIT", "OIT"}));

  // Overall = 0.3 * 62.944 + 0.3 * 83.5 + 0.4 * 75 = 73.933.
  // SE = sqrt(0.3² * 19.696² + 0.3² * 16.5²) = 7.708;
  // CI 73.933 -/+ 15.108 = 58.825 .. 89.041.
  EXPECT_EQ(scores.overall().code(), "overall");
  EXPECT_NEAR(scores.overall().score(), 73.933, kTolerance);
  EXPECT_EQ(scores.overall().respondents(), 5);
  EXPECT_NEAR(scores.overall().standard_error(), 7.708, kTolerance);
  EXPECT_NEAR(scores.overall().ci_low(), 58.825, kTolerance);
  EXPECT_NEAR(scores.overall().ci_high(), 89.041, kTolerance);
  EXPECT_TRUE(scores.overall().low_confidence());  // EIT is
  EXPECT_EQ(scores.grade(), "ต้องปรับปรุง");
  EXPECT_FALSE(scores.passed());
}

TEST(ItaScoringTest, YesNoSurveyItemsAndCodesInAnyCase) {
  RawAnswers answers;
  answers.respondents = {Respondent("eit", {{"E2", 1}, {"e1", 3}}),
                         Respondent("EIT", {{"e2", 0}})};
  const v1::ScoreSet scores = ComputeScores(Small(), answers);
  // e2: yes, no -> 100, 0 -> 50.
  ASSERT_NE(Find(scores.items(), "e2"), nullptr);
  EXPECT_EQ(Find(scores.items(), "e2")->score(), 50);
  EXPECT_EQ(Find(scores.items(), "e1")->score(), 100);
}

TEST(ItaScoringTest, ToolWithoutDataRenormalizesVisibly) {
  RawAnswers answers = Sample();
  answers.respondents.resize(3);  // no EIT respondents
  const v1::ScoreSet scores = ComputeScores(Small(), answers);
  EXPECT_EQ(Codes(scores.tools()), (std::vector<std::string>{"IIT", "OIT"}));
  EXPECT_EQ(Find(scores.indicators(), "6"), nullptr);
  // (30 * 62.944 + 40 * 75) / 70 = 69.833.
  EXPECT_NEAR(scores.overall().score(), 69.833, kTolerance);
  EXPECT_EQ(scores.overall().respondents(), 0);
  EXPECT_TRUE(scores.overall().low_confidence());
  EXPECT_EQ(scores.grade(), "ต้องปรับปรุง");
}

TEST(ItaScoringTest, IncompleteChecklistIsLowConfidence) {
  RawAnswers answers;
  answers.oit_checks = {{"o1", true}, {"o2", true}, {"o4", true}};  // no o3
  const v1::ScoreSet scores = ComputeScores(Small(), answers);
  EXPECT_EQ(Find(scores.indicators(), "9")->score(), 100);
  EXPECT_TRUE(Find(scores.indicators(), "9")->low_confidence());
  EXPECT_FALSE(Find(scores.indicators(), "10")->low_confidence());
  EXPECT_TRUE(Find(scores.tools(), "OIT")->low_confidence());
  EXPECT_EQ(Find(scores.tools(), "OIT")->respondents(), 3);
}

TEST(ItaScoringTest, LowConfidenceUsesDefaultMinimumOf30) {
  v1::Framework framework = Small();
  framework.set_min_respondents(0);  // default 30
  RawAnswers answers = Sample();
  const v1::ScoreSet scores = ComputeScores(framework, answers);
  EXPECT_TRUE(Find(scores.tools(), "IIT")->low_confidence());
  EXPECT_TRUE(Find(scores.items(), "i1")->low_confidence());

  // 30 identical respondents reach the minimum; SE 0.
  answers.respondents.clear();
  for (int i = 0; i < 30; ++i) {
    answers.respondents.push_back(Respondent("IIT", {{"i1", 3}}));
  }
  const v1::ScoreSet enough = ComputeScores(framework, answers);
  EXPECT_FALSE(Find(enough.items(), "i1")->low_confidence());
  EXPECT_EQ(Find(enough.items(), "i1")->standard_error(), 0);
  EXPECT_EQ(Find(enough.items(), "i1")->ci_low(), 100);
}

TEST(ItaScoringTest, SingleRespondentHasNoStandardError) {
  RawAnswers answers;
  answers.respondents = {Respondent("IIT", {{"i1", 2}})};
  const v1::ScoreSet scores = ComputeScores(Small(), answers);
  EXPECT_EQ(Find(scores.items(), "i1")->score(), 67);
  EXPECT_FALSE(Find(scores.items(), "i1")->has_standard_error());
  EXPECT_FALSE(scores.overall().has_standard_error());
}

TEST(ItaScoringTest, NoDataAtAll) {
  const v1::ScoreSet scores = ComputeScores(Small(), RawAnswers());
  EXPECT_EQ(scores.overall().score(), 0);
  EXPECT_TRUE(scores.overall().low_confidence());
  EXPECT_EQ(scores.grade(), "");
  EXPECT_FALSE(scores.passed());
  EXPECT_EQ(scores.tools_size(), 0);
}

TEST(ItaScoringTest, PassingOverallGetsItsBand) {
  RawAnswers answers;
  for (int i = 0; i < 3; ++i) {
    answers.respondents.push_back(
        Respondent("IIT", {{"i1", 3}, {"i2", 3}, {"i3", 3}}));
    answers.respondents.push_back(Respondent("EIT", {{"e1", 3}, {"e2", 1}}));
  }
  answers.oit_checks = {{"o1", true}, {"o2", true}, {"o3", true}, {"o4", true}};
  const v1::ScoreSet scores = ComputeScores(Small(), answers);
  EXPECT_EQ(scores.overall().score(), 100);
  EXPECT_EQ(scores.overall().respondents(), 6);
  EXPECT_FALSE(scores.overall().low_confidence());
  EXPECT_EQ(scores.grade(), "ผ่านดีเยี่ยม");
  EXPECT_TRUE(scores.passed());
}

// ------------------------------------------------------------ raw answers

std::string RawError(const v1::IngestRawAnswersRequest& message,
                     absl::string_view base = "") {
  const absl::Status status = ValidateRawAnswers(base, Small(), message);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return FieldPathOf(status).value_or("<none>");
}

TEST(ItaScoringTest, ValidRawAnswers) {
  v1::IngestRawAnswersRequest message;
  *message.add_respondents() = Respondent("iit", {{"I1", 3}, {"i3", 0}});
  *message.add_respondents() = Respondent("EIT", {{"e2", 1}});
  (*message.mutable_oit_checks())["o1"] = true;
  (*message.mutable_oit_checks())["O2"] = false;
  EXPECT_TRUE(ValidateRawAnswers("", Small(), message).ok());
  EXPECT_TRUE(
      ValidateRawAnswers("", Small(), v1::IngestRawAnswersRequest()).ok());
}

TEST(ItaScoringTest, RawAnswerErrorsNameTheField) {
  v1::IngestRawAnswersRequest message;
  *message.add_respondents() = Respondent("IIT", {{"i1", 3}});
  *message.add_respondents() = Respondent("OIT", {{"o1", 1}});
  EXPECT_EQ(RawError(message), "respondents[1].tool");
  message.mutable_respondents(1)->set_tool("XIT");
  EXPECT_EQ(RawError(message), "respondents[1].tool");

  message.clear_respondents();
  for (int i = 0; i < 4; ++i) {
    *message.add_respondents() = Respondent("IIT", {{"i1", 3}});
  }
  *message.add_respondents() = Respondent("IIT", {{"i1", 3}, {"i99", 2}});
  EXPECT_EQ(RawError(message), "respondents[4].answers[i99]");
  EXPECT_EQ(RawError(message, "request"),
            "request.respondents[4].answers[i99]");
  // An EIT item answered by an IIT respondent.
  *message.mutable_respondents(4) = Respondent("IIT", {{"e1", 2}});
  EXPECT_EQ(RawError(message), "respondents[4].answers[e1]");
  // Out of the scale.
  *message.mutable_respondents(4) = Respondent("IIT", {{"i1", 4}});
  EXPECT_EQ(RawError(message), "respondents[4].answers[i1]");
  *message.mutable_respondents(4) = Respondent("IIT", {{"i1", -1}});
  EXPECT_EQ(RawError(message), "respondents[4].answers[i1]");
  *message.mutable_respondents(4) = Respondent("EIT", {{"e2", 2}});
  EXPECT_EQ(RawError(message), "respondents[4].answers[e2]");
  // The same item twice, in two cases.
  *message.mutable_respondents(4) = Respondent("IIT", {{"I1", 1}, {"i1", 2}});
  EXPECT_EQ(RawError(message), "respondents[4].answers[i1]");
  *message.mutable_respondents(4) = Respondent("IIT", {});
  EXPECT_EQ(RawError(message), "respondents[4].answers");

  v1::IngestRawAnswersRequest checks;
  (*checks.mutable_oit_checks())["o1"] = true;
  (*checks.mutable_oit_checks())["o99"] = true;
  EXPECT_EQ(RawError(checks), "oit_checks[o99]");
  checks.mutable_oit_checks()->erase("o99");
  (*checks.mutable_oit_checks())["i1"] = true;  // not a checklist item
  EXPECT_EQ(RawError(checks), "oit_checks[i1]");
}

// -------------------------------------------------------------- published

v1::Score Figure(absl::string_view code, double score) {
  v1::Score figure;
  figure.set_code(std::string(code));
  figure.set_score(score);
  return figure;
}

std::string PublishedError(v1::ScoreSet published) {
  const absl::Status status =
      ValidatePublished("published", Default(2567), published);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return FieldPathOf(status).value_or("<none>");
}

TEST(ItaScoringTest, ValidatePublishedNormalizesCodes) {
  v1::ScoreSet published;
  *published.mutable_overall() = Figure("", 99.78);
  *published.add_tools() = Figure("iit", 99.5);
  *published.add_indicators() = Figure(" 09 ", 98);
  *published.add_items() = Figure("I3", 100);
  published.set_grade(" ต้องปรับปรุง ");
  ASSERT_TRUE(ValidatePublished("published", Default(2567), published).ok());
  EXPECT_EQ(published.overall().code(), "overall");
  EXPECT_EQ(published.tools(0).code(), "IIT");
  EXPECT_EQ(published.indicators(0).code(), "9");
  EXPECT_EQ(published.items(0).code(), "i3");
  EXPECT_EQ(published.grade(), "ต้องปรับปรุง");
}

TEST(ItaScoringTest, ValidatePublishedErrors) {
  v1::ScoreSet valid;
  *valid.mutable_overall() = Figure("overall", 90);
  *valid.add_tools() = Figure("IIT", 90);
  *valid.add_indicators() = Figure("1", 90);
  for (int k = 1; k <= 4; ++k) {
    *valid.add_items() = Figure(absl::StrCat("i", k), 90);
  }

  v1::ScoreSet published = valid;
  published.clear_overall();
  EXPECT_EQ(PublishedError(published), "published.overall");

  published = valid;
  published.mutable_items(3)->set_code("i99");
  EXPECT_EQ(PublishedError(published), "published.items[3].code");

  published = valid;
  published.mutable_tools(0)->set_score(100.5);
  EXPECT_EQ(PublishedError(published), "published.tools[0].score");

  published = valid;
  published.mutable_indicators(0)->set_score(
      std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(PublishedError(published), "published.indicators[0].score");

  published = valid;
  published.mutable_overall()->set_score(-0.1);
  EXPECT_EQ(PublishedError(published), "published.overall.score");

  published = valid;
  published.mutable_overall()->set_code("IIT");
  EXPECT_EQ(PublishedError(published), "published.overall.code");

  published = valid;
  *published.add_tools() = Figure("XIT", 90);
  EXPECT_EQ(PublishedError(published), "published.tools[1].code");

  published = valid;
  *published.add_tools() = Figure("iit", 90);
  EXPECT_EQ(PublishedError(published), "published.tools[1].code");

  published = valid;
  published.mutable_indicators(0)->set_code("11");
  EXPECT_EQ(PublishedError(published), "published.indicators[0].code");

  published = valid;
  published.mutable_indicators(0)->set_code("nine");
  EXPECT_EQ(PublishedError(published), "published.indicators[0].code");

  published = valid;
  published.mutable_items(1)->set_code("i1");
  EXPECT_EQ(PublishedError(published), "published.items[1].code");
}

std::vector<v1::ConsistencyFinding> Of(
    const std::vector<v1::ConsistencyFinding>& findings,
    v1::ConsistencyFinding::Kind kind) {
  std::vector<v1::ConsistencyFinding> selected;
  for (const auto& finding : findings) {
    if (finding.kind() == kind) selected.push_back(finding);
  }
  return selected;
}

TEST(ItaScoringTest, Seed001GradeContradictsScore) {
  // FY2567: "คะแนนภาพรวม ... ๙๙.๗๘ คะแนน ผลการประเมินระดับต้องปรับปรุง".
  const v1::Framework framework = Default(2567);
  v1::ScoreSet published;
  *published.mutable_overall() = Figure("overall", 99.78);
  published.set_grade("ต้องปรับปรุง");
  for (const char* item : {"i10", "i12", "i13"}) {
    *published.add_items() = Figure(item, 100);
  }
  *published.add_items() = Figure("i11", 98.92);
  ASSERT_TRUE(ValidatePublished("published", framework, published).ok());
  const auto findings = CheckPublished(framework, published);

  const auto grades = Of(findings, v1::ConsistencyFinding::GRADE_MISMATCH);
  ASSERT_EQ(grades.size(), 1u);
  EXPECT_EQ(grades[0].code(), "overall");
  EXPECT_DOUBLE_EQ(grades[0].published(), 99.78);
  EXPECT_THAT(grades[0].message(), HasSubstr("ต้องปรับปรุง"));
  EXPECT_THAT(grades[0].message(), HasSubstr("ผ่านดีเยี่ยม"));
  // The evidence does not settle the label rule: the finding says which one
  // it assumed (issue 18).
  EXPECT_THAT(grades[0].message(),
              HasSubstr("assumed: the band depends on the overall alone"));
  // No tools published: nothing to add up.
  EXPECT_TRUE(Of(findings, v1::ConsistencyFinding::OVERALL_MISMATCH).empty());
  EXPECT_EQ(Of(findings, v1::ConsistencyFinding::MISSING_INDICATOR).size(),
            10u);
}

TEST(ItaScoringTest, Seed000IsConsistent) {
  // FY2565: 89.20 = A; indicator 10 = 100.00, indicator 1 = 99.77.
  const v1::Framework framework = Default(2565);
  v1::ScoreSet published;
  *published.mutable_overall() = Figure("overall", 89.20);
  published.set_grade("A");
  *published.add_indicators() = Figure("10", 100);
  *published.add_indicators() = Figure("1", 99.77);
  ASSERT_TRUE(ValidatePublished("published", framework, published).ok());
  const auto findings = CheckPublished(framework, published);
  EXPECT_TRUE(Of(findings, v1::ConsistencyFinding::GRADE_MISMATCH).empty());
  const auto missing = Of(findings, v1::ConsistencyFinding::MISSING_INDICATOR);
  ASSERT_EQ(missing.size(), 8u);
  EXPECT_EQ(missing.front().code(), "2");
  EXPECT_EQ(missing.back().code(), "9");
  EXPECT_THAT(missing.back().message(), HasSubstr("การเปิดเผยข้อมูล"));
  EXPECT_EQ(findings.size(), 8u);

  // "a" is the same Latin grade.
  published.set_grade("a");
  EXPECT_TRUE(Of(CheckPublished(framework, published),
                 v1::ConsistencyFinding::GRADE_MISMATCH)
                  .empty());
  // A label of another framework is a mismatch too.
  published.set_grade("ผ่าน");
  const auto grades = Of(CheckPublished(framework, published),
                         v1::ConsistencyFinding::GRADE_MISMATCH);
  ASSERT_EQ(grades.size(), 1u);
  EXPECT_THAT(grades[0].message(), HasSubstr("not a grade of this framework"));
}

TEST(ItaScoringTest, OverallAndToolMismatch) {
  const v1::Framework framework = Default(2565);
  v1::ScoreSet published;
  // 0.3 * 90 + 0.3 * 80 + 0.4 * 70 = 79, published as 85.
  *published.mutable_overall() = Figure("overall", 85);
  *published.add_tools() = Figure("IIT", 90);
  *published.add_tools() = Figure("EIT", 80);
  *published.add_tools() = Figure("OIT", 70);
  // IIT's indicators 1-5, 3 items each: mean (90*4 + 80) / 5 = 88, not 90.
  for (int number = 1; number <= 4; ++number) {
    *published.add_indicators() = Figure(absl::StrCat(number), 90);
  }
  *published.add_indicators() = Figure("5", 80);
  // EIT has only indicators 6 and 7: no TOOL_MISMATCH can be computed.
  *published.add_indicators() = Figure("6", 10);
  *published.add_indicators() = Figure("7", 10);
  const auto findings = CheckPublished(framework, published);

  const auto overall = Of(findings, v1::ConsistencyFinding::OVERALL_MISMATCH);
  ASSERT_EQ(overall.size(), 1u);
  EXPECT_EQ(overall[0].code(), "overall");
  EXPECT_DOUBLE_EQ(overall[0].published(), 85);
  EXPECT_NEAR(overall[0].expected(), 79, 1e-9);
  EXPECT_THAT(overall[0].message(), HasSubstr("79.00"));

  const auto tools = Of(findings, v1::ConsistencyFinding::TOOL_MISMATCH);
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0].code(), "IIT");
  EXPECT_DOUBLE_EQ(tools[0].published(), 90);
  EXPECT_NEAR(tools[0].expected(), 88, 1e-9);

  const auto missing = Of(findings, v1::ConsistencyFinding::MISSING_INDICATOR);
  ASSERT_EQ(missing.size(), 3u);  // 8, 9, 10
  EXPECT_EQ(missing[0].code(), "8");
  EXPECT_FALSE(missing[0].has_published());

  // Within the 0.05 tolerance of rounding: no finding.
  // IIT 88.04 vs 88; overall 78.45 vs 0.3 * 88.04 + 24 + 28 = 78.412.
  published.mutable_tools(0)->set_score(88.04);
  published.mutable_overall()->set_score(78.45);
  const auto close = CheckPublished(framework, published);
  EXPECT_TRUE(Of(close, v1::ConsistencyFinding::OVERALL_MISMATCH).empty());
  EXPECT_TRUE(Of(close, v1::ConsistencyFinding::TOOL_MISMATCH).empty());
}

}  // namespace
}  // namespace prongsai::ita
