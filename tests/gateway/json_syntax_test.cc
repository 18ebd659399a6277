#include "gateway/json_syntax.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::gateway {
namespace {

using ::testing::HasSubstr;

TEST(JsonSyntaxTest, AcceptsWhatRfc8259Allows) {
  for (const char* text :
       {R"({})", R"([])", R"(  {"a": [1, -2.5e+3, 0, true, false, null]}  )",
        R"({"ชื่อ": "องค์การบริหารส่วนตำบล", "e": "\"\\\/\b\f\n\r\t\u0e01"})",
        R"("just a string")", "12", R"({"a":{"b":{"c":[[],[{}]]}}})"}) {
    EXPECT_TRUE(CheckJsonSyntax(text).ok()) << text;
  }
}

TEST(JsonSyntaxTest, RefusesWhatProtobufsParserWouldForgive) {
  // protobuf 3.21's JSON parser takes each of these.
  for (const char* text :
       {R"({"a": 1,})", R"({'a': 1})", R"([1, 2,])", R"({a: 1})"}) {
    absl::Status status = CheckJsonSyntax(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(JsonSyntaxTest, NamesTheByteAndWhatWasExpected) {
  absl::Status status = CheckJsonSyntax(R"({"a": 1 "b": 2})");
  EXPECT_THAT(status.message(), HasSubstr("at byte 8"));
  EXPECT_THAT(status.message(), HasSubstr("',' or '}'"));
  EXPECT_THAT(CheckJsonSyntax(R"({"a": 1} x)").message(),
              HasSubstr("the end of the body"));
  EXPECT_THAT(CheckJsonSyntax(R"("\x")").message(),
              HasSubstr("a valid escape"));
  EXPECT_THAT(CheckJsonSyntax(R"("\u12")").message(),
              HasSubstr("four hex digits"));
  EXPECT_THAT(CheckJsonSyntax("\"a\nb\"").message(),
              HasSubstr("no control character"));
  EXPECT_THAT(CheckJsonSyntax(R"({"a": 01})").message(),
              HasSubstr("',' or '}'"));
  EXPECT_THAT(CheckJsonSyntax(R"([1.])").message(),
              HasSubstr("digits after '.'"));
  EXPECT_THAT(CheckJsonSyntax(R"([1e])").message(),
              HasSubstr("digits in the exponent"));
  EXPECT_THAT(CheckJsonSyntax(R"("open)").message(),
              HasSubstr("the closing '\"'"));
  EXPECT_THAT(CheckJsonSyntax("").message(), HasSubstr("a value"));
  EXPECT_THAT(CheckJsonSyntax("nul").message(), HasSubstr("a value"));
}

TEST(JsonSyntaxTest, NestingIsBoundedAtProtobufsLimit) {
  auto nested = [](int depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_TRUE(CheckJsonSyntax(nested(kMaxJsonDepth)).ok());
  EXPECT_THAT(CheckJsonSyntax(nested(kMaxJsonDepth + 1)).message(),
              HasSubstr("less nesting"));
  // Far deeper than any stack would survive unbounded recursion.
  EXPECT_THAT(CheckJsonSyntax(nested(1'000'000)).message(),
              HasSubstr("less nesting"));
}

}  // namespace
}  // namespace prongsai::gateway
