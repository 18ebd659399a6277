#include "common/base/resource_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/random_text.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai {
namespace {

constexpr absl::string_view kOrganizations = "organizations";

}  // namespace

absl::Status ValidateOrganizationCode(absl::string_view field_path,
                                      absl::string_view code) {
  if (code.empty() || code.size() > 32) {
    return InvalidField(field_path,
                        "organization code must be 1-32 characters");
  }
  for (char c : code) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') {
      return InvalidField(field_path,
                          "organization code may hold only ASCII letters, "
                          "digits, '-' and '_'");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseOrganizationParent(
    absl::string_view field_path, absl::string_view parent) {
  std::vector<absl::string_view> parts = absl::StrSplit(parent, '/');
  if (parts.size() != 2 || parts[0] != kOrganizations) {
    return InvalidField(field_path, "must be organizations/{organization}");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateOrganizationCode(field_path, parts[1]));
  return std::string(parts[1]);
}

absl::StatusOr<ChildName> ParseChildName(absl::string_view field_path,
                                         absl::string_view name,
                                         absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != kOrganizations ||
      parts[2] != collection || parts[3].empty() || parts[3].size() > 64) {
    return InvalidField(field_path,
                        absl::StrCat("must be organizations/{organization}/",
                                     collection, "/{id}"));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateOrganizationCode(field_path, parts[1]));
  return ChildName{std::string(parts[1]), std::string(parts[3])};
}

std::string FormatChildName(absl::string_view organization,
                            absl::string_view collection,
                            absl::string_view id) {
  return absl::StrCat(kOrganizations, "/", organization, "/", collection, "/",
                      id);
}

std::string NewResourceId() { return RandomBase32(16, kLowerBase32); }

absl::StatusOr<PageRequest> ParsePageRequest(int page_size,
                                             absl::string_view page_token,
                                             absl::string_view scope) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  PageRequest request;
  request.limit =
      page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  if (page_token.empty()) return request;
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(page_token, &decoded)) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(decoded, absl::MaxSplits('\n', 1));
  if (parts.first != scope || parts.second.empty()) {
    return InvalidField("page_token",
                        "was issued for a different request; start again "
                        "without a token");
  }
  request.cursor = std::string(parts.second);
  return request;
}

std::string MakePageToken(absl::string_view scope, absl::string_view cursor) {
  return absl::WebSafeBase64Escape(absl::StrCat(scope, "\n", cursor));
}

}  // namespace prongsai
