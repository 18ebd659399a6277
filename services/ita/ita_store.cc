#include "services/ita/ita_store.h"

#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "common/api/resource_table.h"
#include "common/base/status_macros.h"

namespace prongsai::ita {
namespace {

constexpr absl::string_view kAssessments = "assessments";

constexpr absl::string_view kMigration1 = R"sql(
CREATE TABLE assessments (
  organization_code TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_name TEXT NOT NULL,
  organization_kind BIGINT NOT NULL,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  fiscal_year BIGINT NOT NULL,
  published_overall_score DOUBLE PRECISION,
  create_time_us BIGINT NOT NULL,
  creator TEXT NOT NULL,
  update_time_us BIGINT NOT NULL,
  updater TEXT NOT NULL,
  request_id TEXT,
  PRIMARY KEY (organization_code, id),
  UNIQUE (organization_code, request_id)
);
)sql";

// Column order shared by every SELECT below and by AssessmentFromRow.
const std::string& SelectColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "id, ", api::kOrganizationColumns,
      ", fiscal_year, published_overall_score, ", api::kAuditColumns));
  return *columns;
}

v1::Assessment AssessmentFromRow(const storage::Row& row) {
  v1::Assessment assessment;
  *assessment.mutable_organization() = api::OrganizationFromRow(row, 1);
  assessment.set_name(FormatChildName(assessment.organization().code(),
                                      kAssessments, row.GetText(0)));
  assessment.mutable_fiscal_year()->set_be_year(
      static_cast<int32_t>(row.GetInt(6)));
  if (std::optional<double> score = row.GetOptionalDouble(7)) {
    assessment.set_published_overall_score(*score);
  }
  *assessment.mutable_audit() = api::AuditFromRow(row, 8);
  return assessment;
}

}  // namespace

std::vector<storage::Migration> Migrations() {
  return {{1, "assessments", kMigration1}};
}

absl::StatusOr<v1::Assessment> CreateAssessment(
    storage::Connection& db, absl::string_view organization,
    const v1::Assessment& assessment, absl::string_view request_id,
    absl::string_view creator, absl::Time now) {
  const std::string id = absl::StrCat(assessment.fiscal_year().be_year());
  auto insert = [&](storage::Connection& tx) -> absl::StatusOr<std::string> {
    PRONGSAI_ASSIGN_OR_RETURN(
        storage::Result existing,
        tx.Execute("SELECT id FROM assessments WHERE organization_code = ? "
                   "AND id = ?",
                   {std::string(organization), id}));
    if (!existing.rows.empty()) {
      return absl::AlreadyExistsError(
          absl::StrCat(FormatChildName(organization, kAssessments, id),
                       " is already recorded"));
    }
    std::vector<storage::Value> values = {id};
    api::AppendOrganizationValues(organization, assessment.organization(),
                                  values);
    values.emplace_back(int64_t{assessment.fiscal_year().be_year()});
    if (assessment.has_published_overall_score()) {
      values.emplace_back(assessment.published_overall_score());
    } else {
      values.emplace_back(std::monostate());
    }
    api::AppendCreationAuditValues(creator, now, values);
    api::AppendRequestId(request_id, values);
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute(
              api::InsertStatement(
                  "assessments", absl::StrCat(SelectColumns(), ", request_id"),
                  values.size()),
              values)
            .status());
    return id;
  };
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string created,
      api::CreateOnce(db, "assessments", organization, request_id, insert));
  return GetAssessment(db, organization, created);
}

absl::StatusOr<v1::Assessment> GetAssessment(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view fiscal_year) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", SelectColumns(),
                              " FROM assessments WHERE organization_code = ? "
                              "AND id = ?"),
                 {std::string(organization), std::string(fiscal_year)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no assessment ",
                     FormatChildName(organization, kAssessments, fiscal_year)));
  }
  return AssessmentFromRow(result.rows[0]);
}

absl::StatusOr<AssessmentPage> ListAssessments(storage::Connection& db,
                                               absl::string_view organization,
                                               const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(api::RowPage rows,
                            api::ListPage(db, "assessments", SelectColumns(),
                                          "fiscal_year", organization, page));
  AssessmentPage out;
  for (const storage::Row& row : rows.rows) {
    out.assessments.push_back(AssessmentFromRow(row));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

}  // namespace prongsai::ita
