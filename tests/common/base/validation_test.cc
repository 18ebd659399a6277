#include "common/base/validation.h"

#include "gtest/gtest.h"

namespace prongsai {
namespace {

TEST(InvalidFieldTest, NamesFieldInMessageAndPayload) {
  absl::Status status = InvalidField("action_plan.title", "is required");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "action_plan.title: is required");
  EXPECT_EQ(FieldPathOf(status), "action_plan.title");
  EXPECT_EQ(FieldPathOf(absl::InternalError("x")), std::nullopt);
}

TEST(FieldPathTest, JoinsWithADotUnlessTheBaseIsEmpty) {
  EXPECT_EQ(FieldPath("project", "title"), "project.title");
  EXPECT_EQ(FieldPath("action_plan.fiscal_years", "last_be_year"),
            "action_plan.fiscal_years.last_be_year");
  EXPECT_EQ(FieldPath("", "tools"), "tools");
}

TEST(IndexedPathTest, AppendsTheIndexInBrackets) {
  EXPECT_EQ(IndexedPath("objectives", 0), "objectives[0]");
  EXPECT_EQ(IndexedPath(FieldPath("project", "budgets"), 12),
            "project.budgets[12]");
  EXPECT_EQ(IndexedPath("targets_by_year", 2568), "targets_by_year[2568]");
}

TEST(FieldPathTest, NestsRepeatedMessages) {
  EXPECT_EQ(FieldPath(IndexedPath(FieldPath("", "tools"), 1), "code"),
            "tools[1].code");
  EXPECT_EQ(FieldPath(IndexedPath(FieldPath("framework", "grade_bands"), 2),
                      "min_score"),
            "framework.grade_bands[2].min_score");
  absl::Status status = InvalidField(
      IndexedPath(FieldPath("action_plan", "dimensions"), 0), "must be 1-9");
  EXPECT_EQ(status.message(), "action_plan.dimensions[0]: must be 1-9");
}

TEST(Utf8LengthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  // "แผน" is three Thai code points of three bytes each.
  EXPECT_EQ(Utf8Length("แผน"), 3);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1);  // U+1F600
}

TEST(Utf8LengthTest, RejectsMalformedInput) {
  EXPECT_EQ(Utf8Length("\xE0\xB8"), std::nullopt);          // truncated
  EXPECT_EQ(Utf8Length("\x80"), std::nullopt);              // lone continuation
  EXPECT_EQ(Utf8Length("\xC0\xAF"), std::nullopt);          // overlong '/'
  EXPECT_EQ(Utf8Length("\xED\xA0\x80"), std::nullopt);      // surrogate
  EXPECT_EQ(Utf8Length("\xF4\x90\x80\x80"), std::nullopt);  // > U+10FFFF
  EXPECT_EQ(Utf8Length("ok\xFF"), std::nullopt);
}

TEST(ValidateTextTest, LimitsAreInCharacters) {
  // 300 Thai characters are 900 bytes and still within a 300-char limit.
  std::string thai;
  for (int i = 0; i < 300; ++i) thai += "ก";
  EXPECT_TRUE(ValidateText("f", thai, 300, true).ok());
  absl::Status too_long = ValidateText("f", thai + "ก", 300, true);
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldPathOf(too_long), "f");
}

TEST(ValidateTextTest, RequiredAndEncoding) {
  EXPECT_EQ(ValidateText("f", "", 10, true).message(), "f: is required");
  EXPECT_TRUE(ValidateText("f", "", 10, false).ok());
  EXPECT_EQ(ValidateText("f", "\xFF", 10, false).message(),
            "f: is not valid UTF-8");
}

TEST(ValidateRequestIdTest, PrintableAsciiUpTo64) {
  EXPECT_TRUE(ValidateRequestId("request_id", "").ok());
  EXPECT_TRUE(
      ValidateRequestId("request_id", "5f0c6f3e-8a55-4a6e-9d5f-1b8a2b0c9d11")
          .ok());
  EXPECT_FALSE(ValidateRequestId("request_id", std::string(65, 'a')).ok());
  EXPECT_FALSE(ValidateRequestId("request_id", "has space").ok());
  EXPECT_FALSE(ValidateRequestId("request_id", "ไทย").ok());
}

}  // namespace
}  // namespace prongsai
