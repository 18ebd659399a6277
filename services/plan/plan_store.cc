#include "services/plan/plan_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/data_version.h"
#include "common/api/fields.h"
#include "common/api/json_body.h"
#include "common/api/resource_table.h"
#include "common/api/row_fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"
#include "services/plan/account_store.h"
#include "services/plan/plan_documents.h"
#include "services/plan/plan_figures.h"
#include "services/plan/plan_store_internal.h"

namespace prongsai::plan {
namespace {

using internal::AnnualPlanKeys;
using internal::InsertPlan;
using internal::kAnnualPlans;
using internal::kMeasures;
using internal::kProjects;
using internal::kReports;
using internal::kRisks;
using internal::MeasureFromDoc;
using internal::MeasureKeys;
using internal::ProjectKeys;
using internal::ReportFromDoc;
using internal::ReportKeys;
using internal::RiskKeys;
using storage::Connection;
using storage::Value;

constexpr absl::string_view kMigration1 = R"sql(
CREATE TABLE action_plans (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  organization_name TEXT NOT NULL,
  organization_kind BIGINT NOT NULL,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  title TEXT NOT NULL,
  first_be_year BIGINT NOT NULL,
  last_be_year BIGINT NOT NULL,
  state BIGINT NOT NULL,
  request_id TEXT,
  create_time_us BIGINT NOT NULL,
  creator TEXT NOT NULL,
  update_time_us BIGINT NOT NULL,
  updater TEXT NOT NULL,
  UNIQUE (organization_code, request_id)
);
CREATE INDEX action_plans_by_organization
  ON action_plans (organization_code, create_time_us, id);
)sql";

// Sub-resources share one table shape (see the header). `parent_id` is the
// action plan's id, or '' for organization-level resources; `sort_key`
// orders listings (sequence or creation time); `subject` is what a progress
// report is about.
#define PRONGSAI_DOCUMENT_TABLE(name)                                     \
  "CREATE TABLE " name                                                    \
  " (organization_code TEXT NOT NULL, parent_id TEXT NOT NULL, "          \
  "id TEXT NOT NULL, sort_key BIGINT NOT NULL, be_year BIGINT NOT NULL, " \
  "subject TEXT NOT NULL, body TEXT NOT NULL, version BIGINT NOT NULL, "  \
  "request_id TEXT, create_time_us BIGINT NOT NULL, creator TEXT NOT "    \
  "NULL, update_time_us BIGINT NOT NULL, updater TEXT NOT NULL, "         \
  "PRIMARY KEY (organization_code, parent_id, id), "                      \
  "UNIQUE (organization_code, request_id));\n"                            \
  "CREATE INDEX " name "_by_sort ON " name                                \
  " (organization_code, parent_id, sort_key, id);\n"

constexpr absl::string_view kMigration2 =
    "CREATE TABLE organizations (code TEXT NOT NULL PRIMARY KEY, "
    "name TEXT NOT NULL, kind BIGINT NOT NULL, province TEXT NOT NULL, "
    "district TEXT NOT NULL, version BIGINT NOT NULL, "
    "create_time_us BIGINT NOT NULL, creator TEXT NOT NULL, "
    "update_time_us BIGINT NOT NULL, updater TEXT NOT NULL);\n"
    "CREATE INDEX organizations_by_province ON organizations (province, "
    "code);\n"
    "CREATE TABLE plan_versions (organization_code TEXT NOT NULL PRIMARY "
    "KEY, token TEXT NOT NULL);\n"
    "ALTER TABLE action_plans ADD COLUMN details TEXT NOT NULL DEFAULT "
    "'{}';\n"
    "ALTER TABLE action_plans ADD COLUMN version BIGINT NOT NULL DEFAULT "
    "1;\n" PRONGSAI_DOCUMENT_TABLE("projects") PRONGSAI_DOCUMENT_TABLE("risks")
        PRONGSAI_DOCUMENT_TABLE("annual_plans")
            PRONGSAI_DOCUMENT_TABLE("integrity_measures")
                PRONGSAI_DOCUMENT_TABLE("progress_reports")
    // A sequence number is unique within its plan.
    "CREATE UNIQUE INDEX projects_sequence ON projects (organization_code, "
    "parent_id, sort_key);\n"
    "CREATE INDEX progress_reports_by_year ON progress_reports "
    "(organization_code, be_year, sort_key, id);\n";
#undef PRONGSAI_DOCUMENT_TABLE

// A request id repeated for a different resource (another plan, another
// year) finds the first call's resource, which is not the one asked for.
absl::Status RequestIdReused() {
  return InvalidField("request_id",
                      "was already used to create a different resource; use "
                      "a new request id for a new request");
}

template <typename M>
absl::StatusOr<M> Replayed(absl::StatusOr<M> found) {
  if (absl::IsNotFound(found.status())) return RequestIdReused();
  return found;
}

// ------------------------------------------------------------ organizations

constexpr absl::string_view kOrganizationColumns =
    "code, name, kind, province, district, version, create_time_us, creator, "
    "update_time_us, updater";

v1::Organization OrganizationFromRow(const storage::Row& row) {
  v1::Organization out;
  common::v1::OrganizationRef& ref = *out.mutable_organization();
  ref.set_code(row.GetText(0));
  ref.set_name(row.GetText(1));
  ref.set_kind(static_cast<common::v1::OrganizationKind>(row.GetInt(2)));
  ref.set_province(row.GetText(3));
  ref.set_district(row.GetText(4));
  out.set_name(absl::StrCat("organizations/", ref.code()));
  out.set_etag(Etag(row.GetInt(5)));
  *out.mutable_audit() = api::AuditFromRow(row, 6);
  return out;
}

// The WHERE clause of an organization listing: conditions ANDed, each the
// caller's constant SQL; values go only through `params`.
struct OrganizationQuery {
  std::string where;
  std::vector<Value> params;
};

void AddCondition(OrganizationQuery& query, absl::string_view condition,
                  std::vector<Value> values) {
  absl::StrAppend(&query.where, query.where.empty() ? "" : " AND ", condition);
  for (Value& value : values) query.params.push_back(std::move(value));
}

// The filters ListOrganizations and SearchOrganizations share.
void AddOrganizationFilters(absl::string_view province,
                            common::v1::OrganizationKind kind,
                            OrganizationQuery& query) {
  if (!province.empty()) {
    AddCondition(query, "province = ?", {std::string(province)});
  }
  if (kind != common::v1::ORGANIZATION_KIND_UNSPECIFIED) {
    AddCondition(query, "kind = ?", {int64_t{kind}});
  }
}

// One page of the organizations `query` selects, in `order_by` (a
// constant), at most `limit`; `cursor_of` names the position after the last
// one when more follow.
absl::StatusOr<api::Page<v1::Organization>> OrganizationPage(
    Connection& db, const OrganizationQuery& query, absl::string_view order_by,
    int limit,
    absl::FunctionRef<std::string(const v1::Organization&)> cursor_of) {
  std::string sql =
      absl::StrCat("SELECT ", kOrganizationColumns, " FROM organizations");
  if (!query.where.empty()) absl::StrAppend(&sql, " WHERE ", query.where);
  absl::StrAppend(&sql, " ORDER BY ", order_by, " LIMIT ?");
  std::vector<Value> params = query.params;
  params.emplace_back(int64_t{limit} + 1);
  PRONGSAI_ASSIGN_OR_RETURN(storage::Result result, db.Execute(sql, params));
  api::Page<v1::Organization> out;
  for (const storage::Row& row : result.rows) {
    if (static_cast<int>(out.items.size()) == limit) {
      out.next_cursor = cursor_of(out.items.back());
      break;
    }
    out.items.push_back(OrganizationFromRow(row));
  }
  return out;
}

// A LIKE pattern (with ESCAPE '!') matching any text that contains `text`
// literally: its own %, _ and ! are escaped, so user input is never a
// wildcard.
std::string ContainsPattern(absl::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

// ------------------------------------------------------------ action plans

// Column order shared by every SELECT below and by PlanFromRow.
const std::string& PlanColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("id, ", api::kOrganizationColumns,
                   ", title, first_be_year, last_be_year, state, ",
                   api::kAuditColumns, ", details, version"));
  return *columns;
}

// The plan's fields that have no column of their own.
v1::ActionPlan PlanDetails(const v1::ActionPlan& plan) {
  v1::ActionPlan details;
  *details.mutable_dimensions() = plan.dimensions();
  *details.mutable_targets() = plan.targets();
  details.set_approver(plan.approver());
  if (plan.has_approve_time()) {
    *details.mutable_approve_time() = plan.approve_time();
  }
  if (plan.has_announce_time()) {
    *details.mutable_announce_time() = plan.announce_time();
  }
  *details.mutable_import_findings() = plan.import_findings();
  return details;
}

absl::StatusOr<v1::ActionPlan> PlanFromRow(const storage::Row& row) {
  v1::ActionPlan plan;
  PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(14), plan));
  *plan.mutable_organization() = api::OrganizationFromRow(row, 1);
  plan.set_name(
      FormatActionPlanName(plan.organization().code(), row.GetText(0)));
  plan.set_title(row.GetText(6));
  plan.mutable_fiscal_years()->set_first_be_year(
      static_cast<int32_t>(row.GetInt(7)));
  plan.mutable_fiscal_years()->set_last_be_year(
      static_cast<int32_t>(row.GetInt(8)));
  plan.set_state(static_cast<v1::ActionPlan::State>(row.GetInt(9)));
  *plan.mutable_audit() = api::AuditFromRow(row, 10);
  plan.set_etag(Etag(row.GetInt(15)));
  return plan;
}

// Rewrites a plan's mutable columns if it is still at `version`.
absl::Status WritePlan(Connection& tx, absl::string_view organization,
                       absl::string_view id, int64_t version,
                       const v1::ActionPlan& plan,
                       const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      tx.Execute("UPDATE action_plans SET title = ?, state = ?, details = ?, "
                 "version = version + 1, update_time_us = ?, updater = ? "
                 "WHERE organization_code = ? AND id = ? AND version = ?",
                 {plan.title(), int64_t{plan.state()},
                  api::ToStoredJson(PlanDetails(plan)),
                  absl::ToUnixMicros(writer.now), writer.principal,
                  std::string(organization), std::string(id), version}));
  if (result.affected_rows != 1) {
    return absl::AbortedError(
        "the action plan changed while this call ran; read it again and "
        "retry");
  }
  return BumpVersion(tx, organization);
}

// Takes the plan row's write lock for the rest of the transaction. A plan
// update validates the plan's projects against its new tree, and a project
// write validates against the plan: taking this lock first in both makes
// them run one after the other on PostgreSQL too (READ COMMITTED), so
// neither validates against what the other is changing. (SQLite's BEGIN
// IMMEDIATE serializes writers already.) NOT_FOUND when there is no plan.
absl::Status LockPlan(Connection& tx, absl::string_view organization,
                      absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      tx.Execute("UPDATE action_plans SET version = version WHERE "
                 "organization_code = ? AND id = ?",
                 {std::string(organization), std::string(id)}));
  if (result.affected_rows == 0) {
    return absl::NotFoundError(absl::StrCat(
        "no action plan ", FormatActionPlanName(organization, id)));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- projects

absl::StatusOr<v1::Project> ProjectFromDoc(absl::string_view organization,
                                           const Document& doc) {
  return Decode<v1::Project>(
      doc, FormatPlanChildName(organization, doc.parent_id, kProjects, doc.id));
}

absl::Status CheckSequenceFree(Connection& tx, absl::string_view organization,
                               absl::string_view plan_id, int sequence,
                               absl::string_view except_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      tx.Execute("SELECT id FROM projects WHERE organization_code = ? AND "
                 "parent_id = ? AND sort_key = ? AND id <> ?",
                 {std::string(organization), std::string(plan_id),
                  int64_t{sequence}, std::string(except_id)}));
  if (!result.rows.empty()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "project.sequence: ลำดับที่ ", sequence, " is already in this plan"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Project>> DecodeProjects(
    absl::string_view organization, const std::vector<Document>& docs) {
  std::vector<v1::Project> projects;
  projects.reserve(docs.size());
  for (const Document& doc : docs) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::Project project,
                              ProjectFromDoc(organization, doc));
    projects.push_back(std::move(project));
  }
  return projects;
}

// ------------------------------------------------------------ annual plans

absl::StatusOr<v1::AnnualPlan> AnnualFromDoc(absl::string_view organization,
                                             const Document& doc) {
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::AnnualPlan annual,
      Decode<v1::AnnualPlan>(
          doc, FormatPlanChildName(organization, doc.parent_id, kAnnualPlans,
                                   doc.id)));
  *annual.mutable_totals() = ComputeTotals(annual.entries());
  return annual;
}

absl::StatusOr<std::vector<std::string>> ProjectNames(
    Connection& db, absl::string_view organization, absl::string_view plan_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT id FROM projects WHERE "
                 "organization_code = ? AND parent_id = ?",
                 {std::string(organization), std::string(plan_id)}));
  std::vector<std::string> names;
  for (const storage::Row& row : result.rows) {
    names.push_back(
        FormatPlanChildName(organization, plan_id, kProjects, row.GetText(0)));
  }
  return names;
}

// ------------------------------------------------------- integrity measures

// -------------------------------------------------------- progress reports

// ------------------------------------------------------------------ risks

absl::StatusOr<v1::Risk> RiskFromDoc(absl::string_view organization,
                                     const Document& doc) {
  return Decode<v1::Risk>(
      doc, FormatPlanChildName(organization, doc.parent_id, kRisks, doc.id));
}

// Risk.control_projects must name existing projects of the plan.
absl::Status CheckControls(Connection& tx, absl::string_view field_path,
                           const v1::Risk& risk, absl::string_view organization,
                           absl::string_view plan_id) {
  if (risk.control_projects().empty()) return absl::OkStatus();
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            ProjectNames(tx, organization, plan_id));
  absl::flat_hash_set<std::string> known(names.begin(), names.end());
  for (int i = 0; i < risk.control_projects_size(); ++i) {
    if (!known.contains(risk.control_projects(i))) {
      return InvalidField(
          absl::StrCat(field_path, ".control_projects[", i, "]"),
          "is not a project of this action plan");
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace internal {

absl::Status InsertPlan(Connection& tx, absl::string_view organization,
                        absl::string_view id, const v1::ActionPlan& plan,
                        absl::string_view request_id,
                        const api::AuditWriter& writer) {
  std::vector<Value> values = {std::string(id)};
  api::AppendOrganizationValues(organization, plan.organization(), values);
  values.emplace_back(plan.title());
  values.emplace_back(int64_t{plan.fiscal_years().first_be_year()});
  values.emplace_back(int64_t{plan.fiscal_years().last_be_year()});
  values.emplace_back(int64_t{v1::ActionPlan::DRAFT});
  api::AppendCreationAuditValues(writer.principal, writer.now, values);
  values.emplace_back(api::ToStoredJson(PlanDetails(plan)));
  values.emplace_back(int64_t{1});
  api::AppendRequestId(request_id, values);
  PRONGSAI_RETURN_IF_ERROR(
      tx.Execute(
            api::InsertStatement("action_plans",
                                 absl::StrCat(PlanColumns(), ", request_id"),
                                 values.size()),
            values)
          .status());
  return BumpVersion(tx, organization);
}

DocumentKeys ProjectKeys(const v1::Project& project) {
  return {project.sequence(), 0, ""};
}

DocumentKeys RiskKeys(const v1::Risk& risk) { return {risk.sequence(), 0, ""}; }

DocumentKeys AnnualPlanKeys(const v1::AnnualPlan& annual) {
  return {annual.be_year(), annual.be_year(), ""};
}

DocumentKeys MeasureKeys(const v1::IntegrityMeasure& measure,
                         absl::Time create_time) {
  return {absl::ToUnixMicros(create_time), measure.be_year(), ""};
}

// Reports list by year, then round, then when they were recorded:
// ((year - 2500) * 10 + last quarter of the round) * 10^13 + milliseconds.
DocumentKeys ReportKeys(const v1::ProgressReport& report,
                        absl::Time report_time) {
  return {((int64_t{report.be_year()} - 2500) * 10 +
           LastQuarterOf(report.round())) *
                  10'000'000'000'000 +
              absl::ToUnixMillis(report_time),
          report.be_year(), report.subject()};
}

absl::StatusOr<v1::IntegrityMeasure> MeasureFromDoc(
    absl::string_view organization, const Document& doc) {
  return Decode<v1::IntegrityMeasure>(
      doc, FormatChildName(organization, kMeasures, doc.id));
}

absl::StatusOr<v1::ProgressReport> ReportFromDoc(absl::string_view organization,
                                                 const Document& doc) {
  v1::ProgressReport report;
  PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(doc.body, report));
  report.set_name(FormatChildName(organization, kReports, doc.id));
  report.set_reporter(doc.audit.creator());
  *report.mutable_report_time() = doc.audit.create_time();
  return report;
}

}  // namespace internal

std::vector<storage::Migration> Migrations() {
  static const std::string* const kStriped =
      new std::string(api::StripesTableSql(kPlanVersions, "TEXT"));
  return {{1, "action plans", kMigration1},
          {2,
           "organizations, plan details, projects, risks, annual plans, "
           "measures, progress reports",
           kMigration2},
          kAccountsMigration,
          {4, "data-version stripes", *kStriped}};
}

absl::StatusOr<std::string> DataVersion(Connection& db,
                                        absl::string_view organization) {
  return api::ReadDataVersion(db, kPlanVersions, std::string(organization));
}

// ------------------------------------------------------------ organizations

absl::StatusOr<v1::Organization> CreateOrganization(
    Connection& db, const common::v1::OrganizationRef& organization,
    const api::AuditWriter& writer) {
  std::vector<Value> values = {
      organization.code(),          organization.name(),
      int64_t{organization.kind()}, organization.province(),
      organization.district(),      int64_t{1}};
  api::AppendCreationAuditValues(writer.principal, writer.now, values);
  absl::Status status = storage::InTransaction(db, [&](Connection& tx) {
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute(api::InsertStatement("organizations", kOrganizationColumns,
                                        values.size()),
                   values)
            .status());
    return BumpVersion(tx, organization.code());
  });
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "organization ", organization.code(), " is already registered"));
  }
  PRONGSAI_RETURN_IF_ERROR(status);
  return GetOrganization(db, organization.code());
}

absl::StatusOr<v1::Organization> GetOrganization(Connection& db,
                                                 absl::string_view code) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kOrganizationColumns,
                              " FROM organizations WHERE code = ?"),
                 {std::string(code)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat("organization ", code, " is not registered"));
  }
  return OrganizationFromRow(result.rows[0]);
}

absl::StatusOr<api::Page<v1::Organization>> ListOrganizations(
    Connection& db, absl::string_view province,
    common::v1::OrganizationKind kind, const PageRequest& page) {
  // Codes order the listing; the cursor is the last code returned.
  OrganizationQuery query;
  AddCondition(query, "code > ?", {page.cursor});
  AddOrganizationFilters(province, kind, query);
  return OrganizationPage(
      db, query, "code", page.limit,
      [](const v1::Organization& last) { return last.organization().code(); });
}

absl::StatusOr<api::Page<common::v1::OrganizationRef>> SearchOrganizations(
    Connection& db, const OrganizationSearch& search) {
  // Names order the search, codes break ties; the cursor holds both.
  OrganizationQuery query;
  if (search.after.has_value()) {
    AddCondition(query, "(name > ? OR (name = ? AND code > ?))",
                 {search.after->name, search.after->name, search.after->code});
  }
  if (!search.query.empty()) {
    // Names keep the digits they were registered with: the query (ASCII
    // digits by now) matches either style. A query that is a code finds
    // that organization too (a link carries the code, a person the name).
    const std::string thai_digits = thai::AsciiDigitsToThai(search.query);
    AddCondition(query,
                 "(LOWER(name) LIKE ? ESCAPE '!' OR "
                 "LOWER(name) LIKE ? ESCAPE '!' OR LOWER(code) = ?)",
                 {ContainsPattern(search.query), ContainsPattern(thai_digits),
                  search.query});
  }
  AddOrganizationFilters(search.province, search.kind, query);
  PRONGSAI_ASSIGN_OR_RETURN(
      api::Page<v1::Organization> found,
      OrganizationPage(db, query, "name, code", search.page.limit,
                       [](const v1::Organization& last) {
                         return SearchCursor(last.organization().name(),
                                             last.organization().code());
                       }));
  api::Page<common::v1::OrganizationRef> out;
  out.next_cursor = std::move(found.next_cursor);
  out.items.reserve(found.items.size());
  for (v1::Organization& organization : found.items) {
    out.items.push_back(std::move(*organization.mutable_organization()));
  }
  return out;
}

absl::StatusOr<v1::Organization> UpdateOrganization(
    Connection& db, const v1::Organization& patch,
    const google::protobuf::FieldMask& mask, const api::AuditWriter& writer) {
  const std::string& code = patch.organization().code();
  return Transact<v1::Organization>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::Organization> {
        PRONGSAI_ASSIGN_OR_RETURN(v1::Organization current,
                                  GetOrganization(tx, code));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(patch.etag(), current.etag()));
        v1::Organization updated = current;
        PRONGSAI_RETURN_IF_ERROR(
            ApplyFieldMask(mask, kOrganizationUpdatableFields, patch, updated));
        PRONGSAI_RETURN_IF_ERROR(ValidateOrganization(
            "organization.organization", updated.organization()));
        const common::v1::OrganizationRef& ref = updated.organization();
        PRONGSAI_ASSIGN_OR_RETURN(
            storage::Result result,
            tx.Execute("UPDATE organizations SET name = ?, kind = ?, "
                       "province = ?, district = ?, version = version + 1, "
                       "update_time_us = ?, updater = ? WHERE code = ? AND "
                       "version = ?",
                       {ref.name(), int64_t{ref.kind()}, ref.province(),
                        ref.district(), absl::ToUnixMicros(writer.now),
                        writer.principal, code, VersionOf(current.etag())}));
        if (result.affected_rows != 1) {
          return absl::AbortedError(
              "the organization changed while this call ran; retry");
        }
        PRONGSAI_RETURN_IF_ERROR(BumpVersion(tx, code));
        return GetOrganization(tx, code);
      });
}

// ------------------------------------------------------------ action plans

absl::StatusOr<v1::ActionPlan> CreateActionPlan(
    Connection& db, absl::string_view organization, const v1::ActionPlan& plan,
    absl::string_view request_id, const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(db, "action_plans", organization, request_id,
                      [&](Connection& tx) -> absl::StatusOr<std::string> {
                        std::string id = NewResourceId();
                        PRONGSAI_RETURN_IF_ERROR(InsertPlan(
                            tx, organization, id, plan, request_id, writer));
                        return id;
                      }));
  return GetActionPlan(db, organization, id);
}

absl::StatusOr<v1::ActionPlan> GetActionPlan(Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", PlanColumns(),
                              " FROM action_plans WHERE organization_code = ? "
                              "AND id = ?"),
                 {std::string(organization), std::string(id)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no action plan ", FormatActionPlanName(organization, id)));
  }
  return PlanFromRow(result.rows[0]);
}

absl::StatusOr<api::Page<v1::ActionPlan>> ListActionPlans(
    Connection& db, absl::string_view organization, const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, "action_plans", PlanColumns(),
                                       "create_time_us", organization, page));
  api::Page<v1::ActionPlan> out;
  for (const storage::Row& row : rows.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan plan, PlanFromRow(row));
    out.items.push_back(std::move(plan));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<v1::ActionPlan> UpdateActionPlan(
    Connection& db, absl::string_view organization, absl::string_view id,
    const v1::ActionPlan& patch, const google::protobuf::FieldMask& mask,
    const api::AuditWriter& writer) {
  return Transact<v1::ActionPlan>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::ActionPlan> {
        PRONGSAI_RETURN_IF_ERROR(LockPlan(tx, organization, id));
        PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan current,
                                  GetActionPlan(tx, organization, id));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(patch.etag(), current.etag()));
        v1::ActionPlan updated = current;
        PRONGSAI_RETURN_IF_ERROR(
            ApplyFieldMask(mask, kActionPlanUpdatableFields, patch, updated));
        PRONGSAI_RETURN_IF_ERROR(ValidateText("action_plan.title",
                                              updated.title(), kMaxTitleChars,
                                              /*required=*/true));
        PRONGSAI_RETURN_IF_ERROR(
            ValidateDimensions("action_plan.dimensions", updated));
        PRONGSAI_RETURN_IF_ERROR(
            ValidateTargets("action_plan.targets", updated));
        // Projects must stay inside the new tree.
        PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Project> projects,
                                  AllProjects(tx, organization, id));
        for (v1::Project& project : projects) {
          absl::Status status = ValidateProject("project", project, updated);
          if (!status.ok()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "action_plan.dimensions: the change leaves ลำดับที่ ",
                project.sequence(), " invalid (", status.message(), ")"));
          }
        }
        PRONGSAI_RETURN_IF_ERROR(WritePlan(
            tx, organization, id, VersionOf(current.etag()), updated, writer));
        return GetActionPlan(tx, organization, id);
      });
}

absl::StatusOr<v1::ActionPlan> AdvanceActionPlan(
    Connection& db, absl::string_view organization, absl::string_view id,
    absl::string_view etag, v1::ActionPlan::State to, absl::Time announce_time,
    const api::AuditWriter& writer) {
  return Transact<v1::ActionPlan>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::ActionPlan> {
        PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan plan,
                                  GetActionPlan(tx, organization, id));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(etag, plan.etag()));
        const int64_t version = VersionOf(plan.etag());
        PRONGSAI_RETURN_IF_ERROR(AdvancePlan(plan, to, writer, announce_time));
        PRONGSAI_RETURN_IF_ERROR(
            WritePlan(tx, organization, id, version, plan, writer));
        return GetActionPlan(tx, organization, id);
      });
}

// ---------------------------------------------------------------- projects

absl::StatusOr<v1::Project> CreateProject(Connection& db,
                                          absl::string_view organization,
                                          absl::string_view plan_id,
                                          v1::Project project,
                                          absl::string_view request_id,
                                          const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(
          db, "projects", organization, request_id,
          [&](Connection& tx) -> absl::StatusOr<std::string> {
            PRONGSAI_RETURN_IF_ERROR(LockPlan(tx, organization, plan_id));
            PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan plan,
                                      GetActionPlan(tx, organization, plan_id));
            PRONGSAI_RETURN_IF_ERROR(ValidateProject("project", project, plan));
            PRONGSAI_RETURN_IF_ERROR(CheckSequenceFree(
                tx, organization, plan_id, project.sequence(), ""));
            std::string id = NewResourceId();
            PRONGSAI_RETURN_IF_ERROR(InsertDocument(
                tx, "projects", organization, plan_id, id, ProjectKeys(project),
                Body(project), request_id, writer));
            return id;
          }));
  return Replayed(
      GetProject(db, {std::string(organization), std::string(plan_id), id}));
}

absl::StatusOr<v1::Project> GetProject(Connection& db,
                                       const PlanChildName& name) {
  PRONGSAI_ASSIGN_OR_RETURN(
      Document doc,
      GetDocument(db, "projects", name.organization, name.plan_id, name.id,
                  FormatPlanChildName(name.organization, name.plan_id,
                                      kProjects, name.id)));
  return ProjectFromDoc(name.organization, doc);
}

absl::StatusOr<api::Page<v1::Project>> ListProjects(
    Connection& db, absl::string_view organization, absl::string_view plan_id,
    int be_year, const PageRequest& page) {
  // The year filter needs the body's years, so the plan's projects (a few
  // hundred at most) are filtered here rather than in SQL.
  if (be_year != 0) {
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Project> all,
                              AllProjects(db, organization, plan_id));
    api::Page<v1::Project> out;
    for (v1::Project& project : all) {
      const std::string cursor = absl::StrCat(project.sequence());
      int64_t after = 0;
      if (!page.cursor.empty() && absl::SimpleAtoi(page.cursor, &after) &&
          project.sequence() <= after) {
        continue;
      }
      if (std::find(project.fiscal_years().begin(),
                    project.fiscal_years().end(),
                    be_year) == project.fiscal_years().end()) {
        continue;
      }
      if (static_cast<int>(out.items.size()) == page.limit) {
        out.next_cursor = absl::StrCat(out.items.back().sequence());
        break;
      }
      out.items.push_back(std::move(project));
    }
    return out;
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows,
      api::ListPage(db, "projects", kDocumentColumns, "sort_key", organization,
                    page, {"parent_id = ?", {std::string(plan_id)}}));
  api::Page<v1::Project> out;
  for (const storage::Row& row : rows.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Project project,
        ProjectFromDoc(organization, DocumentFromRow(row)));
    out.items.push_back(std::move(project));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<std::vector<v1::Project>> AllProjects(
    Connection& db, absl::string_view organization, absl::string_view plan_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<Document> docs,
      AllDocuments(db, "projects", organization, plan_id, std::nullopt));
  return DecodeProjects(organization, docs);
}

absl::StatusOr<v1::Project> UpdateProject(
    Connection& db, const PlanChildName& name, const v1::Project& patch,
    const google::protobuf::FieldMask& mask, const api::AuditWriter& writer) {
  return Transact<v1::Project>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::Project> {
        PRONGSAI_RETURN_IF_ERROR(LockPlan(tx, name.organization, name.plan_id));
        PRONGSAI_ASSIGN_OR_RETURN(
            v1::ActionPlan plan,
            GetActionPlan(tx, name.organization, name.plan_id));
        const std::string resource = FormatPlanChildName(
            name.organization, name.plan_id, kProjects, name.id);
        PRONGSAI_ASSIGN_OR_RETURN(Document doc,
                                  GetDocument(tx, "projects", name.organization,
                                              name.plan_id, name.id, resource));
        PRONGSAI_ASSIGN_OR_RETURN(v1::Project project,
                                  ProjectFromDoc(name.organization, doc));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(patch.etag(), project.etag()));
        PRONGSAI_RETURN_IF_ERROR(
            ApplyFieldMask(mask, kProjectUpdatableFields, patch, project));
        PRONGSAI_RETURN_IF_ERROR(ValidateProject("project", project, plan));
        PRONGSAI_RETURN_IF_ERROR(CheckSequenceFree(
            tx, name.organization, name.plan_id, project.sequence(), name.id));
        PRONGSAI_RETURN_IF_ERROR(
            UpdateDocument(tx, "projects", name.organization, doc,
                           ProjectKeys(project), Body(project), writer));
        return GetProject(tx, name);
      });
}

// ------------------------------------------------------------ annual plans

absl::StatusOr<v1::AnnualPlan> CreateAnnualPlan(
    Connection& db, absl::string_view organization, absl::string_view plan_id,
    int be_year, std::vector<int32_t> default_quarters,
    absl::string_view request_id, const api::AuditWriter& writer) {
  if (default_quarters.empty()) default_quarters = {1, 2, 3, 4};
  std::sort(default_quarters.begin(), default_quarters.end());
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(
          db, "annual_plans", organization, request_id,
          [&](Connection& tx) -> absl::StatusOr<std::string> {
            PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan plan,
                                      GetActionPlan(tx, organization, plan_id));
            PRONGSAI_RETURN_IF_ERROR(
                ValidateYearInPlan("be_year", be_year, plan));
            const std::string id = absl::StrCat(be_year);
            PRONGSAI_ASSIGN_OR_RETURN(
                std::optional<Document> existing,
                FindDocument(tx, "annual_plans", organization, plan_id, id));
            if (existing.has_value()) {
              return absl::AlreadyExistsError(absl::StrCat(
                  FormatPlanChildName(organization, plan_id, kAnnualPlans, id),
                  " already exists; update it instead"));
            }
            PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Project> projects,
                                      AllProjects(tx, organization, plan_id));
            std::vector<v1::AnnualPlanEntry> entries =
                DeriveAnnualEntries(projects, be_year, default_quarters);
            if (entries.size() > static_cast<size_t>(kMaxAnnualEntries)) {
              // Stored, it could be neither updated nor exported.
              return absl::FailedPreconditionError(absl::StrCat(
                  "the plan schedules ", entries.size(), " projects in ",
                  be_year, "; an annual plan holds at most ", kMaxAnnualEntries,
                  " entries"));
            }
            v1::AnnualPlan annual;
            annual.set_be_year(be_year);
            for (v1::AnnualPlanEntry& entry : entries) {
              *annual.add_entries() = std::move(entry);
            }
            PRONGSAI_RETURN_IF_ERROR(InsertDocument(
                tx, "annual_plans", organization, plan_id, id,
                {be_year, be_year, ""}, annual, request_id, writer));
            return id;
          }));
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::AnnualPlan annual,
      Replayed(GetAnnualPlan(
          db, {std::string(organization), std::string(plan_id), id})));
  if (annual.be_year() != be_year) return RequestIdReused();
  return annual;
}

absl::StatusOr<v1::AnnualPlan> GetAnnualPlan(Connection& db,
                                             const PlanChildName& name) {
  PRONGSAI_ASSIGN_OR_RETURN(
      Document doc,
      GetDocument(db, "annual_plans", name.organization, name.plan_id, name.id,
                  FormatPlanChildName(name.organization, name.plan_id,
                                      kAnnualPlans, name.id)));
  return AnnualFromDoc(name.organization, doc);
}

absl::StatusOr<std::vector<v1::AnnualPlan>> AllAnnualPlans(
    Connection& db, absl::string_view organization, absl::string_view plan_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<Document> docs,
      AllDocuments(db, "annual_plans", organization, plan_id, std::nullopt));
  std::vector<v1::AnnualPlan> annual_plans;
  for (const Document& doc : docs) {
    PRONGSAI_ASSIGN_OR_RETURN(annual_plans.emplace_back(),
                              AnnualFromDoc(organization, doc));
  }
  return annual_plans;
}

absl::StatusOr<v1::AnnualPlan> UpdateAnnualPlan(
    Connection& db, const PlanChildName& name, const v1::AnnualPlan& patch,
    const google::protobuf::FieldMask& mask, const api::AuditWriter& writer) {
  return Transact<v1::AnnualPlan>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::AnnualPlan> {
        const std::string resource = FormatPlanChildName(
            name.organization, name.plan_id, kAnnualPlans, name.id);
        PRONGSAI_ASSIGN_OR_RETURN(
            Document doc, GetDocument(tx, "annual_plans", name.organization,
                                      name.plan_id, name.id, resource));
        PRONGSAI_ASSIGN_OR_RETURN(v1::AnnualPlan annual,
                                  AnnualFromDoc(name.organization, doc));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(patch.etag(), annual.etag()));
        PRONGSAI_RETURN_IF_ERROR(
            ApplyFieldMask(mask, kAnnualPlanUpdatableFields, patch, annual));
        PRONGSAI_ASSIGN_OR_RETURN(
            std::vector<std::string> names,
            ProjectNames(tx, name.organization, name.plan_id));
        PRONGSAI_RETURN_IF_ERROR(ValidateAnnualEntries(
            "annual_plan.entries", annual.entries(),
            FormatActionPlanName(name.organization, name.plan_id), names));
        PRONGSAI_RETURN_IF_ERROR(ValidateText("annual_plan.note", annual.note(),
                                              kMaxTextChars, false));
        for (v1::AnnualPlanEntry& entry : *annual.mutable_entries()) {
          std::sort(entry.mutable_quarters()->begin(),
                    entry.mutable_quarters()->end());
        }
        annual.clear_totals();
        PRONGSAI_RETURN_IF_ERROR(
            UpdateDocument(tx, "annual_plans", name.organization, doc,
                           AnnualPlanKeys(annual), Body(annual), writer));
        return GetAnnualPlan(tx, name);
      });
}

// ------------------------------------------------------- integrity measures

absl::StatusOr<v1::IntegrityMeasure> CreateIntegrityMeasure(
    Connection& db, absl::string_view organization,
    v1::IntegrityMeasure measure, absl::string_view request_id,
    const api::AuditWriter& writer) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateIntegrityMeasure("integrity_measure", measure));
  std::sort(measure.mutable_quarters()->begin(),
            measure.mutable_quarters()->end());
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(db, "integrity_measures", organization, request_id,
                      [&](Connection& tx) -> absl::StatusOr<std::string> {
                        std::string id = NewResourceId();
                        PRONGSAI_RETURN_IF_ERROR(InsertDocument(
                            tx, "integrity_measures", organization, "", id,
                            MeasureKeys(measure, writer.now), Body(measure),
                            request_id, writer));
                        return id;
                      }));
  return GetIntegrityMeasure(db, organization, id);
}

absl::StatusOr<v1::IntegrityMeasure> GetIntegrityMeasure(
    Connection& db, absl::string_view organization, absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      Document doc, GetDocument(db, "integrity_measures", organization, "", id,
                                FormatChildName(organization, kMeasures, id)));
  return MeasureFromDoc(organization, doc);
}

absl::StatusOr<api::Page<v1::IntegrityMeasure>> ListIntegrityMeasures(
    Connection& db, absl::string_view organization, int be_year,
    const PageRequest& page) {
  api::RowFilter filter{"parent_id = ''", {}};
  if (be_year != 0)
    filter = {"parent_id = '' AND be_year = ?", {int64_t{be_year}}};
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows,
      api::ListPage(db, "integrity_measures", kDocumentColumns, "sort_key",
                    organization, page, filter));
  api::Page<v1::IntegrityMeasure> out;
  for (const storage::Row& row : rows.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::IntegrityMeasure measure,
        MeasureFromDoc(organization, DocumentFromRow(row)));
    out.items.push_back(std::move(measure));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<v1::IntegrityMeasure> UpdateIntegrityMeasure(
    Connection& db, absl::string_view organization, absl::string_view id,
    const v1::IntegrityMeasure& patch, const google::protobuf::FieldMask& mask,
    const api::AuditWriter& writer) {
  return Transact<v1::IntegrityMeasure>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::IntegrityMeasure> {
        PRONGSAI_ASSIGN_OR_RETURN(
            Document doc,
            GetDocument(tx, "integrity_measures", organization, "", id,
                        FormatChildName(organization, kMeasures, id)));
        PRONGSAI_ASSIGN_OR_RETURN(v1::IntegrityMeasure measure,
                                  MeasureFromDoc(organization, doc));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(patch.etag(), measure.etag()));
        PRONGSAI_RETURN_IF_ERROR(ApplyFieldMask(
            mask, kIntegrityMeasureUpdatableFields, patch, measure));
        PRONGSAI_RETURN_IF_ERROR(
            ValidateIntegrityMeasure("integrity_measure", measure));
        std::sort(measure.mutable_quarters()->begin(),
                  measure.mutable_quarters()->end());
        PRONGSAI_RETURN_IF_ERROR(UpdateDocument(
            tx, "integrity_measures", organization, doc,
            MeasureKeys(measure,
                        api::FromProtoTime(measure.audit().create_time())),
            Body(measure), writer));
        return GetIntegrityMeasure(tx, organization, id);
      });
}

// -------------------------------------------------------- progress reports

absl::StatusOr<v1::ProgressReport> CreateProgressReport(
    Connection& db, absl::string_view organization, v1::ProgressReport report,
    absl::string_view request_id, const api::AuditWriter& writer) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateProgressReport("progress_report", report, organization));
  report.clear_name();
  report.clear_reporter();
  report.clear_report_time();
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(
          db, "progress_reports", organization, request_id,
          [&](Connection& tx) -> absl::StatusOr<std::string> {
            // The subject must exist.
            absl::StatusOr<PlanChildName> project =
                ParsePlanChildName("", report.subject(), kProjects);
            absl::Status exists =
                project.ok()
                    ? GetProject(tx, *project).status()
                    : GetIntegrityMeasure(
                          tx, organization,
                          ParseChildName("", report.subject(), kMeasures)->id)
                          .status();
            if (absl::IsNotFound(exists)) {
              return absl::NotFoundError(
                  absl::StrCat("progress_report.subject: ", exists.message()));
            }
            PRONGSAI_RETURN_IF_ERROR(exists);
            std::string id = NewResourceId();
            PRONGSAI_RETURN_IF_ERROR(InsertDocument(
                tx, "progress_reports", organization, "", id,
                ReportKeys(report, writer.now), report, request_id, writer));
            return id;
          }));
  PRONGSAI_ASSIGN_OR_RETURN(
      Document doc, GetDocument(db, "progress_reports", organization, "", id,
                                FormatChildName(organization, kReports, id)));
  return ReportFromDoc(organization, doc);
}

absl::StatusOr<api::Page<v1::ProgressReport>> ListProgressReports(
    Connection& db, absl::string_view organization,
    const ProgressReportFilter& filter, const PageRequest& page) {
  api::RowFilter where{"parent_id = ''", {}};
  if (filter.be_year != 0) {
    absl::StrAppend(&where.sql, " AND be_year = ?");
    where.params.emplace_back(int64_t{filter.be_year});
  }
  if (!filter.subject.empty()) {
    absl::StrAppend(&where.sql, " AND subject = ?");
    where.params.emplace_back(filter.subject);
  }
  api::Page<v1::ProgressReport> out;
  // The round lives in the body; filtering it here keeps the table simple,
  // at the price of pages shorter than asked for (the token still resumes).
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, "progress_reports", kDocumentColumns,
                                       "sort_key", organization, page, where));
  for (const storage::Row& row : rows.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::ProgressReport report,
        ReportFromDoc(organization, DocumentFromRow(row)));
    if (filter.round != v1::ROUND_UNSPECIFIED &&
        report.round() != filter.round) {
      continue;
    }
    out.items.push_back(std::move(report));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<RoundData> LoadRound(Connection& db, const PlanChildName& annual,
                                    v1::Round round) {
  PRONGSAI_ASSIGN_OR_RETURN(v1::AnnualPlan plan, GetAnnualPlan(db, annual));
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<Document> measure_docs,
      AllDocuments(db, "integrity_measures", annual.organization, "",
                   plan.be_year()));
  std::vector<v1::IntegrityMeasure> measures;
  for (const Document& doc : measure_docs) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::IntegrityMeasure measure,
                              MeasureFromDoc(annual.organization, doc));
    measures.push_back(std::move(measure));
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<Document> report_docs,
      AllDocuments(db, "progress_reports", annual.organization, "",
                   plan.be_year()));
  std::vector<v1::ProgressReport> reports;
  for (const Document& doc : report_docs) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::ProgressReport report,
                              ReportFromDoc(annual.organization, doc));
    reports.push_back(std::move(report));
  }
  RoundData out;
  for (const v1::AnnualPlanEntry& entry : plan.entries()) {
    if (!entry.project().empty()) out.titles[entry.project()] = entry.title();
  }
  for (const v1::IntegrityMeasure& measure : measures) {
    out.titles[measure.name()] = measure.title();
  }
  out.summary = SummarizeRound(plan, measures, reports, round);
  return out;
}

// ------------------------------------------------------------------ risks

absl::StatusOr<v1::Risk> CreateRisk(Connection& db,
                                    absl::string_view organization,
                                    absl::string_view plan_id, v1::Risk risk,
                                    absl::string_view request_id,
                                    const api::AuditWriter& writer) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRisk("risk", risk, FormatActionPlanName(organization, plan_id)));
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(db, "risks", organization, request_id,
                      [&](Connection& tx) -> absl::StatusOr<std::string> {
                        PRONGSAI_RETURN_IF_ERROR(
                            GetActionPlan(tx, organization, plan_id).status());
                        PRONGSAI_RETURN_IF_ERROR(CheckControls(
                            tx, "risk", risk, organization, plan_id));
                        std::string id = NewResourceId();
                        PRONGSAI_RETURN_IF_ERROR(InsertDocument(
                            tx, "risks", organization, plan_id, id,
                            RiskKeys(risk), Body(risk), request_id, writer));
                        return id;
                      }));
  PRONGSAI_ASSIGN_OR_RETURN(
      Document doc,
      Replayed(
          GetDocument(db, "risks", organization, plan_id, id,
                      FormatPlanChildName(organization, plan_id, kRisks, id))));
  return RiskFromDoc(organization, doc);
}

absl::StatusOr<api::Page<v1::Risk>> ListRisks(Connection& db,
                                              absl::string_view organization,
                                              absl::string_view plan_id,
                                              bool uncontrolled_only,
                                              const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows,
      api::ListPage(db, "risks", kDocumentColumns, "sort_key", organization,
                    page, {"parent_id = ?", {std::string(plan_id)}}));
  absl::flat_hash_set<std::string> projects;
  if (uncontrolled_only) {
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<std::string> names,
                              ProjectNames(db, organization, plan_id));
    projects.insert(names.begin(), names.end());
  }
  api::Page<v1::Risk> out;
  for (const storage::Row& row : rows.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::Risk risk,
                              RiskFromDoc(organization, DocumentFromRow(row)));
    if (uncontrolled_only &&
        std::any_of(
            risk.control_projects().begin(), risk.control_projects().end(),
            [&](const std::string& p) { return projects.contains(p); })) {
      continue;
    }
    out.items.push_back(std::move(risk));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<std::vector<v1::Risk>> AllRisks(Connection& db,
                                               absl::string_view organization,
                                               absl::string_view plan_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<Document> docs,
      AllDocuments(db, "risks", organization, plan_id, std::nullopt));
  std::vector<v1::Risk> risks;
  for (const Document& doc : docs) {
    PRONGSAI_ASSIGN_OR_RETURN(risks.emplace_back(),
                              RiskFromDoc(organization, doc));
  }
  return risks;
}

absl::StatusOr<v1::Risk> UpdateRisk(Connection& db, const PlanChildName& name,
                                    const v1::Risk& patch,
                                    const google::protobuf::FieldMask& mask,
                                    const api::AuditWriter& writer) {
  return Transact<v1::Risk>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::Risk> {
        const std::string resource = FormatPlanChildName(
            name.organization, name.plan_id, kRisks, name.id);
        PRONGSAI_ASSIGN_OR_RETURN(Document doc,
                                  GetDocument(tx, "risks", name.organization,
                                              name.plan_id, name.id, resource));
        PRONGSAI_ASSIGN_OR_RETURN(v1::Risk risk,
                                  RiskFromDoc(name.organization, doc));
        PRONGSAI_RETURN_IF_ERROR(CheckEtag(patch.etag(), risk.etag()));
        PRONGSAI_RETURN_IF_ERROR(
            ApplyFieldMask(mask, kRiskUpdatableFields, patch, risk));
        PRONGSAI_RETURN_IF_ERROR(ValidateRisk(
            "risk", risk,
            FormatActionPlanName(name.organization, name.plan_id)));
        PRONGSAI_RETURN_IF_ERROR(
            CheckControls(tx, "risk", risk, name.organization, name.plan_id));
        PRONGSAI_RETURN_IF_ERROR(UpdateDocument(tx, "risks", name.organization,
                                                doc, RiskKeys(risk), Body(risk),
                                                writer));
        PRONGSAI_ASSIGN_OR_RETURN(Document updated,
                                  GetDocument(tx, "risks", name.organization,
                                              name.plan_id, name.id, resource));
        return RiskFromDoc(name.organization, updated);
      });
}

}  // namespace prongsai::plan
