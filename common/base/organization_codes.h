// The organization codes of a batch request (BatchGetComplaintHandling,
// BatchGetAssessmentResults): validated, sorted and each once, so that the
// one query answering the batch sees every organization once.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::vector<std::string> codes,
//       ParseOrganizationCodes("organizations", {request.organizations()
//           .begin(), request.organizations().end()}, 1000));
#ifndef PRONGSAI_COMMON_BASE_ORGANIZATION_CODES_H_
#define PRONGSAI_COMMON_BASE_ORGANIZATION_CODES_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai {

// The most organizations one batch call names.
inline constexpr int kMaxBatchOrganizations = 1000;

// `codes` sorted, each once: 1 to `max_codes` of them, each a valid code
// (INVALID_ARGUMENT naming `field_path`, or "field_path[i]" for a bad code).
inline absl::StatusOr<std::vector<std::string>> ParseOrganizationCodes(
    absl::string_view field_path, std::vector<std::string> codes,
    int max_codes = kMaxBatchOrganizations) {
  if (codes.empty()) return InvalidField(field_path, "is required");
  if (codes.size() > static_cast<size_t>(max_codes)) {
    return InvalidField(field_path,
                        absl::StrCat("holds more than ", max_codes, " codes"));
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    PRONGSAI_RETURN_IF_ERROR(ValidateOrganizationCode(
        absl::StrCat(field_path, "[", i, "]"), codes[i]));
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_ORGANIZATION_CODES_H_
