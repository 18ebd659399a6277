#include "common/storage/sql_text.h"

#include <string>
#include <vector>

#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::storage {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Rewrite(absl::string_view sql) {
  absl::StatusOr<internal::RewrittenSql> rewritten =
      internal::RewritePlaceholders(sql);
  EXPECT_THAT(rewritten, IsOk()) << sql;
  return rewritten.ok() ? rewritten->sql : "";
}

TEST(RewritePlaceholdersTest, NumbersPlaceholdersInOrder) {
  absl::StatusOr<internal::RewrittenSql> rewritten =
      internal::RewritePlaceholders("INSERT INTO t VALUES (?, ?, ?)");
  ASSERT_THAT(rewritten, IsOk());
  EXPECT_EQ(rewritten->sql, "INSERT INTO t VALUES ($1, $2, $3)");
  EXPECT_EQ(rewritten->placeholders, 3);
}

TEST(RewritePlaceholdersTest, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(Rewrite("SELECT 'a?b', ? FROM t"), "SELECT 'a?b', $1 FROM t");
  EXPECT_EQ(Rewrite("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(Rewrite("SELECT x AS \"why?\", ?"), "SELECT x AS \"why?\", $1");
  EXPECT_EQ(Rewrite("SELECT ? -- really?\n, ?"), "SELECT $1 -- really?\n, $2");
  EXPECT_EQ(Rewrite("SELECT /* ? */ ?"), "SELECT /* ? */ $1");
  EXPECT_EQ(Rewrite("SELECT 'ไทย?' || ?"), "SELECT 'ไทย?' || $1");
}

TEST(RewritePlaceholdersTest, UnterminatedLiteralIsCopiedAsIs) {
  EXPECT_EQ(Rewrite("SELECT 'open ?"), "SELECT 'open ?");
}

TEST(RewritePlaceholdersTest, AcceptsTrailingSemicolonAndComment) {
  EXPECT_EQ(Rewrite("SELECT ?;  -- done\n"), "SELECT $1;  -- done\n");
}

TEST(RewritePlaceholdersTest, RejectsSeveralStatements) {
  EXPECT_THAT(internal::RewritePlaceholders("SELECT 1; SELECT 2"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(internal::RewritePlaceholders("SELECT 1; 'x'"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckParamsTest, CountMustMatch) {
  const std::vector<Value> params = {1, "x"};
  EXPECT_THAT(internal::CheckParams(params, 2), IsOk());
  EXPECT_THAT(internal::CheckParams(params, 3),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckParamsTest, RejectsNulAndInvalidUtf8WithoutQuotingThem) {
  const std::vector<Value> with_nul = {std::string("secret\0x", 8)};
  absl::Status status = internal::CheckParams(with_nul, 1);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(status.message(), Not(HasSubstr("secret")));

  const std::vector<Value> invalid = {"ok", "secret\xff"};
  status = internal::CheckParams(invalid, 2);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(status.message(), HasSubstr("parameter 2"));
  EXPECT_THAT(status.message(), Not(HasSubstr("secret")));
}

TEST(RedactUrlTest, ReplacesPasswordInUserInfo) {
  EXPECT_EQ(RedactUrl("postgresql://plan:s3cret@db:5432/plan"),
            "postgresql://plan:***@db:5432/plan");
  // An unencoded '@' or '/' inside the password still does not leak.
  EXPECT_EQ(RedactUrl("postgres://u:p@ss/w@db/plan?sslmode=require"),
            "postgres://u:***@db/plan?sslmode=require");
}

TEST(RedactUrlTest, ReplacesPasswordQueryParameter) {
  EXPECT_EQ(RedactUrl("postgresql://db/plan?user=u&password=s3cret&x=1"),
            "postgresql://db/plan?user=u&password=***&x=1");
  EXPECT_EQ(RedactUrl("postgresql://u:a@db/p?PASSWORD=b"),
            "postgresql://u:***@db/p?PASSWORD=***");
}

TEST(RedactUrlTest, LeavesUrlsWithoutPasswordAlone) {
  EXPECT_EQ(RedactUrl("postgresql://plan@db/plan"),
            "postgresql://plan@db/plan");
  EXPECT_EQ(RedactUrl("sqlite:///var/lib/prongsai/plan.db"),
            "sqlite:///var/lib/prongsai/plan.db");
  EXPECT_EQ(RedactUrl("sqlite:plan.db"), "sqlite:plan.db");
}

TEST(ScrubPasswordTest, RemovesRawAndDecodedPassword) {
  const std::string url = "postgresql://u:p%40ss@db/plan";
  EXPECT_EQ(internal::ScrubPassword("bad p%40ss and p@ss", url),
            "bad *** and ***");
  EXPECT_EQ(internal::UrlPassword(url), "p%40ss");
  EXPECT_EQ(internal::UrlPassword("postgresql://u@db/plan"), "");
}

}  // namespace
}  // namespace prongsai::storage
