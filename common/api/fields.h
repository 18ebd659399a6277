// The shared messages of prongsai.common.v1 as every layer sees them:
// organization references, B.E. fiscal years, timestamps, and who wrote a
// row when. Pure rules, so the services' domain libraries use them; the SQL
// columns of the same fields are in row_fields.h.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateOrganizationRef(
//       "action_plan.organization", plan.organization()));
//   PRONGSAI_RETURN_IF_ERROR(ValidateFiscalYear("fiscal_year.be_year", 2567));
#ifndef PRONGSAI_COMMON_API_FIELDS_H_
#define PRONGSAI_COMMON_API_FIELDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "prongsai/common/v1/common.pb.h"

namespace prongsai::api {

inline constexpr int kMinFiscalYear = 2500;
inline constexpr int kMaxFiscalYear = 2700;

// Descriptive fields only: the code always comes from the resource name.
absl::Status ValidateOrganizationRef(absl::string_view field_path,
                                     const common::v1::OrganizationRef& ref);

// A B.E. fiscal year in [2500, 2700]; a C.E. year gets a hint.
absl::Status ValidateFiscalYear(absl::string_view field_path, int be_year);

google::protobuf::Timestamp ToProtoTime(absl::Time time);
absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp);

// Who makes a write and when: the principal's name and the call's time,
// recorded in the audit columns of every row it creates or updates.
struct AuditWriter {
  std::string principal;
  absl::Time now;
};

}  // namespace prongsai::api

#endif  // PRONGSAI_COMMON_API_FIELDS_H_
