// The services' pure rules, without I/O: what a valid action plan,
// complaint and assessment is, and when a complaint falls due.
#include <limits>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_domain.h"
#include "services/ita/ita_domain.h"
#include "services/plan/plan_domain.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Repeat(absl::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(text.data(), text.size());
  return out;
}

// INVALID_ARGUMENT about `field_path`, by payload and by message.
MATCHER_P(IsInvalidField, field_path,
          absl::StrCat("is INVALID_ARGUMENT about ", field_path)) {
  const absl::Status& status = arg;
  *result_listener << "status is " << status;
  return status.code() == absl::StatusCode::kInvalidArgument &&
         FieldPathOf(status) == std::string(field_path) &&
         absl::StartsWith(status.message(), absl::StrCat(field_path, ": "));
}

// --- plan ------------------------------------------------------------------

plan::v1::ActionPlan ValidPlan() {
  plan::v1::ActionPlan action_plan;
  action_plan.set_title("แผนปฏิบัติการป้องกันการทุจริต ๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๗๐)");
  action_plan.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  action_plan.mutable_organization()->set_kind(common::v1::MUNICIPALITY);
  action_plan.mutable_fiscal_years()->set_first_be_year(2566);
  action_plan.mutable_fiscal_years()->set_last_be_year(2570);
  return action_plan;
}

TEST(ValidateNewActionPlanTest, AcceptsATypicalPlan) {
  EXPECT_THAT(plan::ValidateNewActionPlan(ValidPlan()), IsOk());
}

TEST(ValidateNewActionPlanTest, IgnoresOutputOnlyFields) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.set_name("anything");
  action_plan.set_state(plan::v1::ActionPlan::APPROVED);
  action_plan.mutable_audit()->set_creator("x");
  action_plan.mutable_organization()->set_code("not a code!");
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
}

TEST(ValidateNewActionPlanTest, Title) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.clear_title();
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.title"));
  action_plan.set_title(Repeat("ก", 500));  // 1500 bytes
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.set_title(Repeat("ก", 501));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.title"));
  action_plan.set_title("แผน\xE0\xB8");  // a Thai character cut short
  absl::Status status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status, IsInvalidField("action_plan.title"));
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
}

TEST(ValidateNewActionPlanTest, FiscalYears) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.clear_fiscal_years();
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.fiscal_years"));

  action_plan = ValidPlan();
  action_plan.mutable_fiscal_years()->set_last_be_year(2565);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.fiscal_years.last_be_year"));

  // One year is a plan; ten is the longest; eleven is a typo.
  action_plan.mutable_fiscal_years()->set_last_be_year(2566);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_last_be_year(2575);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_last_be_year(2576);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.fiscal_years"));

  // The B.E. range is 2500-2700 inclusive.
  action_plan.mutable_fiscal_years()->set_first_be_year(2500);
  action_plan.mutable_fiscal_years()->set_last_be_year(2500);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_first_be_year(2700);
  action_plan.mutable_fiscal_years()->set_last_be_year(2700);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_first_be_year(2499);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.fiscal_years.first_be_year"));
  action_plan.mutable_fiscal_years()->set_first_be_year(2700);
  action_plan.mutable_fiscal_years()->set_last_be_year(2701);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.fiscal_years.last_be_year"));
}

TEST(ValidateNewActionPlanTest, CommonEraYearsGetTheBuddhistEraHint) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.mutable_fiscal_years()->set_first_be_year(2566);
  action_plan.mutable_fiscal_years()->set_last_be_year(2026);
  // 2026 < 2566 would also be "before first": the C.E. hint comes first.
  absl::Status status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status, IsInvalidField("action_plan.fiscal_years.last_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("C.E."));
  EXPECT_THAT(status.message(), HasSubstr("2569"));

  action_plan.mutable_fiscal_years()->set_first_be_year(2023);
  status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status, IsInvalidField("action_plan.fiscal_years.first_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2566"));

  // A year that is neither era gets the range, not the hint.
  action_plan.mutable_fiscal_years()->set_first_be_year(69);
  status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status, IsInvalidField("action_plan.fiscal_years.first_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2500"));
  EXPECT_THAT(status.message(), Not(HasSubstr("C.E.")));
}

TEST(ValidateNewActionPlanTest, Organization) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.mutable_organization()->clear_name();  // optional
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_organization()->set_name(Repeat("อ", 301));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.organization.name"));
  action_plan = ValidPlan();
  action_plan.mutable_organization()->set_province(Repeat("จ", 101));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.organization.province"));
  action_plan = ValidPlan();
  action_plan.mutable_organization()->set_district("\xFF");
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.organization.district"));
  action_plan = ValidPlan();
  action_plan.mutable_organization()->set_kind(
      static_cast<common::v1::OrganizationKind>(9));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidField("action_plan.organization.kind"));
}

// --- complaint ---------------------------------------------------------------

complaint::v1::Complaint ValidComplaint() {
  complaint::v1::Complaint complaint;
  complaint.set_kind(complaint::v1::Complaint::GENERAL);
  complaint.set_channel(complaint::v1::Complaint::PHONE);
  complaint.set_subject("น้ำประปาไม่ไหล");
  complaint.set_description("หมู่ที่ ๓ น้ำประปาไม่ไหลมาสามวันแล้ว");
  return complaint;
}

TEST(ValidateNewComplaintTest, AcceptsEveryKindAndChannel) {
  for (auto kind : {complaint::v1::Complaint::GENERAL,
                    complaint::v1::Complaint::CORRUPTION}) {
    for (int channel = complaint::v1::Complaint::WALK_IN;
         channel <= complaint::v1::Complaint::OTHER; ++channel) {
      complaint::v1::Complaint complaint = ValidComplaint();
      complaint.set_kind(kind);
      complaint.set_channel(
          static_cast<complaint::v1::Complaint::Channel>(channel));
      EXPECT_THAT(complaint::ValidateNewComplaint(complaint), IsOk())
          << kind << " " << channel;
    }
  }
}

TEST(ValidateNewComplaintTest, KindAndChannelAreRequired) {
  complaint::v1::Complaint complaint = ValidComplaint();
  complaint.clear_kind();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.kind"));
  complaint.set_kind(static_cast<complaint::v1::Complaint::Kind>(3));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.kind"));
  complaint = ValidComplaint();
  complaint.clear_channel();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.channel"));
  complaint.set_channel(static_cast<complaint::v1::Complaint::Channel>(10));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.channel"));
}

TEST(ValidateNewComplaintTest, SubjectAndDescription) {
  complaint::v1::Complaint complaint = ValidComplaint();
  complaint.clear_subject();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.subject"));
  complaint.set_subject(Repeat("ร", complaint::kMaxSubjectChars));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint), IsOk());
  complaint.set_subject(Repeat("ร", complaint::kMaxSubjectChars + 1));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.subject"));

  complaint = ValidComplaint();
  complaint.clear_description();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.description"));
  complaint.set_description(Repeat("ท", complaint::kMaxDescriptionChars));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint), IsOk());
  complaint.set_description(Repeat("ท", complaint::kMaxDescriptionChars + 1));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.description"));
  complaint.set_description("ok\xC0\xAF");
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.description"));
}

TEST(ValidateNewComplaintTest, Organization) {
  complaint::v1::Complaint complaint = ValidComplaint();
  complaint.mutable_organization()->set_kind(
      static_cast<common::v1::OrganizationKind>(-3));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidField("complaint.organization.kind"));
}

TEST(DueTimeTest, FifteenDaysByDefault) {
  EXPECT_EQ(complaint::kDefaultSlaDays, 15);
  const absl::Time received =
      absl::FromCivil(absl::CivilSecond(2025, 12, 20, 16, 45, 10),
                      absl::UTCTimeZone()) +
      absl::Microseconds(250);
  EXPECT_EQ(complaint::DueTime(received), received + absl::Hours(15 * 24));
  // Across the turn of the year, to the microsecond.
  EXPECT_EQ(complaint::DueTime(received),
            absl::FromCivil(absl::CivilSecond(2026, 1, 4, 16, 45, 10),
                            absl::UTCTimeZone()) +
                absl::Microseconds(250));
  EXPECT_EQ(complaint::DueTime(received, 30), received + absl::Hours(30 * 24));
  EXPECT_EQ(complaint::DueTime(received, 0), received);
}

// --- ita ---------------------------------------------------------------------

ita::v1::Assessment ValidAssessment(std::optional<double> score) {
  ita::v1::Assessment assessment;
  assessment.mutable_fiscal_year()->set_be_year(2565);
  if (score.has_value()) assessment.set_published_overall_score(*score);
  return assessment;
}

TEST(ValidateNewAssessmentTest, ScoreIsOptionalAndWithin0To100) {
  EXPECT_THAT(ita::ValidateNewAssessment(ValidAssessment(std::nullopt)),
              IsOk());
  for (double score : {0.0, 0.01, 89.2, 99.78, 100.0}) {
    EXPECT_THAT(ita::ValidateNewAssessment(ValidAssessment(score)), IsOk())
        << score;
  }
  for (double score :
       {-0.01, 100.01, 100.5, 1e9, std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    EXPECT_THAT(ita::ValidateNewAssessment(ValidAssessment(score)),
                IsInvalidField("assessment.published_overall_score"))
        << score;
  }
}

TEST(ValidateNewAssessmentTest, FiscalYear) {
  ita::v1::Assessment assessment = ValidAssessment(89.2);
  assessment.clear_fiscal_year();
  EXPECT_THAT(ita::ValidateNewAssessment(assessment),
              IsInvalidField("assessment.fiscal_year"));
  assessment.mutable_fiscal_year()->set_be_year(2022);
  absl::Status status = ita::ValidateNewAssessment(assessment);
  EXPECT_THAT(status, IsInvalidField("assessment.fiscal_year.be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2565"));
  assessment.mutable_fiscal_year()->set_be_year(2701);
  EXPECT_THAT(ita::ValidateNewAssessment(assessment),
              IsInvalidField("assessment.fiscal_year.be_year"));
  assessment.mutable_fiscal_year()->set_be_year(2700);
  EXPECT_THAT(ita::ValidateNewAssessment(assessment), IsOk());
}

TEST(ValidateNewAssessmentTest, Organization) {
  ita::v1::Assessment assessment = ValidAssessment(89.2);
  assessment.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  assessment.mutable_organization()->set_kind(
      common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_THAT(ita::ValidateNewAssessment(assessment), IsOk());
  assessment.mutable_organization()->set_name(Repeat("อ", 301));
  EXPECT_THAT(ita::ValidateNewAssessment(assessment),
              IsInvalidField("assessment.organization.name"));
}

}  // namespace
}  // namespace prongsai
