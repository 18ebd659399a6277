#include "common/api/fields.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/common/v1/common.pb.h"
#include "tests/support/test_env.h"

namespace prongsai::api {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::RepeatText;
using ::testing::HasSubstr;

common::v1::OrganizationRef GoodRef() {
  common::v1::OrganizationRef ref;
  ref.set_code("6340101");
  ref.set_name("องค์การบริหารส่วนตำบลทดสอบ");
  ref.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  ref.set_province("ตาก");
  ref.set_district("แม่สอด");
  return ref;
}

TEST(ValidateOrganizationRefTest, AcceptsAFullAndAnEmptyReference) {
  EXPECT_THAT(ValidateOrganizationRef("action_plan.organization", GoodRef()),
              IsOk());
  // Every field is descriptive and optional.
  EXPECT_THAT(ValidateOrganizationRef("action_plan.organization",
                                      common::v1::OrganizationRef()),
              IsOk());
}

TEST(ValidateOrganizationRefTest, NamesTheFieldUnderTheGivenPath) {
  common::v1::OrganizationRef ref = GoodRef();
  // 300 Thai characters are allowed (counted per code point, not byte).
  ref.set_name(RepeatText("ก", 300));
  EXPECT_THAT(ValidateOrganizationRef("plan.organization", ref), IsOk());
  ref.set_name(RepeatText("ก", 301));
  EXPECT_THAT(ValidateOrganizationRef("plan.organization", ref),
              IsInvalidArgumentAt("plan.organization.name"));

  ref = GoodRef();
  ref.set_province(RepeatText("ก", 101));
  EXPECT_THAT(ValidateOrganizationRef("organization", ref),
              IsInvalidArgumentAt("organization.province"));

  ref = GoodRef();
  ref.set_district("bad\xE0\xB8");
  EXPECT_THAT(ValidateOrganizationRef("organization", ref),
              IsInvalidArgumentAt("organization.district"));

  ref = GoodRef();
  ref.set_kind(static_cast<common::v1::OrganizationKind>(999));
  EXPECT_THAT(ValidateOrganizationRef("a.b[2].organization", ref),
              IsInvalidArgumentAt("a.b[2].organization.kind"));
}

TEST(ValidateFiscalYearTest, AcceptsTheBuddhistEraRangeInclusive) {
  EXPECT_THAT(ValidateFiscalYear("fiscal_year", kMinFiscalYear), IsOk());
  EXPECT_THAT(ValidateFiscalYear("fiscal_year", 2567), IsOk());
  EXPECT_THAT(ValidateFiscalYear("fiscal_year", kMaxFiscalYear), IsOk());
  EXPECT_THAT(ValidateFiscalYear("fiscal_year", kMinFiscalYear - 1 - 543),
              IsInvalidArgumentAt("fiscal_year"));
  EXPECT_THAT(ValidateFiscalYear("fiscal_year", kMaxFiscalYear + 1),
              IsInvalidArgumentAt("fiscal_year"));
}

TEST(ValidateFiscalYearTest, AChristianEraYearGetsTheConvertedYearAsAHint) {
  const absl::Status status =
      ValidateFiscalYear("action_plan.fiscal_years.first_be_year", 2024);
  EXPECT_THAT(status,
              IsInvalidArgumentAt("action_plan.fiscal_years.first_be_year"));
  EXPECT_THAT(status.message(), HasSubstr("2024 looks like a C.E. year"));
  EXPECT_THAT(status.message(), HasSubstr("e.g. 2567"));

  // Out of both ranges: the B.E. range, and no C.E. hint.
  const absl::Status far = ValidateFiscalYear("fiscal_year", 1000);
  EXPECT_THAT(far, IsInvalidArgumentAt("fiscal_year"));
  EXPECT_THAT(far.message(), HasSubstr("between 2500 and 2700"));
  EXPECT_THAT(far.message(), ::testing::Not(HasSubstr("C.E.")));
}

TEST(ProtoTimeTest, SplitsIntoSecondsAndNonNegativeNanos) {
  google::protobuf::Timestamp t =
      ToProtoTime(absl::FromUnixMicros(1'700'000'000'123'456));
  EXPECT_EQ(t.seconds(), 1'700'000'000);
  EXPECT_EQ(t.nanos(), 123'456'000);

  // Before the epoch the nanos still count forward from the second below,
  // as google.protobuf.Timestamp requires.
  t = ToProtoTime(absl::FromUnixMicros(-1));
  EXPECT_EQ(t.seconds(), -1);
  EXPECT_EQ(t.nanos(), 999'999'000);
  t = ToProtoTime(absl::FromUnixMicros(-2'500'000));
  EXPECT_EQ(t.seconds(), -3);
  EXPECT_EQ(t.nanos(), 500'000'000);
  t = ToProtoTime(absl::FromUnixSeconds(-7));
  EXPECT_EQ(t.seconds(), -7);
  EXPECT_EQ(t.nanos(), 0);
}

TEST(ProtoTimeTest, RoundTripsEveryMicrosecondTimeIncludingNegative) {
  for (const int64_t micros :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{999'999},
        int64_t{-999'999}, int64_t{-1'000'000}, int64_t{-1'000'001},
        int64_t{1'700'000'000'123'456}, int64_t{-86'400'000'000'123}}) {
    SCOPED_TRACE(micros);
    const absl::Time time = absl::FromUnixMicros(micros);
    const google::protobuf::Timestamp proto = ToProtoTime(time);
    EXPECT_GE(proto.nanos(), 0);
    EXPECT_LT(proto.nanos(), 1'000'000'000);
    EXPECT_EQ(FromProtoTime(proto), time);
  }
}

}  // namespace
}  // namespace prongsai::api
