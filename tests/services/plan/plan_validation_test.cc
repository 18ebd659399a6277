// The validation of a new resource, plan: a new action plan (title, span,
// organization): every field path and reason, as a pure domain rule without
// I/O.
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
#include "services/plan/plan_domain.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::RepeatText;
using ::testing::HasSubstr;
using ::testing::Not;

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
              IsInvalidArgumentAt("action_plan.title"));
  action_plan.set_title(RepeatText("ก", 500));  // 1500 bytes
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.set_title(RepeatText("ก", 501));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.title"));
  action_plan.set_title("แผน\xE0\xB8");  // a Thai character cut short
  absl::Status status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status, IsInvalidArgumentAt("action_plan.title"));
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
}

TEST(ValidateNewActionPlanTest, FiscalYears) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.clear_fiscal_years();
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.fiscal_years"));

  action_plan = ValidPlan();
  action_plan.mutable_fiscal_years()->set_last_be_year(2565);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.fiscal_years.last_be_year"));

  // One year is a plan; ten is the longest; eleven is a typo.
  action_plan.mutable_fiscal_years()->set_last_be_year(2566);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_last_be_year(2575);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_last_be_year(2576);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.fiscal_years"));

  // The B.E. range is 2500-2700 inclusive.
  action_plan.mutable_fiscal_years()->set_first_be_year(2500);
  action_plan.mutable_fiscal_years()->set_last_be_year(2500);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_first_be_year(2700);
  action_plan.mutable_fiscal_years()->set_last_be_year(2700);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_fiscal_years()->set_first_be_year(2499);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.fiscal_years.first_be_year"));
  action_plan.mutable_fiscal_years()->set_first_be_year(2700);
  action_plan.mutable_fiscal_years()->set_last_be_year(2701);
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.fiscal_years.last_be_year"));
}

TEST(ValidateNewActionPlanTest, CommonEraYearsGetTheBuddhistEraHint) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.mutable_fiscal_years()->set_first_be_year(2566);
  action_plan.mutable_fiscal_years()->set_last_be_year(2026);
  // 2026 < 2566 would also be "before first": the C.E. hint comes first.
  absl::Status status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status,
              IsInvalidArgumentAt("action_plan.fiscal_years.last_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("C.E."));
  EXPECT_THAT(status.message(), HasSubstr("2569"));

  action_plan.mutable_fiscal_years()->set_first_be_year(2023);
  status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status,
              IsInvalidArgumentAt("action_plan.fiscal_years.first_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2566"));

  // A year that is neither era gets the range, not the hint.
  action_plan.mutable_fiscal_years()->set_first_be_year(69);
  status = plan::ValidateNewActionPlan(action_plan);
  EXPECT_THAT(status,
              IsInvalidArgumentAt("action_plan.fiscal_years.first_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2500"));
  EXPECT_THAT(status.message(), Not(HasSubstr("C.E.")));
}

TEST(ValidateNewActionPlanTest, Organization) {
  plan::v1::ActionPlan action_plan = ValidPlan();
  action_plan.mutable_organization()->clear_name();  // optional
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan), IsOk());
  action_plan.mutable_organization()->set_name(RepeatText("อ", 301));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.organization.name"));
  action_plan = ValidPlan();
  action_plan.mutable_organization()->set_province(RepeatText("จ", 101));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.organization.province"));
  action_plan = ValidPlan();
  action_plan.mutable_organization()->set_district("\xFF");
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.organization.district"));
  action_plan = ValidPlan();
  action_plan.mutable_organization()->set_kind(
      static_cast<common::v1::OrganizationKind>(9));
  EXPECT_THAT(plan::ValidateNewActionPlan(action_plan),
              IsInvalidArgumentAt("action_plan.organization.kind"));
}

}  // namespace
}  // namespace prongsai
