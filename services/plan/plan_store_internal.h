// What plan_store.cc shares with the import writers (plan_import_store.cc,
// which stores a whole plan in one transaction, and paperwork_import_store.cc,
// a year's measures or a round's reports): the plan row's insert, each
// document's collection name and key columns, and the decoding of measures
// and reports. Nothing else includes it.
//
//   PRONGSAI_RETURN_IF_ERROR(InsertDocument(tx, "projects", org, plan_id,
//       id, internal::ProjectKeys(project), Body(project), "", writer));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_STORE_INTERNAL_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_STORE_INTERNAL_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/storage/storage.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/plan/plan_documents.h"

namespace prongsai::plan::internal {

// The collections of a plan's sub-resources in their resource names.
inline constexpr absl::string_view kProjects = "projects";
inline constexpr absl::string_view kRisks = "risks";
inline constexpr absl::string_view kAnnualPlans = "annualPlans";
// ... and of an organization's.
inline constexpr absl::string_view kMeasures = "integrityMeasures";
inline constexpr absl::string_view kReports = "progressReports";

// Inserts `plan` as a new DRAFT plan `id` of `organization` inside `tx`.
absl::Status InsertPlan(storage::Connection& tx, absl::string_view organization,
                        absl::string_view id, const v1::ActionPlan& plan,
                        absl::string_view request_id,
                        const api::AuditWriter& writer);

// The key columns each document is listed by.
DocumentKeys ProjectKeys(const v1::Project& project);
DocumentKeys RiskKeys(const v1::Risk& risk);
DocumentKeys AnnualPlanKeys(const v1::AnnualPlan& annual);
// A measure lists by when it was created, a report by year, round, then
// when it was recorded.
DocumentKeys MeasureKeys(const v1::IntegrityMeasure& measure,
                         absl::Time create_time);
DocumentKeys ReportKeys(const v1::ProgressReport& report,
                        absl::Time report_time);

// The messages of stored documents, output-only fields set.
absl::StatusOr<v1::IntegrityMeasure> MeasureFromDoc(
    absl::string_view organization, const Document& doc);
absl::StatusOr<v1::ProgressReport> ReportFromDoc(absl::string_view organization,
                                                 const Document& doc);

}  // namespace prongsai::plan::internal

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_STORE_INTERNAL_H_
