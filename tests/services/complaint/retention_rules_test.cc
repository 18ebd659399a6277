// The retention rules without I/O: defaults, ranges, and when an erasure
// falls and is first shown.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/retention.h"

namespace prongsai::complaint {
namespace {

using C = v1::Complaint;

constexpr absl::Duration kDay = absl::Hours(24);

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

v1::RetentionPolicy Policy(int general, int corruption, int warning) {
  v1::RetentionPolicy policy;
  policy.set_general_retention_days(general);
  policy.set_corruption_retention_days(corruption);
  policy.set_warning_days(warning);
  return policy;
}

TEST(RetentionRulesTest, ZeroMeansTheDefault) {
  const v1::RetentionPolicy policy = WithRetentionDefaults(Policy(0, 0, 0));
  EXPECT_EQ(policy.general_retention_days(), kDefaultGeneralRetentionDays);
  EXPECT_EQ(policy.corruption_retention_days(),
            kDefaultCorruptionRetentionDays);
  EXPECT_EQ(policy.warning_days(), kDefaultRetentionWarningDays);
  EXPECT_EQ(RetentionPeriod(Policy(0, 90, 0), C::GENERAL), 365 * kDay);
  EXPECT_EQ(RetentionPeriod(Policy(0, 90, 0), C::CORRUPTION), 90 * kDay);
}

TEST(RetentionRulesTest, EachPeriodIsCheckedAgainstItsRange) {
  EXPECT_TRUE(ValidateRetentionPolicy(Policy(30, 3650, 365)).ok());
  EXPECT_TRUE(ValidateRetentionPolicy(Policy(0, 0, 0)).ok());
  EXPECT_THAT(Message(ValidateRetentionPolicy(Policy(29, 0, 0))),
              ::testing::StartsWith("retention_policy.general_retention_days"));
  EXPECT_THAT(
      Message(ValidateRetentionPolicy(Policy(0, -1, 0))),
      ::testing::StartsWith("retention_policy.corruption_retention_days"));
  EXPECT_THAT(Message(ValidateRetentionPolicy(Policy(0, 0, 366))),
              ::testing::StartsWith("retention_policy.warning_days"));
}

TEST(RetentionRulesTest, AChangeNeverErasesSoonerThanItsWarning) {
  const absl::Time end =
      absl::FromCivil(absl::CivilDay(2026, 1, 1), absl::UTCTimeZone());
  const v1::RetentionPolicy policy = Policy(30, 60, 10);
  EXPECT_EQ(IdentityEraseTime(policy, C::GENERAL, end, absl::InfinitePast()),
            end + 30 * kDay);
  EXPECT_EQ(IdentityEraseTime(policy, C::CORRUPTION, end, absl::InfinitePast()),
            end + 60 * kDay);
  // Changed 100 days after the end: due long ago, erased 10 days later.
  EXPECT_EQ(IdentityEraseTime(policy, C::GENERAL, end, end + 100 * kDay),
            end + 110 * kDay);
  // Listed once the erasure is within the warning period.
  EXPECT_EQ(PendingErasureEndBound(policy, C::GENERAL, end + 30 * kDay),
            end + 10 * kDay);
}

TEST(RetentionRulesTest, ThePolicyIsASingletonOfItsOrganization) {
  EXPECT_EQ(RetentionPolicyName("6340101"),
            "organizations/6340101/retentionPolicy");
  absl::StatusOr<std::string> parsed =
      ParseRetentionPolicyName("name", "organizations/6340101/retentionPolicy");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, "6340101");
  for (const char* bad :
       {"organizations/6340101", "organizations//retentionPolicy",
        "organizations/6340101/retentionPolicy/x", "retentionPolicy"}) {
    EXPECT_THAT(Message(ParseRetentionPolicyName("name", bad).status()),
                ::testing::StartsWith("name:"))
        << bad;
  }
}

TEST(RetentionRulesTest, ARequestReferenceIsRequiredText) {
  EXPECT_TRUE(ValidateRequestReference("คำร้องที่ ๑๒/๒๕๖๙").ok());
  EXPECT_FALSE(ValidateRequestReference("").ok());
  EXPECT_FALSE(ValidateRequestReference(std::string(201, 'x')).ok());
}

}  // namespace
}  // namespace prongsai::complaint
