// Storing a published ITA summary, shared by IngestPublishedScores (one
// assessment) and ImportPublishedResults (a CSV of many), so that both check
// and store the figures the same way: ValidatePublished, CheckPublished's
// findings, then SaveScores in one transaction.
//
//   PRONGSAI_ASSIGN_OR_RETURN(PublishedIngest done,
//       IngestPublished(db, framework, organization, be_year, published,
//                       "published", writer, IngestMode::kWrite));
#ifndef PRONGSAI_SERVICES_ITA_ITA_IMPORT_H_
#define PRONGSAI_SERVICES_ITA_ITA_IMPORT_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/api/fields.h"
#include "common/storage/storage.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

enum class IngestMode {
  // Always write (IngestPublishedScores: the audit stamp moves).
  kWrite,
  // Write unless the assessment already holds exactly these figures.
  kSkipUnchanged,
  // Check and tell what would happen; write nothing.
  kValidateOnly,
};

struct PublishedIngest {
  // As stored (or, validate-only, as it would be stored).
  v1::Assessment assessment;
  // OUTCOME_UNSPECIFIED in kWrite mode (the store is not read first).
  v1::ImportedResultRow::Outcome outcome =
      v1::ImportedResultRow::OUTCOME_UNSPECIFIED;
};

// Validates `published` under `field` against `framework` (the year's
// current one), finds its consistency findings and stores both on
// `organizations/{organization.code}/assessments/{be_year}`, created with
// organization's descriptive fields when missing.
absl::StatusOr<PublishedIngest> IngestPublished(
    storage::Connection& db, const v1::Framework& framework,
    const common::v1::OrganizationRef& organization, int be_year,
    v1::ScoreSet published, absl::string_view field,
    const api::AuditWriter& writer, IngestMode mode);

// Imports a CSV of published results (ImportPublishedResults in ita.proto)
// for `be_year` with `framework`. `may_write` says whether the caller may
// act for an organization code. INVALID_ARGUMENT `content` for a file that
// cannot be read as a whole; every row's own problem is in the response.
absl::StatusOr<v1::ImportPublishedResultsResponse> ImportPublishedResults(
    storage::Connection& db, const v1::Framework& framework,
    const v1::ImportPublishedResultsRequest& request,
    absl::FunctionRef<absl::Status(absl::string_view)> may_write,
    const api::AuditWriter& writer);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_IMPORT_H_
