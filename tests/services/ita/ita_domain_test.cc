// The rules the service and the store used to hold, now domain functions:
// the effective ITA score (ita_domain.h), a raw-answer stream's merging and
// respondent counting (ita_scoring.h), and the selection and assembly of a
// trend's series (ita_peer_stats.h). Pure: no I/O.
#include "services/ita/ita_domain.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ita/ita_analysis.h"
#include "services/ita/ita_framework.h"
#include "services/ita/ita_peer_stats.h"
#include "services/ita/ita_scoring.h"
#include "tests/support/test_env.h"

namespace prongsai::ita {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr char kFramework[] = R"pb(
  be_year: 2566
  tools { code: "IIT" kind: SURVEY weight: 30 }
  tools { code: "EIT" kind: SURVEY weight: 30 }
  tools { code: "OIT" kind: CHECKLIST weight: 40 }
  indicators { number: 1 tool: "IIT" }
  indicators { number: 6 tool: "EIT" }
  indicators { number: 9 tool: "OIT" }
  items { code: "i1" indicator: 1 scale: FOUR_LEVEL }
  items { code: "e1" indicator: 6 scale: FOUR_LEVEL }
  items { code: "o1" indicator: 9 scale: YES_NO }
  items { code: "o2" indicator: 9 scale: YES_NO }
  grade_bands { label: "ผ่าน" min_score: 85 passed: true }
  grade_bands { label: "ต้องปรับปรุง" min_score: 0 }
)pb";

v1::Framework Small() {
  absl::StatusOr<v1::Framework> framework = ParseFrameworkText(kFramework);
  EXPECT_THAT(framework, IsOk());
  return framework.value_or(v1::Framework());
}

v1::ScoreSet WithOverall(double overall) {
  v1::ScoreSet scores;
  scores.mutable_overall()->set_code("overall");
  scores.mutable_overall()->set_score(overall);
  return scores;
}

// ------------------------------------------------------ effective score

TEST(EffectiveScoreTest, ComputedOverallWinsOverPublished) {
  v1::Assessment assessment;
  *assessment.mutable_published() = WithOverall(80);
  *assessment.mutable_computed() = WithOverall(91.5);
  assessment.set_published_overall_score(70);
  std::string basis;
  EXPECT_EQ(&EffectiveScores(assessment, &basis), &assessment.computed());
  EXPECT_EQ(basis, "computed");
  EXPECT_THAT(EffectiveOverallScore(assessment), Optional(91.5));
}

TEST(EffectiveScoreTest, ComputedWithoutOverallFallsBackToPublished) {
  v1::Assessment assessment;
  *assessment.mutable_published() = WithOverall(80);
  assessment.mutable_computed()->add_tools()->set_code("OIT");
  std::string basis;
  EXPECT_EQ(&EffectiveScores(assessment, &basis), &assessment.published());
  EXPECT_EQ(basis, "published");
  EXPECT_THAT(EffectiveOverallScore(assessment), Optional(80.0));
}

TEST(EffectiveScoreTest, BarePublishedOverallScoreIsTheLastResort) {
  v1::Assessment assessment;
  EXPECT_EQ(EffectiveOverallScore(assessment), std::nullopt);
  assessment.set_published_overall_score(0);
  // A published 0 is a score, not an absence.
  EXPECT_THAT(EffectiveOverallScore(assessment), Optional(0.0));
  *assessment.mutable_published() = WithOverall(88);
  EXPECT_THAT(EffectiveOverallScore(assessment), Optional(88.0));
}

TEST(EffectiveScoreTest, SetEffectiveOverallScoreSetsAndClears) {
  v1::Assessment assessment;
  assessment.set_effective_overall_score(12);  // e.g. sent by a client
  SetEffectiveOverallScore(assessment);
  EXPECT_FALSE(assessment.has_effective_overall_score());
  assessment.set_published_overall_score(77.25);
  SetEffectiveOverallScore(assessment);
  EXPECT_TRUE(assessment.has_effective_overall_score());
  EXPECT_EQ(assessment.effective_overall_score(), 77.25);
}

TEST(EffectiveScoreTest, AnalysisOverallIsTheEffectiveScore) {
  v1::Assessment assessment;
  assessment.mutable_fiscal_year()->set_be_year(2566);
  assessment.set_published_overall_score(86);
  const v1::AgencyAnalysis analysis =
      Analyze(Small(), assessment, nullptr, 90, 3);
  EXPECT_EQ(analysis.overall(), 86);
  EXPECT_EQ(analysis.grade(), "ผ่าน");
  EXPECT_TRUE(analysis.passed());
}

TEST(FrameworkTest, BandOrNullIsNullWithoutBands) {
  v1::Framework framework = Small();
  ASSERT_NE(BandOrNull(framework, 90), nullptr);
  EXPECT_EQ(BandOrNull(framework, 90)->label(), "ผ่าน");
  EXPECT_EQ(BandOrNull(framework, 10)->label(), "ต้องปรับปรุง");
  framework.clear_grade_bands();
  EXPECT_EQ(BandOrNull(framework, 90), nullptr);
}

TEST(IndicatorNumberTest, OnlyPositiveNumbersAreIndicators) {
  EXPECT_THAT(IndicatorNumber("9"), Optional(9));
  EXPECT_EQ(IndicatorNumber("0"), std::nullopt);
  EXPECT_EQ(IndicatorNumber("-1"), std::nullopt);
  EXPECT_EQ(IndicatorNumber("i3"), std::nullopt);
  EXPECT_EQ(IndicatorNumber("overall"), std::nullopt);
  EXPECT_EQ(IndicatorNumber(""), std::nullopt);
}

// ------------------------------------------------------- raw answer stream

v1::Respondent Respondent(std::string tool, std::string item, int answer) {
  v1::Respondent respondent;
  respondent.set_tool(std::move(tool));
  (*respondent.mutable_answers())[item] = answer;
  return respondent;
}

TEST(MergeRawMessagesTest, KeepsRespondentsInOrderAndTheLastOitCheck) {
  std::vector<v1::IngestRawAnswersRequest> messages(3);
  *messages[0].add_respondents() = Respondent("IIT", "i1", 3);
  (*messages[0].mutable_oit_checks())["O1"] = true;
  *messages[1].add_respondents() = Respondent("eit", "e1", 1);
  (*messages[2].mutable_oit_checks())["o1"] = false;
  (*messages[2].mutable_oit_checks())["o2"] = true;
  absl::StatusOr<RawAnswers> answers = MergeRawMessages(Small(), messages);
  ASSERT_THAT(answers, IsOk());
  ASSERT_EQ(answers->respondents.size(), 2u);
  EXPECT_EQ(answers->respondents[0].tool(), "IIT");
  EXPECT_EQ(answers->respondents[1].tool(), "eit");
  // "O1" and "o1" are one item: the later message's check replaces it.
  EXPECT_EQ(answers->oit_checks.size(), 2u);
  EXPECT_FALSE(answers->oit_checks.at("o1"));
  EXPECT_TRUE(answers->oit_checks.at("o2"));
  EXPECT_TRUE(messages.empty());
}

TEST(MergeRawMessagesTest, NamesTheMessageOfABadAnswer) {
  std::vector<v1::IngestRawAnswersRequest> messages(2);
  *messages[0].add_respondents() = Respondent("IIT", "i1", 3);
  *messages[1].add_respondents() = Respondent("IIT", "i1", 7);
  EXPECT_THAT(MergeRawMessages(Small(), messages).status(),
              IsInvalidArgumentAt("messages[1].respondents[0].answers[i1]"));
}

TEST(MergeRawMessagesTest, NoAnswersAtAllIsRefused) {
  std::vector<v1::IngestRawAnswersRequest> messages(2);
  absl::Status status = MergeRawMessages(Small(), messages).status();
  EXPECT_THAT(status, IsInvalidArgumentAt("messages"));
  EXPECT_THAT(status.message(), HasSubstr("no respondents and no OIT checks"));
}

TEST(CountRespondentsTest, CountsSurveyToolsInAnyCase) {
  const RespondentCounts counts = CountRespondents(
      {Respondent("IIT", "i1", 3), Respondent("iit", "i1", 2),
       Respondent("Eit", "e1", 1), Respondent("OIT", "o1", 1)});
  EXPECT_EQ(counts.iit, 2);
  EXPECT_EQ(counts.eit, 1);
}

TEST(DroppedToolsTest, NamesStoredToolsTheNewResultLacks) {
  v1::ScoreSet stored;
  stored.add_tools()->set_code("IIT");
  stored.add_tools()->set_code("EIT");
  stored.add_tools()->set_code("OIT");
  v1::ScoreSet computed;
  computed.add_tools()->set_code("EIT");
  EXPECT_THAT(DroppedTools(stored, computed), ElementsAre("IIT", "OIT"));
  EXPECT_TRUE(DroppedTools(computed, stored).empty());
}

// ------------------------------------------------------------------ trends

PeerRow Row(std::string organization, std::string province,
            common::v1::OrganizationKind kind, double overall) {
  PeerRow row;
  row.organization = std::move(organization);
  row.province = std::move(province);
  row.kind = kind;
  row.overall = overall;
  return row;
}

std::vector<PeerRow> YearRowsOf(double base) {
  return {Row("a", "เชียงใหม่",
              common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION, base),
          Row("b", "เชียงใหม่", common::v1::MUNICIPALITY, base + 1),
          Row("c", "ลำพูน", common::v1::MUNICIPALITY, base + 2)};
}

TrendFilter GroupFilter(v1::PeerGroup group) {
  TrendFilter filter;
  filter.group = group;
  return filter;
}

TrendFilter OwnFilter(std::string organization) {
  TrendFilter filter;
  filter.organization = std::move(organization);
  return filter;
}

TEST(TrendFilterTest, AnOrganizationsOwnRowsWhateverTheGroup) {
  TrendFilter filter = OwnFilter("b");
  filter.group = v1::SAME_PROVINCE;
  filter.province = "ลำพูน";
  EXPECT_TRUE(InTrend(filter, YearRowsOf(80)[1]));
  EXPECT_FALSE(InTrend(filter, YearRowsOf(80)[2]));
}

TEST(TrendFilterTest, GroupsByProvinceKindOrNation) {
  const std::vector<PeerRow> rows = YearRowsOf(80);
  TrendFilter province = GroupFilter(v1::SAME_PROVINCE);
  province.province = "เชียงใหม่";
  TrendFilter kind = GroupFilter(v1::SAME_KIND);
  kind.kind = common::v1::MUNICIPALITY;
  const TrendFilter national = GroupFilter(v1::NATIONAL);
  std::vector<std::string> by_province, by_kind, all;
  for (const PeerRow& row : rows) {
    if (InTrend(province, row)) by_province.push_back(row.organization);
    if (InTrend(kind, row)) by_kind.push_back(row.organization);
    if (InTrend(national, row)) all.push_back(row.organization);
  }
  EXPECT_THAT(by_province, ElementsAre("a", "b"));
  EXPECT_THAT(by_kind, ElementsAre("b", "c"));
  EXPECT_THAT(all, ElementsAre("a", "b", "c"));
}

TEST(TrendSeriesTest, WantsOnlyTheFiltersYears) {
  TrendFilter years = GroupFilter(v1::NATIONAL);
  years.first_be_year = 2564;
  years.last_be_year = 2566;
  const TrendSeries bounded(years);
  EXPECT_FALSE(bounded.Wants(2563));
  EXPECT_TRUE(bounded.Wants(2564));
  EXPECT_TRUE(bounded.Wants(2566));
  EXPECT_FALSE(bounded.Wants(2567));
  const TrendSeries open(GroupFilter(v1::NATIONAL));
  EXPECT_TRUE(open.Wants(2500));
  EXPECT_TRUE(open.Wants(2700));
}

TEST(TrendSeriesTest, SkipsYearsWithoutRowsAndComparesKeptFrameworks) {
  v1::Framework before = Small();
  v1::Framework changed = Small();
  changed.mutable_tools(0)->set_weight(20);
  changed.mutable_tools(2)->set_weight(50);
  TrendSeries series(OwnFilter("c"));
  series.Add(2564, before, YearRowsOf(70));
  // No row of "c": skipped, and its (changed) framework is not the one the
  // next year is compared with.
  std::vector<PeerRow> without_c = YearRowsOf(75);
  without_c.pop_back();
  series.Add(2565, changed, std::move(without_c));
  series.Add(2566, before, YearRowsOf(80));
  series.Add(2567, changed, YearRowsOf(90));
  const std::vector<TrendYear>& years = series.years();
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(years[0].be_year, 2564);
  EXPECT_EQ(years[0].method_difference, std::nullopt);
  EXPECT_EQ(years[1].be_year, 2566);
  EXPECT_EQ(years[1].method_difference, std::nullopt);
  ASSERT_EQ(years[1].rows.size(), 1u);
  EXPECT_EQ(years[1].rows[0].organization, "c");
  EXPECT_EQ(years[2].be_year, 2567);
  EXPECT_NE(years[2].method_difference, std::nullopt);
  // An organization's own trend hides nothing, even from one row.
  const v1::Trend trend = series.Compute();
  EXPECT_EQ(trend.minimum_group_size(), 1);
  ASSERT_EQ(trend.points_size(), 3);
  EXPECT_FALSE(trend.points(0).suppressed());
  EXPECT_EQ(trend.points(0).overall(), 72);
  EXPECT_TRUE(trend.points(2).method_break());
}

TEST(TrendSeriesTest, AGroupsTrendHidesSmallYears) {
  TrendFilter province = GroupFilter(v1::SAME_PROVINCE);
  province.province = "เชียงใหม่";
  TrendSeries series(province);
  series.Add(2566, Small(), YearRowsOf(80));
  const v1::Trend trend = series.Compute();
  EXPECT_EQ(trend.minimum_group_size(), kMinimumGroupSize);
  ASSERT_EQ(trend.points_size(), 1);
  EXPECT_EQ(trend.points(0).count(), 2);
  EXPECT_TRUE(trend.points(0).suppressed());
}

}  // namespace
}  // namespace prongsai::ita
