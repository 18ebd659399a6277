#include "services/ita/ita_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/api/data_version.h"
#include "common/api/fields.h"
#include "common/api/json_body.h"
#include "common/api/resource_table.h"
#include "common/api/row_fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_framework.h"

namespace prongsai::ita {
namespace {

using storage::Connection;
using storage::Value;

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

// The effective figures as columns, so a year's peers are one query.
constexpr absl::string_view kMigration2 = R"sql(
ALTER TABLE assessments ADD COLUMN framework_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assessments ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE assessments ADD COLUMN overall DOUBLE PRECISION;
ALTER TABLE assessments ADD COLUMN grade TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN passed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assessments ADD COLUMN indicator_scores TEXT NOT NULL DEFAULT '';
CREATE INDEX assessments_by_year ON assessments (fiscal_year, organization_code);
CREATE TABLE ita_frameworks (
  be_year BIGINT NOT NULL,
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  load_time_us BIGINT NOT NULL,
  loaded_by TEXT NOT NULL,
  PRIMARY KEY (be_year, version)
);
CREATE TABLE ita_versions (
  be_year BIGINT NOT NULL PRIMARY KEY,
  token TEXT NOT NULL
);
)sql";

// One organization's analysis depends on its own assessments only: a data
// version per organization keeps its cache warm while others ingest.
constexpr absl::string_view kMigration3 = R"sql(
CREATE TABLE ita_organization_versions (
  organization_code TEXT NOT NULL PRIMARY KEY,
  token TEXT NOT NULL
);
)sql";

// Which shipped revision a stored version is (0: loaded by an operator).
// The defaults pinned before this column existed are revision 1.
constexpr absl::string_view kMigration4 = R"sql(
ALTER TABLE ita_frameworks ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
UPDATE ita_frameworks SET revision = 1 WHERE loaded_by = 'default';
)sql";

// Stores every shipped framework whose revision its year does not have yet
// as the year's next version, so an assessment pinned to an earlier one
// keeps it, and replaces every data version (cached figures name the
// frameworks they used). Idempotent. Each new shipped revision appends a
// migration running it again (Migrations()).
std::string ShippedFrameworksSql() {
  absl::StatusOr<std::vector<v1::Framework>> shipped = DefaultFrameworks();
  // The service does not start with invalid defaults (ItaServiceDefinition).
  if (!shipped.ok()) return "";
  std::string sql;
  for (v1::Framework& framework : *shipped) {
    const int year = framework.be_year();
    const int revision = framework.revision();
    framework.clear_name();
    framework.clear_version();
    framework.clear_load_time();
    framework.clear_loaded_by();
    absl::StrAppend(
        &sql,
        "INSERT INTO ita_frameworks (be_year, version, body, load_time_us, "
        "loaded_by, revision) SELECT ",
        year, ", (SELECT COALESCE(MAX(version), 0) + 1 FROM ita_frameworks ",
        "WHERE be_year = ", year, "), '",
        absl::StrReplaceAll(api::ToStoredJson(framework), {{"'", "''"}}),
        "', 0, 'default', ", revision,
        " WHERE NOT EXISTS (SELECT 1 FROM ita_frameworks WHERE be_year = ",
        year, " AND revision >= ", revision, ");\n");
  }
  absl::StrAppend(&sql,
                  "UPDATE ita_versions SET token = token || '.f';\n"
                  "UPDATE ita_organization_versions SET token = token || "
                  "'.f';\n");
  return sql;
}

// Replaces the data version of `be_year` and the global one (year 0), in
// the writer's transaction: analytics of one year key on the first,
// analytics across years on the second.
constexpr api::DataVersionTable kYearVersions = {"ita_versions", "be_year"};
constexpr api::DataVersionTable kOrganizationVersions = {
    "ita_organization_versions", "organization_code"};

absl::Status BumpYear(Connection& tx, int be_year) {
  for (int64_t year : {int64_t{be_year}, int64_t{0}}) {
    PRONGSAI_RETURN_IF_ERROR(api::ReplaceDataVersion(tx, kYearVersions, year));
  }
  return absl::OkStatus();
}

absl::Status BumpOrganization(Connection& tx, absl::string_view organization) {
  return api::ReplaceDataVersion(tx, kOrganizationVersions,
                                 std::string(organization));
}

// ------------------------------------------------------------- frameworks

std::string FrameworkName(int be_year, int version) {
  return absl::StrCat("frameworks/", be_year, "/versions/", version);
}

absl::StatusOr<v1::Framework> FrameworkFromRow(const storage::Row& row) {
  v1::Framework framework;
  PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(2), framework));
  framework.set_be_year(static_cast<int32_t>(row.GetInt(0)));
  framework.set_version(static_cast<int32_t>(row.GetInt(1)));
  framework.set_name(FrameworkName(framework.be_year(), framework.version()));
  // The shipped defaults were never "loaded": pinned with time 0, no time.
  if (row.GetInt(3) != 0) {
    *framework.mutable_load_time() =
        api::ToProtoTime(absl::FromUnixMicros(row.GetInt(3)));
  }
  framework.set_loaded_by(row.GetText(4));
  return framework;
}

constexpr absl::string_view kFrameworkColumns =
    "be_year, version, body, load_time_us, loaded_by";

v1::Framework Default(const v1::Framework& framework) {
  v1::Framework out = framework;
  out.set_version(1);
  out.set_name(FrameworkName(out.be_year(), 1));
  out.set_loaded_by("default");
  return out;
}

// Stores a framework version; with `if_absent`, keeps the one already there
// (pinning: the framework an assessment is checked against stays in the
// table, so the version keeps its meaning even if a later release changes
// the defaults).
absl::Status InsertFramework(Connection& tx, const v1::Framework& framework,
                             bool if_absent) {
  v1::Framework body = framework;
  body.clear_name();
  body.clear_load_time();
  body.clear_loaded_by();
  return tx
      .Execute(
          absl::StrCat(
              "INSERT INTO ita_frameworks (", kFrameworkColumns,
              ", revision) VALUES (?, ?, ?, ?, ?, ?)",
              if_absent ? " ON CONFLICT (be_year, version) DO NOTHING" : ""),
          {int64_t{framework.be_year()}, int64_t{framework.version()},
           api::ToStoredJson(body),
           absl::ToUnixMicros(framework.has_load_time()
                                  ? api::FromProtoTime(framework.load_time())
                                  : absl::UnixEpoch()),
           framework.loaded_by(), int64_t{framework.revision()}})
      .status();
}

// ------------------------------------------------------------- assessments

const std::string& SelectColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("id, ", api::kOrganizationColumns,
                   ", fiscal_year, published_overall_score, ",
                   api::kAuditColumns, ", framework_version, details"));
  return *columns;
}

absl::StatusOr<v1::Assessment> AssessmentFromRow(const storage::Row& row) {
  v1::Assessment assessment;
  PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(13), assessment));
  *assessment.mutable_organization() = api::OrganizationFromRow(row, 1);
  assessment.set_name(FormatChildName(assessment.organization().code(),
                                      kAssessments, row.GetText(0)));
  assessment.mutable_fiscal_year()->set_be_year(
      static_cast<int32_t>(row.GetInt(6)));
  if (std::optional<double> score = row.GetOptionalDouble(7)) {
    assessment.set_published_overall_score(*score);
  }
  *assessment.mutable_audit() = api::AuditFromRow(row, 8);
  assessment.set_framework_version(static_cast<int32_t>(row.GetInt(12)));
  SetEffectiveOverallScore(assessment);
  return assessment;
}

// What `details` holds: everything without a column of its own.
v1::Assessment Details(const v1::Assessment& assessment) {
  v1::Assessment details;
  if (assessment.has_published()) {
    *details.mutable_published() = assessment.published();
  }
  if (assessment.has_computed()) {
    *details.mutable_computed() = assessment.computed();
  }
  *details.mutable_findings() = assessment.findings();
  details.set_iit_respondents(assessment.iit_respondents());
  details.set_eit_respondents(assessment.eit_respondents());
  return details;
}

// "1:99.77,9:71.3": the indicator scores of the effective set.
std::string IndicatorColumn(const v1::ScoreSet& scores) {
  std::vector<std::string> parts;
  for (const v1::Score& score : scores.indicators()) {
    // Full precision: StrCat would keep 6 significant digits.
    parts.push_back(absl::StrFormat("%s:%.17g", score.code(), score.score()));
  }
  return absl::StrJoin(parts, ",");
}

absl::Status InsertAssessment(Connection& tx, absl::string_view organization,
                              const common::v1::OrganizationRef& ref,
                              int be_year,
                              std::optional<double> published_overall,
                              absl::string_view request_id,
                              const api::AuditWriter& writer) {
  std::vector<Value> values = {absl::StrCat(be_year)};
  api::AppendOrganizationValues(organization, ref, values);
  values.emplace_back(int64_t{be_year});
  if (published_overall.has_value()) {
    values.emplace_back(*published_overall);
  } else {
    values.emplace_back(std::monostate());
  }
  api::AppendCreationAuditValues(writer.principal, writer.now, values);
  api::AppendRequestId(request_id, values);
  return tx
      .Execute(api::InsertStatement(
                   "assessments",
                   absl::StrCat("id, ", api::kOrganizationColumns,
                                ", fiscal_year, published_overall_score, ",
                                api::kAuditColumns, ", request_id"),
                   values.size()),
               values)
      .status();
}

// The assessment, locked for this transaction, created first when missing
// (with `organization`'s descriptive fields).
absl::StatusOr<v1::Assessment> LockOrInsertAssessment(
    Connection& tx, const common::v1::OrganizationRef& organization,
    int be_year, const api::AuditWriter& writer) {
  const std::string& code = organization.code();
  // Lock the row first (PostgreSQL runs READ COMMITTED): two ingests of one
  // assessment merge one after the other instead of the later overwriting
  // the earlier.
  PRONGSAI_RETURN_IF_ERROR(
      tx.Execute("UPDATE assessments SET updater = updater WHERE "
                 "organization_code = ? AND id = ?",
                 {code, absl::StrCat(be_year)})
          .status());
  absl::StatusOr<v1::Assessment> current = GetAssessment(tx, code, be_year);
  if (absl::IsNotFound(current.status())) {
    PRONGSAI_RETURN_IF_ERROR(InsertAssessment(tx, code, organization, be_year,
                                              std::nullopt, "", writer));
    current = GetAssessment(tx, code, be_year);
  }
  return current;
}

// Writes the updated figures: `details`, the peer columns of the effective
// figures, the published overall, and the organization's descriptive
// fields where the row has none yet.
absl::Status WriteScores(Connection& tx,
                         const common::v1::OrganizationRef& organization,
                         int be_year, const v1::Framework& framework,
                         const v1::Assessment& assessment,
                         const api::AuditWriter& writer) {
  // The figures analytics use, as columns for the year's peers.
  const v1::ScoreSet& effective = EffectiveScores(assessment);
  Value overall = std::monostate();
  std::string grade;
  bool passed = false;
  if (effective.has_overall()) {
    overall = effective.overall().score();
    const v1::GradeBand& band = BandOf(framework, effective.overall().score());
    grade = effective.grade().empty() ? band.label() : effective.grade();
    passed = band.passed();
  }
  Value published_overall = std::monostate();
  if (assessment.published().has_overall()) {
    published_overall = assessment.published().overall().score();
  } else if (assessment.has_published_overall_score()) {
    published_overall = assessment.published_overall_score();
  }
  return tx
      .Execute(
          "UPDATE assessments SET details = ?, framework_version = ?, "
          "overall = ?, grade = ?, passed = ?, indicator_scores = ?, "
          "published_overall_score = ?, organization_name = CASE WHEN "
          "organization_name = '' THEN ? ELSE organization_name END, "
          "organization_kind = CASE WHEN organization_kind = 0 THEN ? "
          "ELSE organization_kind END, province = CASE WHEN province = '' "
          "THEN ? ELSE province END, district = CASE WHEN district = '' "
          "THEN ? ELSE district END, update_time_us = ?, updater = ? "
          "WHERE organization_code = ? AND id = ?",
          {api::ToStoredJson(Details(assessment)), int64_t{framework.version()},
           overall, grade, int64_t{passed}, IndicatorColumn(effective),
           published_overall, organization.name(), int64_t{organization.kind()},
           organization.province(), organization.district(),
           absl::ToUnixMicros(writer.now), writer.principal,
           organization.code(), absl::StrCat(be_year)})
      .status();
}

}  // namespace

void ApplyScoreUpdate(const ScoreUpdate& update, v1::Assessment& assessment) {
  if (update.published.has_value()) {
    *assessment.mutable_published() = *update.published;
    assessment.clear_findings();
    for (const v1::ConsistencyFinding& finding : update.findings) {
      *assessment.add_findings() = finding;
    }
  }
  if (update.computed.has_value()) {
    *assessment.mutable_computed() = *update.computed;
    assessment.set_iit_respondents(update.iit_respondents);
    assessment.set_eit_respondents(update.eit_respondents);
  }
}

std::vector<storage::Migration> Migrations() {
  static const std::string* const kShipped =
      new std::string(ShippedFrameworksSql());
  static const std::string* const kStriped = new std::string(
      absl::StrCat(api::StripesTableSql(kYearVersions, "BIGINT"),
                   api::StripesTableSql(kOrganizationVersions, "TEXT")));
  return {{1, "assessments", kMigration1},
          {2, "frameworks, scores, analytics columns", kMigration2},
          {3, "organization data versions", kMigration3},
          {4, "framework revisions", kMigration4},
          // A new shipped revision appends the same step again, which
          // must then replace the tokens of the *_stripes tables of step 6
          // too (a key may have no stripe 0).
          {5, "shipped frameworks, revision 2", *kShipped},
          {6, "data-version stripes", *kStriped}};
}

// ------------------------------------------------------------- frameworks

absl::StatusOr<v1::Framework> CurrentFramework(
    Connection& db, const DefaultFrameworkMap& defaults, int be_year) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kFrameworkColumns,
                              " FROM ita_frameworks WHERE be_year = ? ORDER "
                              "BY version DESC LIMIT 1"),
                 {int64_t{be_year}}));
  if (!result.rows.empty()) return FrameworkFromRow(result.rows[0]);
  auto found = defaults.find(be_year);
  if (found == defaults.end()) {
    return absl::NotFoundError(absl::StrCat("no ITA framework for fiscal year ",
                                            be_year,
                                            "; load one with LoadFramework"));
  }
  return Default(found->second);
}

absl::StatusOr<v1::Framework> FrameworkVersion(
    Connection& db, const DefaultFrameworkMap& defaults, int be_year,
    int version) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kFrameworkColumns,
                              " FROM ita_frameworks WHERE be_year = ? AND "
                              "version = ?"),
                 {int64_t{be_year}, int64_t{version}}));
  if (!result.rows.empty()) return FrameworkFromRow(result.rows[0]);
  auto found = defaults.find(be_year);
  if (version == 1 && found != defaults.end()) return Default(found->second);
  return absl::NotFoundError(
      absl::StrCat("no ", FrameworkName(be_year, version)));
}

absl::StatusOr<v1::Framework> PinnedFramework(
    Connection& db, const DefaultFrameworkMap& defaults,
    const v1::Assessment& assessment) {
  const int be_year = assessment.fiscal_year().be_year();
  if (assessment.framework_version() > 0) {
    return FrameworkVersion(db, defaults, be_year,
                            assessment.framework_version());
  }
  return CurrentFramework(db, defaults, be_year);
}

absl::StatusOr<std::vector<v1::Framework>> CurrentFrameworks(
    Connection& db, const DefaultFrameworkMap& defaults) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT DISTINCT be_year FROM ita_frameworks"));
  std::vector<int> years;
  for (const storage::Row& row : result.rows) {
    years.push_back(static_cast<int>(row.GetInt(0)));
  }
  for (const auto& [year, framework] : defaults) years.push_back(year);
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  std::vector<v1::Framework> out;
  for (int year : years) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::Framework framework,
                              CurrentFramework(db, defaults, year));
    out.push_back(std::move(framework));
  }
  return out;
}

absl::StatusOr<v1::Framework> StoreFramework(
    Connection& db, const DefaultFrameworkMap& defaults,
    v1::Framework framework, const api::AuditWriter& writer) {
  const int year = framework.be_year();
  int version = 0;
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](Connection& tx) -> absl::Status {
        PRONGSAI_ASSIGN_OR_RETURN(
            storage::Result result,
            tx.Execute("SELECT MAX(version) FROM ita_frameworks WHERE "
                       "be_year = ?",
                       {int64_t{year}}));
        int64_t latest = result.rows.empty() || result.rows[0].IsNull(0)
                             ? 0
                             : result.rows[0].GetInt(0);
        // The shipped default is version 1 even before it is pinned.
        if (latest == 0 && defaults.contains(year)) {
          PRONGSAI_RETURN_IF_ERROR(
              InsertFramework(tx, Default(defaults.at(year)), true));
          latest = 1;
        }
        version = static_cast<int>(latest + 1);
        framework.set_version(version);
        framework.clear_revision();  // not a shipped file
        *framework.mutable_load_time() = api::ToProtoTime(writer.now);
        framework.set_loaded_by(writer.principal);
        // A plain insert: a version loaded at the same time by another call
        // must fail here, not be silently kept instead of this one.
        absl::Status inserted = InsertFramework(tx, framework, false);
        if (absl::IsAlreadyExists(inserted)) {
          return absl::AbortedError(
              absl::StrCat("another framework of ", year,
                           " was loaded at the same time; load it again"));
        }
        PRONGSAI_RETURN_IF_ERROR(inserted);
        return BumpYear(tx, year);
      }));
  return FrameworkVersion(db, defaults, year, version);
}

// ------------------------------------------------------------- assessments

absl::StatusOr<v1::Assessment> CreateAssessment(
    Connection& db, absl::string_view organization,
    const v1::Assessment& assessment, absl::string_view request_id,
    const api::AuditWriter& writer) {
  const int year = assessment.fiscal_year().be_year();
  auto insert = [&](Connection& tx) -> absl::StatusOr<std::string> {
    PRONGSAI_ASSIGN_OR_RETURN(
        storage::Result existing,
        tx.Execute("SELECT id FROM assessments WHERE organization_code = ? "
                   "AND id = ?",
                   {std::string(organization), absl::StrCat(year)}));
    if (!existing.rows.empty()) {
      return absl::AlreadyExistsError(absl::StrCat(
          FormatChildName(organization, kAssessments, absl::StrCat(year)),
          " is already recorded"));
    }
    std::optional<double> published;
    if (assessment.has_published_overall_score()) {
      published = assessment.published_overall_score();
    }
    PRONGSAI_RETURN_IF_ERROR(InsertAssessment(tx, organization,
                                              assessment.organization(), year,
                                              published, request_id, writer));
    PRONGSAI_RETURN_IF_ERROR(BumpOrganization(tx, organization));
    PRONGSAI_RETURN_IF_ERROR(BumpYear(tx, year));
    return absl::StrCat(year);
  };
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string created,
      api::CreateOnce(db, "assessments", organization, request_id, insert));
  if (created != absl::StrCat(year)) {
    // The request id was used for another year's assessment.
    return InvalidField("request_id",
                        "was already used to record another fiscal year; "
                        "use a new request id");
  }
  return GetAssessment(db, organization, year);
}

absl::StatusOr<v1::Assessment> GetAssessment(Connection& db,
                                             absl::string_view organization,
                                             int be_year) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", SelectColumns(),
                              " FROM assessments WHERE organization_code = ? "
                              "AND id = ?"),
                 {std::string(organization), absl::StrCat(be_year)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no assessment ",
        FormatChildName(organization, kAssessments, absl::StrCat(be_year))));
  }
  return AssessmentFromRow(result.rows[0]);
}

absl::StatusOr<std::vector<v1::Assessment>> AssessmentsOf(
    Connection& db, absl::Span<const std::string> organizations, int be_year) {
  std::vector<v1::Assessment> out;
  if (organizations.empty()) return out;
  std::vector<storage::Value> params;
  params.reserve(organizations.size() + 1);
  params.emplace_back(int64_t{be_year});
  std::string placeholders;
  for (const std::string& code : organizations) {
    absl::StrAppend(&placeholders, params.size() == 1 ? "?" : ", ?");
    params.emplace_back(code);
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", SelectColumns(),
                              " FROM assessments WHERE fiscal_year = ? AND "
                              "organization_code IN (",
                              placeholders, ") ORDER BY organization_code"),
                 params));
  out.reserve(result.rows.size());
  for (const storage::Row& row : result.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::Assessment assessment,
                              AssessmentFromRow(row));
    out.push_back(std::move(assessment));
  }
  return out;
}

absl::StatusOr<api::Page<v1::Assessment>> ListAssessments(
    Connection& db, absl::string_view organization, const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(api::RowPage rows,
                            api::ListPage(db, "assessments", SelectColumns(),
                                          "fiscal_year", organization, page));
  api::Page<v1::Assessment> out;
  for (const storage::Row& row : rows.rows) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::Assessment assessment,
                              AssessmentFromRow(row));
    out.items.push_back(std::move(assessment));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<std::optional<v1::Assessment>> PreviousAssessment(
    Connection& db, absl::string_view organization, int be_year) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", SelectColumns(),
                              " FROM assessments WHERE organization_code = ? "
                              "AND fiscal_year < ? AND overall IS NOT NULL "
                              "ORDER BY fiscal_year DESC LIMIT 1"),
                 {std::string(organization), int64_t{be_year}}));
  if (result.rows.empty()) return std::nullopt;
  return AssessmentFromRow(result.rows[0]);
}

absl::StatusOr<v1::Assessment> SaveScores(
    Connection& db, const common::v1::OrganizationRef& organization,
    int be_year, const v1::Framework& framework, const ScoreUpdate& update,
    const api::AuditWriter& writer) {
  const std::string& code = organization.code();
  auto write = [&](Connection& tx) -> absl::Status {
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Assessment assessment,
        LockOrInsertAssessment(tx, organization, be_year, writer));
    if (update.expected_framework_version.has_value() &&
        assessment.framework_version() != *update.expected_framework_version) {
      return absl::AbortedError(absl::StrCat("the assessment of ", be_year,
                                             " of ", code,
                                             " changed meanwhile; try again"));
    }
    ApplyScoreUpdate(update, assessment);
    PRONGSAI_RETURN_IF_ERROR(InsertFramework(tx, framework, true));
    PRONGSAI_RETURN_IF_ERROR(
        WriteScores(tx, organization, be_year, framework, assessment, writer));
    PRONGSAI_RETURN_IF_ERROR(BumpOrganization(tx, code));
    return BumpYear(tx, be_year);
  };
  absl::Status status = storage::InTransaction(db, write);
  // Two first ingests of one assessment both insert; the loser runs again
  // and merges into the winner's row.
  if (absl::IsAlreadyExists(status)) status = storage::InTransaction(db, write);
  PRONGSAI_RETURN_IF_ERROR(status);
  return GetAssessment(db, code, be_year);
}

// --------------------------------------------------------------- analytics

absl::StatusOr<std::vector<PeerRow>> YearRows(Connection& db, int be_year) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT organization_code, province, organization_kind, "
                 "overall, grade, passed, indicator_scores FROM assessments "
                 "WHERE fiscal_year = ? AND overall IS NOT NULL",
                 {int64_t{be_year}}));
  std::vector<PeerRow> rows;
  rows.reserve(result.rows.size());
  for (const storage::Row& row : result.rows) {
    PeerRow& peer = rows.emplace_back();
    peer.organization = row.GetText(0);
    peer.province = row.GetText(1);
    peer.kind = static_cast<common::v1::OrganizationKind>(row.GetInt(2));
    peer.overall = *row.GetOptionalDouble(3);
    peer.grade = row.GetText(4);
    peer.passed = row.GetInt(5) != 0;
    for (absl::string_view pair :
         absl::StrSplit(row.GetText(6), ',', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> parts =
          absl::StrSplit(pair, absl::MaxSplits(':', 1));
      int number;
      double score;
      if (absl::SimpleAtoi(parts.first, &number) &&
          absl::SimpleAtod(parts.second, &score)) {
        peer.indicators[number] = score;
      }
    }
  }
  return rows;
}

absl::StatusOr<std::vector<int>> ScoredYears(Connection& db) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT DISTINCT fiscal_year FROM assessments WHERE overall "
                 "IS NOT NULL ORDER BY fiscal_year"));
  std::vector<int> years;
  for (const storage::Row& row : result.rows) {
    years.push_back(static_cast<int>(row.GetInt(0)));
  }
  return years;
}

absl::StatusOr<std::string> OrganizationVersion(
    Connection& db, absl::string_view organization) {
  return api::ReadDataVersion(db, kOrganizationVersions,
                              std::string(organization));
}

absl::StatusOr<std::string> YearVersion(Connection& db, int be_year) {
  return api::ReadDataVersion(db, kYearVersions, int64_t{be_year});
}

}  // namespace prongsai::ita
