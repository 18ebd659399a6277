#include "services/ita/ita_import.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_results_csv.h"
#include "services/ita/ita_scoring.h"
#include "services/ita/ita_store.h"

namespace prongsai::ita {
namespace {

using google::protobuf::util::MessageDifferencer;
using storage::Connection;
using Outcome = v1::ImportedResultRow::Outcome;

// Whether SaveScores would leave `stored` as it is: the same framework
// version, summary and findings, and no descriptive field it would fill in
// (it fills only empty ones).
bool WouldBeUnchanged(const v1::Assessment& stored,
                      const v1::Framework& framework,
                      const common::v1::OrganizationRef& organization,
                      const ScoreUpdate& update) {
  if (stored.framework_version() != framework.version() ||
      !MessageDifferencer::Equals(stored.published(), *update.published) ||
      static_cast<size_t>(stored.findings_size()) != update.findings.size()) {
    return false;
  }
  for (size_t i = 0; i < update.findings.size(); ++i) {
    if (!MessageDifferencer::Equals(stored.findings(static_cast<int>(i)),
                                    update.findings[i])) {
      return false;
    }
  }
  const common::v1::OrganizationRef& have = stored.organization();
  auto fills = [](const std::string& now, const std::string& incoming) {
    return now.empty() && !incoming.empty();
  };
  return !fills(have.name(), organization.name()) &&
         !fills(have.province(), organization.province()) &&
         !fills(have.district(), organization.district()) &&
         !(have.kind() == common::v1::ORGANIZATION_KIND_UNSPECIFIED &&
           organization.kind() != common::v1::ORGANIZATION_KIND_UNSPECIFIED);
}

// The assessment a validate-only import would create.
v1::Assessment WouldCreate(const v1::Framework& framework,
                           const common::v1::OrganizationRef& organization,
                           int be_year, const ScoreUpdate& update) {
  v1::Assessment assessment;
  assessment.set_name(FormatChildName(organization.code(), "assessments",
                                      absl::StrCat(be_year)));
  *assessment.mutable_organization() = organization;
  assessment.mutable_fiscal_year()->set_be_year(be_year);
  assessment.set_framework_version(framework.version());
  *assessment.mutable_published() = *update.published;
  for (const v1::ConsistencyFinding& finding : update.findings) {
    *assessment.add_findings() = finding;
  }
  SetEffectiveOverallScore(assessment);
  return assessment;
}

// What writing `update` would do to the stored assessment, read first.
absl::StatusOr<PublishedIngest> Compare(
    Connection& db, const v1::Framework& framework,
    const common::v1::OrganizationRef& organization, int be_year,
    const ScoreUpdate& update) {
  absl::StatusOr<v1::Assessment> stored =
      GetAssessment(db, organization.code(), be_year);
  if (absl::IsNotFound(stored.status())) {
    return PublishedIngest{
        WouldCreate(framework, organization, be_year, update),
        v1::ImportedResultRow::CREATED};
  }
  PRONGSAI_RETURN_IF_ERROR(stored.status());
  if (WouldBeUnchanged(*stored, framework, organization, update)) {
    return PublishedIngest{*std::move(stored),
                           v1::ImportedResultRow::UNCHANGED};
  }
  v1::Assessment updated = *std::move(stored);
  *updated.mutable_published() = *update.published;
  updated.clear_findings();
  for (const v1::ConsistencyFinding& finding : update.findings) {
    *updated.add_findings() = finding;
  }
  updated.set_framework_version(framework.version());
  SetEffectiveOverallScore(updated);
  return PublishedIngest{std::move(updated), v1::ImportedResultRow::UPDATED};
}

// Imports one parsed row; a refusal (the row's problem) or the result.
absl::StatusOr<PublishedIngest> ImportRow(Connection& db,
                                          const v1::Framework& framework,
                                          int be_year, const ResultRow& row,
                                          const api::AuditWriter& writer,
                                          bool validate_only) {
  PRONGSAI_RETURN_IF_ERROR(
      api::ValidateOrganizationRef("organization", row.organization));
  return IngestPublished(
      db, framework, row.organization, be_year, row.published, "published",
      writer,
      validate_only ? IngestMode::kValidateOnly : IngestMode::kSkipUnchanged);
}

void AddRefusal(RowRefusal refusal,
                v1::ImportPublishedResultsResponse& response) {
  v1::RefusedResultRow& out = *response.add_refused();
  out.set_row(refusal.row);
  out.set_column(std::move(refusal.column));
  out.set_message(std::move(refusal.message));
  out.set_organization_code(std::move(refusal.organization_code));
}

void AddImported(int row, PublishedIngest done,
                 v1::ImportPublishedResultsResponse& response) {
  v1::ImportedResultRow& out = *response.add_imported();
  out.set_row(row);
  out.set_assessment(done.assessment.name());
  out.set_outcome(done.outcome);
  *out.mutable_findings() = std::move(*done.assessment.mutable_findings());
  switch (done.outcome) {
    case v1::ImportedResultRow::CREATED:
      response.set_created(response.created() + 1);
      break;
    case v1::ImportedResultRow::UPDATED:
      response.set_updated(response.updated() + 1);
      break;
    default:
      response.set_unchanged(response.unchanged() + 1);
      break;
  }
}

// A header column for an indicator the framework does not have misreads
// every row: the whole file is refused.
absl::Status CheckIndicatorColumns(const v1::Framework& framework,
                                   const ParsedResults& parsed) {
  for (int number : parsed.indicator_columns) {
    bool known = false;
    for (const v1::Indicator& indicator : framework.indicators()) {
      known = known || indicator.number() == number;
    }
    if (!known) {
      return InvalidField("content",
                          absl::StrCat("record 1: the ", framework.be_year(),
                                       " framework has no indicator ", number));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PublishedIngest> IngestPublished(
    Connection& db, const v1::Framework& framework,
    const common::v1::OrganizationRef& organization, int be_year,
    v1::ScoreSet published, absl::string_view field,
    const api::AuditWriter& writer, IngestMode mode) {
  PRONGSAI_RETURN_IF_ERROR(ValidatePublished(field, framework, published));
  ScoreUpdate update;
  update.findings = CheckPublished(framework, published);
  update.published = std::move(published);
  PublishedIngest done;
  if (mode != IngestMode::kWrite) {
    PRONGSAI_ASSIGN_OR_RETURN(
        done, Compare(db, framework, organization, be_year, update));
    if (mode == IngestMode::kValidateOnly ||
        done.outcome == v1::ImportedResultRow::UNCHANGED) {
      return done;
    }
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      done.assessment,
      SaveScores(db, organization, be_year, framework, update, writer));
  return done;
}

absl::StatusOr<v1::ImportPublishedResultsResponse> ImportPublishedResults(
    Connection& db, const v1::Framework& framework,
    const v1::ImportPublishedResultsRequest& request,
    absl::FunctionRef<absl::Status(absl::string_view)> may_write,
    const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(ParsedResults parsed,
                            ParseResultsCsv(request.content()));
  PRONGSAI_RETURN_IF_ERROR(CheckIndicatorColumns(framework, parsed));
  v1::ImportPublishedResultsResponse response;
  response.set_validate_only(request.validate_only());
  // Refusals and imports in file order.
  auto refusal = parsed.refused.begin();
  auto flush_refusals_before = [&](int row) {
    for (; refusal != parsed.refused.end() && refusal->row < row; ++refusal) {
      AddRefusal(std::move(*refusal), response);
    }
  };
  for (const ResultRow& row : parsed.rows) {
    flush_refusals_before(row.row);
    if (absl::Status scope = may_write(row.organization.code()); !scope.ok()) {
      AddRefusal({row.row, row.columns.at("organization.code"),
                  std::string(scope.message()), row.organization.code()},
                 response);
      continue;
    }
    absl::StatusOr<PublishedIngest> done = ImportRow(
        db, framework, request.be_year(), row, writer, request.validate_only());
    if (absl::IsInvalidArgument(done.status())) {
      AddRefusal(RefusalOf(row, done.status()), response);
    } else if (!done.ok()) {
      // The database failing is not the row's fault: the call fails, and
      // what was imported so far stays (each row is its own transaction).
      return done.status();
    } else {
      AddImported(row.row, *std::move(done), response);
    }
  }
  flush_refusals_before(INT32_MAX);
  return response;
}

}  // namespace prongsai::ita
