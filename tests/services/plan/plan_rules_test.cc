// The plan service's business rules that the store and the service apply
// (plan_domain.h "rules", plan_figures.h "inputs of EvaluateTargets"): the
// plan's DRAFT → APPROVED → ANNOUNCED life, how far ahead an announcement
// may be dated, the plan's fiscal-year span, the update allow-lists, and
// which actuals EvaluateTargets asks the peers for and how their answers
// fill the plan.
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_figures.h"
#include "tests/support/test_env.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using State = v1::ActionPlan::State;

// Noon in Bangkok on a calendar day: far from the day's edges.
absl::Time BangkokNoon(int year, int month, int day) {
  absl::TimeZone bangkok = absl::FixedTimeZone(7 * 3600);
  return absl::FromCivil(absl::CivilHour(year, month, day, 12), bangkok);
}

v1::ActionPlan PlanIn(State state) {
  v1::ActionPlan plan;
  plan.set_state(state);
  plan.mutable_fiscal_years()->set_first_be_year(2566);
  plan.mutable_fiscal_years()->set_last_be_year(2570);
  return plan;
}

// ------------------------------------------------------------ state advance

TEST(CheckAdvanceTest, EachStateAdvancesOneStepOnly) {
  EXPECT_THAT(
      CheckAdvance(PlanIn(v1::ActionPlan::DRAFT), v1::ActionPlan::APPROVED),
      IsOk());
  EXPECT_THAT(
      CheckAdvance(PlanIn(v1::ActionPlan::APPROVED), v1::ActionPlan::ANNOUNCED),
      IsOk());
  for (auto [from, to] : std::vector<std::pair<State, State>>{
           {v1::ActionPlan::DRAFT, v1::ActionPlan::ANNOUNCED},
           {v1::ActionPlan::APPROVED, v1::ActionPlan::APPROVED},
           {v1::ActionPlan::ANNOUNCED, v1::ActionPlan::ANNOUNCED},
           {v1::ActionPlan::ANNOUNCED, v1::ActionPlan::APPROVED},
           {v1::ActionPlan::DRAFT, v1::ActionPlan::DRAFT},
           {v1::ActionPlan::APPROVED, v1::ActionPlan::DRAFT}}) {
    EXPECT_THAT(CheckAdvance(PlanIn(from), to),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << v1::ActionPlan::State_Name(from) << " -> "
        << v1::ActionPlan::State_Name(to);
  }
}

TEST(CheckAdvanceTest, ARefusalNamesTheStateAndTheStepAllowed) {
  absl::Status refused =
      CheckAdvance(PlanIn(v1::ActionPlan::DRAFT), v1::ActionPlan::ANNOUNCED);
  EXPECT_EQ(refused.message(),
            "the plan is DRAFT; only a APPROVED plan becomes ANNOUNCED");
}

TEST(AdvancePlanTest, ApprovalRecordsTheApproverAndTime) {
  const absl::Time now = BangkokNoon(2025, 3, 4);
  v1::ActionPlan plan = PlanIn(v1::ActionPlan::DRAFT);
  ASSERT_THAT(AdvancePlan(plan, v1::ActionPlan::APPROVED,
                          {"mayor-6340101", now}, now + absl::Hours(5)),
              IsOk());
  EXPECT_EQ(plan.state(), v1::ActionPlan::APPROVED);
  EXPECT_EQ(plan.approver(), "mayor-6340101");
  EXPECT_EQ(api::FromProtoTime(plan.approve_time()), now);
  EXPECT_FALSE(plan.has_announce_time());
}

TEST(AdvancePlanTest, AnnouncementRecordsTheAnnounceTimeOnly) {
  const absl::Time now = BangkokNoon(2025, 3, 4);
  const absl::Time announced = now - absl::Hours(48);
  v1::ActionPlan plan = PlanIn(v1::ActionPlan::APPROVED);
  plan.set_approver("mayor-6340101");
  ASSERT_THAT(AdvancePlan(plan, v1::ActionPlan::ANNOUNCED,
                          {"clerk-6340101", now}, announced),
              IsOk());
  EXPECT_EQ(plan.state(), v1::ActionPlan::ANNOUNCED);
  EXPECT_EQ(api::FromProtoTime(plan.announce_time()), announced);
  EXPECT_EQ(plan.approver(), "mayor-6340101");
  EXPECT_FALSE(plan.has_approve_time());
}

TEST(AdvancePlanTest, ARefusedStepLeavesThePlanAsItWas) {
  const absl::Time now = BangkokNoon(2025, 3, 4);
  v1::ActionPlan plan = PlanIn(v1::ActionPlan::ANNOUNCED);
  const v1::ActionPlan before = plan;
  EXPECT_THAT(AdvancePlan(plan, v1::ActionPlan::APPROVED, {"mayor", now}, now),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(plan.SerializeAsString(), before.SerializeAsString());
}

// ------------------------------------------------------------ announce time

TEST(ValidateAnnounceTimeTest, UpToAYearAheadAndAnyTimeBefore) {
  const absl::Time now = BangkokNoon(2025, 3, 4);
  EXPECT_THAT(ValidateAnnounceTime(now, now), IsOk());
  EXPECT_THAT(ValidateAnnounceTime(now - absl::Hours(24 * 3650), now), IsOk());
  EXPECT_THAT(ValidateAnnounceTime(now + absl::Hours(24 * 366), now), IsOk());
  absl::Status too_far =
      ValidateAnnounceTime(now + absl::Hours(24 * 366) + absl::Seconds(1), now);
  EXPECT_THAT(too_far, IsInvalidArgumentAt("announce_time"));
  EXPECT_THAT(too_far.message(), HasSubstr("more than a year ahead"));
}

// ------------------------------------------------------------ year span

TEST(PlanYearsTest, TheSpanIncludesBothEnds) {
  const v1::ActionPlan plan = PlanIn(v1::ActionPlan::DRAFT);
  EXPECT_FALSE(IsInPlanYears(2565, plan));
  EXPECT_TRUE(IsInPlanYears(2566, plan));
  EXPECT_TRUE(IsInPlanYears(2570, plan));
  EXPECT_FALSE(IsInPlanYears(2571, plan));
  EXPECT_THAT(ValidateYearInPlan("be_year", 2570, plan), IsOk());
  absl::Status outside = ValidateYearInPlan("be_year", 2571, plan);
  EXPECT_THAT(outside, IsInvalidArgumentAt("be_year"));
  EXPECT_EQ(outside.message(),
            "be_year: 2571 is outside the plan's fiscal years 2566-2570");
}

// ------------------------------------------------------------ allow-lists

google::protobuf::FieldMask MaskOf(absl::string_view path) {
  google::protobuf::FieldMask mask;
  mask.add_paths(std::string(path));
  return mask;
}

TEST(UpdatableFieldsTest, OutputOnlyAndIdentifyingFieldsAreNeverUpdatable) {
  const std::vector<absl::Span<const absl::string_view>> lists = {
      kOrganizationUpdatableFields,     kActionPlanUpdatableFields,
      kProjectUpdatableFields,          kAnnualPlanUpdatableFields,
      kIntegrityMeasureUpdatableFields, kRiskUpdatableFields};
  for (absl::Span<const absl::string_view> list : lists) {
    EXPECT_FALSE(list.empty());
    for (absl::string_view field : list) {
      EXPECT_NE(field, "name");
      EXPECT_NE(field, "etag");
      EXPECT_NE(field, "audit");
      EXPECT_NE(field, "organization.code");
    }
  }
}

TEST(UpdatableFieldsTest, APlansStateAndApprovalAreNotPatchable) {
  v1::ActionPlan patch = PlanIn(v1::ActionPlan::ANNOUNCED);
  patch.set_title("ใหม่");
  patch.set_approver("someone");
  for (absl::string_view path : {"state", "approver", "fiscal_years",
                                 "organization", "import_findings"}) {
    v1::ActionPlan target = PlanIn(v1::ActionPlan::DRAFT);
    EXPECT_THAT(
        ApplyFieldMask(MaskOf(path), kActionPlanUpdatableFields, patch, target),
        IsInvalidArgumentAt("update_mask.paths[0]"))
        << path;
    EXPECT_EQ(target.state(), v1::ActionPlan::DRAFT);
  }
  v1::ActionPlan target = PlanIn(v1::ActionPlan::DRAFT);
  ASSERT_THAT(ApplyFieldMask(MaskOf("title"), kActionPlanUpdatableFields, patch,
                             target),
              IsOk());
  EXPECT_EQ(target.title(), "ใหม่");
  EXPECT_EQ(target.state(), v1::ActionPlan::DRAFT);
  EXPECT_EQ(target.approver(), "");
}

TEST(UpdatableFieldsTest, EachListAcceptsItsResourcesEditableFields) {
  v1::Project project;
  project.set_sequence(7);
  project.add_fiscal_years(2567);
  v1::Project updated;
  ASSERT_THAT(ApplyFieldMask(MaskOf("fiscal_years"), kProjectUpdatableFields,
                             project, updated),
              IsOk());
  EXPECT_THAT(updated.fiscal_years(), ElementsAre(2567));
  EXPECT_EQ(updated.sequence(), 0);

  v1::AnnualPlan annual;
  annual.set_note("หมายเหตุ");
  annual.set_be_year(2569);
  v1::AnnualPlan annual_updated;
  ASSERT_THAT(ApplyFieldMask(MaskOf("note"), kAnnualPlanUpdatableFields, annual,
                             annual_updated),
              IsOk());
  EXPECT_EQ(annual_updated.note(), "หมายเหตุ");
  // An annual plan's year is its identity.
  EXPECT_THAT(ApplyFieldMask(MaskOf("be_year"), kAnnualPlanUpdatableFields,
                             annual, annual_updated),
              IsInvalidArgumentAt("update_mask.paths[0]"));
  // A risk names its plan's projects; the projects are not the risk's.
  v1::Risk risk;
  EXPECT_THAT(ApplyFieldMask(MaskOf("control_projects"), kRiskUpdatableFields,
                             risk, risk),
              IsOk());
  v1::IntegrityMeasure measure;
  EXPECT_THAT(
      ApplyFieldMask(MaskOf("be_year"), kIntegrityMeasureUpdatableFields,
                     measure, measure),
      IsOk());
}

// ------------------------------------------------ inputs of EvaluateTargets

TEST(FiscalYearHasEndedTest, AYearEndsWhenTheNextBeginsOnTheFirstOfOctober) {
  // FY2568 runs from 1 October 2024 to 30 September 2025.
  const absl::Time last_day = BangkokNoon(2025, 9, 30);
  EXPECT_FALSE(FiscalYearHasEnded(2568, last_day));
  EXPECT_TRUE(FiscalYearHasEnded(2567, last_day));
  EXPECT_FALSE(FiscalYearHasEnded(2569, last_day));
  EXPECT_TRUE(FiscalYearHasEnded(2568, BangkokNoon(2025, 10, 1)));
}

v1::YearTarget ItaTarget(int be_year, double target) {
  v1::YearTarget out;
  out.set_be_year(be_year);
  out.set_ita_score_target(target);
  return out;
}

TEST(ItaScoresTest, OnlyATargetWithoutAnActualNeedsThePeer) {
  v1::ActionPlan plan = PlanIn(v1::ActionPlan::DRAFT);
  EXPECT_FALSE(NeedsItaScores(plan));
  v1::YearTarget& known = *plan.add_targets() = ItaTarget(2566, 85);
  known.set_actual_ita_score(90);
  EXPECT_FALSE(NeedsItaScores(plan));
  plan.add_targets()->set_be_year(2567);  // no ITA target at all
  EXPECT_FALSE(NeedsItaScores(plan));
  *plan.add_targets() = ItaTarget(2568, 85);
  EXPECT_TRUE(NeedsItaScores(plan));
}

TEST(ItaScoresTest, FillsMissingActualsAndKeepsRecordedOnes) {
  v1::ActionPlan plan = PlanIn(v1::ActionPlan::DRAFT);
  *plan.add_targets() = ItaTarget(2566, 85);
  plan.mutable_targets(0)->set_actual_ita_score(70);
  *plan.add_targets() = ItaTarget(2567, 85);
  *plan.add_targets() = ItaTarget(2568, 85);
  FillItaScores({{2566, 99.5}, {2567, 88.25}, {2575, 10}}, plan);
  EXPECT_EQ(plan.targets(0).actual_ita_score(), 70);
  EXPECT_EQ(plan.targets(1).actual_ita_score(), 88.25);
  EXPECT_FALSE(plan.targets(2).has_actual_ita_score());
}

v1::YearTarget ReductionTarget(int be_year, int base_be_year) {
  v1::YearTarget out;
  out.set_be_year(be_year);
  out.set_base_be_year(base_be_year);
  out.set_corruption_case_reduction_percent(10);
  return out;
}

// At noon on 1 March 2026 (FY2569 running), a plan with reduction targets
// for 2566-2569 from base 2565, one recorded count, and an ITA-only year.
v1::ActionPlan PlanWithReductionTargets() {
  v1::ActionPlan plan = PlanIn(v1::ActionPlan::DRAFT);
  *plan.add_targets() = ReductionTarget(2567, 2565);
  *plan.add_targets() = ReductionTarget(2566, 2565);
  plan.mutable_targets(1)->set_actual_corruption_cases(4);
  *plan.add_targets() = ItaTarget(2568, 80);
  *plan.add_targets() = ReductionTarget(2569, 2565);
  return plan;
}

TEST(CorruptionCasesTest, AsksEachEndedYearOnceInTheOrderTargetsNeedIt) {
  const absl::Time now = BangkokNoon(2026, 3, 1);
  // 2567: base 2565, then 2567; 2566: base 2565 asked already, actual
  // recorded; 2568 has no reduction target; 2569 is still running.
  EXPECT_THAT(CorruptionCaseYearsToCount(PlanWithReductionTargets(), now),
              ElementsAre(2565, 2567));
  v1::ActionPlan unrecorded = PlanWithReductionTargets();
  unrecorded.mutable_targets(1)->clear_actual_corruption_cases();
  EXPECT_THAT(CorruptionCaseYearsToCount(unrecorded, now),
              ElementsAre(2565, 2567, 2566));
  v1::ActionPlan recorded = PlanWithReductionTargets();
  for (v1::YearTarget& target : *recorded.mutable_targets()) {
    target.set_base_corruption_cases(1);
    target.set_actual_corruption_cases(1);
  }
  EXPECT_THAT(CorruptionCaseYearsToCount(recorded, now), IsEmpty());
}

TEST(CorruptionCasesTest, FillsWhatThePeerCountedAndLeavesTheRestUnknown) {
  const absl::Time now = BangkokNoon(2026, 3, 1);
  v1::ActionPlan plan = PlanWithReductionTargets();
  // The peer answered for 2565 and 2567, not for 2566; it would have a
  // count for 2569, which is still running.
  FillCorruptionCases({{2565, 10}, {2567, 6}, {2569, 1}}, now, plan);
  const v1::YearTarget& y2567 = plan.targets(0);
  EXPECT_EQ(y2567.base_corruption_cases(), 10);
  EXPECT_EQ(y2567.actual_corruption_cases(), 6);
  const v1::YearTarget& y2566 = plan.targets(1);
  EXPECT_EQ(y2566.base_corruption_cases(), 10);
  EXPECT_EQ(y2566.actual_corruption_cases(), 4);  // recorded, kept
  EXPECT_FALSE(plan.targets(2).has_base_corruption_cases());
  const v1::YearTarget& y2569 = plan.targets(3);
  EXPECT_FALSE(y2569.has_base_corruption_cases());
  EXPECT_FALSE(y2569.has_actual_corruption_cases());

  v1::ActionPlan unanswered = PlanWithReductionTargets();
  FillCorruptionCases({}, now, unanswered);
  EXPECT_FALSE(unanswered.targets(0).has_base_corruption_cases());
  EXPECT_FALSE(unanswered.targets(0).has_actual_corruption_cases());
}

TEST(CorruptionCasesTest, FilledCountsAreWhatEvaluateTargetsJudges) {
  const absl::Time now = BangkokNoon(2026, 3, 1);
  v1::ActionPlan plan = PlanWithReductionTargets();
  FillCorruptionCases({{2565, 10}, {2567, 9}}, now, plan);
  std::vector<v1::TargetEvaluation> years = EvaluateTargets(plan);
  ASSERT_EQ(years.size(), 4);
  // Sorted by year: 2566 (10 -> 4: 60%), 2567 (10 -> 9: 10%), 2568, 2569.
  EXPECT_EQ(years[0].be_year(), 2566);
  EXPECT_EQ(years[0].corruption_cases(), v1::TargetEvaluation::MET);
  EXPECT_DOUBLE_EQ(years[0].achieved_reduction_percent(), 60);
  EXPECT_EQ(years[1].be_year(), 2567);
  EXPECT_EQ(years[1].corruption_cases(), v1::TargetEvaluation::MET);
  EXPECT_DOUBLE_EQ(years[1].achieved_reduction_percent(), 10);
  EXPECT_EQ(years[3].corruption_cases(), v1::TargetEvaluation::UNKNOWN);
}

}  // namespace
}  // namespace prongsai::plan
