// SQL for the plan service's resources, the same statements on SQLite and
// PostgreSQL. Every function takes the calling worker's connection; writes
// run in one transaction each, validate against what is stored (the plan's
// span and tree, the plan's projects) inside it, and bump the
// organization's data version, which keys the cached reads.
//
// Action plans and organizations have columns; the plan's sub-resources
// (projects, risks, annual plans, measures, reports) are rows of identical
// "document" tables (plan_documents.h): key columns for lookups and
// ordering, and the resource itself as protobuf JSON in `body`, so a new
// field needs no migration and the database stays readable for operators.
// The rules the writes check are the domain's (plan_domain.h); the import
// writer is in plan_import_store.cc.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::Project project,
//       CreateProject(db, org, plan_id, project, request_id, call.writer()));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_STORE_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_STORE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "google/protobuf/field_mask.pb.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_import/measures_import.h"
#include "services/plan/plan_import/plan_import.h"
#include "services/plan/plan_import/progress_import.h"

namespace prongsai::plan {

// Schema version of cached encodings; bump on a format change.
inline constexpr int kCacheVersion = 2;

// The plan service's schema, its accounts' tables (account_store.h) too.
std::vector<storage::Migration> Migrations();

// The organization's data version: a random token replaced by every write,
// so a cache key holding it is never served after a write, nor after a
// restore from backup, nor across databases sharing one Redis.
absl::StatusOr<std::string> DataVersion(storage::Connection& db,
                                        absl::string_view organization);

// ------------------------------------------------------------ organizations

absl::StatusOr<v1::Organization> CreateOrganization(
    storage::Connection& db, const common::v1::OrganizationRef& organization,
    const api::AuditWriter& writer);
absl::StatusOr<v1::Organization> GetOrganization(storage::Connection& db,
                                                 absl::string_view code);
absl::StatusOr<api::Page<v1::Organization>> ListOrganizations(
    storage::Connection& db, absl::string_view province,
    common::v1::OrganizationKind kind, const PageRequest& page);
// The public directory: organizations whose name contains `search.query`
// literally (ASCII letters in any case, digits in either style), in the
// search's province and kind, by name then code, after `search.after`.
absl::StatusOr<api::Page<common::v1::OrganizationRef>> SearchOrganizations(
    storage::Connection& db, const OrganizationSearch& search);
absl::StatusOr<v1::Organization> UpdateOrganization(
    storage::Connection& db, const v1::Organization& patch,
    const google::protobuf::FieldMask& mask, const api::AuditWriter& writer);

// ------------------------------------------------------------ action plans

absl::StatusOr<v1::ActionPlan> CreateActionPlan(storage::Connection& db,
                                                absl::string_view organization,
                                                const v1::ActionPlan& plan,
                                                absl::string_view request_id,
                                                const api::AuditWriter& writer);
absl::StatusOr<v1::ActionPlan> GetActionPlan(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id);
absl::StatusOr<api::Page<v1::ActionPlan>> ListActionPlans(
    storage::Connection& db, absl::string_view organization,
    const PageRequest& page);
absl::StatusOr<v1::ActionPlan> UpdateActionPlan(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, const v1::ActionPlan& patch,
    const google::protobuf::FieldMask& mask, const api::AuditWriter& writer);
// DRAFT → APPROVED or APPROVED → ANNOUNCED (FAILED_PRECONDITION otherwise).
absl::StatusOr<v1::ActionPlan> AdvanceActionPlan(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, absl::string_view etag, v1::ActionPlan::State to,
    absl::Time announce_time, const api::AuditWriter& writer);

// ------------------------------------------------------------------ import
// (plan_import_store.cc)

// Stores what ParsePlanDocument read as a new DRAFT plan of `organization`
// (whose registered fields replace the document's), in one transaction.
// Items that fail validation are not stored and become ERROR findings; the
// findings are kept with the plan (ActionPlan.import_findings). A repeated
// request id returns the first import. At most kMaxAnnualEntries annual-plan
// rows are stored; the rest are refused in one finding. With `commit` false
// everything is checked the same way without opening a transaction: a dry
// run never holds a write lock.
absl::StatusOr<v1::ImportActionPlanResponse> ImportActionPlan(
    storage::Connection& db, const common::v1::OrganizationRef& organization,
    ImportedPlan imported, absl::string_view request_id, bool commit,
    const api::AuditWriter& writer);

// --------------------------------------------------------- paperwork imports
// (paperwork_import_store.cc)

// Stores the measures ParseIntegrityMeasures read as `organization`'s, in one
// transaction, after the checks CreateIntegrityMeasure makes (a failure is
// an ERROR finding). With an ERROR finding, or `commit` false, nothing is
// stored and the response lists the measures read. A measure whose
// MeasureTitleKey is already one of the year's is skipped with a
// MEASURE_EXISTS warning. A repeated request id answers with the measures
// the first call stored.
absl::StatusOr<v1::ImportIntegrityMeasuresResponse> ImportIntegrityMeasures(
    storage::Connection& db, absl::string_view organization,
    plan_import::ImportedMeasures imported, absl::string_view request_id,
    bool commit, const api::AuditWriter& writer);

// The organization's measures of `be_year`, for matching a report's rows.
absl::StatusOr<std::vector<plan_import::MeasureRef>> MeasureRefsOfYear(
    storage::Connection& db, absl::string_view organization, int be_year);

// Stores the reports ParseProgressReport matched, in one transaction, as
// ImportIntegrityMeasures stores measures (a later report supersedes an
// earlier one, so none is skipped).
absl::StatusOr<v1::ImportProgressReportsResponse> ImportProgressReports(
    storage::Connection& db, absl::string_view organization,
    plan_import::ImportedProgress imported, absl::string_view request_id,
    bool commit, const api::AuditWriter& writer);

// ---------------------------------------------------------------- projects

absl::StatusOr<v1::Project> CreateProject(storage::Connection& db,
                                          absl::string_view organization,
                                          absl::string_view plan_id,
                                          v1::Project project,
                                          absl::string_view request_id,
                                          const api::AuditWriter& writer);
absl::StatusOr<v1::Project> GetProject(storage::Connection& db,
                                       const PlanChildName& name);
// `be_year` 0 = every year.
absl::StatusOr<api::Page<v1::Project>> ListProjects(
    storage::Connection& db, absl::string_view organization,
    absl::string_view plan_id, int be_year, const PageRequest& page);
// Every project of a plan, by sequence (a plan has at most a few hundred).
absl::StatusOr<std::vector<v1::Project>> AllProjects(
    storage::Connection& db, absl::string_view organization,
    absl::string_view plan_id);
absl::StatusOr<v1::Project> UpdateProject(
    storage::Connection& db, const PlanChildName& name,
    const v1::Project& patch, const google::protobuf::FieldMask& mask,
    const api::AuditWriter& writer);

// ------------------------------------------------------------ annual plans

absl::StatusOr<v1::AnnualPlan> CreateAnnualPlan(
    storage::Connection& db, absl::string_view organization,
    absl::string_view plan_id, int be_year,
    std::vector<int32_t> default_quarters, absl::string_view request_id,
    const api::AuditWriter& writer);
// With totals.
absl::StatusOr<v1::AnnualPlan> GetAnnualPlan(storage::Connection& db,
                                             const PlanChildName& name);
// Every annual plan of a plan, by year, with totals.
absl::StatusOr<std::vector<v1::AnnualPlan>> AllAnnualPlans(
    storage::Connection& db, absl::string_view organization,
    absl::string_view plan_id);
absl::StatusOr<v1::AnnualPlan> UpdateAnnualPlan(
    storage::Connection& db, const PlanChildName& name,
    const v1::AnnualPlan& patch, const google::protobuf::FieldMask& mask,
    const api::AuditWriter& writer);

// ------------------------------------------------------- integrity measures

absl::StatusOr<v1::IntegrityMeasure> CreateIntegrityMeasure(
    storage::Connection& db, absl::string_view organization,
    v1::IntegrityMeasure measure, absl::string_view request_id,
    const api::AuditWriter& writer);
absl::StatusOr<v1::IntegrityMeasure> GetIntegrityMeasure(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id);
absl::StatusOr<api::Page<v1::IntegrityMeasure>> ListIntegrityMeasures(
    storage::Connection& db, absl::string_view organization, int be_year,
    const PageRequest& page);
absl::StatusOr<v1::IntegrityMeasure> UpdateIntegrityMeasure(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, const v1::IntegrityMeasure& patch,
    const google::protobuf::FieldMask& mask, const api::AuditWriter& writer);

// -------------------------------------------------------- progress reports

// The subject must exist (NOT_FOUND otherwise).
absl::StatusOr<v1::ProgressReport> CreateProgressReport(
    storage::Connection& db, absl::string_view organization,
    v1::ProgressReport report, absl::string_view request_id,
    const api::AuditWriter& writer);
struct ProgressReportFilter {
  int be_year = 0;
  v1::Round round = v1::ROUND_UNSPECIFIED;
  std::string subject;
};
absl::StatusOr<api::Page<v1::ProgressReport>> ListProgressReports(
    storage::Connection& db, absl::string_view organization,
    const ProgressReportFilter& filter, const PageRequest& page);
// The summary of `round` for an annual plan (with the year's measures), and
// the title of every item, for rendering.
struct RoundData {
  v1::RoundSummary summary;
  absl::flat_hash_map<std::string, std::string> titles;
};
absl::StatusOr<RoundData> LoadRound(storage::Connection& db,
                                    const PlanChildName& annual,
                                    v1::Round round);

// ------------------------------------------------------------------ risks

absl::StatusOr<v1::Risk> CreateRisk(storage::Connection& db,
                                    absl::string_view organization,
                                    absl::string_view plan_id, v1::Risk risk,
                                    absl::string_view request_id,
                                    const api::AuditWriter& writer);
absl::StatusOr<api::Page<v1::Risk>> ListRisks(storage::Connection& db,
                                              absl::string_view organization,
                                              absl::string_view plan_id,
                                              bool uncontrolled_only,
                                              const PageRequest& page);
// Every risk of a plan, by sequence.
absl::StatusOr<std::vector<v1::Risk>> AllRisks(storage::Connection& db,
                                               absl::string_view organization,
                                               absl::string_view plan_id);
absl::StatusOr<v1::Risk> UpdateRisk(storage::Connection& db,
                                    const PlanChildName& name,
                                    const v1::Risk& patch,
                                    const google::protobuf::FieldMask& mask,
                                    const api::AuditWriter& writer);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_STORE_H_
