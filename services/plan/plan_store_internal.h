// What plan_store.cc shares with the import writer (plan_import_store.cc),
// which stores a whole plan in one transaction: the plan row's insert, and
// each document's collection name and key columns. Nothing else includes it.
//
//   PRONGSAI_RETURN_IF_ERROR(InsertDocument(tx, "projects", org, plan_id,
//       id, internal::ProjectKeys(project), Body(project), "", writer));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_STORE_INTERNAL_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_STORE_INTERNAL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/api/fields.h"
#include "common/storage/storage.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/plan/plan_documents.h"

namespace prongsai::plan::internal {

// The collections of a plan's sub-resources in their resource names.
inline constexpr absl::string_view kProjects = "projects";
inline constexpr absl::string_view kRisks = "risks";
inline constexpr absl::string_view kAnnualPlans = "annualPlans";

// Inserts `plan` as a new DRAFT plan `id` of `organization` inside `tx`.
absl::Status InsertPlan(storage::Connection& tx, absl::string_view organization,
                        absl::string_view id, const v1::ActionPlan& plan,
                        absl::string_view request_id,
                        const api::AuditWriter& writer);

// The key columns each document is listed by.
DocumentKeys ProjectKeys(const v1::Project& project);
DocumentKeys RiskKeys(const v1::Risk& risk);
DocumentKeys AnnualPlanKeys(const v1::AnnualPlan& annual);

}  // namespace prongsai::plan::internal

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_STORE_INTERNAL_H_
