// The validation of a new resource, ita: a new assessment: every
// field path and reason, as a pure domain rule without I/O.
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
#include "services/ita/ita_domain.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::RepeatText;
using ::testing::HasSubstr;

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
                IsInvalidArgumentAt("assessment.published_overall_score"))
        << score;
  }
}

TEST(ValidateNewAssessmentTest, FiscalYear) {
  ita::v1::Assessment assessment = ValidAssessment(89.2);
  assessment.clear_fiscal_year();
  EXPECT_THAT(ita::ValidateNewAssessment(assessment),
              IsInvalidArgumentAt("assessment.fiscal_year"));
  assessment.mutable_fiscal_year()->set_be_year(2022);
  absl::Status status = ita::ValidateNewAssessment(assessment);
  EXPECT_THAT(status, IsInvalidArgumentAt("assessment.fiscal_year.be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2565"));
  assessment.mutable_fiscal_year()->set_be_year(2701);
  EXPECT_THAT(ita::ValidateNewAssessment(assessment),
              IsInvalidArgumentAt("assessment.fiscal_year.be_year"));
  assessment.mutable_fiscal_year()->set_be_year(2700);
  EXPECT_THAT(ita::ValidateNewAssessment(assessment), IsOk());
}

TEST(ValidateNewAssessmentTest, Organization) {
  ita::v1::Assessment assessment = ValidAssessment(89.2);
  assessment.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  assessment.mutable_organization()->set_kind(
      common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_THAT(ita::ValidateNewAssessment(assessment), IsOk());
  assessment.mutable_organization()->set_name(RepeatText("อ", 301));
  EXPECT_THAT(ita::ValidateNewAssessment(assessment),
              IsInvalidArgumentAt("assessment.organization.name"));
}

}  // namespace
}  // namespace prongsai
