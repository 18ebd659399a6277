#include "common/api/row_fields.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/api/database_fixture.h"

namespace prongsai::api {
namespace {

using ::prongsai::api::testing::BackendName;
using ::prongsai::api::testing::DatabaseTest;
using ::prongsai::api::testing::kBothBackends;

// The organization and audit columns through a real table of each backend:
// what Append*Values writes, *FromRow reads back, in the documented order.
class RowFieldsTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Exec(absl::StrCat("CREATE TABLE rows_ (id TEXT NOT NULL PRIMARY KEY, ",
                      kOrganizationColumnsDdl, ", ", kAuditColumnsDdl, ")"));
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, RowFieldsTest, kBothBackends, BackendName);

TEST_P(RowFieldsTest, OrganizationAndAuditColumnsRoundTrip) {
  common::v1::OrganizationRef ref;
  ref.set_code("ignored: the code is the argument");
  ref.set_name("เทศบาลตำบลทดสอบ");
  ref.set_kind(common::v1::MUNICIPALITY);
  ref.set_province("ตาก");
  ref.set_district("แม่สอด");
  const absl::Time now = absl::FromUnixMicros(1'700'000'000'654'321);

  std::vector<storage::Value> values = {std::string("r1")};
  AppendOrganizationValues("6340101", ref, values);
  AppendCreationAuditValues("operator-6340101", now, values);
  ASSERT_EQ(values.size(), 10u);
  Exec(InsertStatement(
           "rows_",
           absl::StrCat("id, ", kOrganizationColumns, ", ", kAuditColumns),
           values.size()),
       values);

  storage::Result result = Exec(absl::StrCat(
      "SELECT id, ", kOrganizationColumns, ", ", kAuditColumns, " FROM rows_"));
  ASSERT_EQ(result.rows.size(), 1u);
  const storage::Row& row = result.rows[0];
  const common::v1::OrganizationRef read = OrganizationFromRow(row, 1);
  EXPECT_EQ(read.code(), "6340101");
  EXPECT_EQ(read.name(), ref.name());
  EXPECT_EQ(read.kind(), common::v1::MUNICIPALITY);
  EXPECT_EQ(read.province(), "ตาก");
  EXPECT_EQ(read.district(), "แม่สอด");

  // A new row: created and last updated by the same writer at the same time.
  const common::v1::AuditStamp audit = AuditFromRow(row, 6);
  EXPECT_EQ(audit.creator(), "operator-6340101");
  EXPECT_EQ(audit.updater(), "operator-6340101");
  EXPECT_EQ(FromProtoTime(audit.create_time()), now);
  EXPECT_EQ(FromProtoTime(audit.update_time()), now);
}

TEST_P(RowFieldsTest, TimesBeforeTheEpochSurviveTheRow) {
  const absl::Time before_epoch = absl::FromUnixMicros(-1'500'000);
  std::vector<storage::Value> values = {std::string("r1")};
  AppendOrganizationValues("6340101", common::v1::OrganizationRef(), values);
  AppendCreationAuditValues("system", before_epoch, values);
  Exec(InsertStatement(
           "rows_",
           absl::StrCat("id, ", kOrganizationColumns, ", ", kAuditColumns),
           values.size()),
       values);
  storage::Result result =
      Exec(absl::StrCat("SELECT ", kAuditColumns, " FROM rows_"));
  ASSERT_EQ(result.rows.size(), 1u);
  const common::v1::AuditStamp audit = AuditFromRow(result.rows[0], 0);
  EXPECT_EQ(audit.create_time().seconds(), -2);
  EXPECT_EQ(audit.create_time().nanos(), 500'000'000);
  EXPECT_EQ(FromProtoTime(audit.update_time()), before_epoch);
}

}  // namespace
}  // namespace prongsai::api
