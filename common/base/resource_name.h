// Resource names shared by the three APIs (https://google.aip.dev/122):
// every resource lives under its organization, `organizations/{code}/...`,
// and List calls page with opaque tokens (https://google.aip.dev/158).
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::string org,
//                             ParseOrganizationParent("parent", req.parent()));
//   PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
//       ParseChildName("name", req.name(), "actionPlans"));
#ifndef PRONGSAI_COMMON_BASE_RESOURCE_NAME_H_
#define PRONGSAI_COMMON_BASE_RESOURCE_NAME_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai {

// 1-32 ASCII letters, digits, '-' or '_'.
absl::Status ValidateOrganizationCode(absl::string_view field_path,
                                      absl::string_view code);

// The organization code of `organizations/{code}`.
absl::StatusOr<std::string> ParseOrganizationParent(
    absl::string_view field_path, absl::string_view parent);

// `organizations/{organization}/{collection}/{id}`.
struct ChildName {
  std::string organization;
  std::string id;
};
absl::StatusOr<ChildName> ParseChildName(absl::string_view field_path,
                                         absl::string_view name,
                                         absl::string_view collection);
std::string FormatChildName(absl::string_view organization,
                            absl::string_view collection, absl::string_view id);

// A new random resource id: 16 lower-case base32 characters (80 bits).
std::string NewResourceId();

// A validated List request: how many to return and where to resume.
struct PageRequest {
  int limit = 50;
  // Empty for the first page; otherwise what the store put in the token.
  std::string cursor;
};

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Validates `page_size` (negative is an error, 0 means the default, above
// the maximum is clamped) and `page_token`, which must have been issued for
// the same `scope` (the request's parent).
absl::StatusOr<PageRequest> ParsePageRequest(int page_size,
                                             absl::string_view page_token,
                                             absl::string_view scope);

// The token that resumes a listing of `scope` after `cursor`.
std::string MakePageToken(absl::string_view scope, absl::string_view cursor);

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_RESOURCE_NAME_H_
