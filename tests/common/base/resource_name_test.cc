#include "common/base/resource_name.h"

#include <set>

#include "common/base/validation.h"
#include "gtest/gtest.h"

namespace prongsai {
namespace {

TEST(ResourceNameTest, ParsesOrganizationParent) {
  EXPECT_EQ(ParseOrganizationParent("parent", "organizations/6340101").value(),
            "6340101");
  for (const char* bad :
       {"", "organizations/", "organization/6340101", "organizations/63 40101",
        "organizations/a/b", "organizations/องค์กร"}) {
    absl::StatusOr<std::string> parsed = ParseOrganizationParent("parent", bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_EQ(FieldPathOf(parsed.status()), "parent") << bad;
  }
  EXPECT_FALSE(
      ParseOrganizationParent("parent", "organizations/" + std::string(33, 'x'))
          .ok());
}

TEST(ResourceNameTest, ChildNamesRoundTrip) {
  std::string name = FormatChildName("6340101", "actionPlans", "abc");
  EXPECT_EQ(name, "organizations/6340101/actionPlans/abc");
  absl::StatusOr<ChildName> parsed =
      ParseChildName("name", name, "actionPlans");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->organization, "6340101");
  EXPECT_EQ(parsed->id, "abc");
  // Right shape, wrong collection.
  EXPECT_EQ(ParseChildName("name", name, "complaints").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseChildName("name", "organizations/6340101/actionPlans/",
                              "actionPlans")
                   .ok());
}

TEST(ResourceNameTest, NewIdsAreDistinctBase32) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewResourceId();
    ASSERT_EQ(id.size(), 16u);
    for (char c : id) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) << id;
    }
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(PageRequestTest, SizeDefaultsAndLimits) {
  EXPECT_EQ(ParsePageRequest(0, "", "p")->limit, kDefaultPageSize);
  EXPECT_EQ(ParsePageRequest(7, "", "p")->limit, 7);
  EXPECT_EQ(ParsePageRequest(5000, "", "p")->limit, kMaxPageSize);
  EXPECT_EQ(FieldPathOf(ParsePageRequest(-1, "", "p").status()), "page_size");
}

TEST(PageRequestTest, TokensAreBoundToTheirScope) {
  std::string token = MakePageToken("organizations/a", "1700000000:xyz");
  absl::StatusOr<PageRequest> same =
      ParsePageRequest(10, token, "organizations/a");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->cursor, "1700000000:xyz");
  absl::StatusOr<PageRequest> other =
      ParsePageRequest(10, token, "organizations/b");
  EXPECT_EQ(FieldPathOf(other.status()), "page_token");
  EXPECT_EQ(FieldPathOf(ParsePageRequest(10, "!!not base64", "x").status()),
            "page_token");
}

}  // namespace
}  // namespace prongsai
