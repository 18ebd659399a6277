#include "common/api/data_version.h"

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/api/database_fixture.h"

namespace prongsai::api {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr DataVersionTable kVersions = {"versions", "owner"};

class DataVersionTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    // The table as a service's schema had it before stripes, then migrated.
    Exec(
        "CREATE TABLE versions (owner TEXT NOT NULL PRIMARY KEY, token TEXT "
        "NOT NULL)");
    Exec("INSERT INTO versions (owner, token) VALUES ('old', 'before')");
    ASSERT_TRUE(db().ExecuteScript(StripesTableSql(kVersions, "TEXT")).ok());
  }

  std::string Version(storage::Connection& db, absl::string_view key) {
    absl::StatusOr<std::string> version =
        ReadDataVersion(db, kVersions, std::string(key));
    EXPECT_TRUE(version.ok()) << version.status();
    return version.value_or("");
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, DataVersionTest, testing::kBothBackends,
                         testing::BackendName);

TEST_P(DataVersionTest, EveryReplacementIsANewVersionPerKey) {
  // The migration kept the token written before it; unwritten keys read "0".
  EXPECT_EQ(Version(db(), "old"), "before");
  EXPECT_EQ(Version(db(), "a"), "0");

  absl::flat_hash_set<std::string> seen = {"0"};
  for (int stripe = 0; stripe < 2 * kDataVersionStripes; ++stripe) {
    db().set_write_stripe(stripe % 3);
    ASSERT_TRUE(ReplaceDataVersion(db(), kVersions, std::string("a")).ok());
    EXPECT_TRUE(seen.insert(Version(db(), "a")).second)
        << "a version came back after write " << stripe;
  }
  // Another key is untouched.
  EXPECT_EQ(Version(db(), "b"), "0");
  EXPECT_EQ(Version(db(), "old"), "before");

  // A write that rolls back leaves the version as it was.
  const std::string kept = Version(db(), "a");
  ASSERT_TRUE(db().Begin().ok());
  ASSERT_TRUE(ReplaceDataVersion(db(), kVersions, std::string("a")).ok());
  ASSERT_TRUE(db().Rollback().ok());
  EXPECT_EQ(Version(db(), "a"), kept);
}

// The reason for stripes: two open transactions of different connections
// both write one key's version, neither waiting for the other's commit
// (PostgreSQL would hold the second until the first ended, were they one
// row). SQLite has one writer at a time anyway, so this is PostgreSQL's.
TEST_P(DataVersionTest, WritersOnDifferentStripesDoNotWaitForEachOther) {
  if (GetParam() == storage::Backend::kSqlite) {
    GTEST_SKIP() << "SQLite lets one connection write at a time";
  }
  std::unique_ptr<storage::Connection> first = NewConnection();
  std::unique_ptr<storage::Connection> second = NewConnection();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  first->set_write_stripe(0);
  second->set_write_stripe(1);
  const std::string before = Version(db(), "org");

  ASSERT_TRUE(first->Begin().ok());
  ASSERT_TRUE(ReplaceDataVersion(*first, kVersions, std::string("org")).ok());
  ASSERT_TRUE(second->Begin().ok());
  // Were it waiting for `first`, it would fail at this deadline instead.
  second->SetDeadline(absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(ReplaceDataVersion(*second, kVersions, std::string("org")).ok());
  ASSERT_TRUE(second->Commit().ok());
  const std::string after_second = Version(db(), "org");
  EXPECT_NE(after_second, before);
  ASSERT_TRUE(first->Commit().ok());
  const std::string after_both = Version(db(), "org");
  EXPECT_NE(after_both, after_second);
  EXPECT_NE(after_both, before);
}

TEST_P(DataVersionTest, ReadsTheVersionsOfManyKeysAsOneByOne) {
  for (int stripe : {0, 1, 2}) {
    db().set_write_stripe(stripe);
    ASSERT_TRUE(ReplaceDataVersion(db(), kVersions, std::string("a")).ok());
  }
  ASSERT_TRUE(ReplaceDataVersion(db(), kVersions, std::string("b")).ok());
  // The keys come from elsewhere, as a service's organizations do.
  Exec("CREATE TABLE owners (code TEXT NOT NULL)");
  Exec("INSERT INTO owners (code) VALUES ('a'), ('b'), ('old'), ('never')");
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> versions =
      ReadDataVersionsOf(db(), kVersions,
                         "SELECT code FROM owners WHERE code <> ?",
                         {std::string("b")});
  ASSERT_TRUE(versions.ok()) << versions.status();
  EXPECT_THAT(*versions, UnorderedElementsAre(Pair("a", Version(db(), "a")),
                                              Pair("old", "before")));
}

}  // namespace
}  // namespace prongsai::api
