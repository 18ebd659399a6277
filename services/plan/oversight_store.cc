#include "services/plan/oversight_store.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/data_version.h"
#include "common/api/fields.h"
#include "common/api/json_body.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/thai/thai.h"
#include "services/plan/plan_documents.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_figures.h"

namespace prongsai::plan {
namespace {

using storage::Connection;
using storage::Value;

// The WHERE condition on `organizations o` that selects the group.
struct GroupSql {
  std::string where;
  std::vector<Value> params;
};

GroupSql GroupWhere(const StandingGroup& group) {
  GroupSql sql{"1 = 1", {}};
  if (!group.province.empty()) {
    absl::StrAppend(&sql.where, " AND o.province = ?");
    sql.params.emplace_back(group.province);
  }
  if (!group.district.empty()) {
    absl::StrAppend(&sql.where, " AND o.district = ?");
    sql.params.emplace_back(group.district);
  }
  if (group.kind != common::v1::ORGANIZATION_KIND_UNSPECIFIED) {
    absl::StrAppend(&sql.where, " AND o.kind = ?");
    sql.params.emplace_back(int64_t{group.kind});
  }
  if (!group.all_organizations) {
    if (group.organizations.empty()) {
      absl::StrAppend(&sql.where, " AND 1 = 0");
      return sql;
    }
    absl::StrAppend(&sql.where, " AND o.code IN (");
    for (size_t i = 0; i < group.organizations.size(); ++i) {
      absl::StrAppend(&sql.where, i == 0 ? "?" : ", ?");
      sql.params.emplace_back(group.organizations[i]);
    }
    absl::StrAppend(&sql.where, ")");
  }
  return sql;
}

// Runs `select` (which ends in "organization_code IN (") over the group,
// with `params` before the group's.
absl::StatusOr<storage::Result> OverGroup(Connection& db,
                                          const StandingGroup& group,
                                          absl::string_view select,
                                          std::vector<Value> params) {
  GroupSql sql = GroupWhere(group);
  for (Value& value : sql.params) params.push_back(std::move(value));
  return db.Execute(
      absl::StrCat(select, "SELECT o.code FROM organizations o WHERE ",
                   sql.where, ")"),
      params);
}

// The furthest along (announced, approved, draft) of the plans covering
// the year; the first by id among equals.
absl::Status AddPlans(Connection& db, const StandingGroup& group,
                      absl::flat_hash_map<std::string, PlanFacts>& facts) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      OverGroup(db, group,
                "SELECT organization_code, id, state, details FROM "
                "action_plans WHERE first_be_year <= ? AND last_be_year >= ? "
                "AND organization_code IN (",
                {int64_t{group.be_year}, int64_t{group.be_year}}));
  absl::flat_hash_map<std::string, std::pair<int64_t, std::string>> best;
  for (const storage::Row& row : result.rows) {
    const std::string& code = row.GetText(0);
    auto [it, inserted] = best.try_emplace(code, row.GetInt(2), row.GetText(1));
    if (!inserted && (row.GetInt(2) < it->second.first ||
                      (row.GetInt(2) == it->second.first &&
                       row.GetText(1) >= it->second.second))) {
      continue;
    }
    it->second = {row.GetInt(2), row.GetText(1)};
    v1::ActionPlan details;
    PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(3), details));
    v1::PlanStanding& plan = facts[code].standing;
    plan.set_action_plan(FormatActionPlanName(code, row.GetText(1)));
    plan.set_action_plan_state(
        static_cast<v1::ActionPlan::State>(row.GetInt(2)));
    if (details.has_announce_time()) {
      *plan.mutable_announce_time() = details.announce_time();
    } else {
      plan.clear_announce_time();
    }
  }
  return absl::OkStatus();
}

// The annual plan of the year under the chosen plan, else the first (by
// name) of any other plan of the organization.
absl::Status AddAnnualPlans(
    Connection& db, const StandingGroup& group,
    absl::flat_hash_map<std::string, PlanFacts>& facts) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      OverGroup(db, group,
                "SELECT organization_code, parent_id, id FROM annual_plans "
                "WHERE be_year = ? AND organization_code IN (",
                {int64_t{group.be_year}}));
  for (const storage::Row& row : result.rows) {
    const std::string& code = row.GetText(0);
    v1::PlanStanding& plan = facts[code].standing;
    const std::string name = FormatPlanChildName(code, row.GetText(1),
                                                 "annualPlans", row.GetText(2));
    const std::string plan_name = FormatActionPlanName(code, row.GetText(1));
    const bool current_is_chosen =
        !plan.annual_plan().empty() &&
        absl::StartsWith(plan.annual_plan(), plan.action_plan() + "/");
    const bool this_is_chosen = plan_name == plan.action_plan();
    if (plan.annual_plan().empty() || (this_is_chosen && !current_is_chosen) ||
        (this_is_chosen == current_is_chosen && name < plan.annual_plan())) {
      plan.set_annual_plan(name);
    }
  }
  return absl::OkStatus();
}

// `slot` becomes `time` unless it is set and earlier. `has` is read by the
// caller before `slot` is made: mutable_<field>() sets the field, and a
// call's arguments are evaluated in no fixed order (clang found it).
void KeepEarliest(const google::protobuf::Timestamp& time, bool has,
                  google::protobuf::Timestamp* slot) {
  if (!has || time.seconds() < slot->seconds() ||
      (time.seconds() == slot->seconds() && time.nanos() < slot->nanos())) {
    *slot = time;
  }
}

// The year's reports, by subject; the first 6- and 12-month report times.
absl::StatusOr<
    absl::flat_hash_map<std::string, std::vector<v1::ProgressReport>>>
AddReports(Connection& db, const StandingGroup& group,
           absl::flat_hash_map<std::string, PlanFacts>& facts) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      OverGroup(db, group,
                "SELECT organization_code, subject, body, create_time_us FROM "
                "progress_reports WHERE parent_id = '' AND be_year = ? AND "
                "organization_code IN (",
                {int64_t{group.be_year}}));
  absl::flat_hash_map<std::string, std::vector<v1::ProgressReport>> by_subject;
  for (const storage::Row& row : result.rows) {
    v1::ProgressReport report;
    PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(2), report));
    *report.mutable_report_time() =
        api::ToProtoTime(absl::FromUnixMicros(row.GetInt(3)));
    v1::PlanStanding& plan = facts[row.GetText(0)].standing;
    if (report.round() == v1::HALF_YEAR) {
      const bool has = plan.has_half_year_report_time();
      KeepEarliest(report.report_time(), has,
                   plan.mutable_half_year_report_time());
    } else if (report.round() == v1::FULL_YEAR) {
      const bool has = plan.has_full_year_report_time();
      KeepEarliest(report.report_time(), has,
                   plan.mutable_full_year_report_time());
    }
    by_subject[row.GetText(1)].push_back(std::move(report));
  }
  return by_subject;
}

absl::Status AddMeasures(
    Connection& db, const StandingGroup& group, absl::Time now,
    const absl::flat_hash_map<std::string, std::vector<v1::ProgressReport>>&
        reports,
    absl::flat_hash_map<std::string, PlanFacts>& facts) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      OverGroup(db, group,
                "SELECT organization_code, id, body FROM integrity_measures "
                "WHERE parent_id = '' AND be_year = ? AND organization_code "
                "IN (",
                {int64_t{group.be_year}}));
  const thai::FiscalQuarter current = thai::FiscalQuarterOf(now);
  for (const storage::Row& row : result.rows) {
    const std::string& code = row.GetText(0);
    v1::IntegrityMeasure measure;
    PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(2), measure));
    std::vector<const v1::ProgressReport*> of_measure;
    auto found = reports.find(
        FormatChildName(code, "integrityMeasures", row.GetText(1)));
    if (found != reports.end()) {
      for (const v1::ProgressReport& report : found->second) {
        of_measure.push_back(&report);
      }
    }
    MeasureFacts& out = facts[code].measures.emplace_back();
    out.ita_indicators.assign(measure.ita_indicators().begin(),
                              measure.ita_indicators().end());
    out.late = MeasureIsLate(measure, group.be_year, of_measure, current);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<GroupMember>> LoadGroup(Connection& db,
                                                   const StandingGroup& group) {
  const GroupSql sql = GroupWhere(group);
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(
          absl::StrCat("SELECT o.code, o.name, o.kind, o.province, o.district "
                       "FROM organizations o WHERE ",
                       sql.where, " ORDER BY o.code"),
          sql.params));
  PRONGSAI_ASSIGN_OR_RETURN(
      auto versions,
      api::ReadDataVersionsOf(
          db, kPlanVersions,
          absl::StrCat("SELECT o.code FROM organizations o WHERE ", sql.where),
          sql.params));
  std::vector<GroupMember> members;
  members.reserve(result.rows.size());
  for (const storage::Row& row : result.rows) {
    GroupMember& member = members.emplace_back();
    member.organization.set_code(row.GetText(0));
    member.organization.set_name(row.GetText(1));
    member.organization.set_kind(
        static_cast<common::v1::OrganizationKind>(row.GetInt(2)));
    member.organization.set_province(row.GetText(3));
    member.organization.set_district(row.GetText(4));
    auto version = versions.find(member.organization.code());
    member.version = version == versions.end() ? "0" : version->second;
  }
  return members;
}

absl::StatusOr<absl::flat_hash_map<std::string, PlanFacts>> LoadPlanFacts(
    Connection& db, const StandingGroup& group, absl::Time now) {
  absl::flat_hash_map<std::string, PlanFacts> facts;
  PRONGSAI_RETURN_IF_ERROR(AddPlans(db, group, facts));
  PRONGSAI_RETURN_IF_ERROR(AddAnnualPlans(db, group, facts));
  PRONGSAI_ASSIGN_OR_RETURN(auto reports, AddReports(db, group, facts));
  PRONGSAI_RETURN_IF_ERROR(AddMeasures(db, group, now, reports, facts));
  return facts;
}

}  // namespace prongsai::plan
