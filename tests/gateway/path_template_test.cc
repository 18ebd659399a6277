// PathTemplate: http.proto's template syntax parsed, and request paths
// matched against it the way the gateway routes them.
#include "gateway/path_template.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::Pair;

PathTemplate MustParse(absl::string_view text) {
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status();
  return parsed.ok() ? *std::move(parsed)
                     : *PathTemplate::Parse("/never-matches-anything");
}

TEST(PathTemplateTest, RefusesMalformedTemplatesSayingWhy) {
  const std::pair<absl::string_view, absl::string_view> cases[] = {
      {"v1/organizations", "must start with '/'"},
      {"/v1/{name=organizations/*", "not closed"},
      {"/v1/organizations:", "empty verb"},
      {"/v1//organizations", "empty segment"},
      {"/", "empty segment"},
      {"/v1/{=organizations/*}", "unnamed variable"},
      {"/v1/{name=organizations//*}", "empty segment"},
      {"/v1/**/organizations", "'**' must be the last segment"},
      {"/v1/{name=frameworks/**}/versions", "'**' must be the last segment"},
      {"/v1/org*", "bad segment"},
      {"/v1/{name}x", "bad variable"},
  };
  for (const auto& [text, why] : cases) {
    absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr(why)) << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr(text)) << text;
  }
}

TEST(PathTemplateTest, LiteralTemplateMatchesOnlyItself) {
  const PathTemplate t = MustParse("/v1/organizations");
  EXPECT_THAT(t.Match("/v1/organizations"), Optional(ElementsAre()));
  EXPECT_EQ(t.Match("/v1/organizations/6340101"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/organization"), std::nullopt);
  EXPECT_EQ(t.Match("v1/organizations"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/organizations/"), std::nullopt);
  EXPECT_EQ(t.Match("/v2/organizations"), std::nullopt);
  EXPECT_TRUE(t.variables().empty());
}

TEST(PathTemplateTest, VariableWithPatternBindsTheWholeResourceName) {
  const PathTemplate t = MustParse("/v1/{name=organizations/*/complaints/*}");
  EXPECT_THAT(t.Match("/v1/organizations/6340101/complaints/c1"),
              Optional(ElementsAre(
                  Pair("name", "organizations/6340101/complaints/c1"))));
  // The literal inside the pattern must be there.
  EXPECT_EQ(t.Match("/v1/organizations/6340101/replies/c1"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/organizations/6340101/complaints"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/organizations/6340101/complaints/c1/x"), std::nullopt);
  EXPECT_EQ(t.VariablePattern("name"), "organizations/*/complaints/*");
  EXPECT_EQ(t.VariablePattern("other"), "");
  EXPECT_EQ(t.OpenApiPath(), "/v1/{name}");
}

TEST(PathTemplateTest, NoVariableBindsAnEmptySegment) {
  const PathTemplate t = MustParse("/v1/{parent=organizations/*}/complaints");
  EXPECT_THAT(t.Match("/v1/organizations/6340101/complaints"),
              Optional(ElementsAre(Pair("parent", "organizations/6340101"))));
  EXPECT_EQ(t.Match("/v1/organizations//complaints"), std::nullopt);
  const PathTemplate bare = MustParse("/v1/things/{id}");
  EXPECT_EQ(bare.VariablePattern("id"), "*");
  EXPECT_THAT(bare.Match("/v1/things/7"),
              Optional(ElementsAre(Pair("id", "7"))));
  EXPECT_EQ(bare.Match("/v1/things/"), std::nullopt);
  EXPECT_EQ(bare.Match("/v1/things"), std::nullopt);
}

TEST(PathTemplateTest, VerbMustBeThereAndBeTheSameVerb) {
  const PathTemplate t =
      MustParse("/v1/{name=organizations/*/actionPlans/*}:approve");
  EXPECT_THAT(t.Match("/v1/organizations/6340101/actionPlans/p1:approve"),
              Optional(ElementsAre(
                  Pair("name", "organizations/6340101/actionPlans/p1"))));
  EXPECT_EQ(t.Match("/v1/organizations/6340101/actionPlans/p1:announce"),
            std::nullopt);
  EXPECT_EQ(t.Match("/v1/organizations/6340101/actionPlans/p1"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/organizations/6340101/actionPlans/p1:"), std::nullopt);
  // A ':' in an earlier segment is not the verb.
  EXPECT_EQ(t.Match("/v1/organizations/6340101:approve/actionPlans/p1"),
            std::nullopt);
  EXPECT_EQ(t.OpenApiPath(), "/v1/{name}:approve");
  const PathTemplate literal = MustParse("/v1/complaints:track");
  EXPECT_THAT(literal.Match("/v1/complaints:track"), Optional(ElementsAre()));
  EXPECT_EQ(literal.Match("/v1/complaints"), std::nullopt);
  EXPECT_EQ(literal.Match("/v1/complaints:trackx"), std::nullopt);
}

TEST(PathTemplateTest, CustomMethodPathDoesNotMatchAPlainTemplate) {
  // Else GET .../p1:evaluateTargets would read plan "p1:evaluateTargets".
  const PathTemplate t = MustParse("/v1/{name=organizations/*/actionPlans/*}");
  EXPECT_EQ(t.Match("/v1/organizations/6340101/actionPlans/p1:evaluateTargets"),
            std::nullopt);
  const PathTemplate list =
      MustParse("/v1/{parent=organizations/*}/assessments");
  EXPECT_EQ(list.Match("/v1/organizations/6340101/assessments:trend"),
            std::nullopt);
  EXPECT_TRUE(list.Match("/v1/organizations/6340101/assessments").has_value());
}

TEST(PathTemplateTest, DoubleStarTakesTheRestButNotNothing) {
  const PathTemplate t = MustParse("/v1/{name=frameworks/**}");
  EXPECT_THAT(t.Match("/v1/frameworks/2565"),
              Optional(ElementsAre(Pair("name", "frameworks/2565"))));
  EXPECT_THAT(
      t.Match("/v1/frameworks/2565/versions/2"),
      Optional(ElementsAre(Pair("name", "frameworks/2565/versions/2"))));
  EXPECT_EQ(t.Match("/v1/frameworks"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/frameworks/"), std::nullopt);
  EXPECT_EQ(t.Match("/v1/frameworks/2565//versions"), std::nullopt);
  EXPECT_EQ(t.OpenApiPath(), "/v1/{name}");
  const PathTemplate anonymous = MustParse("/v1/files/**");
  EXPECT_THAT(anonymous.Match("/v1/files/a/b/c"), Optional(ElementsAre()));
}

TEST(PathTemplateTest, NestedFieldPathsAndSeveralVariablesInOrder) {
  const PathTemplate t =
      MustParse("/v1/{action_plan.name=organizations/*/actionPlans/*}");
  EXPECT_THAT(t.variables(), ElementsAre("action_plan.name"));
  EXPECT_THAT(t.Match("/v1/organizations/1/actionPlans/2"),
              Optional(ElementsAre(
                  Pair("action_plan.name", "organizations/1/actionPlans/2"))));
  const PathTemplate two = MustParse("/v1/shelves/{shelf}/books/{book.id}");
  EXPECT_THAT(two.variables(), ElementsAre("shelf", "book.id"));
  EXPECT_THAT(
      two.Match("/v1/shelves/s1/books/b2"),
      Optional(ElementsAre(Pair("shelf", "s1"), Pair("book.id", "b2"))));
  EXPECT_EQ(two.OpenApiPath(), "/v1/shelves/{shelf}/books/{book.id}");
}

}  // namespace
}  // namespace prongsai::gateway
