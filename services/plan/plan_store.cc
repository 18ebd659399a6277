#include "services/plan/plan_store.h"

#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "common/api/resource_table.h"
#include "common/base/status_macros.h"

namespace prongsai::plan {
namespace {

constexpr absl::string_view kActionPlans = "actionPlans";

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

// Column order shared by every SELECT below and by PlanFromRow.
const std::string& SelectColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "id, ", api::kOrganizationColumns,
      ", title, first_be_year, last_be_year, state, ", api::kAuditColumns));
  return *columns;
}

v1::ActionPlan PlanFromRow(const storage::Row& row) {
  v1::ActionPlan plan;
  *plan.mutable_organization() = api::OrganizationFromRow(row, 1);
  plan.set_name(FormatChildName(plan.organization().code(), kActionPlans,
                                row.GetText(0)));
  plan.set_title(row.GetText(6));
  plan.mutable_fiscal_years()->set_first_be_year(
      static_cast<int32_t>(row.GetInt(7)));
  plan.mutable_fiscal_years()->set_last_be_year(
      static_cast<int32_t>(row.GetInt(8)));
  plan.set_state(static_cast<v1::ActionPlan::State>(row.GetInt(9)));
  *plan.mutable_audit() = api::AuditFromRow(row, 10);
  return plan;
}

}  // namespace

std::vector<storage::Migration> Migrations() {
  return {{1, "action plans", kMigration1}};
}

absl::StatusOr<v1::ActionPlan> CreateActionPlan(storage::Connection& db,
                                                absl::string_view organization,
                                                const v1::ActionPlan& plan,
                                                absl::string_view request_id,
                                                absl::string_view creator,
                                                absl::Time now) {
  auto insert = [&](storage::Connection& tx) -> absl::StatusOr<std::string> {
    std::string id = NewResourceId();
    std::vector<storage::Value> values = {id};
    api::AppendOrganizationValues(organization, plan.organization(), values);
    values.emplace_back(plan.title());
    values.emplace_back(int64_t{plan.fiscal_years().first_be_year()});
    values.emplace_back(int64_t{plan.fiscal_years().last_be_year()});
    values.emplace_back(int64_t{v1::ActionPlan::DRAFT});
    api::AppendCreationAuditValues(creator, now, values);
    api::AppendRequestId(request_id, values);
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute(
              api::InsertStatement(
                  "action_plans", absl::StrCat(SelectColumns(), ", request_id"),
                  values.size()),
              values)
            .status());
    return id;
  };
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(db, "action_plans", organization, request_id, insert));
  return GetActionPlan(db, organization, id);
}

absl::StatusOr<v1::ActionPlan> GetActionPlan(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", SelectColumns(),
                              " FROM action_plans WHERE organization_code = ? "
                              "AND id = ?"),
                 {std::string(organization), std::string(id)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no action plan ", FormatChildName(organization, kActionPlans, id)));
  }
  return PlanFromRow(result.rows[0]);
}

absl::StatusOr<ActionPlanPage> ListActionPlans(storage::Connection& db,
                                               absl::string_view organization,
                                               const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, "action_plans", SelectColumns(),
                                       "create_time_us", organization, page));
  ActionPlanPage out;
  for (const storage::Row& row : rows.rows)
    out.plans.push_back(PlanFromRow(row));
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

}  // namespace prongsai::plan
