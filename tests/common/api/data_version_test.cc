#include "common/api/data_version.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::api {
namespace {

constexpr DataVersionTable kVersions = {"versions", "owner"};

TEST(DataVersionTest, EveryReplacementIsANewTokenPerKey) {
  auto db = storage::Connect(
      absl::StrCat("sqlite://", testing::MakeScratchDir(), "/v.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->ExecuteScript("CREATE TABLE versions (owner TEXT NOT "
                                  "NULL PRIMARY KEY, token TEXT NOT NULL)")
                  .ok());
  // Before any write, every key reads "0".
  EXPECT_EQ(*ReadDataVersion(**db, kVersions, std::string("a")), "0");

  ASSERT_TRUE(ReplaceDataVersion(**db, kVersions, std::string("a")).ok());
  const std::string first = *ReadDataVersion(**db, kVersions, std::string("a"));
  EXPECT_NE(first, "0");
  ASSERT_TRUE(ReplaceDataVersion(**db, kVersions, std::string("a")).ok());
  const std::string second =
      *ReadDataVersion(**db, kVersions, std::string("a"));
  EXPECT_NE(second, first);
  // Another key is untouched.
  EXPECT_EQ(*ReadDataVersion(**db, kVersions, std::string("b")), "0");

  // A write that rolls back leaves the version as it was.
  ASSERT_TRUE((*db)->Begin().ok());
  ASSERT_TRUE(ReplaceDataVersion(**db, kVersions, std::string("a")).ok());
  ASSERT_TRUE((*db)->Rollback().ok());
  EXPECT_EQ(*ReadDataVersion(**db, kVersions, std::string("a")), second);
}

}  // namespace
}  // namespace prongsai::api
