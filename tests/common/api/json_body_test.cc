#include "common/api/json_body.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/common/v1/common.pb.h"
#include "tests/support/test_env.h"

namespace prongsai::api {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::HasSubstr;

TEST(StoredJsonTest, RoundTripsAMessage) {
  common::v1::OrganizationRef ref;
  ref.set_code("6340101");
  ref.set_name("องค์การบริหารส่วนตำบลทดสอบ");
  ref.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  const std::string json = ToStoredJson(ref);
  // Text an operator can read in the column.
  EXPECT_THAT(json, HasSubstr("\"code\":\"6340101\""));

  common::v1::OrganizationRef read;
  ASSERT_THAT(FromStoredJson(json, read), IsOk());
  EXPECT_EQ(read.SerializeAsString(), ref.SerializeAsString());
}

TEST(StoredJsonTest, EmptyObjectIsTheDefaultMessage) {
  EXPECT_EQ(ToStoredJson(common::v1::Money()), "{}");
  common::v1::Money money;
  money.set_satang(5);
  ASSERT_THAT(FromStoredJson("{}", money), IsOk());
  // Parsing replaces the message: nothing of what it held is kept.
  EXPECT_EQ(money.satang(), 0);
}

TEST(StoredJsonTest, IgnoresFieldsWrittenByANewerVersion) {
  common::v1::Money money;
  ASSERT_THAT(FromStoredJson(
                  R"({"satang":"1500000","currencyOfTheFuture":"THB"})", money),
              IsOk());
  EXPECT_EQ(money.satang(), 1500000);
}

TEST(StoredJsonTest, DamagedTextIsInternalAndNamesTheType) {
  common::v1::Money money;
  absl::Status status = FromStoredJson("{\"satang\": ", money);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(status.message(), "stored Money is not readable");
  EXPECT_THAT(FromStoredJson("{\"satang\": \"many\"}", money),
              StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace prongsai::api
