// The writers of the paperwork imports (see plan_store.h): a year's
// integrity measures read from a measures table, and a round's progress
// reports read from a progress report, each stored whole in one transaction
// or not at all.
//
// One import writes many rows, and the request id is unique per row: the
// first row carries the caller's id and the n-th "<id> n". A request id
// never has a space (ValidateRequestId), so these never meet a caller's own.
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "services/plan/plan_documents.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_store.h"
#include "services/plan/plan_store_internal.h"

namespace prongsai::plan {
namespace {

using internal::MeasureFromDoc;
using internal::MeasureKeys;
using internal::ReportFromDoc;
using internal::ReportKeys;
using storage::Connection;

bool HasError(const google::protobuf::RepeatedPtrField<v1::Finding>& findings) {
  for (const v1::Finding& finding : findings) {
    if (finding.severity() == v1::Finding::ERROR) return true;
  }
  return false;
}

v1::Finding NewFinding(v1::Finding::Severity severity, absl::string_view code,
                       absl::string_view location, absl::string_view message) {
  v1::Finding finding;
  finding.set_severity(severity);
  finding.set_code(std::string(code));
  finding.set_location(std::string(location));
  finding.set_message(std::string(message));
  return finding;
}

// The request id of the import's `index`-th row (0 first); none without one.
std::string RowRequestId(absl::string_view request_id, int index) {
  if (request_id.empty() || index == 0) return std::string(request_id);
  return absl::StrCat(request_id, " ", index + 1);
}

// The rows one import stored, in its order: the caller's id, then
// "<id> 2", "<id> 3"...
absl::StatusOr<std::vector<Document>> DocumentsOfImport(
    Connection& db, absl::string_view table, absl::string_view organization,
    absl::string_view request_id) {
  const std::string prefix = absl::StrCat(request_id, " ");
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kDocumentColumns, " FROM ", table,
                              " WHERE organization_code = ? AND parent_id = '' "
                              "AND (request_id = ? OR substr(request_id, 1, ",
                              prefix.size(),
                              ") = ?) ORDER BY length(request_id), request_id"),
                 {std::string(organization), std::string(request_id), prefix}));
  std::vector<Document> docs;
  for (const storage::Row& row : result.rows) {
    docs.push_back(DocumentFromRow(row));
  }
  return docs;
}

// Whether CreateOnce answered with an earlier call's rows rather than the
// ones `ids` holds: a repeated request id, or a lost race with its twin
// (whose rows this call's rolled-back transaction never wrote).
bool IsRepeat(absl::string_view first_id, const std::vector<std::string>& ids) {
  return !first_id.empty() && (ids.empty() || ids.front() != first_id);
}

// Each row of an import is stamped a millisecond after the one before, so
// that listings, which order by creation time (reports to the millisecond),
// keep the document's order.
api::AuditWriter RowWriter(const api::AuditWriter& writer, int index) {
  return {writer.principal, writer.now + absl::Milliseconds(index)};
}

}  // namespace

absl::StatusOr<v1::ImportIntegrityMeasuresResponse> ImportIntegrityMeasures(
    Connection& db, absl::string_view organization,
    plan_import::ImportedMeasures imported, absl::string_view request_id,
    bool commit, const api::AuditWriter& writer) {
  v1::ImportIntegrityMeasuresResponse response;
  for (v1::Finding& finding : imported.findings) {
    *response.add_findings() = std::move(finding);
  }
  // The write path's own validation, so that an import stores nothing that
  // CreateIntegrityMeasure would refuse.
  for (v1::IntegrityMeasure& measure : imported.measures) {
    absl::Status valid = ValidateIntegrityMeasure("integrity_measure", measure);
    if (!valid.ok()) {
      *response.add_findings() =
          NewFinding(v1::Finding::ERROR, "NOT_IMPORTED", measure.title(),
                     absl::StrCat("not imported: ", valid.message()));
    }
  }
  if (!commit || HasError(response.findings()) || imported.measures.empty()) {
    for (v1::IntegrityMeasure& measure : imported.measures) {
      *response.add_integrity_measures() = std::move(measure);
    }
    return response;
  }
  const int be_year = imported.measures.front().be_year();

  std::vector<std::string> ids;
  std::vector<v1::Finding> existing_findings;
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string first_id,
      api::CreateOnce(
          db, "integrity_measures", organization, request_id,
          [&](Connection& tx) -> absl::StatusOr<std::string> {
            ids.clear();
            existing_findings.clear();
            absl::flat_hash_set<std::string> existing;
            PRONGSAI_ASSIGN_OR_RETURN(
                std::vector<Document> docs,
                AllDocuments(tx, "integrity_measures", organization, "",
                             int64_t{be_year}));
            for (const Document& doc : docs) {
              PRONGSAI_ASSIGN_OR_RETURN(v1::IntegrityMeasure stored,
                                        MeasureFromDoc(organization, doc));
              existing.insert(plan_import::MeasureTitleKey(stored.title()));
            }
            for (const v1::IntegrityMeasure& measure : imported.measures) {
              if (existing.contains(
                      plan_import::MeasureTitleKey(measure.title()))) {
                existing_findings.push_back(NewFinding(
                    v1::Finding::WARNING, "MEASURE_EXISTS", measure.title(),
                    "already a measure of this year; not stored again"));
                continue;
              }
              const int index = static_cast<int>(ids.size());
              const api::AuditWriter row_writer = RowWriter(writer, index);
              std::string id = NewResourceId();
              PRONGSAI_RETURN_IF_ERROR(InsertDocument(
                  tx, "integrity_measures", organization, "", id,
                  MeasureKeys(measure, row_writer.now), Body(measure),
                  RowRequestId(request_id, index), row_writer));
              ids.push_back(std::move(id));
            }
            return ids.empty() ? std::string() : ids.front();
          }));
  std::vector<Document> stored;
  if (IsRepeat(first_id, ids)) {
    // A repeated request (or the loser of a race with its twin): what the
    // first call stored.
    PRONGSAI_ASSIGN_OR_RETURN(
        stored,
        DocumentsOfImport(db, "integrity_measures", organization, request_id));
  } else {
    for (const std::string& id : ids) {
      PRONGSAI_ASSIGN_OR_RETURN(
          Document doc,
          GetDocument(db, "integrity_measures", organization, "", id, id));
      stored.push_back(std::move(doc));
    }
    for (v1::Finding& finding : existing_findings) {
      *response.add_findings() = std::move(finding);
    }
  }
  for (const Document& doc : stored) {
    PRONGSAI_ASSIGN_OR_RETURN(*response.add_integrity_measures(),
                              MeasureFromDoc(organization, doc));
  }
  response.set_stored(!stored.empty());
  return response;
}

absl::StatusOr<std::vector<plan_import::MeasureRef>> MeasureRefsOfYear(
    Connection& db, absl::string_view organization, int be_year) {
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<Document> docs,
                            AllDocuments(db, "integrity_measures", organization,
                                         "", int64_t{be_year}));
  std::vector<plan_import::MeasureRef> refs;
  for (const Document& doc : docs) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::IntegrityMeasure measure,
                              MeasureFromDoc(organization, doc));
    refs.push_back({measure.name(), measure.title()});
  }
  return refs;
}

absl::StatusOr<v1::ImportProgressReportsResponse> ImportProgressReports(
    Connection& db, absl::string_view organization,
    plan_import::ImportedProgress imported, absl::string_view request_id,
    bool commit, const api::AuditWriter& writer) {
  v1::ImportProgressReportsResponse response;
  response.set_round(imported.round);
  for (v1::Finding& finding : imported.findings) {
    *response.add_findings() = std::move(finding);
  }
  for (const v1::ProgressReport& report : imported.reports) {
    absl::Status valid =
        ValidateProgressReport("progress_report", report, organization);
    if (!valid.ok()) {
      *response.add_findings() =
          NewFinding(v1::Finding::ERROR, "NOT_IMPORTED", report.subject(),
                     absl::StrCat("not imported: ", valid.message()));
    }
  }
  if (!commit || HasError(response.findings()) || imported.reports.empty()) {
    for (v1::ProgressReport& report : imported.reports) {
      *response.add_progress_reports() = std::move(report);
    }
    return response;
  }

  std::vector<std::string> ids;
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string first_id,
      api::CreateOnce(
          db, "progress_reports", organization, request_id,
          [&](Connection& tx) -> absl::StatusOr<std::string> {
            ids.clear();
            for (const v1::ProgressReport& report : imported.reports) {
              const int index = static_cast<int>(ids.size());
              const api::AuditWriter row_writer = RowWriter(writer, index);
              std::string id = NewResourceId();
              PRONGSAI_RETURN_IF_ERROR(
                  InsertDocument(tx, "progress_reports", organization, "", id,
                                 ReportKeys(report, row_writer.now), report,
                                 RowRequestId(request_id, index), row_writer));
              ids.push_back(std::move(id));
            }
            return ids.empty() ? std::string() : ids.front();
          }));
  std::vector<Document> stored;
  if (IsRepeat(first_id, ids)) {
    PRONGSAI_ASSIGN_OR_RETURN(
        stored,
        DocumentsOfImport(db, "progress_reports", organization, request_id));
  } else {
    for (const std::string& id : ids) {
      PRONGSAI_ASSIGN_OR_RETURN(
          Document doc,
          GetDocument(db, "progress_reports", organization, "", id, id));
      stored.push_back(std::move(doc));
    }
  }
  for (const Document& doc : stored) {
    PRONGSAI_ASSIGN_OR_RETURN(*response.add_progress_reports(),
                              ReportFromDoc(organization, doc));
  }
  response.set_stored(!stored.empty());
  return response;
}

}  // namespace prongsai::plan
