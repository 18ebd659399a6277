// SQL for the ITA service's assessments, the same statements on SQLite and
// PostgreSQL. An assessment is keyed by organization and fiscal year.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::Assessment a,
//                             GetAssessment(db, "6340101", "2565"));
#ifndef PRONGSAI_SERVICES_ITA_ITA_STORE_H_
#define PRONGSAI_SERVICES_ITA_ITA_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Schema version of the cached Assessment encoding; bump on a format change.
inline constexpr int kCacheVersion = 1;

std::vector<storage::Migration> Migrations();

// ALREADY_EXISTS when the organization already has that fiscal year, unless
// an earlier call with the same request id recorded it (then returns it).
absl::StatusOr<v1::Assessment> CreateAssessment(
    storage::Connection& db, absl::string_view organization,
    const v1::Assessment& assessment, absl::string_view request_id,
    absl::string_view creator, absl::Time now);

// `fiscal_year` is the last segment of the resource name, e.g. "2565".
absl::StatusOr<v1::Assessment> GetAssessment(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view fiscal_year);

struct AssessmentPage {
  std::vector<v1::Assessment> assessments;
  std::string next_cursor;
};
// By fiscal year, oldest first.
absl::StatusOr<AssessmentPage> ListAssessments(storage::Connection& db,
                                               absl::string_view organization,
                                               const PageRequest& page);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_STORE_H_
